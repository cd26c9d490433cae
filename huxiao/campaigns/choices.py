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
