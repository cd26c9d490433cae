"""Forms of the hazard register pages (views.py): shape only — the rules live in the services.

`HazardFilterForm` is shared with the 隐患台账 export (notice_views.hazard_export), so its
constructor `HazardFilterForm(data, user=...)` and `apply(hazards)` stay stable.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.models import Organisation
from huxiao.core.validation import is_db_integer
from huxiao.hazards.choices import LIVE_STATES, Category, Escalation, Phase, Severity, Source, State
from huxiao.hazards.models import Hazard
from huxiao.hazards.sources import SOURCES
from huxiao.lib.dates import cn_date
from huxiao.schools.models import School

MAX_PHOTOS = 9  # per upload: a phone's burst of a few angles, not an album
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CODE = re.compile(r"^\s*YH(\d{4})-0*(\d+)\s*$", re.IGNORECASE)


# --- Photos -----------------------------------------------------------------------------------


class MultiplePhotoInput(forms.FileInput):
    """`<input type=file multiple accept=image/* capture=environment>`: opens the camera on phones."""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", "capture": "environment", **(attrs or {})})


class MultiplePhotoField(forms.FileField):
    """Zero or more photos (a list of uploads). Content is checked by the service (core.images)."""

    widget = MultiplePhotoInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if self.required and not files:
            raise forms.ValidationError("请选择至少一张照片。")
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(f"一次最多上传{MAX_PHOTOS}张照片。")
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


def _photos(label: str = "照片", required: bool = False, help_text: str = "") -> MultiplePhotoField:
    return MultiplePhotoField(
        label=label,
        required=required,
        help_text=help_text
        or f"JPG、PNG 或 WebP，每张不超过10MB，一次最多{MAX_PHOTOS}张；手机上可直接拍照。",
    )


# --- The register ------------------------------------------------------------------------------

STATE_FILTERS = [("", "全部状态"), ("live", "在办（未销号）"), *State.choices]


class HazardFilterForm(forms.Form):
    """隐患台账 filters. Every choice list offers only what the user can see."""

    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "编号、名称、位置、描述、责任人", "type": "search"}),
    )
    state = forms.ChoiceField(label="状态", required=False, choices=STATE_FILTERS)
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部类别"), *Category.choices])
    severity = forms.ChoiceField(label="等级", required=False, choices=[("", "全部等级"), *Severity.choices])
    escalation = forms.TypedChoiceField(
        label="督办",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "全部"), *Escalation.choices],
    )
    school = forms.ModelChoiceField(
        label="学校", required=False, queryset=School.objects.none(), empty_label="全部学校"
    )
    responsible_org = forms.ModelChoiceField(
        label="责任单位", required=False, queryset=Organisation.objects.none(), empty_label="全部单位"
    )
    source = forms.ChoiceField(
        label="来源", required=False, choices=lambda: [("", "全部来源"), *SOURCES.choices()]
    )
    found_from = forms.DateField(label="发现日期自", required=False, widget=DATE)
    found_to = forms.DateField(label="发现日期至", required=False, widget=DATE)
    overdue = forms.BooleanField(label="逾期", required=False)
    due_soon = forms.BooleanField(label="临期（3个工作日内到期）", required=False)

    # Typed names instead of the two selects when the scope is too large to list (a province: 12,000
    # schools and units would be 24,000 <option>s, a 1.6 MB page). Only present in that case.
    school_name = forms.CharField(
        label="学校",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "学校名称（部分即可）", "type": "search"}),
    )
    org_name = forms.CharField(
        label="责任单位",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "责任单位名称（部分即可）", "type": "search"}),
    )

    # More schools in scope than this and the school and unit selects become text inputs.
    SELECT_LIMIT = 300

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        visible = Hazard.objects.visible_to(user)
        schools = School.objects.visible_to(user).order_by("name")
        school_field = cast(forms.ModelChoiceField, self.fields["school"])
        org_field = cast(forms.ModelChoiceField, self.fields["responsible_org"])
        school_field.queryset = schools
        org_field.queryset = Organisation.objects.filter(pk__in=visible.values("responsible_org")).order_by(
            "name"
        )
        # One query for the school choices, at most SELECT_LIMIT + 1 rows: it also tells the size.
        names = list(schools.values_list("pk", "name")[: self.SELECT_LIMIT + 1])
        self.large_scope = len(names) > self.SELECT_LIMIT
        if self.large_scope:
            # ?school=<id> / ?responsible_org=<id> (links from the 数据看板) still filter, as hidden fields
            school_field.widget = forms.HiddenInput()
            org_field.widget = forms.HiddenInput()
            self.main = ("q", "state", "school_name", "overdue", "due_soon")
        else:
            school_field.choices = [("", school_field.empty_label), *names]
            del self.fields["school_name"], self.fields["org_name"]
            self.main = self.MAIN

    MAIN = ("q", "state", "school", "overdue", "due_soon")

    def main_fields(self):
        """The filters always on show; the rest fold away under 更多条件 (a phone screen is short)."""
        return [self[name] for name in self.main]

    def more_fields(self):
        return [self[name] for name in self.fields if name not in self.main and not self[name].is_hidden]

    def more_in_use(self) -> bool:
        return any(field.value() not in (None, "", False) for field in self.more_fields())

    def clean(self):
        data = super().clean()
        if data.get("found_from") and data.get("found_to") and data["found_from"] > data["found_to"]:
            self.add_error("found_to", "截止日期不能早于起始日期。")
        return data

    def apply(self, hazards, *, skip: tuple[str, ...] = ()):
        """`hazards` narrowed by every filled filter (except those named in `skip`)."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in skip}
        hazards = search(hazards, data.get("q") or "")
        if data.get("state") == "live":
            hazards = hazards.filter(state__in=LIVE_STATES)
        elif data.get("state"):
            hazards = hazards.filter(state=data["state"])
        for name in ("category", "severity", "source", "school", "responsible_org"):
            if data.get(name):
                hazards = hazards.filter(**{name: data[name]})
        if data.get("school_name", "").strip():
            hazards = hazards.filter(school__name__icontains=data["school_name"].strip())
        if data.get("org_name", "").strip():
            hazards = hazards.filter(responsible_org__name__icontains=data["org_name"].strip())
        if data.get("escalation") is not None:
            hazards = hazards.filter(escalation=data["escalation"])
        if data.get("found_from"):
            hazards = hazards.filter(found_on__gte=data["found_from"])
        if data.get("found_to"):
            hazards = hazards.filter(found_on__lte=data["found_to"])
        if data.get("overdue"):
            hazards = hazards.overdue()
        if data.get("due_soon"):
            hazards = hazards.due_soon()
        return hazards


