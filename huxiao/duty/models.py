"""Models of the 护学岗与巡逻 app: posts at school gates with their peak periods, the staffing
standard per region, duty records (with each person's check-in), patrol groups and patrol logs.

Coverage is never stored: it is derived from the records by `coverage.py`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from huxiao.accounts.scope import RegionSettingQuerySet
from huxiao.core.models import Organisation, Region, Versioned
from huxiao.duty.choices import MON_TO_FRI, WEEKDAY_LABELS, PeriodKind
from huxiao.duty.querysets import (
    DutyPostQuerySet,
    DutyRecordQuerySet,
    PatrolGroupQuerySet,
    PatrolLogQuerySet,
)
from huxiao.schools.models import School


def new_token() -> str:
    """The random part of a post's QR URL (identifies the post; it is not a credential)."""
    return secrets.token_urlsafe(12)


def _minimum(label: str, *, null: bool) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, null=null, blank=null, validators=[MaxValueValidator(50)], default=None if null else 0
    )


class StaffingStandard(Versioned):
    """Minimum staffing of every 护学岗 period in a region and everything below it.

    A post uses its own overrides first, then the standard of its school's region or the
    nearest ancestor that has one, then the platform default (`choices.DEFAULT_MINIMUMS`).
    """

    region = models.OneToOneField(
        Region, verbose_name="适用区划", on_delete=models.PROTECT, related_name="duty_standard"
    )
    min_police = _minimum("民警（最少）", null=False)
    min_police_or_aux = _minimum("民警或辅警合计（最少）", null=False)
    min_guards = _minimum("保安（最少）", null=False)
    min_teachers = _minimum("教师（最少）", null=False)
    min_volunteers = _minimum("家长志愿者（最少）", null=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="更新人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RegionSettingQuerySet.as_manager()

    class Meta:
        verbose_name = "护学岗力量标准"
        verbose_name_plural = "护学岗力量标准"
        ordering = ["region__path"]

    def __str__(self) -> str:
        return f"{self.region}护学岗力量标准"


class DutyPost(Versioned):
    """A 护学岗: one gate of one school, staffed at the peak periods by the responsible station.

    `token` makes the post's QR URL (`/duty/p/<token>/`). `active_from` is the day the post was
    set up: coverage requires its periods only from then on. The `min_*` fields override the
    region's staffing standard for this post when filled.
    """

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="duty_posts"
    )
    name = models.CharField("岗位（校门）", max_length=50, help_text="如：正门、南门")
    latitude = models.DecimalField(
        "纬度", max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(54)],
    )  # fmt: skip
    longitude = models.DecimalField(
        "经度", max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(73), MaxValueValidator(136)],
    )  # fmt: skip
    police_station = models.ForeignKey(
        Organisation,
        verbose_name="责任派出所",
        on_delete=models.PROTECT,
        related_name="duty_posts",
        limit_choices_to={"kind": "police_station"},
    )
    is_active = models.BooleanField("启用", default=True)
    active_from = models.DateField("设岗日期")
    token = models.CharField("二维码标识", max_length=32, unique=True, default=new_token, editable=False)
    min_police = _minimum("民警（最少）", null=True)
    min_police_or_aux = _minimum("民警或辅警合计（最少）", null=True)
    min_guards = _minimum("保安（最少）", null=True)
    min_teachers = _minimum("教师（最少）", null=True)
    min_volunteers = _minimum("家长志愿者（最少）", null=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = DutyPostQuerySet.as_manager()

    class Meta:
        verbose_name = "护学岗"
        verbose_name_plural = "护学岗"
        ordering = ["school__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="duty_post_unique_name",
                violation_error_message="岗位（校门）：该校已有同名护学岗。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school.name}·{self.name}"


class DutyPeriod(models.Model):
    """A peak period of a post (早高峰/午间/晚高峰) with its window and weekdays.

    `weekdays` is a bit set (Monday = bit 0). A 调休 make-up Saturday or Sunday is a school day
    run on an ordinary timetable, so every active period applies on it.
    """

    post = models.ForeignKey(
        DutyPost, verbose_name="护学岗", on_delete=models.PROTECT, related_name="periods"
    )
    kind = models.CharField("时段", max_length=10, choices=PeriodKind.choices)
    start = models.TimeField("开始时间")
    end = models.TimeField("结束时间")
    weekdays = models.PositiveSmallIntegerField("执勤日", default=MON_TO_FRI)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "执勤时段"
        verbose_name_plural = "执勤时段"
        ordering = ["post", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "kind"],
                name="duty_period_unique_kind",
                violation_error_message="时段：该岗位已有此时段。",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="duty_period_end_after_start",
                violation_error_message="结束时间须晚于开始时间。",
            ),
            models.CheckConstraint(
                condition=Q(weekdays__gte=1, weekdays__lte=127),
                name="duty_period_weekdays_set",
                violation_error_message="执勤日：至少选择一天。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start:%H:%M}—{self.end:%H:%M}"

    def runs_on_weekday(self, weekday: int) -> bool:
        return bool(self.weekdays & (1 << weekday))

    @property
    def weekday_labels(self) -> str:
        if self.weekdays == MON_TO_FRI:
            return "周一至周五"
        return "、".join(label for w, label in enumerate(WEEKDAY_LABELS) if self.weekdays & (1 << w))


class DutyRecord(Versioned):
    """Who stood at one post for one period on one day — one record per (post, period, date).

    People who check in by phone are named (`DutyCheckIn`); the counts say how many of each kind
    stood in all (民警 counts at least the named officers). A record entered afterwards by the
    station is `is_backfilled` (补录) with the reason, who and when; it counts as staffed but is
    reported separately.
    """

    post = models.ForeignKey(
        DutyPost, verbose_name="护学岗", on_delete=models.PROTECT, related_name="records"
    )
    period = models.ForeignKey(
        DutyPeriod, verbose_name="时段", on_delete=models.PROTECT, related_name="records"
    )
    date = models.DateField("日期")
    police = models.PositiveSmallIntegerField("民警", default=0, validators=[MaxValueValidator(99)])
    aux_police = models.PositiveSmallIntegerField("辅警", default=0, validators=[MaxValueValidator(99)])
    guards = models.PositiveSmallIntegerField("保安", default=0, validators=[MaxValueValidator(99)])
    teachers = models.PositiveSmallIntegerField("教师", default=0, validators=[MaxValueValidator(99)])
    volunteers = models.PositiveSmallIntegerField("家长志愿者", default=0, validators=[MaxValueValidator(99)])
    cars = models.PositiveSmallIntegerField("警车台次", default=0, validators=[MaxValueValidator(99)])
    notes = models.TextField("执勤情况", blank=True, max_length=2000)
    incidents = models.TextField("发现的问题、处置的警情", blank=True, max_length=2000)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    is_backfilled = models.BooleanField("补录", default=False)
    backfill_reason = models.CharField("补录原因", max_length=200, blank=True)

    objects = DutyRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "护学岗执勤记录"
        verbose_name_plural = "护学岗执勤记录"
        ordering = ["-date", "period__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "period", "date"],
                name="duty_record_unique_period",
                violation_error_message="该岗位该时段当天已有执勤记录。",
            ),
            models.CheckConstraint(
                condition=Q(is_backfilled=False) | ~Q(backfill_reason=""),
                name="duty_record_backfill_reason",
                violation_error_message="补录原因：补录须说明原因。",
            ),
        ]
        indexes = [models.Index(fields=["date", "post"], name="duty_record_date_idx")]

    def __str__(self) -> str:
        return f"{self.post} {self.date} {self.period.get_kind_display()}"


class DutyCheckIn(models.Model):
    """One person's check-in and check-out at a record, time-stamped by the server, with the
    phone's position when the browser gave it. One per person per record."""

    record = models.ForeignKey(
        DutyRecord, verbose_name="执勤记录", on_delete=models.PROTECT, related_name="checkins"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="所属单位", null=True, on_delete=models.PROTECT, related_name="+"
    )
    is_police = models.BooleanField("民警", default=False)
    checked_in_at = models.DateTimeField("签到时间")
    in_latitude = models.DecimalField("签到纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    in_longitude = models.DecimalField("签到经度", max_digits=9, decimal_places=6, null=True, blank=True)
    in_accuracy = models.PositiveIntegerField("签到定位精度（米）", null=True, blank=True)
    checked_out_at = models.DateTimeField("签退时间", null=True, blank=True)
    out_latitude = models.DecimalField("签退纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    out_longitude = models.DecimalField("签退经度", max_digits=9, decimal_places=6, null=True, blank=True)
    out_accuracy = models.PositiveIntegerField("签退定位精度（米）", null=True, blank=True)

    class Meta:
        verbose_name = "签到"
        verbose_name_plural = "签到"
        ordering = ["checked_in_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "user"],
                name="duty_checkin_once",
                violation_error_message="您已在本时段签到，不能重复签到。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.record}"


class PatrolGroup(Versioned):
    """A 平安守护小组 led by a police station: named members plus counts of the others."""

    name = models.CharField("小组名称", max_length=60)
    station = models.ForeignKey(
        Organisation,
        verbose_name="牵头派出所",
        on_delete=models.PROTECT,
        related_name="patrol_groups",
        limit_choices_to={"kind": "police_station"},
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="实名成员", blank=True, related_name="+"
    )
    guards = models.PositiveSmallIntegerField("保安", default=0, validators=[MaxValueValidator(999)])
    parents = models.PositiveSmallIntegerField("家长", default=0, validators=[MaxValueValidator(999)])
    teachers = models.PositiveSmallIntegerField("教师", default=0, validators=[MaxValueValidator(999)])
    volunteers = models.PositiveSmallIntegerField("志愿者", default=0, validators=[MaxValueValidator(999)])
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = PatrolGroupQuerySet.as_manager()

    class Meta:
        verbose_name = "平安守护小组"
        verbose_name_plural = "平安守护小组"
        ordering = ["station__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "name"],
                name="patrol_group_unique_name",
                violation_error_message="小组名称：该派出所已有同名小组。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PatrolLog(models.Model):
    """One patrol of a group: when, where (area or route), which schools it covered, what it found."""

    group = models.ForeignKey(
        PatrolGroup, verbose_name="巡逻小组", on_delete=models.PROTECT, related_name="logs"
    )
    started_at = models.DateTimeField("开始时间")
    ended_at = models.DateTimeField("结束时间")
    route = models.CharField("巡逻区域或路线", max_length=200)
    schools = models.ManyToManyField(School, verbose_name="覆盖学校", related_name="patrol_logs")
    participants = models.PositiveSmallIntegerField(
        "参加人数", default=0, validators=[MaxValueValidator(999)]
    )
    findings = models.TextField("发现情况", blank=True, max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = PatrolLogQuerySet.as_manager()

    class Meta:
        verbose_name = "巡逻记录"
        verbose_name_plural = "巡逻记录"
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gt=F("started_at")),
                name="patrol_log_end_after_start",
                violation_error_message="结束时间须晚于开始时间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.started_at:%Y-%m-%d %H:%M}"
