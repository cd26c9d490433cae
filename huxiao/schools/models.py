"""The school registry and the versioned 三防 security profile."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from huxiao.core.models import Organisation, Region, Versioned
from huxiao.schools.choices import Barrier, Ownership, SchoolType
from huxiao.schools.querysets import SchoolQuerySet, SecurityProfileQuerySet


class School(Versioned):
    """A school or kindergarten: who runs it, how big it is, where it is, who looks after it.

    `police_station` and `school_district` put the school explicitly into those units'
    jurisdictions; `organisation` is the school's own unit, for its staff's memberships.
    `version` guards edits: a stale form is refused, never silently overwritten.
    """

    name = models.CharField("学校名称", max_length=100)
    code = models.CharField("学校标识码", max_length=20, blank=True)
    school_type = models.CharField("学校类型", max_length=20, choices=SchoolType.choices)
    ownership = models.CharField(
        "办学性质", max_length=10, choices=Ownership.choices, default=Ownership.PUBLIC
    )
    is_boarding = models.BooleanField("寄宿制", default=False)
    students = models.PositiveIntegerField("在校学生（幼儿）数", default=0)
    boarders = models.PositiveIntegerField("寄宿生数", default=0)
    staff = models.PositiveIntegerField("教职工数", default=0)
    principal_name = models.CharField("校长（园长，第一责任人）", max_length=50, blank=True)
    principal_phone = models.CharField("校长电话", max_length=20, blank=True)
    safety_lead_name = models.CharField("分管安全负责人", max_length=50, blank=True)
    safety_lead_phone = models.CharField("安全负责人电话", max_length=20, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    latitude = models.DecimalField(
        "纬度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(54)],
    )
    longitude = models.DecimalField(
        "经度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(73), MaxValueValidator(136)],
    )
    region = models.ForeignKey(
        Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="schools"
    )
    police_station = models.ForeignKey(
        Organisation,
        verbose_name="责任派出所",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="police_schools",
        limit_choices_to={"kind": "police_station"},
    )
    school_district = models.ForeignKey(
        Organisation,
        verbose_name="学区管理中心",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="district_schools",
        limit_choices_to={"kind": "school_district"},
    )
    organisation = models.OneToOneField(
        Organisation,
        verbose_name="本校单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="school",
    )
    is_archived = models.BooleanField("已归档", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = "学校"
        verbose_name_plural = "学校"
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="school_unique_name_in_region",
                violation_error_message="学校名称：同一区划内已有同名学校。",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="school_unique_code",
                violation_error_message="学校标识码已被其他学校使用。",
            ),
            models.CheckConstraint(
                condition=Q(boarders__lte=F("students")),
                name="school_boarders_le_students",
                violation_error_message="寄宿生数不能多于在校学生数。",
            ),
            models.CheckConstraint(
                condition=Q(is_boarding=True) | Q(boarders=0),
                name="school_boarders_need_boarding",
                violation_error_message="非寄宿制学校的寄宿生数应为0。",
            ),
        ]
        indexes = [
            models.Index(fields=["school_type"], name="school_type_idx"),
            models.Index(fields=["is_archived", "name"], name="school_active_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def headcount(self) -> int:
        """师生员工总数 (students + staff), the basis of the 2015 guard-staffing bands."""
        return self.students + self.staff

    @property
    def day_students(self) -> int:
        return self.students - self.boarders


def _nullable_bool(label: str) -> models.BooleanField:
    return models.BooleanField(label, null=True, blank=True)


class SecurityProfile(models.Model):
    """One version of a school's 三防 (人防/物防/技防/制度) profile.

    Every change is a new row (`version` 1, 2, 3 …) with who and when; the newest is the
    current profile, older ones stay viewable. Empty fields mean "not reported" — the
    standards engine treats them as unknown, never as a pass.
    """

    school = models.ForeignKey(School, verbose_name="学校", on_delete=models.PROTECT, related_name="profiles")
    version = models.PositiveIntegerField("版本号")
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    change_note = models.CharField("变更说明", max_length=200, blank=True)

    # 人防
    fulltime_guards = models.PositiveSmallIntegerField("专职保安员数", null=True, blank=True)
    licensed_guards = models.PositiveSmallIntegerField("持证保安员数", null=True, blank=True)
    guard_equipment = models.JSONField("保安防护装备", default=list, blank=True)
    gatehouse_staffed_hours = models.PositiveSmallIntegerField(
        "门卫室每日值守小时数", null=True, blank=True, validators=[MaxValueValidator(24)]
    )
    night_guards = models.PositiveSmallIntegerField("夜间值守保安员数（寄宿）", null=True, blank=True)
    # 物防
    closed_management = _nullable_bool("实行封闭化管理")
    perimeter_barrier = models.CharField("周界实体屏障", max_length=10, choices=Barrier.choices, blank=True)
    perimeter_height_m = models.DecimalField(
        "围墙（栅栏）最低高度（米）",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    anti_climb = _nullable_bool("周界防攀爬措施")
    gate_anti_ram = models.JSONField("校门硬质防冲撞设施", default=list, blank=True)
    ped_vehicle_separated = _nullable_bool("人车分流")
    # 技防
    camera_coverage = models.JSONField("视频监控覆盖区域", default=dict, blank=True)
    cctv_retention_days = models.PositiveSmallIntegerField("视频存储天数", null=True, blank=True)
    cctv_linked_to_police = _nullable_bool("视频监控与公安联网")
    one_key_alarm = _nullable_bool("一键报警装置")
    alarm_linked_to_police = _nullable_bool("一键报警与公安（110）联网")
    intrusion_alarm = _nullable_bool("周界入侵报警")
    # 制度
    visitor_register = _nullable_bool("外来人员、车辆登记制度")
    visitor_id_check = _nullable_bool("来访核验身份")
    pickup_handover = _nullable_bool("学生（幼儿）接送交接制度")
    drills_per_semester = models.PositiveSmallIntegerField("每学期疏散演练次数", null=True, blank=True)
    last_drill_date = models.DateField("最近一次演练日期", null=True, blank=True)

    objects = SecurityProfileQuerySet.as_manager()

    class Meta:
        verbose_name = "三防档案"
        verbose_name_plural = "三防档案"
        ordering = ["school", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "version"],
                name="profile_unique_version",
                violation_error_message="该学校的此版本三防档案已存在，可能有人同时提交了修改。",
            ),
            models.CheckConstraint(
                condition=Q(licensed_guards__isnull=True)
                | Q(fulltime_guards__isnull=True)
                | Q(licensed_guards__lte=F("fulltime_guards")),
                name="profile_licensed_le_guards",
                violation_error_message="持证保安员数不能多于专职保安员数。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} 三防档案 第{self.version}版"

    # Field groups, in the order pages and exports show them.
    GROUPS = {
        "人防": [
            "fulltime_guards",
            "licensed_guards",
            "guard_equipment",
            "gatehouse_staffed_hours",
            "night_guards",
        ],
        "物防": [
            "closed_management",
            "perimeter_barrier",
            "perimeter_height_m",
            "anti_climb",
            "gate_anti_ram",
            "ped_vehicle_separated",
        ],
        "技防": [
            "camera_coverage",
            "cctv_retention_days",
            "cctv_linked_to_police",
            "one_key_alarm",
            "alarm_linked_to_police",
            "intrusion_alarm",
        ],
        "制度": [
            "visitor_register",
            "visitor_id_check",
            "pickup_handover",
            "drills_per_semester",
            "last_drill_date",
        ],
    }

    @classmethod
    def data_fields(cls) -> list[str]:
        return [name for group in cls.GROUPS.values() for name in group]
