"""Choices for the school registry and the 三防 security profile."""

from django.db import models


class SchoolType(models.TextChoices):
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中"
    NINE_YEAR = "nine_year", "九年一贯制"
    COMPLETE = "complete", "完全中学"
    KINDERGARTEN = "kindergarten", "幼儿园"
    SPECIAL = "special", "特殊教育"
    VOCATIONAL = "vocational", "中职"


class Ownership(models.TextChoices):
    PUBLIC = "public", "公办"
    PRIVATE = "private", "民办"


class Barrier(models.TextChoices):
    WALL = "wall", "围墙"
    FENCE = "fence", "金属栅栏"
    MIXED = "mixed", "围墙与栅栏结合"
    OTHER = "other", "其他实体屏障"
    NONE = "none", "无"


class GuardEquipment(models.TextChoices):
    HELMET = "helmet", "头盔"
    STAB_VEST = "stab_vest", "防刺背心"
    CUT_GLOVES = "cut_gloves", "防割手套"
    RESTRAINT_FORK = "restraint_fork", "钢叉（安全叉）"
    RUBBER_BATON = "rubber_baton", "橡胶警棍"
    TORCH = "torch", "强光手电"
    RADIO = "radio", "对讲机"
    SHIELD = "shield", "盾牌"
    SPRAY = "spray", "防卫喷雾"


class AntiRam(models.TextChoices):
    BARRICADE = "barricade", "拒马"
    BOLLARD_BLOCK = "bollard_block", "隔离墩"
    RISING_BOLLARD = "rising_bollard", "升降柱"
    RAILING = "railing", "隔离栏"


class CameraArea(models.TextChoices):
    """Areas GB/T 29315-2022 Annex A (draft) lists for video coverage."""

    GATE_OUTSIDE = "gate_outside", "校门外及主出入口"
    GATEHOUSE = "gatehouse", "门卫室"
    ACTIVITY = "activity", "室外人员集中活动区"
    TEACHING = "teaching", "教学区主要通道和出入口"
    DORMITORY = "dormitory", "宿舍楼主要出入口"
    CANTEEN = "canteen", "食堂操作间和出入口"
    LAB_STORE = "lab_store", "危化品储存室、实验室"
    CLASSROOMS = "classrooms", "幼儿活动室、寝室"


# Types that count as kindergartens (their own organisation kind and a few rules).
KINDERGARTEN_TYPES = {SchoolType.KINDERGARTEN}


# What the audit log shows for this app's actions (registered with core.audit in apps.py).
AUDIT_ACTIONS = {
    "school.create": "登记学校",
    "school.update": "修改学校信息",
    "school.archive": "学校归档",
    "school.export": "导出学校名录",
    "school.import": "导入学校名录",
    "school.link_organisation": "关联学校单位",
    "profile.file": "填报三防档案",
}
