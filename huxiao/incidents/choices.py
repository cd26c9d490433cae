"""The choices of the incident register (seed §四（五）: 应急处置, 三同步, 发案原因分析和责任倒查)."""

from __future__ import annotations

from django.db import models


class Place(models.TextChoices):
    CAMPUS = "campus", "校内"
    GATE = "gate", "校门口"
    SURROUNDINGS = "surroundings", "校园周边"


class Kind(models.TextChoices):
    ASSAULT = "assault", "侵害师生人身安全案件"
    BULLYING = "bullying", "校园欺凌"
    CASUALTY = "casualty", "学生伤亡事故"
    FOOD = "food", "食品安全事件"
    FIRE = "fire", "火灾"
    HEALTH = "health", "公共卫生事件"
    MASS = "mass", "群体性事件/校闹"
    DISASTER = "disaster", "自然灾害"
    OTHER = "other", "其他"


class Grade(models.TextChoices):
    """The grade of a 突发事件 (一般 / 较大 / 重大 / 特别重大); 较大 and above are reported up at once."""

    GENERAL = "general", "一般"
    LARGER = "larger", "较大"
    MAJOR = "major", "重大"
    ESPECIALLY = "especially", "特别重大"


RANK = {Grade.GENERAL: 1, Grade.LARGER: 2, Grade.MAJOR: 3, Grade.ESPECIALLY: 4}
REPORTED_UP = frozenset({Grade.LARGER, Grade.MAJOR, Grade.ESPECIALLY})  # 逐级报告, 签收
THREE_TRACKS = frozenset({Grade.MAJOR, Grade.ESPECIALLY})  # 三同步 and 责任倒查


class State(models.TextChoices):
    OPEN = "open", "处置中"
    CLOSED = "closed", "已结案"


class Track(models.TextChoices):
    """三同步: 应急指挥, 联动处置 and 舆论引导 go forward together."""

    COMMAND = "command", "应急指挥"
    LINKAGE = "linkage", "联动处置"
    OPINION = "opinion", "舆论引导"


class PersonRole(models.TextChoices):
    VICTIM = "victim", "受害人"
    SUSPECT = "suspect", "嫌疑人/肇事人"
    WITNESS = "witness", "证人/知情人"


class AlarmSource(models.TextChoices):
    ONE_KEY = "one_key", "一键报警"
    CALL_110 = "call_110", "110报警"
    PHONE = "phone", "电话报警"
    PATROL = "patrol", "巡逻发现"


class AlarmNature(models.TextChoices):
    REAL = "real", "真实警情"
    FALSE = "false", "误报"
    TEST = "test", "测试"


class DrillKind(models.TextChoices):
    EVACUATION = "evacuation", "紧急疏散"
    FIRE = "fire", "消防"
    ANTI_TERROR = "anti_terror", "防暴反恐"
    STAMPEDE = "stampede", "防踩踏"
    EARTHQUAKE = "earthquake", "地震"
    DROWNING = "drowning", "防溺水"
    OTHER = "other", "其他"


# The drills that are 疏散演练 (the 三防 rule "每学期至少1次紧急疏散演练" counts them): every drill
# whose point is getting everyone out — evacuation, fire, earthquake, stampede.
EVACUATION_KINDS = frozenset({DrillKind.EVACUATION, DrillKind.FIRE, DrillKind.EARTHQUAKE, DrillKind.STAMPEDE})


class Document(models.TextChoices):
    """Word documents (registered with reports.kinds in apps.py)."""

    CIRCULAR = "incident_circular", "案事件通报"


class NotifyKind(models.TextChoices):
    """Inbox messages (registered in apps.py). Titles carry the school and kind, never a name."""

    REPORTED = "incident_reported", "涉校案事件报告"
    UNACKNOWLEDGED = "incident_unacked", "案事件报告未签收"


AUDIT_ACTIONS = {
    "incidents.report": "报告涉校案事件",
    "incidents.acknowledge": "签收案事件报告",
    "incidents.escalate": "案事件报告超时未签收，逐级催报",
    "incidents.response": "记录三同步处置",
    "incidents.person_add": "登记案事件当事人",
    "incidents.reveal": "查看案事件当事人完整信息",
    "incidents.close": "案事件结案（原因分析、责任倒查）",
    "incidents.circular": "生成案事件通报",
    "incidents.alarm": "登记报警/警情",
    "incidents.drill": "登记应急演练",
}
