"""Choices of the 专项行动 app."""

from django.db import models


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "筹备中"
    ACTIVE = "active", "实施中"
    CLOSED = "closed", "已总结"


class GroupRole(models.TextChoices):
    LEADER = "leader", "组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "成员"
    OFFICE_DIRECTOR = "office_director", "办公室主任"
    OFFICE_DEPUTY = "office_deputy", "办公室副主任"


class TextKind(models.TextChoices):
    """The numbered parts of a work plan besides its steps: 工作措施 and 工作要求."""

    MEASURE = "measure", "工作措施"
    REQUIREMENT = "requirement", "工作要求"


class TaskStatus(models.TextChoices):
    TODO = "todo", "未开始"
    DOING = "doing", "进行中"
    DONE = "done", "已完成"


class TaskSource(models.TextChoices):
    PLAN = "plan", "工作方案"
    MEETING = "meeting", "会议议定"
    OTHER = "other", "临时交办"


class MeetingKind(models.TextChoices):
    JOINT = "joint", "联席会议"
    MONTHLY = "monthly", "月度会商"


class AlertLevel(models.TextChoices):
    GENERAL = "general", "一般"
    IMPORTANT = "important", "重要"
    URGENT = "urgent", "紧急"


class EntryStatus(models.TextChoices):
    """Where a school stands with a gated phase (e.g. 验收). No record means 未申请."""

    APPLIED = "applied", "已申请"
    PASSED = "passed", "已通过"
    RETURNED = "returned", "已退回"


class NotifyKind(models.TextChoices):
    """The campaign's inbox messages (registered in apps.py)."""

    CAMPAIGN_TASK = "campaign_task", "专项任务"
    RISK_ALERT = "risk_alert", "风险提示"
    ALERT_OVERDUE = "alert_overdue", "风险提示逾期未反馈"
    CIRCULAR = "circular", "通报"


class Document(models.TextChoices):
    """The campaign's Word documents (registered with reports.kinds in apps.py)."""

    SUMMARY = "campaign_summary", "专项行动工作总结"


# What the audit log shows for this app's actions (registered with core.audit in apps.py).
AUDIT_ACTIONS = {
    "campaign.create": "制定专项行动",
    "campaign.update": "修改专项行动",
    "campaign.copy_next_year": "生成下一年度行动",
    "campaign.group_add": "添加领导小组成员",
    "campaign.group_remove": "移除领导小组成员",
    "campaign.participant_add": "添加参与单位",
    "campaign.participant_update": "修改单位职责",
    "campaign.participant_remove": "移除参与单位",
    "campaign.text_add": "添加工作措施/要求",
    "campaign.text_update": "修改工作措施/要求",
    "campaign.text_remove": "删除工作措施/要求",
    "campaign.phase_save": "保存阶段",
    "campaign.phase_remove": "删除阶段",
    "campaign.task_create": "下达任务",
    "campaign.task_progress": "填报任务进展",
    "campaign.task_complete": "完成任务",
    "campaign.task_reopen": "退回任务",
    "campaign.meeting_record": "记录会商",
    "campaign.alert_issue": "发布风险提示",
    "campaign.alert_acknowledge": "签收风险提示",
    "campaign.alert_respond": "反馈风险提示",
    "campaign.alert_escalate": "风险提示逾期上报",
    "campaign.circular_issue": "印发通报",
    "campaign.circular_read": "阅知通报",
    "campaign.entry_apply": "申请进入阶段",
    "campaign.entry_pass": "阶段验收通过",
    "campaign.entry_return": "退回阶段申请",
}
