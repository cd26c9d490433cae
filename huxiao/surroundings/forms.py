"""Forms of the 周边与交通 pages. They validate shape; rules that need the database (scope,
radius, versions) are the services'. Choices are limited to the user's scope."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.core.forms import DATETIME
from huxiao.core.models import Organisation
from huxiao.hazards.forms import DATE, MultiplePhotoField
from huxiao.schools.models import School
from huxiao.schools.scope import regions_reached
from huxiao.surroundings.choices import (
    DEPARTMENT_KINDS,
    CheckResult,
    Congestion,
    Facility,
    VenueKind,
    VenueStatus,
)
from huxiao.surroundings.models import TrafficPoint, Venue

PHONE_HELP = "手机或座机号码；列表中只显示前三位和后四位。"
COORD_HELP = "十进制度数，6 位小数（约 0.1 米），可用手机地图长按取点。"


def departments():
    return Organisation.objects.filter(kind__in=DEPARTMENT_KINDS, is_archived=False).order_by("kind", "name")


class VenueForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Venue
        fields = [
            "kind",
            "name",
            "address",
            "operator",
            "contact_phone",
            "latitude",
            "longitude",
            "region",
            "department",
            "status",
            "note",
        ]
        widgets = {
            "latitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"contact_phone": PHONE_HELP, "latitude": COORD_HELP, "longitude": COORD_HELP}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_reached(user, Cap.SURROUNDINGS_MANAGE)
        self.fields["region"].label_from_instance = lambda r: f"{r.name}（{r.code}）"
        self.fields["department"].queryset = departments()
        self.fields["department"].required = False
        self.fields["department"].empty_label = "按场所类型自动确定"
        self.fields[
            "department"
        ].help_text = "网吧、游戏厅、娱乐场所、旅馆、出租屋：派出所；商铺、小摊点：市场监管所；其他：平安办。"
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def service_kwargs(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        return data


class VenueFilterForm(forms.Form):
    q = forms.CharField(label="名称或地址", required=False)
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *VenueKind.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *VenueStatus.choices])
    school = forms.ModelChoiceField(
        label="附近学校", required=False, queryset=School.objects.none(), empty_label="全部学校"
    )
    problem = forms.BooleanField(label="最近一次检查发现问题", required=False)
    archived = forms.BooleanField(label="含已归档", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.visible_to(user).active().order_by("name")

    def apply(self, venues):
        d = self.cleaned_data
        if d.get("q"):
            venues = venues.filter(Q(name__icontains=d["q"]) | Q(address__icontains=d["q"]))
        if d.get("kind"):
            venues = venues.filter(kind=d["kind"])
        if d.get("status"):
            venues = venues.filter(status=d["status"])
        if d.get("school"):
            venues = venues.filter(links__school=d["school"])
        if d.get("problem"):
            venues = venues.filter(last_result=CheckResult.PROBLEM)
        if not d.get("archived"):
            venues = venues.filter(is_archived=False)
        return venues


class VenueCheckForm(forms.Form):
    checked_on = forms.DateField(label="检查日期", widget=DATE)
    result = forms.ChoiceField(label="检查结果", choices=CheckResult.choices, widget=forms.RadioSelect)
    findings = forms.CharField(
        label="发现问题",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="如：接纳未成年人上网、向学生售卖“三无”食品、无证经营。发现问题将转为周边环境隐患。",
    )
    school = forms.ModelChoiceField(
        label="涉及学校", required=False, queryset=School.objects.none(), empty_label="周边全部学校"
    )
    photos = MultiplePhotoField(
        label="现场照片", required=False, help_text="JPG、PNG 或 WebP，每张不超过10MB；手机上可直接拍照。"
    )

    def __init__(self, *args, venue: Venue, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("checked_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        schools = School.objects.filter(venue_links__venue=venue).order_by("venue_links__distance_m")
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        if data.get("result") == CheckResult.PROBLEM and not (data.get("findings") or "").strip():
            self.add_error("findings", "检查结果为“发现问题”时，请写明发现的问题。")
        return data


class TrafficPointForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    facilities = forms.MultipleChoiceField(
        label="现有设施", choices=Facility.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = TrafficPoint
        fields = ["school", "gate", "latitude", "longitude", "facilities", "department", "note"]
        widgets = {
            "latitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"latitude": COORD_HELP, "longitude": COORD_HELP}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = (
            School.objects.visible_to(user, Cap.SURROUNDINGS_MANAGE).active().order_by("name")
        )
        self.fields["department"].queryset = departments()
        self.fields["department"].required = False
        self.fields["department"].empty_label = "默认：负责该校的交巡警"
        if self.instance.pk:
            self.fields["school"].disabled = True
            self.fields["version"].initial = self.instance.version

    def service_kwargs(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}


class ObservationForm(forms.Form):
    observed_at = forms.DateTimeField(
        label="检查时间", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    congestion = forms.ChoiceField(label="拥堵情况", choices=Congestion.choices, widget=forms.RadioSelect)
    violations_count = forms.IntegerField(
        label="违法违规行为（起）",
        min_value=0,
        max_value=999,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    violations = forms.CharField(
        label="违法违规情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：违停3辆、学生横穿马路、非法营运车辆接送。",
    )
    missing_facilities = forms.MultipleChoiceField(
        label="缺失或损坏的设施",
        choices=Facility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="勾选应有而没有、或已损坏的设施。严重拥堵、有违法违规或缺设施将转为交通隐患，交交巡警处理。",
    )
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, point: TrafficPoint, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("observed_at", timezone.localtime().replace(second=0, microsecond=0))
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("violations_count") and not (data.get("violations") or "").strip():
            self.add_error("violations", "有违法违规行为时，请简要写明情况。")
        return data
