"""安全教育 and 法治辅导员 — seed §四（六）: "要充分利用开学季、安全教育日、禁毒日等有利时机，开展防火、
防电、防溺水等相关安全教育和反欺凌、反暴力、防不法侵害等安全法治宣传教育 … 各派出所要继续选派业务能力强、
工作经验丰富的优秀民警兼任学校法治辅导员，要进校有针对性开展法治宣传教育、安全防范指导等工作".

A school records its activities (`EducationActivity`, with up to six photos); the 派出所 appoints
one of its officers as a school's 法治辅导员 for a term (`CounsellorAppointment`, with its 聘书);
the officer records his visits to the school (`CounsellorVisit`) — a lecture he gives and records
as an activity is also his visit.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from huxiao.core.models import Organisation, StoredPhoto, Submitted, submitted_once
from huxiao.education.choices import MAX_HEAD_COUNT, Audience, Occasion, Topic
from huxiao.education.querysets import ActivityQuerySet, AppointmentQuerySet, VisitQuerySet
from huxiao.schools.models import School

USER = settings.AUTH_USER_MODEL


class CounsellorAppointment(Submitted):
    """A 派出所's officer appointed 法治辅导员 of one school it covers, for a term, by a numbered
    聘书. Current on a day inside the term; a school may have more than one."""

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="counsellor_appointments"
    )
    station = models.ForeignKey(
        Organisation, verbose_name="派出所", on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        USER, verbose_name="法治辅导员", on_delete=models.PROTECT, related_name="counsellor_appointments"
    )
    starts_on = models.DateField("聘期自")
    ends_on = models.DateField("聘期至")
    letter_number = models.CharField("聘书编号", max_length=60)
    appointed_by = models.ForeignKey(
        USER, verbose_name="聘任人", on_delete=models.PROTECT, related_name="+", null=True
    )
    appointed_at = models.DateTimeField("聘任时间", auto_now_add=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "法治辅导员聘任"
        ordering = ["-starts_on", "-pk"]
        constraints = [
            submitted_once("counsellor"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="counsellor_term_in_order",
                violation_error_message="聘期至不能早于聘期自。",
            ),
            models.UniqueConstraint(
                fields=["station", "letter_number"],
                name="counsellor_letter_number_once",
                violation_error_message="本所已有该编号的聘书。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter_number}"

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class EducationActivity(Submitted):
    """One 安全教育 / 法治宣传教育 activity of a school: when, on which occasion, on which topics,
    for whom and how many, who spoke (a 法治辅导员 appointment when it was the school's
    counsellor)."""

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="education_activities"
    )
    held_on = models.DateField("日期")
    occasion = models.CharField("时机", max_length=20, choices=Occasion.choices)
    title = models.CharField("活动名称", max_length=60, blank=True)
    topics = models.JSONField("主题", default=list)  # Topic codes, at least one
    audiences = models.JSONField("对象", default=list)  # Audience codes, at least one
    grades = models.CharField("年级（范围）", max_length=60, blank=True)
    head_count = models.PositiveIntegerField("参加人数")
    speaker = models.CharField("主讲人", max_length=60)
    counsellor = models.ForeignKey(
        CounsellorAppointment,
        verbose_name="法治辅导员",
        on_delete=models.PROTECT,
        related_name="activities",
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(USER, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recording_unit = models.ForeignKey(
        Organisation, verbose_name="记录单位", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "安全教育活动"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["school", "held_on"], name="education_school_day")]
        constraints = [
            submitted_once("education_activity"),
            models.CheckConstraint(
                condition=Q(head_count__gte=1, head_count__lte=MAX_HEAD_COUNT),
                name="education_head_count_range",
                violation_error_message=f"参加人数须在1至{MAX_HEAD_COUNT}之间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title or self.get_occasion_display()}"

    @property
    def name(self) -> str:
        return self.title or self.get_occasion_display()

    @property
    def topic_labels(self) -> str:
        return "、".join(Topic(t).label for t in self.topics if t in Topic.values)

    @property
    def audience_labels(self) -> str:
        return "、".join(Audience(a).label for a in self.audiences if a in Audience.values)


class ActivityPhoto(StoredPhoto):
    """A photo of an activity (up to `choices.MAX_PHOTOS`)."""

    UPLOAD_DIR = "education"

    activity = models.ForeignKey(
        EducationActivity, verbose_name="活动", on_delete=models.PROTECT, related_name="photos"
    )

    class Meta:
        verbose_name = verbose_name_plural = "安全教育活动照片"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.activity_id} 照片"


class CounsellorVisit(Submitted):
    """A 法治辅导员's visit to his school (进校): what he did there and for how many. Recorded by
    the officer; a lecture he records as an activity is its own visit (`activity`)."""

    appointment = models.ForeignKey(
        CounsellorAppointment, verbose_name="聘任", on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField("进校日期")
    content = models.TextField("工作内容", max_length=1000)
    head_count = models.PositiveIntegerField("受教育人数", default=0)
    activity = models.OneToOneField(
        EducationActivity,
        verbose_name="讲座",
        on_delete=models.PROTECT,
        related_name="visit",
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(USER, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "法治辅导员进校记录"
        ordering = ["-visited_on", "-pk"]
        constraints = [
            submitted_once("counsellor_visit"),
            models.CheckConstraint(
                condition=Q(head_count__lte=MAX_HEAD_COUNT),
                name="counsellor_visit_head_count_range",
                violation_error_message=f"受教育人数不能超过{MAX_HEAD_COUNT}。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} 进校"
