"""Forms of the education pages: shape only; the rules (who records, the day not in the future,
the counsellor in his term, at most six photos, the officer of the 派出所) are the services'. The
choices come from the kernel's querysets (`selectors.recording_schools`, `appointable_schools`,
`officers`)."""

from __future__ import annotations

from typing import cast

from django import forms

from huxiao.accounts.models import User
from huxiao.core.forms import SubmittedForm
from huxiao.education.choices import MAX_HEAD_COUNT, MAX_PHOTOS, Audience, Occasion, Topic
from huxiao.education.models import CounsellorAppointment
from huxiao.hazards.forms import DATE, MultiplePhotoField
from huxiao.schools.models import School


def _count(label: str, low: int, **kwargs) -> forms.IntegerField:
    message = f"须为{low}至{MAX_HEAD_COUNT}之间的整数。"
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=MAX_HEAD_COUNT,
        error_messages={"min_value": message, "max_value": message, "invalid": "请填写整数。"},
        **kwargs,
    )


def _choose_school(form: forms.Form, schools) -> None:
    cast(forms.ModelChoiceField, form.fields["school"]).queryset = schools
    if len(schools) == 1:
        form.fields["school"].initial = schools[0].pk


class AppointmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: CounsellorAppointment) -> str:
        officer = obj.officer.get_full_name() or obj.officer.username
        return f"{obj.school.name} · {officer}（聘期{obj.starts_on:%Y-%m-%d}至{obj.ends_on:%Y-%m-%d}）"


class OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class ActivityForm(SubmittedForm):
    school = forms.ModelChoiceField(label="学校", queryset=School.objects.none(), empty_label="请选择")
    held_on = forms.DateField(label="日期", widget=DATE)
    occasion = forms.ChoiceField(label="时机", choices=Occasion.choices)
    title = forms.CharField(
        label="活动名称",
        max_length=60,
        required=False,
        help_text="如：宪法晨读、消防疏散演练与灭火器使用讲座",
    )
    topics = forms.MultipleChoiceField(
        label="主题", choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )
    audiences = forms.MultipleChoiceField(
        label="对象", choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    grades = forms.CharField(
        label="年级（范围）", max_length=60, required=False, help_text="如：全校、初一至初三"
    )
    head_count = _count("参加人数", 1, help_text="受教育的学生、教师、家长人次合计。")
    speaker = forms.CharField(label="主讲人", max_length=60, help_text="姓名和单位，如：区消防救援支队 张明")
    counsellor = AppointmentChoice(
        label="法治辅导员主讲",
        queryset=CounsellorAppointment.objects.none(),
        required=False,
        empty_label="否",
        help_text="由学校的法治辅导员主讲时选择。",
    )
    photos = MultiplePhotoField(
        label="照片",
        required=False,
        help_text=f"JPG、PNG 或 WebP，每张不超过10MB，最多{MAX_PHOTOS}张；手机上可直接拍照。",
    )

    def __init__(self, *args, schools, appointments, **kwargs):
        super().__init__(*args, **kwargs)
        _choose_school(self, schools)
        self.fields["counsellor"].queryset = appointments

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(f"最多上传{MAX_PHOTOS}张照片。")
        return photos


class AppointmentForm(SubmittedForm):
    school = forms.ModelChoiceField(label="学校", queryset=School.objects.none(), empty_label="请选择")
    officer = OfficerChoice(label="法治辅导员", queryset=User.objects.none(), empty_label="请选择本所民警")
    starts_on = forms.DateField(label="聘期自", widget=DATE)
    ends_on = forms.DateField(label="聘期至", widget=DATE)
    letter_number = forms.CharField(label="聘书编号", max_length=60, help_text="如：蒲吕派出所聘〔2026〕3号")

    def __init__(self, *args, schools, officers, **kwargs):
        super().__init__(*args, **kwargs)
        _choose_school(self, schools)
        self.fields["officer"].queryset = officers


class VisitForm(SubmittedForm):
    visited_on = forms.DateField(label="进校日期", widget=DATE)
    content = forms.CharField(
        label="工作内容",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：为初二年级开展预防校园欺凌法治讲座；检查校门口护学岗和一键报警装置。",
    )
    head_count = _count("受教育人数", 0, initial=0, help_text="未开展讲座的填0。")


class FilterForm(forms.Form):
    school = forms.ModelChoiceField(
        label="学校", queryset=School.objects.none(), required=False, empty_label="全部"
    )
    occasion = forms.ChoiceField(label="时机", choices=[("", "全部"), *Occasion.choices], required=False)
    topic = forms.ChoiceField(label="主题", choices=[("", "全部"), *Topic.choices], required=False)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
