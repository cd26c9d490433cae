"""School registry forms: registry entry, list filters, the 三防 profile."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import regions_within, scope_of, units_within
from huxiao.core.choices import OrgKind, RegionLevel
from huxiao.core.models import Organisation, Region
from huxiao.core.regions import ancestors_and_self
from huxiao.schools.choices import AntiRam, CameraArea, GuardEquipment, SchoolType
from huxiao.schools.imports import SheetError, check_upload
from huxiao.schools.models import School, SecurityProfile
from huxiao.schools.services import SCHOOL_FIELDS

TRI_STATE = [("", "未填报"), ("true", "是"), ("false", "否")]


def regions_for(user):
    """Regions a user may put a school in: the subtrees of their edit grants."""
    levels = [RegionLevel.TOWNSHIP, RegionLevel.VILLAGE, RegionLevel.COUNTY]
    if not scope_of(user).has_regions(Cap.SCHOOL_EDIT):
        qs = Region.objects.active().filter(level__in=levels)
        return qs.filter(schools__in=School.objects.visible_to(user, Cap.SCHOOL_EDIT)).distinct()
    return regions_within(user, Cap.SCHOOL_EDIT).filter(level__in=levels)


class SchoolForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = School
        fields = SCHOOL_FIELDS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for(user)
        # the 派出所 and 学区 located inside the user's jurisdiction (and the school's current ones):
        # offering another subdistrict's would hand the school, and its hazards, to it
        reachable = units_within(user, Cap.SCHOOL_EDIT)
        for name, kind in (
            ("police_station", OrgKind.POLICE_STATION),
            ("school_district", OrgKind.SCHOOL_DISTRICT),
        ):
            current = getattr(self.instance, f"{name}_id", None)
            self.fields[name].queryset = Organisation.objects.filter(
                Q(pk__in=reachable.filter(kind=kind).values("pk")) | Q(pk=current), is_archived=False
            ).order_by("name")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for name in ("students", "boarders", "staff"):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})

    def clean(self):
        data = super().clean()
        if data.get("boarders") and not data.get("is_boarding"):
            self.add_error("boarders", "非寄宿制学校的寄宿生数应为0；如有寄宿生请勾选“寄宿制”。")
        if data.get("boarders") and data.get("students") is not None and data["boarders"] > data["students"]:
            self.add_error("boarders", "寄宿生数不能多于在校学生数。")
        return data


def path_prefixes(paths) -> set[str]:
    """Every region path that is `paths`' own or an ancestor's: `a/b/c/` gives `a/`, `a/b/`, `a/b/c/`."""
    out: set[str] = set()
    for path in paths:
        out.update(ancestors_and_self(path or ""))
    return out


class SchoolFilterForm(forms.Form):
    q = forms.CharField(
        label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "名称、标识码或地址"})
    )
    school_type = forms.ChoiceField(
        label="类型", required=False, choices=[("", "全部类型"), *SchoolType.choices]
    )
    region = forms.ModelChoiceField(
        label="区划", required=False, queryset=Region.objects.none(), empty_label="全部区划"
    )
    boarding = forms.ChoiceField(
        label="寄宿", required=False, choices=[("", "全部"), ("yes", "寄宿制"), ("no", "非寄宿")]
    )
    police_station = forms.ModelChoiceField(
        label="派出所", required=False, queryset=Organisation.objects.none(), empty_label="全部派出所"
    )
    school_district = forms.ModelChoiceField(
        label="学区", required=False, queryset=Organisation.objects.none(), empty_label="全部学区"
    )
    archived = forms.BooleanField(label="含已归档", required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only values that occur among the schools the user can see.
        # Every region that holds one of these schools, at any level (街道 as well as 社区/村): the
        # schools' region paths (`990000/990001/990001004/`) and every ancestor path of theirs,
        # built in Python — matching each region against each school with LIKE took seconds at
        # a province (docs/performance.md).
        paths = schools.order_by().values_list("region__path", flat=True).distinct()
        self.fields["region"].queryset = Region.objects.filter(path__in=path_prefixes(paths)).order_by("path")
        self.fields["police_station"].queryset = Organisation.objects.filter(
            police_schools__in=schools
        ).distinct()
        self.fields["school_district"].queryset = Organisation.objects.filter(
            district_schools__in=schools
        ).distinct()

    def apply(self, schools):
        data = self.cleaned_data
        schools = schools.search(data.get("q") or "")
        if data.get("school_type"):
            schools = schools.filter(school_type=data["school_type"])
        if data.get("region"):
            schools = schools.within(data["region"])
        if data.get("boarding") == "yes":
            schools = schools.filter(is_boarding=True)
        elif data.get("boarding") == "no":
            schools = schools.filter(is_boarding=False)
        if data.get("police_station"):
            schools = schools.filter(police_station=data["police_station"])
        if data.get("school_district"):
            schools = schools.filter(school_district=data["school_district"])
        if not data.get("archived"):
            schools = schools.filter(is_archived=False)
        return schools


class TriStateField(forms.TypedChoiceField):
    """是 / 否 / 未填报 — an unreported fact stays None so it is never read as a pass."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", TRI_STATE)
        kwargs.setdefault("coerce", lambda v: v == "true")
        kwargs.setdefault("empty_value", None)
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if value is True:
            return "true"
        if value is False:
            return "false"
        return ""


