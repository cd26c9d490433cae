"""Choices of the staff register and its background checks (seed §四（一）二、§四（二）四)."""

from django.db import models


class StaffRole(models.TextChoices):
    TEACHER = "teacher", "教师"
    WORKER = "worker", "其他教职工（行政、后勤、食堂）"
    GUARD = "guard", "专职保安员"
    GATEKEEPER = "gatekeeper", "门卫"
    HOUSEPARENT = "houseparent", "宿管/生活管理教师"


# The 保卫力量: whoever the 派出所 sees (licence status only) and the 三防 engine counts.
GUARD_ROLES = (StaffRole.GUARD, StaffRole.GATEKEEPER)


class Employer(models.TextChoices):
    IN_HOUSE = "in_house", "学校自聘"
    COMPANY = "company", "保安服务公司/劳务派遣"


class CheckKind(models.TextChoices):
    CRIMINAL = "criminal", "无犯罪记录查询"
    SEXUAL = "sexual", "性侵违法犯罪信息查询（入职查询）"
    HEALTH = "health", "精神病史/健康状况"
    OTHER = "other", "其他"


class CheckResult(models.TextChoices):
    PENDING = "pending", "待反馈"
    CLEAR = "clear", "无异常"
    ADVERSE = "adverse", "有异常"


class Decision(models.TextChoices):
    """What the 学区 decides on a 有异常 check (seed: 建议及时调换或调离相关岗位)."""

    REASSIGN = "reassign", "调换岗位"
    REMOVE = "remove", "调离"
    REJECT = "reject", "不予录用"
    RETAIN = "retain", "继续任用"


# Decisions that end the person's work at the school once carried out.
LEAVING_DECISIONS = (Decision.REMOVE, Decision.REJECT)


class Standing(models.TextChoices):
    """A person's background-check standing, as the register shows it."""

    VALID = "valid", "审查有效"
    EXPIRING = "expiring", "即将到期"
    EXPIRED = "expired", "审查过期"
    PENDING = "pending", "待反馈"
    ADVERSE = "adverse", "有异常"
    NONE = "none", "未审查"


class NotifyKind(models.TextChoices):
    CHECK_EXPIRING = "staff_check_expiring", "人员审查即将到期"
    CHECK_ADVERSE = "staff_check_adverse", "人员审查有异常"
    CHECK_DECIDED = "staff_check_decided", "人员审查处理决定"


AUDIT_ACTIONS = {
    "staff.register": "登记教职员工",
    "staff.update": "修改教职员工信息",
    "staff.leave": "登记离岗",
    "staff.training": "登记保安员培训",
    "staff.check": "登记人员审查",
    "staff.result": "登记审查结果",
    "staff.decide": "作出审查处理决定",
    "staff.complete": "落实审查处理决定",
    "staff.reveal": "查看人员审查完整信息",
    "staff.export": "导出教职员工登记",
    "staff.document": "下载人员审查材料",
    "staff.equipment": "登记装备器械检查",
    "staff.night": "安排夜间值守",
    "staff.night_remove": "取消夜间值守",
}
