"""Models of the 月度统计表 app: one report per reporting unit and month, and its history."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from huxiao.core.models import Organisation, Versioned
from huxiao.monthly.choices import LOCKED_STATES, EventKind, ReportState

USER = settings.AUTH_USER_MODEL


class MonthlyReport(Versioned):
    """The monthly 统计表 of one reporting unit (a school's own unit, a 学区管理中心, a 派出所, a
    街道 平安办 or the 区) for one month.

    While it is a draft (or returned) its computed columns are live — read from the data each
    time — and only `manual` is stored. On submission the whole table (computed and manual
    values, the column definitions, the school set) is frozen into `snapshot`, and the SHA-256
    of its canonical JSON goes into `content_hash`; from then on nothing in it can change.
    """

    unit = models.ForeignKey(
        Organisation, verbose_name="填报单位", on_delete=models.PROTECT, related_name="monthly_reports"
    )
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    state = models.CharField("状态", max_length=12, choices=ReportState.choices, default=ReportState.DRAFT)
    manual = models.JSONField("手填数据", default=dict, blank=True)
    snapshot = models.JSONField("报送时的数据", null=True, blank=True)
    content_hash = models.CharField("内容哈希（SHA-256）", max_length=64, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, verbose_name="报送人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField("退回理由", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "月度统计表"
        verbose_name_plural = "月度统计表"
        ordering = ["-year", "-month", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "month"],
                name="monthly_report_unique_unit_month",
                violation_error_message="该单位本月的统计表已存在。",
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1) & models.Q(month__lte=12),
                name="monthly_report_month_range",
                violation_error_message="月份须在1至12之间。",
            ),
            models.CheckConstraint(
                condition=~models.Q(state__in=LOCKED_STATES) | ~models.Q(content_hash=""),
                name="monthly_report_locked_has_hash",
                violation_error_message="已报送的统计表必须有内容哈希。",
            ),
        ]
        indexes = [models.Index(fields=["year", "month", "state"], name="monthly_period_state_idx")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年{self.month}月统计表"

    def save(self, *args, **kwargs):
        """Refuse any change to a locked report's content (belt and braces behind the services:
        the state may move on — accepted, returned — but the frozen table may not)."""
        if self.pk:
            stored = (
                MonthlyReport.objects.filter(pk=self.pk)
                .values("state", "snapshot", "content_hash", "manual")
                .first()
            )
            if stored and stored["state"] in LOCKED_STATES:
                changed = (
                    stored["snapshot"] != self.snapshot
                    or stored["content_hash"] != self.content_hash
                    or stored["manual"] != self.manual
                )
                if changed:
                    raise ValidationError("该统计表已报送并锁定，内容不能再修改。")
        super().save(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.state in LOCKED_STATES


class ReportEvent(models.Model):
    """One step in a report's history: saved, submitted (with the hash and the frozen table),
    accepted, returned (with the reason). Kept when a returned report is submitted again."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name="统计表", on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(USER, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT)
    kind = models.CharField("事项", max_length=12, choices=EventKind.choices)
    note = models.TextField("说明", blank=True)
    content_hash = models.CharField("内容哈希", max_length=64, blank=True)
    data = models.JSONField("数据", default=dict, blank=True)

    class Meta:
        verbose_name = "统计表动态"
        verbose_name_plural = "统计表动态"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.get_kind_display()}"
