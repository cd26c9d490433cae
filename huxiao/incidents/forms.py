"""Forms of the incident pages: shape only; the rules (not in the future, the acting unit, the
cause analysis a closing needs, versions) are the services'. The school choice is the kernel's
`School.objects.visible_to(user, incident.report)`."""

from __future__ import annotations

from django import forms

from huxiao.accounts.roles import Cap
from huxiao.core.forms import DATETIME, SubmittedForm
from huxiao.hazards.forms import DATE, MultiplePhotoField
from huxiao.incidents.choices import (
    AlarmNature,
    AlarmSource,
    DrillKind,
    Grade,
    Kind,
    PersonRole,
    Place,
    State,
    Track,
)
from huxiao.schools.models import School

INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def report_schools(user):
    return (
        School.objects.visible_to(user, Cap.INCIDENT_REPORT)
        .active()
        .select_related("region")
        .order_by("name")
    )


class IncidentForm(SubmittedForm):
    school = forms.ModelChoiceField(label="学校", queryset=School.objects.none(), empty_label="请选择")
    occurred_at = forms.DateTimeField(label="发生时间", widget=DATETIME, input_formats=INPUT_FORMATS)
    place = forms.ChoiceField(label="发生地点", choices=Place.choices)
    kind = forms.ChoiceField(label="类别", choices=Kind.choices)
    grade = forms.ChoiceField(
        label="等级",
        choices=Grade.choices,
        help_text="较大及以上：立即报告学区、派出所、街道、区委政法委和教委，各单位须签收。",
    )
    title = forms.CharField(label="事由", max_length=60, help_text="如：校门口外来人员持械伤害学生")
    summary = forms.CharField(
        label="简要经过",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="写经过和处置情况，不写当事人姓名（当事人在下方单独登记，加密保存）。",
    )
    injured = forms.IntegerField(label="受伤人数", min_value=0, max_value=9999, initial=0)
    dead = forms.IntegerField(label="死亡人数", min_value=0, max_value=9999, initial=0)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _schools(self, user)


class EntryForm(forms.Form):
    track = forms.ChoiceField(label="线条", choices=Track.choices)
    at = forms.DateTimeField(label="时间", widget=DATETIME, input_formats=INPUT_FORMATS)
    text = forms.CharField(label="内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class PersonForm(SubmittedForm):
    role = forms.ChoiceField(label="身份", choices=PersonRole.choices)
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=30, required=False)
    minor = forms.BooleanField(label="未成年人", required=False)
    is_student = forms.BooleanField(label="本校学生", required=False)
    note = forms.CharField(
        label="情况", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RevealForm(forms.Form):
    reason = forms.CharField(label="查看原因", max_length=200)


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    causes = forms.CharField(label="原因分析", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(
        label="整改措施",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一条，每条登记为该校的一项隐患，按隐患整改流程整改、验收。",
    )
    lessons = forms.CharField(
        label="经验教训", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    accountability = forms.CharField(
        label="责任倒查情况",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="重大及以上必填：逐个责任单位、责任人的倒查结论。",
    )
    decision = forms.CharField(
        label="处理决定", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", choices=[("", "全部"), *State.choices], required=False)
    grade = forms.ChoiceField(label="等级", choices=[("", "全部"), *Grade.choices], required=False)
    kind = forms.ChoiceField(label="类别", choices=[("", "全部"), *Kind.choices], required=False)


class AlarmForm(SubmittedForm):
    school = forms.ModelChoiceField(label="学校", queryset=School.objects.none(), empty_label="请选择")
    raised_at = forms.DateTimeField(label="报警时间", widget=DATETIME, input_formats=INPUT_FORMATS)
    source = forms.ChoiceField(label="报警方式", choices=AlarmSource.choices)
    nature = forms.ChoiceField(label="性质", choices=AlarmNature.choices)
    arrived_at = forms.DateTimeField(
        label="民警到场时间",
        widget=DATETIME,
        input_formats=INPUT_FORMATS,
        required=False,
        help_text="测试或未出警可不填。",
    )
    handling = forms.CharField(label="处置情况", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _schools(self, user)


class DrillForm(SubmittedForm):
    school = forms.ModelChoiceField(label="学校", queryset=School.objects.none(), empty_label="请选择")
    kind = forms.ChoiceField(label="演练类型", choices=DrillKind.choices)
    held_on = forms.DateField(label="演练日期", widget=DATE)
    participants = forms.IntegerField(label="参演人数", min_value=1, max_value=100000)
    minutes = forms.IntegerField(label="用时（分钟）", min_value=1, max_value=1440, required=False)
    summary = forms.CharField(
        label="演练情况", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    problems = forms.CharField(
        label="发现的问题",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一条，每条登记为本校的一项隐患；没有可不填。",
    )
    photos = MultiplePhotoField(label="照片", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _schools(self, user)


def _schools(form: forms.Form, user) -> None:
    schools = report_schools(user)
    form.fields["school"].queryset = schools  # type: ignore[attr-defined]
    if len(schools) == 1:
        form.fields["school"].initial = schools[0].pk
