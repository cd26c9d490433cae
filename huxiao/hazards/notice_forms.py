"""Forms of the notice and escalation pages (notice_views.py): shape only, the rules live in
the services."""

from __future__ import annotations

from typing import cast

from django import forms

from huxiao.accounts.roles import Cap
from huxiao.core.forms import SubmittedForm
from huxiao.core.models import Organisation
from huxiao.hazards.models import Hazard
from huxiao.lib.dates import cn_date
from huxiao.schools.models import School

# A notice may cover hazards the school has not finished with (services.notice_issue agrees).
ISSUABLE_STATES = ("reported", "open", "rectifying")


class NoticeFilterForm(forms.Form):
    """Notice list filters: issuing unit (one of the user's own), signed or not, year."""

    issuer = forms.TypedChoiceField(label="下发单位", required=False, coerce=int, empty_value=None)
    signed = forms.ChoiceField(
        label="签收",
        required=False,
        choices=[("", "全部"), ("no", "未签收"), ("yes", "已签收")],
    )
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, issuers: list[tuple[int, str]], years: list[int]):
        super().__init__(data)
        if issuers:
            cast(forms.ChoiceField, self.fields["issuer"]).choices = [("", "全部（管辖范围内）"), *issuers]
        else:
            del self.fields["issuer"]
        cast(forms.ChoiceField, self.fields["year"]).choices = [("", "全部"), *[(y, f"{y}年") for y in years]]

    def apply(self, notices):
        data = self.cleaned_data
        if data.get("issuer"):
            notices = notices.filter(issuer_id=data["issuer"])
        if data.get("signed") == "yes":
            notices = notices.filter(signed_at__isnull=False)
        elif data.get("signed") == "no":
            notices = notices.filter(signed_at__isnull=True)
        if data.get("year"):
            notices = notices.filter(year=data["year"])
        return notices


class SchoolPickForm(forms.Form):
    """First step of issuing: which school (among those the user may issue notices to)."""

    school = forms.ModelChoiceField(label="学校", queryset=School.objects.none(), empty_label="请选择学校")

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.fields["school"].queryset = (
            School.objects.visible_to(user, Cap.NOTICE_ISSUE).active().order_by("name")
        )


class HazardChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Hazard) -> str:
        deadline = f"，期限{cn_date(obj.deadline)}" if obj.deadline else ""
        return f"{obj.code} {obj.title}（{obj.get_state_display()}{deadline}）"


class NoticeIssueForm(SubmittedForm):
    issuer = forms.ModelChoiceField(label="下发单位", queryset=Organisation.objects.none(), empty_label=None)
    hazards = HazardChoiceField(
        label="隐患",
        queryset=Hazard.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一项隐患。"},
    )
    deadline = forms.DateField(
        label="整改期限",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="默认取所选隐患中最晚的期限。",
    )
    requirements = forms.CharField(
        label="整改要求",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="写入通知书正文，如“整改完成后附整改前后照片书面报告”。",
    )

    def __init__(self, data=None, *, school: School, issuer_ids: list[int], initial=None):
        super().__init__(data, initial=initial)
        issuer = cast(forms.ModelChoiceField, self.fields["issuer"])
        issuer.queryset = Organisation.objects.filter(pk__in=issuer_ids).order_by("name")
        hazards = cast(forms.ModelMultipleChoiceField, self.fields["hazards"])
        hazards.queryset = Hazard.objects.filter(school=school, state__in=ISSUABLE_STATES).order_by(
            "deadline", "pk"
        )


class InterviewForm(forms.Form):
    attendees = forms.CharField(
        label="参加人员",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="约谈双方的单位、姓名、职务，每行一人或一个单位。",
    )
    minutes = forms.CharField(label="约谈内容", max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
