"""Forms of the administration pages: the audit log filter, regions and organisations."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone

from huxiao.core.audit import ACTIONS
from huxiao.core.choices import OrgKind, RegionLevel
from huxiao.core.models import Organisation, Region


class AuditFilterForm(forms.Form):
    action = forms.CharField(label="操作", required=False)
    actor = forms.CharField(label="操作人", required=False)
    text = forms.CharField(label="对象", required=False)
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return data

    def apply(self, events):
        data = self.cleaned_data
        if data.get("action"):  # the Chinese label (登记隐患) or the code (hazard.report)
            text = data["action"]
            codes = [code for code, label in ACTIONS.choices() if text in label]
            events = events.filter(Q(action__icontains=text) | Q(action__in=codes))
        if data.get("actor"):
            events = events.filter(actor_label__icontains=data["actor"])
        if data.get("text"):
            events = events.filter(object_repr__icontains=data["text"])
        tz = timezone.get_current_timezone()
        if data.get("date_from"):
            events = events.filter(at__gte=dt.datetime.combine(data["date_from"], dt.time.min, tz))
        if data.get("date_to"):
            events = events.filter(
                at__lt=dt.datetime.combine(data["date_to"] + dt.timedelta(days=1), dt.time.min, tz)
            )
        return events


class OrganisationForm(forms.Form):
    name = forms.CharField(label="单位名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=20, required=False)
    kind = forms.ChoiceField(label="单位类型", choices=OrgKind.choices)
    region = forms.ModelChoiceField(label="所在区划", queryset=Region.objects.active())
    parent = forms.ModelChoiceField(label="上级单位", queryset=Organisation.objects.active(), required=False)
    jurisdiction_regions = forms.ModelMultipleChoiceField(
        label="管辖区划",
        queryset=Region.objects.active(),
        required=False,
        help_text="派出所、学区管理中心通常不填，而在学校信息中指定其负责的学校。",
    )
    phone = forms.CharField(label="联系电话", max_length=30, required=False)


class OrganisationEditForm(OrganisationForm):
    is_archived = forms.BooleanField(
        label="已撤销（归档）", required=False, help_text="撤销的单位保留记录，其人员的任职随之失效。"
    )


class RegionForm(forms.Form):
    code = forms.RegexField(
        label="区划代码", regex=r"^[0-9]{6,12}$", error_messages={"invalid": "区划代码须为6至12位数字。"}
    )
    name = forms.CharField(label="名称", max_length=50)
    level = forms.ChoiceField(label="层级", choices=RegionLevel.choices)
    parent = forms.ModelChoiceField(label="上级区划", queryset=Region.objects.active(), required=False)
    code_official = forms.BooleanField(label="官方区划代码", required=False, initial=True)
