"""Choices of the inspections app (issue 4 items 5–7)."""

from django.db import models


class AnswerType(models.TextChoices):
    PASS_FAIL = "pass_fail", "合格/不合格/不适用"
    NUMBER = "number", "数值"
    TEXT = "text", "文字"
    PHOTO = "photo", "照片"


class Result(models.TextChoices):
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"
    NA = "na", "不适用"


class HazardMode(models.TextChoices):
    NONE = "none", "不生成隐患"
    AUTO = "auto", "提交时自动生成隐患"
    ONE_CLICK = "one_click", "提交后一键转为隐患"


class Kind(models.TextChoices):
    """Inspection kinds; each maps to the hazard `Source` of its findings (SOURCE_OF)."""

    SELF = "self", "自查"
    SPOT = "spot", "抽查"
    VERIFY = "verify", "核查"
    JOINT = "joint", "联合检查/验收"
    SUPERVISION = "supervision", "督导"


# Kinds that count as supervision inspections (督导检查) for the ≥2-per-semester rule.
SUPERVISION_KINDS = (Kind.SPOT, Kind.VERIFY, Kind.JOINT, Kind.SUPERVISION)

# The hazard register's Source value for findings of each kind (hazards.choices.Source).
SOURCE_OF = {
    Kind.SELF: "self",
    Kind.SPOT: "spot",
    Kind.VERIFY: "verify",
    Kind.JOINT: "joint",
    Kind.SUPERVISION: "supervision",
}


class State(models.TextChoices):
    DRAFT = "draft", "填写中"
    SUBMITTED = "submitted", "已提交"


class Domain(models.TextChoices):
    """What a checklist covers (the seed plan's 三防 and the six areas it names)."""

    SANFANG = "sanfang", "校园三防"
    FIRE = "fire", "消防安全"
    FOOD = "food", "食品安全"
    BUILDING = "building", "校舍安全"
    HAZMAT = "hazmat", "危化品"
    UTILITIES = "utilities", "水电燃气"
    EPIDEMIC = "epidemic", "卫生防疫"
    SURROUNDINGS = "surroundings", "周边环境"
    OTHER = "other", "其他"


class NotifyKind(models.TextChoices):
    """The inspections' inbox messages (registered in apps.py)."""

    INSPECTION_PLAN = "inspection_plan", "检查计划提醒"


# What the audit log shows for this app's actions (registered with core.audit in apps.py).
AUDIT_ACTIONS = {
    "checklist.seed": "载入检查表",
    "checklist.revise": "修订检查表",
    "checklist.item_save": "编辑检查项",
    "checklist.item_move": "调整检查项顺序",
    "checklist.publish": "发布检查表",
    "inspection.create": "开始检查",
    "inspection.answer": "填写检查项",
    "inspection.answer_hazard": "检查项转为隐患",
    "inspection.photo_add": "上传检查照片",
    "inspection.photo_remove": "删除检查照片",
    "inspection.sign": "联合检查签署",
    "inspection.submit": "提交检查",
    "inspection_plan.create": "制定检查计划",
    "inspection_plan.entry_add": "添加计划条目",
    "inspection_plan.entry_remove": "删除计划条目",
    "inspection_plan.remind": "检查计划提醒",
    "inspections.frequency_rule.save": "设置检查频次",
    "inspections.frequency_rule.delete": "删除检查频次规则",
}
