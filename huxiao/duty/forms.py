"""Forms of the duty app: they validate shape and offer only choices inside the user's scope;
the services decide."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.utils import timezone

from huxiao.accounts.models import User
from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import regions_within, units_of
from huxiao.core.choices import OrgKind
from huxiao.core.forms import DATETIME
from huxiao.core.models import Organisation, Region
from huxiao.duty.choices import COUNT_FIELDS, MINIMUM_FIELDS, WEEKDAY_LABELS, PeriodKind
from huxiao.duty.models import DutyPeriod, DutyPost, PatrolGroup
from huxiao.hazards.choices import Category, Severity
from huxiao.schools.models import School

WEEKDAY_CHOICES = [(str(w), label) for w, label in enumerate(WEEKDAY_LABELS)]
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})


def _count(label: str, *, required: bool = False, max_value: int = 99) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=max_value,
        required=required,
        initial=0 if required else None,
        widget=NUMBER,
    )


def station_choices(user):
    """Police stations the user may assign posts and groups to: the user's own stations and the
    stations of the schools the user manages duty at."""
    own = units_of(user, Cap.DUTY_MANAGE, kind=OrgKind.POLICE_STATION).values("pk")
    of_schools = School.objects.visible_to(user, Cap.DUTY_MANAGE).values("police_station_id")
    return Organisation.objects.filter(kind=OrgKind.POLICE_STATION, is_archived=False).filter(
        pk__in=own
    ) | Organisation.objects.filter(kind=OrgKind.POLICE_STATION, is_archived=False, pk__in=of_schools)


class PostForm(forms.Form):
    """A post, its three peak periods and optional staffing overrides (empty = the region's standard)."""

    school = forms.ModelChoiceField(label="学校", queryset=School.objects.none())
    name = forms.CharField(label="岗位（校门）", max_length=50, help_text="如：正门、南门")
    police_station = forms.ModelChoiceField(
        label="责任派出所",
        queryset=Organisation.objects.none(),
        required=False,
        help_text="不选则为该校的责任派出所",
    )
    active_from = forms.DateField(label="设岗日期", widget=DATE)
    latitude = forms.DecimalField(
        label="纬度", max_digits=9, decimal_places=6, required=False, min_value=3, max_value=54
    )
    longitude = forms.DecimalField(
        label="经度", max_digits=9, decimal_places=6, required=False, min_value=73, max_value=136
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, post: DutyPost | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = (
            School.objects.visible_to(user, Cap.DUTY_MANAGE).active().order_by("name")
        )
        cast(forms.ModelChoiceField, self.fields["police_station"]).queryset = station_choices(user).order_by(
            "name"
        )
        for name, label in MINIMUM_FIELDS:
            self.fields[name] = _count(f"{label}（本岗要求）")
            self.fields[name].help_text = "留空则按区划标准"
        periods = {p.kind: p for p in post.periods.all()} if post else {}
        for kind in PeriodKind:
            p = periods.get(kind)
            self.fields[f"{kind}_active"] = forms.BooleanField(
                label=f"{kind.label}执勤", required=False, initial=p.is_active if p else True
            )
            self.fields[f"{kind}_start"] = forms.TimeField(
                label=f"{kind.label}开始", widget=TIME, required=False
            )
            self.fields[f"{kind}_end"] = forms.TimeField(
                label=f"{kind.label}结束", widget=TIME, required=False
            )
            self.fields[f"{kind}_weekdays"] = forms.MultipleChoiceField(
                label=f"{kind.label}执勤日",
                choices=WEEKDAY_CHOICES,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=[str(w) for w in range(5)],
            )
            if p:
                self.initial.setdefault(f"{kind}_start", p.start)
                self.initial.setdefault(f"{kind}_end", p.end)
                self.initial.setdefault(
                    f"{kind}_weekdays", [str(w) for w in range(7) if p.weekdays & (1 << w)]
                )
        if post is not None:
            del self.fields["school"]
            for key in ("name", "active_from", "latitude", "longitude", "is_active", "version"):
                self.initial.setdefault(key, getattr(post, key))
            self.initial.setdefault("police_station", post.police_station_id)
            for name, _ in MINIMUM_FIELDS:
                self.initial.setdefault(name, getattr(post, name))
        else:
            del self.fields["is_active"]
            self.initial.setdefault("active_from", timezone.localdate())
            from huxiao.duty.choices import DEFAULT_PERIODS

            for kind, start, end in DEFAULT_PERIODS:
                self.initial.setdefault(f"{kind}_start", start)
                self.initial.setdefault(f"{kind}_end", end)

    def clean(self):
        data = super().clean()
        for kind in PeriodKind:
            if not data.get(f"{kind}_active") and not (
                self.post and self.post.periods.filter(kind=kind).exists()
            ):
                continue
            start, end = data.get(f"{kind}_start"), data.get(f"{kind}_end")
            if start is None or end is None:
                self.add_error(f"{kind}_start", f"{kind.label}：请填写开始和结束时间。")
            elif end <= start:
                self.add_error(f"{kind}_end", f"{kind.label}：结束时间须晚于开始时间。")
            if data.get(f"{kind}_active") and not data.get(f"{kind}_weekdays"):
                self.add_error(f"{kind}_weekdays", f"{kind.label}：至少选择一个执勤日。")
        if not any(data.get(f"{kind}_active") for kind in PeriodKind):
            self.add_error(None, "至少启用一个执勤时段。")
        return data

    def periods(self) -> dict:
        out = {}
        for kind in PeriodKind:
            start, end = self.cleaned_data.get(f"{kind}_start"), self.cleaned_data.get(f"{kind}_end")
            if start is None or end is None:
                continue
            mask = sum(1 << int(w) for w in self.cleaned_data.get(f"{kind}_weekdays") or []) or 0b11111
            out[kind.value] = (start, end, mask, bool(self.cleaned_data.get(f"{kind}_active")))
        return out

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "name": data["name"],
            "police_station": data.get("police_station"),
            "active_from": data["active_from"],
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "periods": self.periods(),
            **{name: data.get(name) for name, _ in MINIMUM_FIELDS},
        }
        if self.post is None:
            kwargs["school"] = data["school"]
        else:
            kwargs["is_active"] = data.get("is_active", False)
        return kwargs

    def main_fields(self):
        names = ("school", "name", "police_station", "active_from", "latitude", "longitude", "is_active")
        return [self[n] for n in names if n in self.fields]

    def minimum_fields(self):
        return [self[n] for n, _ in MINIMUM_FIELDS]

    def period_rows(self):
        """For the template: one row of fields per period."""
        return [
            {
                "label": kind.label,
                "active": self[f"{kind}_active"],
                "start": self[f"{kind}_start"],
                "end": self[f"{kind}_end"],
                "weekdays": self[f"{kind}_weekdays"],
            }
            for kind in PeriodKind
        ]


class PositionMixin(forms.Form):
    """The phone's position, filled in by static/js/duty.js when the browser allows it."""

    latitude = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-geo": "latitude"}))
    longitude = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-geo": "longitude"}))
    accuracy = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-geo": "accuracy"}))

    def position(self) -> dict:
        return {k: self.cleaned_data.get(k) or None for k in ("latitude", "longitude", "accuracy")}


class CheckInForm(PositionMixin):
    period = forms.ModelChoiceField(label="时段", queryset=DutyPeriod.objects.none(), empty_label=None)

    def __init__(self, *args, post: DutyPost, **kwargs):
        super().__init__(*args, **kwargs)
        # Any active period of *this* post; the service refuses the wrong time with a message.
        cast(forms.ModelChoiceField, self.fields["period"]).queryset = post.periods.filter(
            is_active=True
        ).order_by("start")


class CheckOutForm(PositionMixin):
    pass


class CountsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, unit in COUNT_FIELDS:
            self.fields[name] = _count(f"{label}（{unit}）", required=True)
        self.fields["notes"] = forms.CharField(
            label="执勤情况", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
        )
        self.fields["incidents"] = forms.CharField(
            label="发现的问题、处置的警情",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def counts(self) -> dict:
        return {name: self.cleaned_data[name] for name, _, _ in COUNT_FIELDS}


class RecordForm(CountsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class BackfillForm(CountsForm):
    date = forms.DateField(label="日期", widget=DATE)
    period = forms.ModelChoiceField(label="时段", queryset=DutyPeriod.objects.none(), empty_label=None)
    reason = forms.CharField(label="补录原因", max_length=200, help_text="必填：说明为何当时未能签到")

    field_order = ["date", "period", "reason"]

    def __init__(self, *args, post: DutyPost, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["period"]).queryset = post.periods.order_by("start")
        self.order_fields(["date", "period", "reason"])

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("补录须说明原因。")
        return reason


class StandardForm(forms.Form):
    region = forms.ModelChoiceField(label="适用区划", queryset=Region.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = regions_within(user, Cap.DUTY_MANAGE)
        for name, label in MINIMUM_FIELDS:
            self.fields[name] = _count(label, required=True, max_value=50)


class GroupForm(forms.Form):
    name = forms.CharField(label="小组名称", max_length=60)
    station = forms.ModelChoiceField(label="牵头派出所", queryset=Organisation.objects.none())
    members = forms.ModelMultipleChoiceField(
        label="实名成员", queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    guards = _count("保安（人）", required=True, max_value=999)
    parents = _count("家长（人）", required=True, max_value=999)
    teachers = _count("教师（人）", required=True, max_value=999)
    volunteers = _count("志愿者（人）", required=True, max_value=999)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, group: PatrolGroup | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        stations = station_choices(user)
        cast(forms.ModelChoiceField, self.fields["station"]).queryset = stations.order_by("name")
        cast(forms.ModelChoiceField, self.fields["members"]).queryset = (
            User.objects.filter(is_active=True, memberships__organisation__in=stations.values("pk"))
            .distinct()
            .order_by("full_name")
        )
        if group is not None:
            del self.fields["station"]
            for key in ("name", "guards", "parents", "teachers", "volunteers", "version"):
                self.initial.setdefault(key, getattr(group, key))
            self.initial.setdefault("members", list(group.members.values_list("pk", flat=True)))


class PatrolForm(forms.Form):
    group = forms.ModelChoiceField(label="巡逻小组", queryset=PatrolGroup.objects.none(), empty_label=None)
    started_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    ended_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    route = forms.CharField(label="巡逻区域或路线", max_length=200)
    schools = forms.ModelMultipleChoiceField(
        label="覆盖学校", queryset=School.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    participants = _count("参加人数", required=True, max_value=999)
    findings = forms.CharField(
        label="发现情况", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = PatrolGroup.objects.visible_to(
            user, Cap.DUTY_LOG
        ).filter(is_active=True) | (
            PatrolGroup.objects.visible_to(user, Cap.DUTY_MANAGE).filter(is_active=True)
        )
        cast(forms.ModelChoiceField, self.fields["schools"]).queryset = (
            School.objects.visible_to(user, Cap.DUTY_LOG).active().order_by("name")
        )
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.initial.setdefault("ended_at", now)
        self.initial.setdefault("started_at", now - dt.timedelta(hours=1))

    def clean(self):
        data = super().clean()
        if data.get("started_at") and data.get("ended_at") and data["ended_at"] <= data["started_at"]:
            self.add_error("ended_at", "结束时间须晚于开始时间。")
        return data


class PatrolHazardForm(forms.Form):
    school = forms.ModelChoiceField(label="学校", queryset=School.objects.none(), empty_label=None)
    title = forms.CharField(label="隐患名称", max_length=100)
    category = forms.ChoiceField(label="类别", choices=Category.choices, initial=Category.SURROUNDINGS)
    severity = forms.ChoiceField(label="等级", choices=Severity.choices, initial=Severity.GENERAL)
    description = forms.CharField(label="隐患描述", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, log, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = log.schools.order_by("name")
        self.initial.setdefault("description", log.findings)
