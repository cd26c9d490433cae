"""The choices of 安全教育 and 法治辅导员 (seed §四（六）: 开学季、安全教育日、禁毒日 … 防火、防电、防溺水 …
反欺凌、反暴力、防不法侵害 … 心理健康教育; 派出所选派民警兼任学校法治辅导员)."""

from __future__ import annotations

from django.db import models


class Occasion(models.TextChoices):
    """The occasion of an activity: the calendar's days (`occasions.occasion_date`) and 其他."""

    SCHOOL_START = "school_start", "开学第一课"
    SAFETY_DAY = "safety_day", "全国中小学生安全教育日"
    ANTI_DRUG = "anti_drug", "6·26国际禁毒日"
    DROWNING = "drowning", "防溺水专题教育（暑期前）"
    FIRE_DAY = "fire_day", "119消防宣传日"
    TRAFFIC_DAY = "traffic_day", "12·2全国交通安全日"
    CONSTITUTION_DAY = "constitution_day", "12·4国家宪法日"
    OTHER = "other", "其他"


class Topic(models.TextChoices):
    FIRE = "fire", "防火"
    ELECTRICITY = "electricity", "防电"
    DROWNING = "drowning", "防溺水"
    TRAFFIC = "traffic", "交通安全"
    BULLYING = "bullying", "反欺凌"
    VIOLENCE = "violence", "反暴力"
    INFRINGEMENT = "infringement", "防不法侵害"
    DRUGS = "drugs", "禁毒"
    MENTAL = "mental", "心理健康"
    FRAUD = "fraud", "防诈骗"
    OTHER = "other", "其他"


class Audience(models.TextChoices):
    STUDENTS = "students", "学生"
    TEACHERS = "teachers", "教师"
    PARENTS = "parents", "家长"


MAX_PHOTOS = 6  # per activity: a few pictures for the 台账, not an album
MAX_HEAD_COUNT = 100_000


class Document(models.TextChoices):
    """Word documents (registered with reports.kinds in apps.py)."""

    LETTER = "counsellor_letter", "法治辅导员聘书"


class NotifyKind(models.TextChoices):
    """Inbox messages (registered in apps.py)."""

    REMIND = "education_remind", "安全教育宣传日提醒"


AUDIT_ACTIONS = {
    "education.activity": "记录安全教育活动",
    "education.appoint": "聘任法治辅导员",
    "education.visit": "记录法治辅导员进校",
    "education.letter": "生成法治辅导员聘书",
}
