"""The hazard register and everything that hangs off a hazard (DESIGN §5)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from huxiao.core.models import Organisation, Region, StoredPhoto, Submitted, Versioned, submitted_once
from huxiao.hazards.choices import (
    Category,
    DocKind,
    Escalation,
    EventKind,
    ExtensionState,
    Phase,
    Severity,
    Source,
    State,
)
from huxiao.hazards.querysets import HazardChildQuerySet, HazardQuerySet, NoticeQuerySet
from huxiao.schools.models import School

USER = settings.AUTH_USER_MODEL


class HazardPolicy(models.Model):
    """Deadlines by severity and the escalation ladder, in working days, for a region and
    everything below it (the nearest region with a policy wins; see `policy.policy_for`)."""

    region = models.OneToOneField(
        Region, verbose_name="区划", on_delete=models.PROTECT, related_name="hazard_policy"
    )
    general_days = models.PositiveSmallIntegerField("一般隐患整改期限（工作日）", default=7)
    larger_days = models.PositiveSmallIntegerField("较大隐患整改期限（工作日）", default=15)
    major_days = models.PositiveSmallIntegerField("重大隐患整改期限（工作日）", default=30)
    supervise_after = models.PositiveSmallIntegerField("逾期几个工作日发督办通知书", default=1)
    interview_after = models.PositiveSmallIntegerField("逾期几个工作日约谈", default=5)
    listed_after = models.PositiveSmallIntegerField("逾期几个工作日挂牌督办", default=10)

    class Meta:
        verbose_name = "隐患期限与督办规则"
        verbose_name_plural = "隐患期限与督办规则"
        constraints = [
            models.CheckConstraint(
                condition=Q(supervise_after__lte=models.F("interview_after"))
                & Q(interview_after__lte=models.F("listed_after")),
                name="policy_ladder_ordered",
                violation_error_message="督办、约谈、挂牌督办的逾期天数须依次递增。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} 隐患规则"

    def days_for(self, severity: str) -> int:
        days: dict[str, int] = {Severity.GENERAL: self.general_days, Severity.LARGER: self.larger_days}
        return days.get(severity, self.major_days)


class Hazard(Versioned):
    """One hazard (隐患) at one school, from registration to closure. Never deleted.

    `state` follows DESIGN §5; `escalation` is the rung of the overdue ladder beside it.
    Overdue and due-soon are derived from `deadline` (see querysets), never stored.
    `version` guards concurrent actions: the second reviewer is told, not overwritten.
    """

    school = models.ForeignKey(School, verbose_name="学校", on_delete=models.PROTECT, related_name="hazards")
    title = models.CharField("隐患名称", max_length=100)
    location = models.CharField("校内位置", max_length=100, blank=True)
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    severity = models.CharField("等级", max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    description = models.TextField("隐患描述")
    source = models.CharField(
        "来源", max_length=20, default=Source.SELF
    )  # a registered kind (sources.SOURCES)
    source_ref = models.CharField("来源记录", max_length=60, blank=True, help_text="如 inspections.item:12")
    # empty for hazards the platform raises itself (标准比对)
    found_by = models.ForeignKey(
        USER, verbose_name="发现人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    found_by_org = models.ForeignKey(
        Organisation,
        verbose_name="发现单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    found_on = models.DateField("发现日期")
    responsible_org = models.ForeignKey(
        Organisation, verbose_name="责任单位", on_delete=models.PROTECT, related_name="responsible_hazards"
    )
    responsible_person = models.CharField("责任人", max_length=50, blank=True)
    measures = models.TextField("整改措施", blank=True)
    deadline = models.DateField("整改期限", null=True, blank=True)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.REPORTED)
    escalation = models.PositiveSmallIntegerField(
        "督办等级", choices=Escalation.choices, default=Escalation.NONE
    )
    temp_measures = models.TextField("临时防护措施", blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    needs_verification = models.BooleanField("待复核", default=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = HazardQuerySet.as_manager()

    class Meta:
        verbose_name = "隐患"
        verbose_name_plural = "隐患"
        ordering = ["-found_on", "-pk"]
        indexes = [
            models.Index(fields=["state", "deadline"], name="hazard_state_deadline_idx"),
            models.Index(fields=["school", "state"], name="hazard_school_state_idx"),
            models.Index(fields=["escalation"], name="hazard_escalation_idx"),
            models.Index(fields=["source", "source_ref"], name="hazard_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def source_label(self) -> str:
        from huxiao.hazards.sources import SOURCES

        return SOURCES.label(self.source)

    @property
    def code(self) -> str:
        """Display number, e.g. YH2026-000123 (year found + id)."""
        return f"YH{self.found_on.year}-{self.pk or 0:06d}"

    @property
    def is_major(self) -> bool:
        return self.severity == Severity.MAJOR


class HazardEvent(models.Model):
    """One entry of a hazard's timeline: who did what, when, with which note and files."""

    hazard = models.ForeignKey(Hazard, verbose_name="隐患", on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(USER, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT)
    actor_org = models.ForeignKey(
        Organisation,
        verbose_name="操作单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("事项", max_length=30, choices=EventKind.choices)
    from_state = models.CharField("原状态", max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=12, choices=State.choices, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)

    class Meta:
        verbose_name = "隐患动态"
        verbose_name_plural = "隐患动态"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.get_kind_display()}"


class HazardAttachment(StoredPhoto):
    """A photo (checked by content, thumbnailed) or a note attached to a hazard."""

    UPLOAD_DIR = "hazards"

    hazard = models.ForeignKey(
        Hazard, verbose_name="隐患", on_delete=models.PROTECT, related_name="attachments"
    )
    event = models.ForeignKey(
        HazardEvent,
        verbose_name="动态",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    phase = models.CharField("阶段", max_length=10, choices=Phase.choices)
    caption = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(USER, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "隐患照片"
        verbose_name_plural = "隐患照片"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} {self.caption}"


class DocumentCounter(models.Model):
    """The last number issued per organisation, document kind and year (gapless; locked to
    allocate — see `numbering.allocate`)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=DocKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "文书编号计数"
        verbose_name_plural = "文书编号计数"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "year"], name="counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.kind} {self.year}: {self.last}"


class NumberingRule(models.Model):
    """How an organisation numbers one kind of document, e.g. `{short}整字〔{year}〕第{seq:04d}号`."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("文书类型", max_length=20, choices=DocKind.choices)
    pattern = models.CharField("编号格式", max_length=80)

    class Meta:
        verbose_name = "文书编号格式"
        verbose_name_plural = "文书编号格式"
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="numbering_rule_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_kind_display()}: {self.pattern}"

    def clean(self):
        """A pattern may use {short}, {year} and {seq} (with a format spec such as {seq:04d})."""
        try:
            self.pattern.format(short="蒲吕派", year=2026, seq=7)
        except (KeyError, ValueError, IndexError) as exc:
            raise ValidationError(
                {"pattern": "编号格式只能使用 {short}（单位简称）、{year}（年度）、{seq:04d}（序号）。"}
            ) from exc
        if "{seq" not in self.pattern:
            raise ValidationError({"pattern": "编号格式必须包含序号 {seq}，否则文号会重复。"})


class RectificationNotice(Submitted):
    """限期整改通知书: issued by a police station (or another authorised unit) to one school for
    one or more hazards; numbered gaplessly per issuer and year; signed for by the school."""

    issuer = models.ForeignKey(
        Organisation, verbose_name="下发单位", on_delete=models.PROTECT, related_name="notices"
    )
    school = models.ForeignKey(School, verbose_name="学校", on_delete=models.PROTECT, related_name="notices")
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("文号", max_length=60)
    hazards = models.ManyToManyField(Hazard, verbose_name="隐患", related_name="notices")
    requirements = models.TextField("整改要求", blank=True)
    deadline = models.DateField("整改期限")
    issued_by = models.ForeignKey(USER, verbose_name="签发人", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("下发时间", auto_now_add=True)
    signed_by = models.ForeignKey(
        USER, verbose_name="签收人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "整改通知书"
        verbose_name_plural = "整改通知书"
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "seq"],
                name="notice_unique_number",
                violation_error_message="该文号已被使用。",
            ),
            submitted_once("notice"),
        ]

    def __str__(self) -> str:
        return self.number


class RectificationPlan(models.Model):
    """The plan for a 重大 hazard, led by the 学区管理中心: tasks, owners, deadlines."""

    hazard = models.OneToOneField(Hazard, verbose_name="隐患", on_delete=models.PROTECT, related_name="plan")
    lead_org = models.ForeignKey(
        Organisation, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField("方案概要")
    created_by = models.ForeignKey(USER, verbose_name="制定人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("制定时间", auto_now_add=True)

    class Meta:
        verbose_name = "重大隐患整改方案"
        verbose_name_plural = "重大隐患整改方案"

    def __str__(self) -> str:
        return f"{self.hazard} 整改方案"


class PlanTask(models.Model):
    plan = models.ForeignKey(
        RectificationPlan, verbose_name="方案", on_delete=models.PROTECT, related_name="tasks"
    )
    task = models.CharField("任务", max_length=200)
    owner = models.CharField("责任人（单位）", max_length=100)
    deadline = models.DateField("完成时限")
    done = models.BooleanField("已完成", default=False)

    class Meta:
        verbose_name = "方案任务"
        verbose_name_plural = "方案任务"
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.task


class ExtensionRequest(models.Model):
    """A request to move a hazard's deadline; the issuing organisation decides."""

    hazard = models.ForeignKey(
        Hazard, verbose_name="隐患", on_delete=models.PROTECT, related_name="extensions"
    )
    requested_by = models.ForeignKey(USER, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    old_deadline = models.DateField("原期限")
    new_deadline = models.DateField("申请延至")
    reason = models.TextField("理由")
    state = models.CharField(
        "状态", max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    decided_by = models.ForeignKey(
        USER, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    objects = HazardChildQuerySet.as_manager()

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard"],
                condition=Q(state="pending"),
                name="one_pending_extension",
                violation_error_message="该隐患已有待审批的延期申请。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.hazard} 延期至 {self.new_deadline}"


class HazardEscalation(models.Model):
    """One rung of the overdue ladder for one hazard: 督办通知书, 约谈, or 挂牌督办 — each with its
    own number and document. Unique per (hazard, level) so `escalate` is idempotent."""

    hazard = models.ForeignKey(
        Hazard, verbose_name="隐患", on_delete=models.PROTECT, related_name="escalations"
    )
    level = models.PositiveSmallIntegerField("等级", choices=Escalation.choices)
    issuer = models.ForeignKey(
        Organisation, verbose_name="督办单位", on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField("文号", max_length=60)
    overdue_days = models.PositiveSmallIntegerField("逾期工作日")
    created_at = models.DateTimeField("时间", auto_now_add=True)
    attendees = models.TextField("约谈参加人员", blank=True)
    minutes = models.TextField("约谈记录", blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name="记录人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField("摘牌时间", null=True, blank=True)

    objects = HazardChildQuerySet.as_manager()

    class Meta:
        verbose_name = "督办记录"
        verbose_name_plural = "督办记录"
        ordering = ["hazard", "level"]
        constraints = [models.UniqueConstraint(fields=["hazard", "level"], name="escalation_unique_level")]

    def __str__(self) -> str:
        return f"{self.number} {self.get_level_display()}"
