"""The rule edit form: the kind's parameters as typed fields (a JSON box only for staffing
bands, validated with Chinese messages), plus severity, effective date and a note."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from huxiao.core import registry
from huxiao.schools.choices import CameraArea
from huxiao.standards import kinds
from huxiao.standards.choices import Confidence, Severity
from huxiao.standards.models import Rule


class RuleEditForm(forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label="规则名称", max_length=100)
    severity = forms.ChoiceField(
        label="要求程度", choices=Severity.choices, help_text="应：未达标即登记隐患；宜：仅作建议"
    )
    confidence = forms.ChoiceField(label="可信度", choices=Confidence.choices, help_text="核对原文后可调高")
    effective_from = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="修订说明", max_length=200, help_text="修改了什么、依据哪份文件")

    def __init__(self, *args, rule: Rule, **kwargs):
        self.rule = rule
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("title", rule.title)
        initial.setdefault("severity", rule.severity)
        initial.setdefault("confidence", rule.confidence)
        initial.setdefault("effective_from", timezone.localdate())
        super().__init__(*args, **kwargs)
        params = rule.params
        kind = rule.kind
        if kind in ("minimum", "frequency"):
            self.fields["min"] = forms.DecimalField(
                label=f"最低要求（{kinds.fact_label(params['fact'])}，{params.get('unit') or kinds.fact_unit(params['fact'])}）",
                min_value=Decimal(0),
                max_digits=8,
                decimal_places=2,
                initial=params.get("min"),
            )
        elif kind == "facts_true":
            known = {f.key: f.label for f in registry.facts().values()}
            choices = [
                (k, kinds.fact_label(k) if k in kinds.FACT_TEXT else known.get(k, k))
                for k in sorted(set(known) | set(params["facts"]))
            ]
            self.fields["facts"] = forms.MultipleChoiceField(
                label="须具备的事项",
                choices=choices,
                initial=params["facts"],
                widget=forms.CheckboxSelectMultiple,
            )
        elif kind == "coverage":
            self.fields["areas"] = forms.MultipleChoiceField(
                label="须覆盖的区域",
                choices=CameraArea.choices,
                initial=params["areas"],
                widget=forms.CheckboxSelectMultiple,
            )
        elif kind == "equipment_set":
            choices = list(kinds.ITEM_LABELS[params["fact"]].items())
            self.fields["all_of"] = forms.MultipleChoiceField(
                label="须全部具备",
                choices=choices,
                initial=params.get("all_of", []),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields["any_of"] = forms.MultipleChoiceField(
                label="至少具备其一",
                choices=choices,
                initial=params.get("any_of", []),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        else:
            self.fields["params_json"] = forms.CharField(
                label="参数（JSON）",
                widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
                initial=json.dumps(params, ensure_ascii=False, indent=2),
                help_text="formulas：计算公式列表，每个含 basis（headcount 师生员工总数 / day_students 非寄宿生数 / "
                "students 学生数）、bands（[起始人数, 应配人数] 的列表）、step（above 超过人数、per 每增加人数、add 增配人数）、"
                "rounding（ceil 进一 / floor 去尾）；boarding：寄宿增配（flat 固定增配、per 每多少名寄宿生、rounding）。",
            )

    def clean_params_json(self) -> dict[str, Any]:
        text = self.cleaned_data["params_json"]
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                f"参数不是有效的 JSON：第{exc.lineno}行第{exc.colno}列附近有误。"
            ) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError("参数须为一个 JSON 对象（以 { 开头）。")
        return value

    def params(self) -> dict[str, Any]:
        """The new parameters, from the typed fields (validated again by the kind in the service)."""
        data = self.cleaned_data
        params = dict(self.rule.params)
        kind = self.rule.kind
        if kind in ("minimum", "frequency"):
            value = data["min"]
            params["min"] = int(value) if value == value.to_integral_value() else float(value)
        elif kind == "facts_true":
            params["facts"] = list(data["facts"])
        elif kind == "coverage":
            params["areas"] = list(data["areas"])
        elif kind == "equipment_set":
            params["all_of"], params["any_of"] = list(data["all_of"]), list(data["any_of"])
        else:
            params = data["params_json"]
        return params

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            errors = kinds.get(self.rule.kind).validate(self.params())
            for error in errors:
                self.add_error(None, error)
        return cleaned
