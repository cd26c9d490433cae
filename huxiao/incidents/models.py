"""涉校案（事）件 and their 应急处置 — seed §四（五）: "公安机关要始终坚持对侵害师生人身安全的案件依法
严厉打击，健全完善发案原因分析和责任倒查机制 … 对重大突发案（事）件，各部门要在党委政府领导下严格落实
'三同步'原则，健全涉校案件应急指挥、联动处置、舆论引导一体化应急处置机制".

An incident is reported by the school (or the police); a 较大 or graver one is reported at once to
the units above, each of which signs for it (`Notice`); the response is logged on three tracks
(`ResponseEntry`); the incident closes with its cause analysis, and a 重大 one with its 责任倒查.
The people involved are a separate, encrypted record (`IncidentPerson`) read by few.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from huxiao.core.models import Encrypted, Organisation, StoredPhoto, Submitted, Versioned, submitted_once
from huxiao.incidents.choices import (
    AlarmNature,
    AlarmSource,
    DrillKind,
    Grade,
    Kind,
    PersonRole,
    Place,
    State,
    Track,
)
from huxiao.incidents.querysets import (
    AlarmQuerySet,
    DrillQuerySet,
    IncidentChildQuerySet,
    IncidentNoticeQuerySet,
    IncidentPersonQuerySet,
    IncidentQuerySet,
)
from huxiao.schools.models import School

USER = settings.AUTH_USER_MODEL


class Incident(Submitted, Versioned):
    """One incident at or around a school. Its text says what happened, never who: the people
    involved are `IncidentPerson` rows."""

    code = models.CharField("编号", max_length=20, unique=True)
    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="incidents"
    )
    occurred_at = models.DateTimeField("发生时间")
    place = models.CharField("发生地点", max_length=12, choices=Place.choices)
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    grade = models.CharField("等级", max_length=12, choices=Grade.choices)
    title = models.CharField("事由", max_length=60)
    summary = models.TextField("简要经过", max_length=2000)
    injured = models.PositiveSmallIntegerField("受伤人数", default=0)
    dead = models.PositiveSmallIntegerField("死亡人数", default=0)
    reported_at = models.DateTimeField("首报时间", auto_now_add=True)
    reported_by = models.ForeignKey(
        USER, verbose_name="报告人", on_delete=models.PROTECT, related_name="+", null=True
    )
    reporting_unit = models.ForeignKey(
        Organisation, verbose_name="报告单位", on_delete=models.PROTECT, related_name="+", null=True
    )
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.OPEN)
    # 结案: 发案原因分析 (every incident) and 责任倒查 (重大 and above)
    causes = models.TextField("原因分析", blank=True)
    measures = models.TextField("整改措施", blank=True)
    lessons = models.TextField("经验教训", blank=True)
    accountability = models.TextField("责任倒查情况", blank=True)
    decision = models.TextField("处理决定", blank=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, verbose_name="结案人", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # 通报: numbered once, when first generated; later downloads carry the same number
    circular_number = models.CharField("通报文号", max_length=60, blank=True)
    circular_unit = models.ForeignKey(
        Organisation,
        verbose_name="通报单位",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    circular_at = models.DateTimeField("通报时间", null=True, blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "涉校案事件"
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["school", "occurred_at"], name="incident_school_time")]
        constraints = [
            submitted_once("incident"),
            models.CheckConstraint(
                condition=Q(state=State.OPEN) | ~Q(causes=""),
                name="incident_closed_has_causes",
                violation_error_message="结案须填写原因分析。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state == State.OPEN


class Notice(models.Model):
    """The report of an incident to one unit above (学区, 派出所, 街道, 政法委, 教委) and its 签收.
    Not signed for in time, it is escalated once (`incidents_escalate`)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notices")
    organisation = models.ForeignKey(
        Organisation, verbose_name="接报单位", on_delete=models.PROTECT, related_name="+"
    )
    notified_at = models.DateTimeField("报告时间")
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER, verbose_name="签收人", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    escalated_at = models.DateTimeField("催报时间", null=True, blank=True)

    objects = IncidentNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "案事件报告签收"
        ordering = ["notified_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "organisation"],
                name="incident_notice_once",
                violation_error_message="已向该单位报告。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} → {self.organisation_id}"


class ResponseEntry(models.Model):
    """One dated line on one of the 三同步 tracks, written by a unit involved."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="entries")
    track = models.CharField("线条", max_length=8, choices=Track.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间")
    text = models.TextField("内容", max_length=1000)
    created_by = models.ForeignKey(USER, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = IncidentChildQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "三同步处置记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_track_display()} {self.at:%Y-%m-%d %H:%M}"


class IncidentPerson(Encrypted, Submitted):
    """A person involved. Name, 身份证号 and the note are encrypted (`core.crypto`); the role, the
    age group and whether a minor are plain, for counts."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="persons")
    role = models.CharField("身份", max_length=8, choices=PersonRole.choices)
    name_enc = models.TextField("姓名（密文）")
    id_number_enc = models.TextField("身份证号（密文）", blank=True)
    note_enc = models.TextField("情况（密文）", blank=True)
    minor = models.BooleanField("未成年人", default=False)
    is_student = models.BooleanField("本校学生", default=False)
    created_by = models.ForeignKey(USER, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = IncidentPersonQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "案事件当事人"
        ordering = ["pk"]
        constraints = [submitted_once("incident_person")]

    def __str__(self) -> str:
        return f"当事人#{self.pk}"  # never the name: str() ends up in logs and audit rows


class Alarm(Submitted):
    """An alarm or 警情 at a school: when it was raised and how (一键报警, 110 …), whether it was
    real, a false alarm or a test, and when the police arrived — the 一键报警 and 快速报警联网 of
    the 三防 profile judged by use, and the police's response time."""

    school = models.ForeignKey(School, verbose_name="学校", on_delete=models.PROTECT, related_name="alarms")
    raised_at = models.DateTimeField("报警时间")
    source = models.CharField("报警方式", max_length=10, choices=AlarmSource.choices)
    nature = models.CharField("性质", max_length=8, choices=AlarmNature.choices)
    arrived_at = models.DateTimeField("民警到场时间", null=True, blank=True)
    handling = models.CharField("处置情况", max_length=200, blank=True)
    incident = models.ForeignKey(
        Incident,
        verbose_name="关联案事件",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alarms",
    )
    recorded_by = models.ForeignKey(USER, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recording_unit = models.ForeignKey(
        Organisation, verbose_name="登记单位", on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = AlarmQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "报警/警情"
        ordering = ["-raised_at", "-pk"]
        constraints = [
            submitted_once("alarm"),
            models.CheckConstraint(
                condition=Q(arrived_at__isnull=True) | Q(arrived_at__gte=models.F("raised_at")),
                name="alarm_arrival_after_raise",
                violation_error_message="民警到场时间不能早于报警时间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.raised_at:%Y-%m-%d %H:%M}"

    @property
    def response_minutes(self) -> int | None:
        if self.arrived_at is None:
            return None
        return int((self.arrived_at - self.raised_at).total_seconds() // 60)


class Drill(Submitted):
    """An 应急演练 held at a school: its kind, day, participants, duration and the problems it
    found (each line a hazard of the school)."""

    school = models.ForeignKey(School, verbose_name="学校", on_delete=models.PROTECT, related_name="drills")
    kind = models.CharField("演练类型", max_length=12, choices=DrillKind.choices)
    held_on = models.DateField("演练日期")
    participants = models.PositiveIntegerField("参演人数")
    minutes = models.PositiveSmallIntegerField("用时（分钟）", null=True, blank=True)
    summary = models.CharField("演练情况", max_length=500, blank=True)
    problems = models.TextField("发现的问题", blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = DrillQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "应急演练"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["school", "held_on"], name="drill_school_day")]
        constraints = [submitted_once("drill")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}演练 {self.held_on}"


class DrillPhoto(StoredPhoto):
    """A photo of a drill."""

    UPLOAD_DIR = "incidents"

    drill = models.ForeignKey(Drill, verbose_name="演练", on_delete=models.PROTECT, related_name="photos")

    class Meta:
        verbose_name = verbose_name_plural = "演练照片"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.drill_id} 照片"
