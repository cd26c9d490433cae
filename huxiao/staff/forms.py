"""Forms of the staff register's pages. They validate shape; the rules (身份证 check digit, dates
not in the future, the acting school, versions) are the services'. The school choice comes from
the register's scope (`StaffMember`'s kernel-built query, through `School.objects.visible_to`)."""

from __future__ import annotations

from django import forms

from huxiao.accounts.roles import Cap
from huxiao.core.forms import SubmittedForm
from huxiao.hazards.forms import DATE
from huxiao.schools.choices import GuardEquipment
from huxiao.schools.models import School
from huxiao.staff import access
from huxiao.staff.choices import GUARD_ROLES, CheckKind, CheckResult, Decision, Employer, StaffRole
from huxiao.staff.models import StaffMember
from huxiao.staff.selectors import FLAGS


def kept_schools(user):
    """The schools whose register the user keeps."""
    schools = (
        School.objects.visible_to(user, Cap.STAFF_MANAGE).active().select_related("region").order_by("name")
    )
    return schools.filter(pk__in=[s.pk for s in schools if access.may_keep(user, s)])


def readable_schools(user):
    """The schools whose register the user reads (for the filter)."""
    schools = School.objects.visible_to(user).active().select_related("region").order_by("name")
    return schools.filter(
        pk__in=[s.pk for s in schools if access.may_keep(user, s) or access.may_decide(user, s)]
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MemberFields(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(
        label="身份证号",
        max_length=30,
        required=False,
        help_text="18位，末位可为X；加密保存，列表中打码显示。",
    )
    role = forms.ChoiceField(label="岗位", choices=StaffRole.choices)
    employer = forms.ChoiceField(label="用工方式", choices=Employer.choices)
    company = forms.CharField(label="保安服务公司/派遣单位", max_length=100, required=False)
    contract = forms.CharField(label="服务合同编号", max_length=60, required=False)
    contract_until = forms.DateField(label="合同截止日期", required=False, widget=DATE)
    started_on = forms.DateField(label="到岗日期", widget=DATE)
    licence_number = forms.CharField(
        label="保安员证编号", max_length=40, required=False, help_text="保安员、门卫填写；无证的留空。"
    )
    licence_authority = forms.CharField(label="发证机关", max_length=60, required=False)
    licence_issued_on = forms.DateField(label="发证日期", required=False, widget=DATE)
    licence_valid_until = forms.DateField(
        label="证件有效期至", required=False, widget=DATE, help_text="长期有效的留空。"
    )
    pretraining_on = forms.DateField(label="岗前培训日期", required=False, widget=DATE)
    pretraining_hours = forms.IntegerField(label="岗前培训学时", required=False, min_value=1, max_value=500)


class MemberForm(SubmittedForm, MemberFields):
    school = forms.ModelChoiceField(label="学校（幼儿园）", queryset=School.objects.none())

    field_order = ["school"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = kept_schools(user)
        if self.fields["school"].queryset.count() == 1:
            self.fields["school"].initial = self.fields["school"].queryset.first()


class MemberEditForm(VersionForm, MemberFields):
    def __init__(self, *args, masked_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].help_text = (
            f"现为 {masked_id}；留空则不修改，填写新号码则替换。"
            if masked_id
            else "尚未登记；18位，末位可为X。"
        )


class LeaveForm(VersionForm):
    left_on = forms.DateField(label="离岗日期", widget=DATE)
    left_reason = forms.CharField(label="离岗原因", max_length=200)


class TrainingForm(forms.Form):
    trained_on = forms.DateField(label="培训日期", widget=DATE)
    hours = forms.IntegerField(label="学时", min_value=1, max_value=200)
    content = forms.CharField(label="培训内容", max_length=200)


class CheckForm(SubmittedForm):
    kind = forms.ChoiceField(label="审查类别", choices=CheckKind.choices)
    requested_on = forms.DateField(
        label="申请/查询日期",
        required=False,
        widget=DATE,
        help_text="不填：已有结果的按结果日期，待反馈的按今天。",
    )
    result = forms.ChoiceField(label="结果", choices=CheckResult.choices, initial=CheckResult.PENDING)
    result_on = forms.DateField(label="结果日期", required=False, widget=DATE)
    finding = forms.CharField(
        label="异常情况",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="结果为有异常时填写；加密保存，仅本校和学区可见。",
    )
    document = forms.ImageField(
        label="审查材料（照片或扫描件）", required=False, help_text="如无犯罪记录证明的照片；加密保存。"
    )


class ResultForm(VersionForm):
    result = forms.ChoiceField(
        label="结果", choices=[(CheckResult.CLEAR, "无异常"), (CheckResult.ADVERSE, "有异常")]
    )
    result_on = forms.DateField(label="结果日期", widget=DATE)
    finding = forms.CharField(
        label="异常情况", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    document = forms.ImageField(label="审查材料（照片或扫描件）", required=False)


class DecisionForm(VersionForm):
    decision = forms.ChoiceField(label="处理决定", choices=Decision.choices)
    reason = forms.CharField(label="决定理由", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class CompleteForm(VersionForm):
    completed_on = forms.DateField(label="落实日期", widget=DATE)
    note = forms.CharField(label="落实情况", max_length=300)


class RevealForm(forms.Form):
    reason = forms.CharField(
        label="查看事由",
        max_length=200,
        help_text="如：核对身份信息、办理入职审查。事由和查看人记入该人员的查看记录。",
    )


class FilterForm(forms.Form):
    school = forms.ModelChoiceField(label="学校", queryset=School.objects.none(), required=False)
    flag = forms.ChoiceField(
        label="筛选", required=False, choices=[("", "在岗全部"), *[(k, v[0]) for k, v in FLAGS.items()]]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = readable_schools(user)


class GuardFilterForm(forms.Form):
    school = forms.ModelChoiceField(label="学校", queryset=School.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.visible_to(user).active().order_by("name")


class SchoolChoiceForm(forms.Form):
    """The school a page is about (one preselected when the user reaches only one)."""

    school = forms.ModelChoiceField(label="学校", queryset=School.objects.none(), required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class EquipmentForm(SubmittedForm):
    kind = forms.ChoiceField(label="装备器械", choices=GuardEquipment.choices)
    count = forms.IntegerField(label="数量", min_value=0, max_value=999)
    working = forms.IntegerField(label="完好数", min_value=0, max_value=999)
    checked_on = forms.DateField(label="检查日期", widget=DATE)
    photo = forms.ImageField(label="照片", required=False, help_text="检查时拍一张装备照片。")
    note = forms.CharField(label="说明", max_length=200, required=False)


class NightForm(forms.Form):
    member = forms.ModelChoiceField(label="值守人员", queryset=StaffMember.objects.none())
    first = forms.DateField(label="从（当晚）", widget=DATE)
    last = forms.DateField(label="到（当晚）", widget=DATE)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            StaffMember.objects.filter(school=school, role__in=[StaffRole.HOUSEPARENT, *GUARD_ROLES])
            .on_duty()
            .order_by("role", "name")
        )
