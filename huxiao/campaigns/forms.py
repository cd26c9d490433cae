"""Forms of the campaign pages: they validate shape; services validate the rest."""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import Q

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import regions_within, units_of, units_within
from huxiao.campaigns.choices import AlertLevel, CampaignStatus, GroupRole, MeetingKind, TextKind
from huxiao.campaigns.files import ALLOWED_TEXT, MAX_FILES
from huxiao.campaigns.models import Campaign, Phase
from huxiao.campaigns.services import CAMPAIGN_FIELDS
from huxiao.core.models import Organisation, Region
from huxiao.schools.models import School

DATE = {"type": "date"}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": ".pdf,.docx,.xlsx,image/*", **(attrs or {})})


class MultipleFileField(forms.FileField):
    """Zero or more files; their content is checked by the service (`campaigns.files`)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", f"{ALLOWED_TEXT}；文档不超过20MB、图片不超过10MB，一次最多{MAX_FILES}个。"
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if self.required and not files:
            raise forms.ValidationError("请选择文件。")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def organisations_for(region: Region | None, user=None):
    """Units a campaign in `region` can name: those located in the region or above it (without a
    region: the units located where the user manages campaigns, and the user's own)."""
    qs = Organisation.objects.active()
    if region is not None:
        qs = qs.located_around(region)
    elif user is not None:
        qs = qs.filter(
            Q(pk__in=units_within(user, Cap.CAMPAIGN_MANAGE).values("pk"))
            | Q(pk__in=units_of(user).values("pk"))
        )
    return qs.exclude(kind__in=["school", "kindergarten"]).order_by("region__path", "kind", "name")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [*CAMPAIGN_FIELDS[:2], "region", *CAMPAIGN_FIELDS[2:]]
        widgets = {"issued_on": forms.DateInput(attrs=DATE), "summary_due": forms.DateInput(attrs=DATE)}

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["region"]
            region = self.instance.region
            self.fields["version"].initial = self.instance.version
        else:
            cast(forms.ModelChoiceField, self.fields["region"]).queryset = regions_within(
                user, Cap.CAMPAIGN_MANAGE
            )
            self.fields["status"].initial = CampaignStatus.DRAFT
            region = None
        orgs = organisations_for(region, user)
        for name in ("issuer", "office_org", "summary_recipient"):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = orgs


class PhaseForm(forms.Form):
    name = forms.CharField(label="阶段名称", max_length=40)
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs=DATE))
    start_label = forms.CharField(label="开始说明", max_length=20, required=False, help_text="如“即日”")
    end = forms.DateField(label="结束日期", widget=forms.DateInput(attrs=DATE))
    description = forms.CharField(label="工作内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    gate_major = forms.BooleanField(label="进入条件：学校无未销号的重大隐患", required=False)
    gate_overdue = forms.BooleanField(label="进入条件：学校无逾期未整改隐患", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "结束日期不能早于开始日期。")
        return data

    def gates(self) -> list[dict]:
        gates = []
        if self.cleaned_data.get("gate_major"):
            gates.append({"check": "no_live_hazards", "params": {"severities": ["major"]}})
        if self.cleaned_data.get("gate_overdue"):
            gates.append({"check": "no_overdue_hazards", "params": {}})
        return gates

    @staticmethod
    def initial_for(phase: Phase) -> dict:
        checks = {
            (g.get("check"), tuple((g.get("params") or {}).get("severities", []))) for g in phase.gates or []
        }
        return {
            "name": phase.name,
            "start": phase.start,
            "end": phase.end,
            "start_label": phase.start_label,
            "description": phase.description,
            "gate_major": ("no_live_hazards", ("major",)) in checks,
            "gate_overdue": ("no_overdue_hazards", ()) in checks,
            "version": phase.version,
        }


# absolute_max: a forged TOTAL_FORMS (2⁶⁴) builds at most max_num forms, not Django's 1,000 more
PhaseFormSet = forms.formset_factory(
    PhaseForm, extra=3, min_num=1, validate_min=True, max_num=8, absolute_max=8
)


class GroupMemberForm(forms.Form):
    role = forms.ChoiceField(label="职责", choices=GroupRole.choices)
    person_name = forms.CharField(label="姓名", max_length=50, required=False)
    title = forms.CharField(label="职务", max_length=100)
    organisation = forms.ModelChoiceField(label="单位", queryset=Organisation.objects.none(), required=False)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations_for(
            campaign.region
        )


class ParticipantForm(forms.Form):
    organisation = forms.ModelChoiceField(label="单位", queryset=Organisation.objects.none())
    duty = forms.CharField(label="职责", widget=forms.Textarea(attrs={"rows": 4}))
    reports_monthly = forms.BooleanField(label="按月报送工作情况及统计表", required=False)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations_for(
            campaign.region
        )


class ParticipantEditForm(forms.Form):
    duty = forms.CharField(label="职责", widget=forms.Textarea(attrs={"rows": 5}), required=False)
    reports_monthly = forms.BooleanField(label="按月报送工作情况及统计表", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanTextForm(forms.Form):
    """A new 工作措施 or 工作要求 (numbered after the last of its kind)."""

    kind = forms.ChoiceField(label="类别", choices=TextKind.choices)
    title = forms.CharField(label="标题", max_length=100, required=False)
    body = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 8}), required=False)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)


class PlanTextEditForm(forms.Form):
    title = forms.CharField(label="标题", max_length=100, required=False)
    body = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 10}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    """A removal: only the version the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class EntryApplyForm(forms.Form):
    version = forms.IntegerField(min_value=0)
    application = forms.CharField(required=False)


class EntryPassForm(forms.Form):
    version = forms.IntegerField(min_value=0)
    note = forms.CharField(required=False)


class EntryReturnForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    reason = forms.CharField(required=False)


def _task_orgs(campaign: Campaign):
    ids = list(campaign.participants.values_list("organisation_id", flat=True))
    if campaign.office_org_id:
        ids.append(campaign.office_org_id)
    return Organisation.objects.filter(pk__in=ids).order_by("kind", "name")


class TaskForm(forms.Form):
    title = forms.CharField(label="任务", max_length=200)
    organisation = forms.ModelChoiceField(label="责任单位", queryset=Organisation.objects.none())
    phase = forms.ModelChoiceField(
        label="阶段", queryset=Phase.objects.none(), required=False, help_text="不选则按完成时限归入阶段"
    )
    due = forms.DateField(label="完成时限", widget=forms.DateInput(attrs=DATE))
    description = forms.CharField(label="要求", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = _task_orgs(campaign)
        cast(forms.ModelChoiceField, self.fields["phase"]).queryset = campaign.phases.order_by("order")


class TaskCompleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    evidence = forms.CharField(label="完成情况", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    attachments = MultipleFileField(label="佐证材料")
    done = forms.BooleanField(label="已完成", required=False, initial=True)


class TaskReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    held_on = forms.DateField(label="会议日期", widget=forms.DateInput(attrs=DATE))
    title = forms.CharField(label="会议名称", max_length=100)
    location = forms.CharField(label="地点", max_length=100, required=False)
    attendee_orgs = forms.ModelMultipleChoiceField(
        label="参会单位", queryset=Organisation.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    attendee_people = forms.CharField(
        label="参会人员",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="每行一人：姓名 单位 职务",
    )
    topics = forms.CharField(label="议题", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["attendee_orgs"]).queryset = _task_orgs(campaign)


class DecisionForm(forms.Form):
    title = forms.CharField(label="议定事项", max_length=200)
    organisation = forms.ModelChoiceField(label="责任单位", queryset=Organisation.objects.none())
    due = forms.DateField(label="完成时限", widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = _task_orgs(campaign)


DecisionFormSet = forms.formset_factory(DecisionForm, extra=3, max_num=20, absolute_max=20)


class AlertForm(forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    level = forms.ChoiceField(label="等级", choices=AlertLevel.choices)
    text = forms.CharField(label="提示内容", widget=forms.Textarea(attrs={"rows": 5}))
    respond_by = forms.DateField(label="反馈期限", widget=forms.DateInput(attrs=DATE))
    schools = forms.ModelMultipleChoiceField(
        label="推送学校", queryset=School.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["schools"]).queryset = schools


class RespondForm(forms.Form):
    response = forms.CharField(label="落实情况", widget=forms.Textarea(attrs={"rows": 4}))


class CircularForm(forms.Form):
    number = forms.CharField(label="文号", max_length=60, required=False)
    title = forms.CharField(label="标题", max_length=120)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 8}))
    recipients = forms.ModelMultipleChoiceField(
        label="主送单位", queryset=Organisation.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    attachments = MultipleFileField(label="附件")

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        school_orgs = School.objects.active().within(campaign.region).values("organisation_id")
        cast(forms.ModelChoiceField, self.fields["recipients"]).queryset = (
            Organisation.objects.active()
            .filter(Q(pk__in=organisations_for(campaign.region).values("pk")) | Q(pk__in=school_orgs))
            .order_by("kind", "name")
        )
