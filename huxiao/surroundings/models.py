"""Models of the 周边与交通 app: venues around campuses (linked to every school within the
configured radius), their checks, traffic points at school gates and their observations."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from huxiao.core.models import Organisation, Region, StoredPhoto, Versioned
from huxiao.lib.masks import mask_phone
from huxiao.schools.models import School
from huxiao.surroundings.choices import CheckResult, Congestion, VenueKind, VenueStatus
from huxiao.surroundings.querysets import (
    TrafficObservationQuerySet,
    TrafficPointQuerySet,
    VenueCheckQuerySet,
    VenueQuerySet,
)

USER = settings.AUTH_USER_MODEL


def _lat():
    return models.DecimalField(
        "纬度", max_digits=9, decimal_places=6, validators=[MinValueValidator(3), MaxValueValidator(54)]
    )


def _lng():
    return models.DecimalField(
        "经度", max_digits=9, decimal_places=6, validators=[MinValueValidator(73), MaxValueValidator(136)]
    )


class Venue(Versioned):
    """A venue near campuses (网吧, 旅馆, 出租屋, 商铺 …), linked through `VenueSchool` to every
    school within `HUXIAO_SURROUNDINGS_RADIUS_M`. Archived, never deleted; `version` guards edits."""

    kind = models.CharField("场所类型", max_length=20, choices=VenueKind.choices)
    name = models.CharField("场所名称", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    operator = models.CharField("经营者/负责人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    latitude = _lat()
    longitude = _lng()
    region = models.ForeignKey(Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Organisation, verbose_name="责任部门", on_delete=models.PROTECT, related_name="surrounding_venues"
    )
    status = models.CharField(
        "经营状态", max_length=12, choices=VenueStatus.choices, default=VenueStatus.OPEN
    )
    note = models.TextField("备注", blank=True)
    is_archived = models.BooleanField("已归档", default=False)
    created_by = models.ForeignKey(
        USER, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = VenueQuerySet.as_manager()

    class Meta:
        verbose_name = "周边场所"
        verbose_name_plural = "周边场所"
        ordering = ["region__path", "name", "pk"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="venue_latlng_idx"),
            models.Index(fields=["is_archived", "kind"], name="venue_archived_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}·{self.name}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone)


class VenueSchool(models.Model):
    """A venue lies within the radius of a school; recomputed whenever either moves."""

    venue = models.ForeignKey(Venue, verbose_name="场所", on_delete=models.CASCADE, related_name="links")
    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.CASCADE, related_name="venue_links"
    )
    distance_m = models.PositiveIntegerField("距离（米）")

    class Meta:
        verbose_name = "场所与学校距离"
        verbose_name_plural = "场所与学校距离"
        ordering = ["distance_m", "pk"]
        constraints = [models.UniqueConstraint(fields=["venue", "school"], name="venue_school_unique")]

    def __str__(self) -> str:
        return f"{self.venue_id}→{self.school_id} {self.distance_m} 米"


class VenueCheck(models.Model):
    """One check (清查) of a venue: when, by whom, the result and findings. A finding becomes
    a 周边环境 hazard at each linked school (or the one picked) — `hazard_ref` keys them."""

    venue = models.ForeignKey(Venue, verbose_name="场所", on_delete=models.PROTECT, related_name="checks")
    checked_on = models.DateField("检查日期")
    inspector = models.ForeignKey(USER, verbose_name="检查人", on_delete=models.PROTECT, related_name="+")
    inspector_org = models.ForeignKey(
        Organisation,
        verbose_name="检查单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.CharField("检查结果", max_length=10, choices=CheckResult.choices)
    findings = models.TextField("发现问题", blank=True)
    school = models.ForeignKey(
        School,
        verbose_name="涉及学校",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="空：登记到场所周边的每一所学校",
    )
    hazards_raised = models.PositiveSmallIntegerField("转为隐患数", default=0)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = VenueCheckQuerySet.as_manager()

    class Meta:
        verbose_name = "场所检查"
        verbose_name_plural = "场所检查"
        ordering = ["-checked_on", "-pk"]
        indexes = [models.Index(fields=["checked_on"], name="venuecheck_date_idx")]

    def __str__(self) -> str:
        return f"{self.venue} {self.checked_on} {self.get_result_display()}"

    @property
    def hazard_ref(self) -> str:
        return f"surroundings.check:{self.pk}"


class VenueCheckPhoto(StoredPhoto):
    """A photo taken at a check, checked by content (`core.images.check_image`)."""

    UPLOAD_DIR = "surroundings"

    check_record = models.ForeignKey(
        VenueCheck, verbose_name="检查", on_delete=models.PROTECT, related_name="photos"
    )

    class Meta:
        verbose_name = "检查照片"
        verbose_name_plural = "检查照片"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.check_record_id} 照片 {self.pk}"


class TrafficPoint(Versioned):
    """A traffic point at a school gate: which safety facilities are there and which
    department answers for them (交巡警 by default)."""

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="traffic_points"
    )
    gate = models.CharField("校门", max_length=50, help_text="如：正门（青松路）")
    latitude = _lat()
    longitude = _lng()
    facilities = models.JSONField("现有设施", default=list, blank=True)
    department = models.ForeignKey(
        Organisation, verbose_name="责任部门", on_delete=models.PROTECT, related_name="traffic_points"
    )
    note = models.TextField("备注", blank=True)
    is_archived = models.BooleanField("已归档", default=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = TrafficPointQuerySet.as_manager()

    class Meta:
        verbose_name = "校门交通点"
        verbose_name_plural = "校门交通点"
        ordering = ["school__name", "gate", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "gate"],
                name="traffic_point_gate_unique",
                violation_error_message="该校已登记了同名校门的交通点。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school.name}·{self.gate}"

    def facility_labels(self) -> list[str]:
        from huxiao.surroundings.choices import Facility

        return [Facility(f).label for f in self.facilities if f in Facility.values]

    def missing_facility_labels(self) -> list[str]:
        from huxiao.surroundings.choices import Facility

        return [f.label for f in Facility if f.value not in self.facilities]


class TrafficObservation(models.Model):
    """One look at the gate's traffic order at a peak time: congestion, violations seen,
    facilities missing. A problem becomes a 交通 hazard assigned to the point's department."""

    point = models.ForeignKey(
        TrafficPoint, verbose_name="交通点", on_delete=models.PROTECT, related_name="observations"
    )
    observed_at = models.DateTimeField("检查时间")
    observer = models.ForeignKey(USER, verbose_name="检查人", on_delete=models.PROTECT, related_name="+")
    observer_org = models.ForeignKey(
        Organisation,
        verbose_name="检查单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    congestion = models.CharField("拥堵情况", max_length=10, choices=Congestion.choices)
    violations_count = models.PositiveIntegerField("违法违规行为（起）", default=0)
    violations = models.TextField("违法违规情况", blank=True)
    missing_facilities = models.JSONField("缺失或损坏的设施", default=list, blank=True)
    note = models.TextField("备注", blank=True)
    hazard_raised = models.BooleanField("已转为隐患", default=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = TrafficObservationQuerySet.as_manager()

    class Meta:
        verbose_name = "校门交通秩序检查"
        verbose_name_plural = "校门交通秩序检查"
        ordering = ["-observed_at", "-pk"]
        indexes = [models.Index(fields=["observed_at"], name="trafficobs_at_idx")]

    def __str__(self) -> str:
        return f"{self.point_id} {self.observed_at:%Y-%m-%d %H:%M} {self.get_congestion_display()}"

    @property
    def hazard_ref(self) -> str:
        return f"surroundings.traffic:{self.pk}"

    @property
    def has_problem(self) -> bool:
        """严重拥堵, any violation, or a missing facility is a problem for the 交巡警."""
        return (
            self.congestion == Congestion.SEVERE or self.violations_count > 0 or bool(self.missing_facilities)
        )

    def missing_labels(self) -> list[str]:
        from huxiao.surroundings.choices import Facility

        return [Facility(f).label for f in self.missing_facilities if f in Facility.values]