def search(hazards, text: str):
    """Free text over the register; `YH2026-000123` finds that hazard by its number."""
    text = text.strip()
    if not text:
        return hazards
    code = CODE.match(text)
    if code:
        return hazards.filter(pk=int(code.group(2)), found_on__year=int(code.group(1)))
    return hazards.filter(
        Q(title__icontains=text)
        | Q(location__icontains=text)
        | Q(description__icontains=text)
        | Q(responsible_person__icontains=text)
        | Q(school__name__icontains=text)
    )


class HazardBulkForm(forms.Form):
    """Bulk actions on the register: the ticked rows (`ids`) and the version each row showed
    (`v_<id>`), so every hazard is checked against what its row displayed."""

    ACTIONS = [("confirm", "核实立案")]

    action = forms.ChoiceField(choices=ACTIONS, error_messages={"required": "请选择批量操作。"})
    back = forms.CharField(required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        ids = [int(v) for v in self.data.getlist("ids") if is_db_integer(v)]
        if not ids:
            raise forms.ValidationError("请先勾选要处理的隐患。")
        data["selected"] = [(pk, _int_or_none(self.data.get(f"v_{pk}"))) for pk in dict.fromkeys(ids)]
        return data


def _int_or_none(value) -> int | None:
    return int(value) if value is not None and is_db_integer(value) else None


# --- One hazard --------------------------------------------------------------------------------


class HazardReportForm(forms.Form):
    """登记隐患: where, what, how grave, who fixes it by when — and photos of it as found."""

    school = forms.ModelChoiceField(label="学校", queryset=School.objects.none(), empty_label="请选择学校")
    title = forms.CharField(label="隐患名称", max_length=100)
    category = forms.ChoiceField(label="类别", choices=[("", "请选择"), *Category.choices])
    severity = forms.ChoiceField(label="等级", choices=Severity.choices, initial=Severity.GENERAL)
    location = forms.CharField(label="校内位置", max_length=100, required=False)
    description = forms.CharField(label="隐患描述", widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label="整改措施", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    responsible_person = forms.CharField(label="责任人", max_length=50, required=False)
    deadline = forms.DateField(
        label="整改期限",
        required=False,
        widget=DATE,
        help_text="留空则按本区规则自动计算（一般、较大、重大隐患分别若干工作日）。",
    )
    source = forms.ChoiceField(label="来源", choices=SOURCES.choices, initial=Source.SELF)
    found_on = forms.DateField(label="发现日期", required=False, widget=DATE, help_text="留空为今天。")
    photos = _photos("整改前照片")
    confirm = forms.BooleanField(
        label="核实立案",
        required=False,
        help_text="您是审核人员：勾选后直接立案交办学校整改，无需另行核实。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A school without its own unit has nobody to rectify; the service refuses it too.
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = (
            School.objects.visible_to(user, Cap.HAZARD_REPORT)
            .active()
            .filter(organisation__isnull=False)
            .order_by("name")
        )
        if not scope_of(user).has(Cap.HAZARD_REVIEW):
            del self.fields["confirm"]

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        found_on = data.get("found_on") or today
        if found_on > today:
            self.add_error("found_on", "发现日期不能晚于今天。")
        if data.get("deadline") and data["deadline"] < found_on:
            self.add_error("deadline", "整改期限不能早于发现日期。")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        """The values for services.hazard_report."""
        data = dict(self.cleaned_data)
        data["confirm"] = bool(data.get("confirm"))
        return data


# Which fields each transition's form carries (the service decides what is required).
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "confirm": ("deadline", "note"),
    "dismiss": ("reason",),
    "start": ("note",),
    "submit": ("note", "photos"),
    "return": ("reason",),
    "accept": ("note",),
    "fix_on_spot": ("note", "photos"),
    "reopen": ("reason", "deadline"),
}
NEEDS_PHOTOS = ("submit", "fix_on_spot")


class HazardActionForm(forms.Form):
    """One transition of services.TRANSITIONS, posted with the version the user saw."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    reason = forms.CharField(
        label="理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "必填，请说明理由。"},
    )
    note = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    deadline = forms.DateField(label="整改期限", required=False, widget=DATE)
    photos = _photos("整改后照片")

    def __init__(
        self, *args, action: str, needs_reason: bool = False, deadline: dt.date | None = None, **kwargs
    ):
        kwargs.setdefault("auto_id", f"id_{action}_%s")
        super().__init__(*args, **kwargs)
        self.action = action
        keep = {"expected_version", *ACTION_FIELDS.get(action, ())}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "reason" in self.fields:
            self.fields["reason"].required = needs_reason
        if "deadline" in self.fields:
            current = f"（{cn_date(deadline)}）" if deadline else ""
            self.fields["deadline"].help_text = (
                f"留空则保持现期限{current}。"
                if action == "confirm"
                else "留空则从今天起按本区规则重新计算。"
            )
        if action in NEEDS_PHOTOS:
            self.fields["photos"].help_text = "须有整改后的照片作为证据（已上传过的可不再上传）。"
        if action == "fix_on_spot":
            self.fields["note"].label = "现场整改情况"

    def clean(self):
        data = super().clean()
        # Without the version it was shown at, the action could overwrite someone else's.
        if data.get("expected_version") is None:
            raise forms.ValidationError("页面已过期，请刷新后重试。")
        return data

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError("整改期限不能早于今天。")
        return deadline


class EvidenceForm(forms.Form):
    """More photos (before, after or other material) for a live hazard."""

    phase = forms.ChoiceField(label="照片类别", choices=Phase.choices, initial=Phase.AFTER)
    caption = forms.CharField(label="说明", max_length=200, required=False)
    photos = _photos(required=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_evidence_%s")
        super().__init__(*args, **kwargs)


class TempMeasuresForm(forms.Form):
    text = forms.CharField(
        label="临时防护措施",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "如：设置警戒线，安排专人值守，暂停使用……"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_temp_%s")
        super().__init__(*args, **kwargs)


class PlanForm(forms.Form):
    summary = forms.CharField(label="方案概要", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class PlanTaskForm(forms.Form):
    """One row of the plan; a row left wholly blank is ignored."""

    task = forms.CharField(label="任务", max_length=200, required=False)
    owner = forms.CharField(label="责任人（单位）", max_length=100, required=False)
    deadline = forms.DateField(label="完成时限", required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        filled = [bool(data.get(n)) for n in ("task", "owner", "deadline")]
        if any(filled) and not all(filled):
            for name, ok in zip(("task", "owner", "deadline"), filled, strict=True):
                if not ok:
                    self.add_error(name, "本行已填写，请补全任务、责任人和完成时限。")
        return data


class BasePlanTaskFormSet(forms.BaseFormSet):
    def tasks(self) -> list[tuple[str, str, dt.date]]:
        return [
            (f.cleaned_data["task"].strip(), f.cleaned_data["owner"].strip(), f.cleaned_data["deadline"])
            for f in self.forms
            if f.cleaned_data.get("task")
        ]


PlanTaskFormSet = forms.formset_factory(
    PlanTaskForm, formset=BasePlanTaskFormSet, extra=0, max_num=50, validate_max=True, absolute_max=50
)


class ExtensionRequestForm(forms.Form):
    new_deadline = forms.DateField(label="申请延至", widget=DATE)
    reason = forms.CharField(label="延期理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_ext_%s")
        super().__init__(*args, **kwargs)


class ExtensionDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="审批", choices=[("approve", "批准延期"), ("reject", "驳回")], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label="审批意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, request_id: int | None = None, **kwargs):
        kwargs.setdefault("auto_id", f"id_decide{request_id or ''}_%s")
        super().__init__(*args, **kwargs)
