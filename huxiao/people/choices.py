"""Choices of the two sensitive registers."""

from django.db import models


class Risk(models.TextChoices):
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


class PersonStatus(models.TextChoices):
    LISTED = "listed", "在册"
    LOST = "lost", "失控"
    DELISTED = "delisted", "撤销列管"


class StatGroup(models.TextChoices):
    """The 统计表's groups of key persons (research/regulations.md §3, item 17)."""

    MENTAL = "mental", "肇事肇祸精神障碍"
    DRUG = "drug", "吸毒"
    RELEASED = "released", "刑满释放/社区矫正"
    PETITION = "petition", "涉校信访"
    OTHER = "other", "其他"


class FoundState(models.TextChoices):
    """What a 走访核查 found."""

    IN_CONTROL = "in_control", "在控，情况稳定"
    CONCERN = "concern", "在控，有异常动态"
    LOST = "lost", "失控（去向不明）"


class MeasureKind(models.TextChoices):
    GUARDIAN = "guardian", "监护落实"
    MEDICAL = "medical", "送医/治疗"
    CORRECTION = "correction", "社区矫正衔接"
    SUPPORT = "support", "帮扶救助"
    CONTROL = "control", "稳控"
    OTHER = "other", "其他"


class DisputeCategory(models.TextChoices):
    EPIDEMIC = "epidemic", "疫情影响"
    ENROLMENT = "enrolment", "招生入学"
    TEACHING = "teaching", "教学管理"
    CASUALTY = "casualty", "学生伤亡"
    FOOD = "food", "食品安全"
    BULLYING = "bullying", "校园欺凌"
    OTHER = "other", "其他"


class DisputeSource(models.TextChoices):
    VISIT = "visit", "走访排查"
    PUBLIC = "public", "群众反映"
    SCHOOL = "school", "学校报告"
    CALL = "call", "110接处警"
    REFERRAL = "referral", "部门移交"
    OTHER = "other", "其他"


class Outcome(models.TextChoices):
    OPEN = "open", "在调"
    RESOLVED = "resolved", "化解"
    TRANSFERRED = "transferred", "移交"
    ENDED = "ended", "终止"


CLOSED_OUTCOMES = (Outcome.RESOLVED, Outcome.TRANSFERRED, Outcome.ENDED)


class EventKind(models.TextChoices):
    LISTED = "listed", "列管"
    UPDATED = "updated", "修改档案"
    RISK = "risk", "调整风险等级"
    LOST = "lost", "失控"
    FOUND = "found", "查找落地"
    DELISTED = "delisted", "撤销列管"
    ERASED = "erased", "到期删除个人信息"


class NotifyKind(models.TextChoices):
    """The registers' inbox messages (registered in apps.py). Titles never carry a name."""

    REVIEW_DUE = "people_review", "重点人员走访核查到期"
    PERSON_LOST = "people_lost", "重点人员失控"
    THREAT = "dispute_threat", "扬言报复矛盾纠纷"
    STABILISE_OVERDUE = "dispute_stabilise", "稳控措施逾期"


AUDIT_ACTIONS = {
    "people.person_register": "登记重点人员",
    "people.person_update": "修改重点人员档案",
    "people.person_risk": "调整重点人员风险等级",
    "people.visit": "重点人员走访核查",
    "people.measure": "记录管控救助措施",
    "people.person_lost": "重点人员失控",
    "people.person_found": "重点人员查找落地",
    "people.person_delist": "重点人员撤销列管",
    "people.person_erase": "到期删除重点人员个人信息",
    "people.reveal": "查看敏感完整信息",
    "people.export": "导出敏感登记",
    "people.interval_set": "设置走访核查周期",
    "people.category_save": "维护重点人员类别",
    "people.dispute_register": "登记矛盾纠纷",
    "people.dispute_update": "修改矛盾纠纷",
    "people.dispute_threat": "标记扬言报复",
    "people.mediation": "记录调解",
    "people.stabilise": "记录稳控措施",
    "people.dispute_close": "矛盾纠纷结案",
    "people.dispute_hazard": "矛盾纠纷转为隐患",
}
