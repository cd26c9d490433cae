"""Choices of the monthly 统计表."""

from django.db import models


class ReportState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    ACCEPTED = "accepted", "已审核通过"
    RETURNED = "returned", "已退回"


# A report in these states is locked: its values are the stored snapshot, nothing changes.
LOCKED_STATES = (ReportState.SUBMITTED, ReportState.ACCEPTED)
# A report in these states is still being worked on by its unit (the figures are live).
OPEN_STATES = (ReportState.DRAFT, ReportState.RETURNED)


class EventKind(models.TextChoices):
    SAVED = "saved", "保存手填数据"
    SUBMITTED = "submitted", "报送"
    ACCEPTED = "accepted", "审核通过"
    RETURNED = "returned", "退回"


class UnitLevel(models.TextChoices):
    SCHOOL = "school", "学校（幼儿园）"
    XUEQU = "xuequ", "学区管理中心"
    POLICE = "police", "派出所"
    STREET = "street", "街道"
    DISTRICT = "district", "区"


class NotifyKind(models.TextChoices):
    """The 统计表's inbox messages (registered in apps.py)."""

    MONTHLY_REPORT = "monthly_report", "月度统计表"
    SUBMITTED = "monthly_submitted", "统计表待审核"
    ACCEPTED = "monthly_accepted", "统计表已审核"
    RETURNED = "monthly_returned", "统计表被退回"


# What the audit log shows for this app's actions (registered with core.audit in apps.py).
AUDIT_ACTIONS = {
    "monthly.save": "填写统计表",
    "monthly.submit": "报送统计表",
    "monthly.accept": "审核通过统计表",
    "monthly.return": "退回统计表",
    "monthly.export": "导出统计表",
}
