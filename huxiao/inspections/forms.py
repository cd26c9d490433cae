"""Forms of the inspections app: they validate shape and offer only choices in the user's scope;
the services decide the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from huxiao.accounts.models import User
from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import units_of
from huxiao.core.models import Organisation, Region
from huxiao.inspections.access import allowed_kinds
from huxiao.inspections.choices import Kind, Result, State
from huxiao.inspections.models import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    Inspection,
    InspectionPlan,
    PlanEntry,
)
from huxiao.inspections.selectors import inspectors_for, inspectors_in
from huxiao.schools.models import School
from huxiao.schools.scope import units_reaching

DATE = forms.DateInput(attrs={"type": "date"})


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.username


class InspectionCreateForm(forms.Form):
    kind = forms.ChoiceField(label="检查类型")
    date = forms.DateField(label="检查日期", widget=DATE)
    template = forms.ModelChoiceField(label="检查表", queryset=ChecklistTemplate.objects.none())
    team = UserChoiceField(
        label="检查组成员",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="您本人自动在检查组中。",
    )
    verifies = forms.ModelChoiceField(
        label="核查的自查",
        queryset=Inspection.objects.none(),
        required=False,
        help_text="核查时选择被核查的本校自查（可不选）。",
    )
    partners = forms.ModelMultipleChoiceField(
        label="联合检查单位",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="联合检查/验收时勾选参加的其他单位，各单位提交后分别签字确认。",
    )

    def __init__(self, *args, user, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        self.user, self.school = user, school
        self.kinds = allowed_kinds(user, school)
        f["kind"].choices = [(k, Kind(k).label) for k in Kind.values if k in self.kinds]
        f["date"].initial = timezone.localdate()
        f["template"].queryset = ChecklistTemplate.objects.filter(
            is_archived=False, versions__published_at__isnull=False
        ).distinct()
        f["team"].queryset = inspectors_for(school).exclude(pk=user.pk)
        f["verifies"].queryset = Inspection.objects.filter(
            school=school, kind=Kind.SELF, state=State.SUBMITTED
        ).order_by("-date")
        f["verifies"].label_from_instance = lambda i: f"{i.date:%Y-%m-%d} 自查（{i.code}）"
        own = units_of(user).values("pk")
        f["partners"].queryset = (
            units_reaching(school).exclude(pk__in=own).exclude(pk=school.organisation_id or 0)
        )

    def clean(self):
        data = super().clean()
        kind, team = data.get("kind"), data.get("team") or []
        own_org = self.school.organisation_id
        staff = {u.pk for u in inspectors_for(self.school, [own_org])} if own_org else set()
        if kind == Kind.SELF and any(u.pk not in staff for u in team):
            self.add_error("team", "自查的检查组只能由本校人员组成。")
        if kind and kind != Kind.SELF and any(u.pk in staff for u in team):
            self.add_error("team", "学校自己的人员不能作为督导检查的检查组成员（可作陪同）。")
        if data.get("verifies") and kind != Kind.VERIFY:
            self.add_error("verifies", "只有核查可以关联被核查的自查。")
        if data.get("partners") and kind != Kind.JOINT:
            self.add_error("partners", "只有联合检查/验收可以选择参加单位。")
        return data


class AnswerForm(forms.Form):
    """One answer as a plain form post (the page works without JavaScript) or an autosave."""

    item = forms.IntegerField()
    result = forms.ChoiceField(choices=[("", ""), *list(Result.choices)], required=False)
    number = forms.CharField(required=False, max_length=30)
    text = forms.CharField(required=False, max_length=2000)
    note = forms.CharField(required=False, max_length=2000)
    rev = forms.IntegerField(required=False, min_value=0)


class SubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label="检查意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SignForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    opinion = forms.CharField(
        label="本单位意见", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- Checklist editor ----------------------------------------------------------------------------


class TemplateForm(forms.ModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = ["name", "domain", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class SectionForm(forms.ModelForm):
    class Meta:
        model = ChecklistSection
        fields = ["title"]


class ItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = [
            "section",
            "text",
            "clause",
            "guidance",
            "answer_type",
            "min_value",
            "unit",
            "required",
            "photo_required_on_fail",
            "hazard_on_fail",
            "hazard_title",
            "hazard_category",
            "hazard_severity",
        ]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        f["section"].queryset = ChecklistSection.objects.filter(version=version)
        f["section"].empty_label = None

    def clean(self):
        data = super().clean()
        if data.get("min_value") is not None and data.get("answer_type") != "number":
            self.add_error("min_value", "只有数值题可以设置最低值。")
        return data


# --- Plans ---------------------------------------------------------------------------------------


class PlanForm(forms.ModelForm):
    class Meta:
        model = InspectionPlan
        fields = ["title", "owner_org"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        f["owner_org"].queryset = units_of(user, Cap.INSPECTION_PLAN)
        f["owner_org"].empty_label = None


class EntryForm(forms.ModelForm):
    class Meta:
        model = PlanEntry
        fields = ["school", "planned_on", "kind", "inspecting_org", "template", "inspectors"]
        widgets = {"planned_on": DATE, "inspectors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, plan: InspectionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        self.plan = plan
        f["school"].queryset = School.objects.visible_to(user).active().order_by("name")
        f["inspecting_org"].queryset = Organisation.objects.filter(is_archived=False).exclude(
            kind__in=["school", "kindergarten"]
        )
        f["template"].queryset = ChecklistTemplate.objects.filter(is_archived=False)
        f["inspectors"].queryset = inspectors_in(plan.owner_org.region)
        f["inspectors"].label_from_instance = lambda u: u.full_name or u.username
        f["inspectors"].required = False

    def clean(self):
        data = super().clean()
        day, school, org = data.get("planned_on"), data.get("school"), data.get("inspecting_org")
        if day and not (self.plan.semester_start <= day <= self.plan.semester_end):
            self.add_error("planned_on", f"计划日期须在本计划学期内（{self.plan.semester_label}）。")
        if school and org and not units_reaching(school).filter(pk=org.pk).exists():
            self.add_error("inspecting_org", f"{org}的管辖范围不包括{school}。")
        people = data.get("inspectors") or []
        if org and people:
            members = set(inspectors_for(school, [org.pk]).values_list("pk", flat=True)) if school else set()
            strangers = [u.full_name or u.username for u in people if u.pk not in members]
            if strangers:
                self.add_error("inspectors", f"{'、'.join(strangers)}不是{org}的检查人员。")
        if data.get("kind") == Kind.SELF:
            self.add_error("kind", "检查计划安排督导检查；学校自查由学校自行安排。")
        return data


class FrequencyRuleForm(forms.Form):
    """A region's semester frequency rule; the region is offered only where the user may set it
    (their STANDARDS_MANAGE jurisdiction and one level below it), fixed when editing."""

    region = forms.ModelChoiceField(
        label="区划",
        queryset=Region.objects.none(),
        error_messages={"required": "请选择区划。", "invalid_choice": "所选区划不在您可设置的范围内。"},
    )
    supervision_min = forms.IntegerField(
        label="每学期督导检查不少于（次）",
        min_value=1,
        max_value=30,
        error_messages={
            "required": "请填写每学期督导检查次数。",
            "invalid": "每学期督导检查次数应为整数。",
            "min_value": "每学期督导检查次数不能少于1次。",
            "max_value": "每学期督导检查次数不能多于30次。",
        },
    )
    self_min = forms.IntegerField(
        label="每学期学校自查不少于（次）",
        min_value=0,
        max_value=30,
        error_messages={
            "required": "请填写每学期学校自查次数。",
            "invalid": "每学期学校自查次数应为整数。",
            "min_value": "每学期学校自查次数不能为负数。",
            "max_value": "每学期学校自查次数不能多于30次。",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args, regions: QuerySet[Region] | None = None, region: Region | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        if region is not None:
            f["region"].queryset = Region.objects.filter(pk=region.pk)
            f["region"].initial = region.pk
            f["region"].disabled = True
            return
        f["region"].queryset = regions if regions is not None else Region.objects.none()
