"""Models of the 专项行动 app: a campaign (its work plan: leading group, office, phases with
gates, participating units and their duties, measures, tasks, report schedule) and the records
of the 六项机制 (joint meetings, risk alerts, circulars)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from huxiao.campaigns.choices import (
    AlertLevel,
    CampaignStatus,
    EntryStatus,
    GroupRole,
    MeetingKind,
    TaskSource,
    TaskStatus,
    TextKind,
)
from huxiao.campaigns.querysets import CampaignQuerySet, TaskQuerySet
from huxiao.core.models import Organisation, Region, StoredFile, Versioned, stored_file_path
from huxiao.schools.models import School

USER = settings.AUTH_USER_MODEL


class Campaign(Versioned):
    """One 专项行动 (e.g. 蒲吕街道2021年中小学幼儿园“护校安园”专项行动) in one region.

    The dates of the campaign are those of its phases; `start_date`/`end_date` are kept equal
    to the earliest start and latest end (services do it) so "which campaign covers this
    month" is one indexed query. `version` guards concurrent edits.
    """

    name = models.CharField("行动名称", max_length=120)
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    region = models.ForeignKey(
        Region, verbose_name="区划", on_delete=models.PROTECT, related_name="campaigns"
    )
    status = models.CharField(
        "状态", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    issuer = models.ForeignKey(
        Organisation,
        verbose_name="印发单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document_number = models.CharField("方案文号", max_length=60, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    goals = models.TextField("工作目标", blank=True)
    office_name = models.CharField("办公室名称", max_length=60, default="领导小组办公室")
    office_org = models.ForeignKey(
        Organisation,
        verbose_name="办公室设在",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_campaign_offices",
    )
    office_duty = models.TextField("办公室职责", blank=True)
    schools_duty = models.TextField(
        "辖区学校职责", blank=True, help_text="辖区中小学、幼儿园在本次行动中的职责（各校的任务另行部署）"
    )
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    monthly_due_day = models.PositiveSmallIntegerField(
        "月报报送日（每月）",
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="每月几日前报送上月工作情况及统计表（1–28）",
    )
    monthly_report_content = models.CharField(
        "月报内容", max_length=120, blank=True, default="上月“护校安园”行动工作情况及统计表"
    )
    summary_due = models.DateField("工作总结报送期限", null=True, blank=True)
    summary_recipient = models.ForeignKey(
        Organisation,
        verbose_name="工作总结报送至",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    copied_from = models.ForeignKey(
        "self", verbose_name="沿用自", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        USER, verbose_name="创建人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "专项行动"
        verbose_name_plural = "专项行动"
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["start_date", "end_date"], name="campaign_dates_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="campaign_dates_ordered",
                violation_error_message="结束日期不能早于开始日期。",
            ),
            models.UniqueConstraint(
                fields=["region", "name"],
                name="campaign_unique_name",
                violation_error_message="该区划已有同名专项行动。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """A place in the leading group (组长, 副组长, 成员) or its office (办公室主任/副主任): the
    person as the plan names them (name, title, unit) and, when they have an account, the user."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="专项行动", on_delete=models.CASCADE, related_name="group"
    )
    role = models.CharField("职责", max_length=20, choices=GroupRole.choices)
    person_name = models.CharField(
        "姓名", max_length=50, blank=True, help_text="如方案按职务列出（各成员单位负责人），可留空"
    )
    title = models.CharField("职务", max_length=100)
    organisation = models.ForeignKey(
        Organisation, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        USER, verbose_name="平台账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "领导小组成员"
        verbose_name_plural = "领导小组成员"
        ordering = ["campaign", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person_name or self.title}"


class Phase(Versioned):
    """A step of the plan (摸排, 整改, 验收, 巩固提高) with its dates; phases may overlap (the
    seed's 验收 and 巩固提高 share 11/26–1/31). `gates` names the checks a school must pass to
    enter this phase: `[{"check": "no_live_hazards", "params": {"severities": ["major"]}}]`
    (see `campaigns.gates`)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="专项行动", on_delete=models.CASCADE, related_name="phases"
    )
    order = models.PositiveSmallIntegerField("序号", default=1)
    name = models.CharField("阶段名称", max_length=40)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    start_label = models.CharField("开始说明", max_length=20, blank=True, help_text="如“即日”")
    description = models.TextField("工作内容", blank=True)
    gates = models.JSONField("进入条件", default=list, blank=True)

    class Meta:
        verbose_name = "阶段"
        verbose_name_plural = "阶段"
        ordering = ["campaign", "order", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="phase_dates_ordered",
                violation_error_message="阶段结束日期不能早于开始日期。",
            )
        ]

    def __str__(self) -> str:
        return self.name if self.name.endswith("阶段") else f"{self.name}阶段"

    @property
    def pass_label(self) -> str:
        """What the office records when a school may enter: 验收通过 for an acceptance phase."""
        return "验收通过" if "验收" in self.name else "准予进入"


class Participant(Versioned):
    """A participating unit (成员单位) and its duties (职责) in this campaign."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="专项行动", on_delete=models.CASCADE, related_name="participants"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    duty = models.TextField("职责")
    reports_monthly = models.BooleanField("按月报送", default=False)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "成员单位"
        verbose_name_plural = "成员单位"
        ordering = ["campaign", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"],
                name="participant_unique",
                violation_error_message="该单位已是本次行动的成员单位。",
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class PlanText(Versioned):
    """A numbered 工作措施 or 工作要求 of the plan, kept as written."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="专项行动", on_delete=models.CASCADE, related_name="texts"
    )
    kind = models.CharField("类别", max_length=12, choices=TextKind.choices)
    order = models.PositiveSmallIntegerField("序号", default=1)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容")

    class Meta:
        verbose_name = "方案条目"
        verbose_name_plural = "方案条目"
        ordering = ["campaign", "kind", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class PhaseEntry(Versioned):
    """One school's way into a gated phase (the seed's 验收): the school applies (申请进入), the
    office records the result (通过, or 退回 with a reason). No record means 未申请. The phase's
    gates are checked again by the service, inside its transaction, both when the school applies
    and when the office records the pass — a school that fails a gate (an open 重大 hazard) can
    never be recorded as having entered."""

    phase = models.ForeignKey(Phase, verbose_name="阶段", on_delete=models.PROTECT, related_name="entries")
    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="phase_entries"
    )
    status = models.CharField("状态", max_length=10, choices=EntryStatus.choices)
    application = models.TextField("申请说明", blank=True)
    applied_at = models.DateTimeField("申请时间", null=True, blank=True)
    applied_by = models.ForeignKey(
        USER, verbose_name="申请人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField("验收意见 / 退回理由", blank=True)
    decided_at = models.DateTimeField("办理时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, verbose_name="办理人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "学校进入阶段记录"
        verbose_name_plural = "学校进入阶段记录"
        ordering = ["phase", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "school"],
                name="phase_entry_unique",
                violation_error_message="该校在本阶段已有进入记录。",
            ),
            models.CheckConstraint(
                condition=~Q(status="applied") | Q(applied_at__isnull=False),
                name="phase_entry_applied_has_time",
                violation_error_message="已申请的记录须有申请时间。",
            ),
            models.CheckConstraint(
                condition=Q(status="applied") | Q(decided_at__isnull=False),
                name="phase_entry_decided_has_time",
                violation_error_message="已通过或退回的记录须有办理时间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.phase}"

    @property
    def label(self) -> str:
        """已申请 / 验收通过 (the phase's word for a pass) / 已退回."""
        return self.phase.pass_label if self.status == EntryStatus.PASSED else self.get_status_display()


class Meeting(models.Model):
    """A 联席会议 or 月度会商: who attended, what was discussed and decided. Each decision is a
    `Task` with `meeting` set (owner unit and deadline)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="专项行动", on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField("会议类型", max_length=10, choices=MeetingKind.choices, default=MeetingKind.JOINT)
    held_on = models.DateField("会议日期")
    title = models.CharField("会议名称", max_length=100)
    location = models.CharField("地点", max_length=100, blank=True)
    attendee_orgs = models.ManyToManyField(Organisation, verbose_name="参会单位", related_name="+")
    attendee_people = models.TextField("参会人员", blank=True, help_text="每行一人：姓名 单位 职务")
    topics = models.TextField("议题")
    recorded_by = models.ForeignKey(USER, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "联席会议"
        verbose_name_plural = "联席会议"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Task(Versioned):
    """A task of the campaign for one unit, in a phase (or decided by a meeting), with a due
    date and, when done, its completion evidence. Overdue is derived (`TaskQuerySet`)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="专项行动", on_delete=models.PROTECT, related_name="tasks"
    )
    phase = models.ForeignKey(
        Phase, verbose_name="阶段", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name="会议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    source = models.CharField("来源", max_length=10, choices=TaskSource.choices, default=TaskSource.PLAN)
    title = models.CharField("任务", max_length=200)
    description = models.TextField("要求", blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name="责任单位", on_delete=models.PROTECT, related_name="campaign_tasks"
    )
    due = models.DateField("完成时限")
    status = models.CharField("状态", max_length=10, choices=TaskStatus.choices, default=TaskStatus.TODO)
    evidence = models.TextField("完成情况", blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    completed_by = models.ForeignKey(
        USER, verbose_name="填报人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "工作任务"
        verbose_name_plural = "工作任务"
        ordering = ["due", "order", "pk"]
        indexes = [models.Index(fields=["campaign", "status", "due"], name="task_campaign_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_at__isnull=False),
                name="task_done_has_time",
                violation_error_message="已完成的任务须有完成时间。",
            )
        ]

    def __str__(self) -> str:
        return self.title


def _upload_to(instance, filename: str) -> str:
    """Named by migration 0001; the fields now use `core.models.stored_file_path` (same layout)."""
    return stored_file_path(instance, filename)


class TaskAttachment(StoredFile):
    """Completion evidence of a task: a photo or a document (`campaigns.files.check_attachment`)."""

    UPLOAD_DIR = "campaigns/taskattachment"

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.PROTECT, related_name="attachments")

    class Meta:
        verbose_name = "任务佐证材料"
        verbose_name_plural = "任务佐证材料"
        ordering = ["uploaded_at", "pk"]


class RiskAlert(models.Model):
    """A 风险提示 pushed to chosen schools; each school acknowledges and responds by `respond_by`."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="专项行动", on_delete=models.PROTECT, related_name="alerts"
    )
    title = models.CharField("标题", max_length=100)
    text = models.TextField("提示内容")
    level = models.CharField("等级", max_length=10, choices=AlertLevel.choices, default=AlertLevel.GENERAL)
    respond_by = models.DateField("反馈期限")
    issuer = models.ForeignKey(
        Organisation, verbose_name="发布单位", on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(USER, verbose_name="发布人", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "风险提示"
        verbose_name_plural = "风险提示"
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class AlertRecipient(models.Model):
    """One school's copy of a risk alert: acknowledged (签收), its response (落实情况), and, when
    it has not responded by the deadline, when it was escalated to its 学区."""

    alert = models.ForeignKey(
        RiskAlert, verbose_name="风险提示", on_delete=models.PROTECT, related_name="recipients"
    )
    school = models.ForeignKey(School, verbose_name="学校", on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER, verbose_name="签收人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response = models.TextField("落实情况", blank=True)
    responded_at = models.DateTimeField("反馈时间", null=True, blank=True)
    responded_by = models.ForeignKey(
        USER, verbose_name="反馈人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField("上报学区时间", null=True, blank=True)

    class Meta:
        verbose_name = "风险提示接收学校"
        verbose_name_plural = "风险提示接收学校"
        ordering = ["alert", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "school"], name="alert_recipient_unique"),
            models.CheckConstraint(
                condition=Q(responded_at__isnull=True) | Q(acknowledged_at__isnull=False),
                name="alert_response_after_ack",
                violation_error_message="反馈前须先签收。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alert} → {self.school}"


class Circular(models.Model):
    """A 通报: numbered, with a body and attachments, sent to units that confirm reading it."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="专项行动", on_delete=models.PROTECT, related_name="circulars"
    )
    number = models.CharField("文号", max_length=60, blank=True)
    title = models.CharField("标题", max_length=120)
    body = models.TextField("正文")
    issuer = models.ForeignKey(
        Organisation, verbose_name="发文单位", on_delete=models.PROTECT, related_name="+"
    )
    recipients = models.ManyToManyField(Organisation, verbose_name="主送单位", related_name="+")
    issued_by = models.ForeignKey(USER, verbose_name="签发人", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class CircularAttachment(StoredFile):
    """A document or photo sent with a circular (`campaigns.files.check_attachment`)."""

    UPLOAD_DIR = "campaigns/circularattachment"

    circular = models.ForeignKey(
        Circular, verbose_name="通报", on_delete=models.PROTECT, related_name="attachments"
    )

    class Meta:
        verbose_name = "通报附件"
        verbose_name_plural = "通报附件"
        ordering = ["pk"]


class CircularReceipt(models.Model):
    """A recipient unit has read the circular (the first of its members to open it)."""

    circular = models.ForeignKey(
        Circular, verbose_name="通报", on_delete=models.PROTECT, related_name="receipts"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(USER, verbose_name="阅读人", on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField("阅读时间", auto_now_add=True)

    class Meta:
        verbose_name = "通报阅读回执"
        verbose_name_plural = "通报阅读回执"
        ordering = ["read_at"]
        constraints = [
            models.UniqueConstraint(fields=["circular", "organisation"], name="circular_receipt_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} 已阅 {self.circular}"