class ProfileForm(forms.ModelForm):
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    guard_equipment = forms.MultipleChoiceField(
        label="保安防护装备",
        choices=GuardEquipment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    gate_anti_ram = forms.MultipleChoiceField(
        label="校门硬质防冲撞设施",
        choices=AntiRam.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    camera_areas = forms.MultipleChoiceField(
        label="视频监控已覆盖的区域",
        choices=CameraArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="未勾选的区域记为“未覆盖”。",
    )
    camera_reported = forms.BooleanField(label="已核实视频监控覆盖情况", required=False, initial=True)

    class Meta:
        model = SecurityProfile
        fields = [f for f in SecurityProfile.data_fields() if f != "camera_coverage"] + ["change_note"]
        widgets = {"last_drill_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            model_field = (
                SecurityProfile._meta.get_field(name) if name in SecurityProfile.data_fields() else None
            )
            if model_field is not None and model_field.get_internal_type() == "BooleanField":
                self.fields[name] = TriStateField(label=field.label)
        coverage = self.instance.camera_coverage or {}
        self.fields["camera_areas"].initial = [k for k, v in coverage.items() if v]
        self.fields["camera_reported"].initial = bool(coverage) or not self.instance.pk

    def clean(self):
        data = super().clean()
        guards, licensed = data.get("fulltime_guards"), data.get("licensed_guards")
        if guards is not None and licensed is not None and licensed > guards:
            self.add_error("licensed_guards", "持证保安员数不能多于专职保安员数。")
        return data

    def values(self) -> dict:
        """The profile values this form carries, ready for `profile_file`."""
        data = dict(self.cleaned_data)
        areas = set(data.pop("camera_areas", []) or [])
        reported = data.pop("camera_reported", False)
        data["camera_coverage"] = {a: a in areas for a in CameraArea.values} if reported else {}
        data.pop("base_version", None)
        data.pop("change_note", None)
        return data


class ImportForm(forms.Form):
    """The upload for a register import: checked by size and by content (a real .xlsx), not
    by its name alone. Rows and columns are checked later, by the import job."""

    file = forms.FileField(
        label="Excel 文件（.xlsx）",
        help_text="第一行（或标题行下方）为表头，列名与导入模板一致；可直接上传“导出 Excel”得到的文件。",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    skip_invalid = forms.BooleanField(
        label="跳过无效行，仅导入有效行",
        required=False,
        help_text="不勾选时，只要有一行有误，就不导入任何数据。",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.HUXIAO_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"文件过大（{upload.size / 1024 / 1024:.1f} MB），上限为 {limit / 1024 / 1024:.0f} MB。"
                "请把文件拆分成几份分别导入。"
            )
        if upload.name.lower().endswith(".xls"):
            raise forms.ValidationError("不支持旧版 .xls 文件。请在 Excel 中“另存为” .xlsx 格式后再上传。")
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("只能上传 Excel 工作簿（.xlsx）文件。")
        try:
            check_upload(upload, max_bytes=limit)
        except SheetError as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload


class ArchiveForm(forms.Form):
    """归档: the reason goes into the audit log, so it obeys the input rules like any text."""

    reason = forms.CharField(label="归档原因", max_length=200)
