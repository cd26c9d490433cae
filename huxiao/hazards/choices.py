"""Choices of the hazard loop (DESIGN §5)."""

from django.db import models


class State(models.TextChoices):
    REPORTED = "reported", "待核实"
    OPEN = "open", "待整改"
    RECTIFYING = "rectifying", "整改中"
    SUBMITTED = "submitted", "待验收"
    CLOSED = "closed", "已销号"
    DISMISSED = "dismissed", "不予立案"


# States in which a hazard is still live: it can be overdue, escalate, be on a notice.
LIVE_STATES = (State.REPORTED, State.OPEN, State.RECTIFYING, State.SUBMITTED)
FINAL_STATES = (State.CLOSED, State.DISMISSED)


class Category(models.TextChoices):
    PERSONNEL = "personnel", "人防"
    PHYSICAL = "physical", "物防"
    TECHNICAL = "technical", "技防"
    PROCEDURE = "procedure", "制度"
    FIRE = "fire", "消防"
    FOOD = "food", "食品安全"
    BUILDING = "building", "校舍"
    HAZMAT = "hazmat", "危化品"
    UTILITIES = "utilities", "水电燃气"
    EPIDEMIC = "epidemic", "卫生防疫"
    TRAFFIC = "traffic", "交通"
    SURROUNDINGS = "surroundings", "周边环境"
    OTHER = "other", "其他"


class Severity(models.TextChoices):
    GENERAL = "general", "一般"
    LARGER = "larger", "较大"
    MAJOR = "major", "重大"


class Source(models.TextChoices):
    SELF = "self", "自查"
    SPOT = "spot", "抽查"
    VERIFY = "verify", "核查"
    JOINT = "joint", "联合检查"
    SUPERVISION = "supervision", "督导"
    STANDARD = "standard", "标准比对"
    PUBLIC = "public", "群众反映"
    OTHER = "other", "其他"


class Escalation(models.IntegerChoices):
    NONE = 0, "未督办"
    SUPERVISE = 1, "督办"
    INTERVIEW = 2, "约谈"
    LISTED = 3, "挂牌督办"


class EventKind(models.TextChoices):
    REPORTED = "reported", "登记隐患"
    CONFIRMED = "confirmed", "核实立案"
    DISMISSED = "dismissed", "不予立案"
    NOTICE_ISSUED = "notice_issued", "下发整改通知书"
    NOTICE_SIGNED = "notice_signed", "签收整改通知书"
    STARTED = "started", "开始整改"
    EVIDENCE = "evidence", "上传材料"
    PLAN = "plan", "整改方案"
    TEMP_MEASURES = "temp_measures", "临时防护措施"
    SUBMITTED = "submitted", "提交验收"
    RETURNED = "returned", "退回整改"
    ACCEPTED = "accepted", "验收销号"
    FIXED_ON_SPOT = "fixed_on_spot", "立行立改"
    REOPENED = "reopened", "重新打开"
    EXTENSION_REQUESTED = "extension_requested", "申请延期"
    EXTENSION_APPROVED = "extension_approved", "批准延期"
    EXTENSION_REJECTED = "extension_rejected", "驳回延期"
    ESCALATED = "escalated", "逾期督办升级"
    GAP_RESOLVED = "gap_resolved", "标准比对：差距已消除，待核实"


class Phase(models.TextChoices):
    BEFORE = "before", "整改前"
    AFTER = "after", "整改后"
    OTHER = "other", "其他材料"


class ExtensionState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"


class DocKind(models.TextChoices):
    NOTICE = "notice", "整改通知书"
    SUPERVISION = "supervision", "督办通知书"
    INTERVIEW = "interview", "约谈记录"
    LISTING = "listing", "挂牌督办通知"
    CIRCULAR = "circular", "案事件通报"  # numbered by the same counters (incidents app)


class NotifyKind(models.TextChoices):
    """The hazard loop's inbox messages (registered with `notifications.kinds.KINDS` in apps.py)."""

    ASSIGNED = "assigned", "隐患交办"
    NOTICE_ISSUED = "notice_issued", "收到整改通知书"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"
    SUBMITTED = "submitted", "待验收"
    RETURNED = "returned", "被退回"
    ACCEPTED = "accepted", "已验收"
    ESCALATED = "escalated", "逾期督办"
    EXTENSION = "extension", "延期申请"


class Document(models.TextChoices):
    """The hazard loop's Word documents (registered with reports.kinds in apps.py)."""

    NOTICE = "notice", "限期整改通知书"
    SUPERVISION = "supervision", "督办通知书"
    INTERVIEW = "interview", "约谈记录"
    LISTING = "listing", "挂牌督办通知"
    DOSSIER = "dossier", "隐患整改档案"


# What the audit log shows for this app's actions (registered with core.audit in apps.py).
AUDIT_ACTIONS = {
    "hazard.report": "登记隐患",
    "hazard.confirm": "核实立案",
    "hazard.dismiss": "不予立案",
    "hazard.start": "开始整改",
    "hazard.submit": "提交验收",
    "hazard.return": "退回整改",
    "hazard.accept": "验收销号",
    "hazard.fix_on_spot": "立行立改",
    "hazard.reopen": "重新打开",
    "hazard.evidence": "补充整改材料",
    "hazard.temp_measures": "记录临时防护措施",
    "hazard.plan": "制定重大隐患整改方案",
    "hazard.escalate": "逾期督办升级",
    "hazard.interview_record": "记录约谈",
    "hazard.extension_request": "申请延期",
    "hazard.extension_approve": "批准延期",
    "hazard.extension_reject": "驳回延期",
    "hazard.export": "导出隐患台账",
    "notice.issue": "下发整改通知书",
    "notice.sign": "签收整改通知书",
}
