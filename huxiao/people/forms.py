"""Forms of the registers' pages. They validate shape; the rules (身份证 check digit, control
characters, the acting station, versions) are the services'. Choices come from the user's scope
through the kernel (`schools.scope.regions_reached`, `School.objects.visible_to`)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.selectors import members
from huxiao.core.choices import OrgKind
from huxiao.core.forms import SubmittedForm
from huxiao.core.models import Organisation, Region
from huxiao.hazards.choices import Category as HazardCategory
from huxiao.hazards.forms import DATE
from huxiao.people.access import own_stations
from huxiao.people.choices import (
    CLOSED_OUTCOMES,
    DisputeCategory,
    DisputeSource,
    FoundState,
    MeasureKind,
    Outcome,
    PersonStatus,
    Risk,
)
from huxiao.people.models import Category, Dispute
from huxiao.schools.models import School
from huxiao.schools.scope import regions_reached

TEXTAREA = forms.Textarea(attrs={"rows": 3})
COORD = forms.DecimalField(
    max_digits=9, decimal_places=6, required=False, widget=forms.NumberInput(attrs={"step": "0.000001"})
)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def station_schools(user):
    return School.objects.visible_to(user, Cap.PEOPLE_MANAGE).active().order_by("name")


class PersonForm(SubmittedForm):
    station = forms.ModelChoiceField(label="责任派出所", queryset=Organisation.objects.none())
    name = forms.CharField(label="姓名", max_length=30)
    id_number = forms.CharField(
        label="身份证号",
        max_length=30,
        required=False,
        help_text="18位，末位可为X；同一身份证号只能在册一次。",
    )
    phone = forms.CharField(
        label="联系电话", max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    address = forms.CharField(label="住址", max_length=200, required=False)
    latitude = COORD
    longitude = COORD
    category = forms.ModelChoiceField(label="类别", queryset=Category.objects.filter(is_active=True))
    risk = forms.ChoiceField(label="风险等级", choices=Risk.choices, initial=Risk.MEDIUM)
    officer = forms.ModelChoiceField(label="责任民警", queryset=get_user_model().objects.none())
    guardian = forms.CharField(label="监护人/帮扶责任人", max_length=200, required=False)
    notes = forms.CharField(label="基本情况", max_length=2000, required=False, widget=TEXTAREA)
    region = forms.ModelChoiceField(label="居住地区划", queryset=Region.objects.none())
    schools = forms.ModelMultipleChoiceField(
        label="指定关联学校",
        queryset=School.objects.none(),
        required=False,
        help_text="按住址经纬度自动关联周边学校；也可在此另行指定。",
    )
    photo = forms.ImageField(
        label="照片", required=False, help_text="可选；加密保存，只在查看完整信息时显示。"
    )
    listed_on = forms.DateField(label="列管日期", widget=DATE, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["latitude"] = forms.DecimalField(
            label="住址纬度", max_digits=9, decimal_places=6, required=False, widget=COORD.widget
        )
        self.fields["longitude"] = forms.DecimalField(
            label="住址经度", max_digits=9, decimal_places=6, required=False, widget=COORD.widget
        )
        own = own_stations(user)
        self.fields["station"].queryset = own
        if own.count() == 1:
            self.fields["station"].initial = own.first()
        officers = [u.pk for u in members(own.values_list("pk", flat=True), Cap.PEOPLE_MANAGE)]
        self.fields["officer"].queryset = (
            get_user_model().objects.filter(pk__in=officers).order_by("username")
        )
        self.fields["officer"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["officer"].initial = user.pk
        self.fields["region"].queryset = regions_reached(user, Cap.PEOPLE_MANAGE)
        self.fields["region"].label_from_instance = lambda r: f"{r.name}（{r.code}）"
        self.fields["schools"].queryset = station_schools(user)
        self.fields["listed_on"].initial = timezone.localdate()
        if person is not None:
            del self.fields["station"], self.fields["listed_on"], self.fields["submission"]
            self.fields["version"].initial = person.version
            self.fields["photo"].help_text = "不上传则保留原照片。"


class PersonFilterForm(forms.Form):
    q = forms.CharField(
        label="姓名或身份证号", required=False, help_text="须完整输入，按加密检索键精确查找。"
    )
    category = forms.ModelChoiceField(
        label="类别", queryset=Category.objects.all(), required=False, empty_label="全部"
    )
    risk = forms.ChoiceField(label="风险等级", choices=[("", "全部"), *Risk.choices], required=False)
    status = forms.ChoiceField(
        label="状态",
        choices=[("live", "在册及失控"), *PersonStatus.choices, ("all", "全部")],
        required=False,
    )
    review = forms.ChoiceField(
        label="走访核查",
        choices=[("", "全部"), ("due", "3天内到期"), ("overdue", "已逾期")],
        required=False,
    )
    station = forms.ModelChoiceField(
        label="派出所", queryset=Organisation.objects.none(), required=False, empty_label="全部"
    )
    school = forms.CharField(label="关联学校", required=False, max_length=50, help_text="学校名称的一部分")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visible = _visible_persons(user)
        self.fields["station"].queryset = Organisation.objects.filter(
            kind=OrgKind.POLICE_STATION, key_persons__in=visible
        ).distinct()


def _visible_persons(user):
    from huxiao.people.models import KeyPerson

    return KeyPerson.objects.visible_to(user).values("pk")


class VisitForm(SubmittedForm):
    visited_on = forms.DateField(label="走访日期", widget=DATE)
    found = forms.ChoiceField(label="核查情况", choices=FoundState.choices, widget=forms.RadioSelect)
    dynamics = forms.CharField(label="现实动态", max_length=2000, required=False, widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()


class MeasureForm(SubmittedForm):
    kind = forms.ChoiceField(label="措施", choices=MeasureKind.choices)
    taken_on = forms.DateField(label="日期", widget=DATE)
    detail = forms.CharField(label="具体情况", max_length=2000, widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["taken_on"].initial = timezone.localdate()


class LostForm(VersionForm):
    note = forms.CharField(label="情况说明", max_length=500, widget=TEXTAREA)


class DelistForm(VersionForm):
    reason = forms.CharField(label="撤销理由", max_length=500, widget=TEXTAREA)
    on = forms.DateField(label="撤销日期", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class RevealForm(forms.Form):
    reason = forms.CharField(
        label="查看事由",
        max_length=200,
        help_text="如：入户走访核对身份、协助调解联系当事人。事由和查看人记入该档案的查看记录。",
    )


class IntervalForm(VersionForm):
    high = forms.IntegerField(label="高风险（天）", min_value=1, max_value=365)
    medium = forms.IntegerField(label="中风险（天）", min_value=1, max_value=365)
    low = forms.IntegerField(label="低风险（天）", min_value=1, max_value=365)


# --- Disputes --------------------------------------------------------------------------------


class DisputeForm(SubmittedForm):
    station = forms.ModelChoiceField(label="责任派出所", queryset=Organisation.objects.none())
    schools = forms.ModelMultipleChoiceField(label="涉及学校", queryset=School.objects.none())
    category = forms.ChoiceField(label="类别", choices=DisputeCategory.choices)
    source = forms.ChoiceField(label="来源", choices=DisputeSource.choices)
    found_on = forms.DateField(label="发现日期", widget=DATE)
    region = forms.ModelChoiceField(label="发生地区划", queryset=Region.objects.none())
    parties = forms.CharField(
        label="当事人及联系方式",
        max_length=1000,
        widget=TEXTAREA,
        help_text="每行一人：姓名 电话 身份（如 家长、教师）。加密保存，列表只显示首位当事人的掩码姓名。",
    )
    summary = forms.CharField(label="纠纷情况", max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))
    mediators = forms.ModelMultipleChoiceField(
        label="参与调解单位", queryset=Organisation.objects.none(), required=False
    )
    threat = forms.BooleanField(
        label="扬言报复/可能危及校园和师生安全",
        required=False,
        help_text="勾选后立即报告街道、平安办和区委政法委，并须在时限内录入稳控措施。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = own_stations(user)
        self.fields["station"].queryset = own
        if own.count() == 1:
            self.fields["station"].initial = own.first()
        self.fields["schools"].queryset = station_schools(user)
        self.fields["region"].queryset = regions_reached(user, Cap.PEOPLE_MANAGE)
        self.fields["region"].label_from_instance = lambda r: f"{r.name}（{r.code}）"
        self.fields["mediators"].queryset = mediating_units()
        self.fields["found_on"].initial = timezone.localdate()


def mediating_units():
    return (
        Organisation.objects.filter(is_archived=False).exclude(kind=OrgKind.SCHOOL).order_by("kind", "name")
    )


class DisputeFilterForm(forms.Form):
    category = forms.ChoiceField(
        label="类别", choices=[("", "全部"), *DisputeCategory.choices], required=False
    )
    outcome = forms.ChoiceField(
        label="结果", choices=[*Outcome.choices, ("all", "全部")], required=False, initial=Outcome.OPEN
    )
    threat = forms.BooleanField(label="只看扬言报复", required=False)
    station = forms.ModelChoiceField(
        label="派出所", queryset=Organisation.objects.none(), required=False, empty_label="全部"
    )
    school = forms.CharField(label="涉及学校", required=False, max_length=50, help_text="学校名称的一部分")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Dispute.objects.visible_to(user).values("pk")
        self.fields["station"].queryset = Organisation.objects.filter(
            kind=OrgKind.POLICE_STATION, disputes__in=visible
        ).distinct()


class MediationForm(SubmittedForm):
    held_on = forms.DateField(label="调解日期", widget=DATE)
    organisation = forms.ModelChoiceField(label="调解单位", queryset=Organisation.objects.none())
    note = forms.CharField(label="调解情况", max_length=2000, widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = mediating_units()
        self.fields["held_on"].initial = timezone.localdate()


class StabiliseForm(SubmittedForm):
    measures = forms.CharField(
        label="稳控措施",
        max_length=2000,
        widget=TEXTAREA,
        help_text="如：已约谈当事人、落实专人盯控、学校加强门卫和护学岗、联系家属共同稳控。",
    )


class CloseForm(VersionForm):
    outcome = forms.ChoiceField(
        label="结果", choices=[(o.value, o.label) for o in CLOSED_OUTCOMES], widget=forms.RadioSelect
    )
    closed_on = forms.DateField(label="结案日期", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()


class DisputeHazardForm(forms.Form):
    school = forms.ModelChoiceField(label="学校", queryset=School.objects.none())
    title = forms.CharField(label="隐患标题", max_length=100)
    category = forms.ChoiceField(label="隐患类别", choices=[("", "请选择"), *HazardCategory.choices])
    description = forms.CharField(
        label="隐患描述",
        max_length=2000,
        widget=TEXTAREA,
        help_text="只写学校需要整改的事项，不写当事人姓名。",
    )

    def __init__(self, *args, dispute: Dispute, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = dispute.schools.order_by("name")  # type: ignore[attr-defined]
