"""Forms of the gate pages. They validate shape; the rules (身份证 check digit, plate shape, times,
the acting school) are the services'. Built for a phone at the gate: the fewest fields, the
common answers offered as suggestions (a datalist), 安检 ticked by default."""

from __future__ import annotations

from django import forms

from huxiao.core.forms import SubmittedForm
from huxiao.gate.choices import LogKind, Relation
from huxiao.schools.models import School

MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


def _text(placeholder: str = "", **attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"placeholder": placeholder, "autocomplete": "off", **attrs})


class SchoolForm(forms.Form):
    """The school the record belongs to: the user's one school as a hidden field (a 门卫 has one),
    a choice when the user keeps several."""

    school = forms.ModelChoiceField(label="学校（幼儿园）", queryset=School.objects.none())

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["school"]
        field.queryset = schools
        kept = list(schools[:2])
        if len(kept) == 1:
            field.widget = forms.HiddenInput()
            field.initial = kept[0].pk


class VisitorForm(SubmittedForm, SchoolForm):
    name = forms.CharField(label="姓名", max_length=50, widget=_text())
    id_number = forms.CharField(
        label="身份证号", max_length=30, widget=_text("18位，末位可为X", autocapitalize="characters")
    )
    reason = forms.CharField(
        label="事由", max_length=100, widget=_text("如 送快递、家长来访", list="gate-reasons")
    )
    host = forms.CharField(
        label="被访人/部门", max_length=50, widget=_text("如 总务处、王老师", list="gate-hosts")
    )
    screened = forms.BooleanField(label="已安检（随身包裹、物品）", required=False, initial=True)
    screening_note = forms.CharField(
        label="备注", max_length=200, required=False, widget=_text("如 发现管制刀具已暂存门卫室")
    )


class VehicleForm(SubmittedForm, SchoolForm):
    plate = forms.CharField(
        label="车牌号", max_length=12, widget=_text("如 渝A12345", autocapitalize="characters")
    )
    driver = forms.CharField(label="驾驶人", max_length=50, widget=_text())
    reason = forms.CharField(label="事由", max_length=100, widget=_text("如 送货、维修", list="gate-reasons"))
    screened = forms.BooleanField(label="已安检（车厢、后备箱）", required=False, initial=True)
    screening_note = forms.CharField(label="备注", max_length=200, required=False, widget=_text())


class PickupForm(SubmittedForm, SchoolForm):
    child_class = forms.CharField(label="班级", max_length=30, widget=_text("如 三年级二班"))
    child_name = forms.CharField(
        label="学生姓名", max_length=50, widget=_text(), help_text="加密保存，列表中打码显示。"
    )
    picked_up_by = forms.CharField(label="接走人姓名", max_length=50, widget=_text())
    relation = forms.ChoiceField(label="与学生关系", choices=Relation.choices)
    id_number = forms.CharField(
        label="接走人身份证号", max_length=30, required=False, widget=_text("18位，末位可为X")
    )
    approved_by = forms.CharField(
        label="审批人",
        max_length=50,
        widget=_text("如 班主任李老师"),
        help_text="同意由其接走的班主任或学校领导。",
    )
    note = forms.CharField(label="情况说明", max_length=200, required=False, widget=_text("如 家长电话确认"))


class LeaveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MonthForm(forms.Form):
    """The safety lead's month view of the log."""

    month = forms.DateField(label="月份", required=False, input_formats=["%Y-%m"], widget=MONTH)
    kind = forms.ChoiceField(label="类别", choices=LogKind.choices, required=False)


class OverviewForm(forms.Form):
    month = forms.DateField(label="月份", required=False, input_formats=["%Y-%m"], widget=MONTH)


class SearchForm(forms.Form):
    key = forms.CharField(
        label="车牌号或身份证号",
        max_length=30,
        widget=_text("如 渝A12345 或18位身份证号"),
        help_text="精确查询本所辖区学校的门卫登记；每次查询记入审计日志。",
    )
