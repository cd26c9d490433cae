"""The in-app inbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    ASSIGNED = "assigned", "隐患交办"
    NOTICE_ISSUED = "notice_issued", "收到整改通知书"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"
    SUBMITTED = "submitted", "待验收"
    RETURNED = "returned", "被退回"
    ACCEPTED = "accepted", "已验收"
    ESCALATED = "escalated", "逾期督办"
    EXTENSION = "extension", "延期申请"
    GAP_RESOLVED = "gap_resolved", "差距已消除待核实"
    INSPECTION_PLAN = "inspection_plan", "检查计划提醒"
    MONTHLY_REPORT = "monthly_report", "月度统计表"
    CAMPAIGN_TASK = "campaign_task", "专项任务"
    RISK_ALERT = "risk_alert", "风险提示"
    ALERT_OVERDUE = "alert_overdue", "风险提示逾期未反馈"
    CIRCULAR = "circular", "通报"


class Notification(models.Model):
    """One message in a user's inbox, with a link to what it is about."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    url = models.CharField("链接", max_length=200, blank=True)
    dedupe_key = models.CharField("去重键", max_length=100, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], condition=~models.Q(dedupe_key=""), name="notification_dedupe"
            )
        ]

    def __str__(self) -> str:
        return self.title
