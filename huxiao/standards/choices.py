"""Choices of the 三防 standards engine."""

from django.db import models


class Level(models.TextChoices):
    NATIONAL = "national", "国家基线"
    PROVINCE = "province", "省级"
    DISTRICT = "district", "区县级"
    TOWNSHIP = "township", "街道乡镇级"


# Resolution order: national → province → district.
LEVEL_ORDER: dict[str, int] = {Level.NATIONAL: 0, Level.PROVINCE: 1, Level.DISTRICT: 2, Level.TOWNSHIP: 3}


class Category(models.TextChoices):
    PERSONNEL = "personnel", "人防"
    PHYSICAL = "physical", "物防"
    TECHNICAL = "technical", "技防"
    PROCEDURE = "procedure", "制度"
    INSPECTION = "inspection", "检查"
    DUTY_POST = "duty_post", "护学岗"


# The hazard category a failed 应 rule of each category raises (hazards.choices.Category
# values). 检查 and 护学岗 rules raise none: inspection counts are progress during a semester
# (the inspections app lists schools behind), and a 护学岗 is the police station's post, not
# something the school can rectify — both count in the rates instead.
HAZARD_CATEGORY = {
    Category.PERSONNEL: "personnel",
    Category.PHYSICAL: "physical",
    Category.TECHNICAL: "technical",
    Category.PROCEDURE: "procedure",
}


class Severity(models.TextChoices):
    SHALL = "shall", "应"  # mandatory: a failure is a gap and raises a hazard
    SHOULD = "should", "宜"  # advisory: shown as advice, never a hazard


class Confidence(models.TextChoices):
    HIGH = "high", "高"
    MED = "med", "中"
    LOW = "low", "低"


class Status(models.TextChoices):
    PASS = "pass", "达标"
    FAIL = "fail", "未达标"
    UNKNOWN = "unknown", "无法判定"


class NotifyKind(models.TextChoices):
    """The standards engine's inbox messages (registered in apps.py)."""

    GAP_RESOLVED = "gap_resolved", "差距已消除待核实"


# What the audit log shows for this app's actions (registered with core.audit in apps.py).
AUDIT_ACTIONS = {
    "standards.seed": "载入标准规则",
    "standards.evaluate": "三防达标评估",
    "standards.rule_revise": "修订标准规则",
    "standards.gap_resolved": "差距已消除待核实",
    "standards.export": "导出三防达标表",
}
