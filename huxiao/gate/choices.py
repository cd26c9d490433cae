"""Choices of the gate log (门卫登记) — seed §四（二）四: "要健全外来人员、车辆登记以及学生、幼儿接送等
安全管理和安全检查制度，严禁未经许可人员进入校园，严防将管制刀具、易燃易爆等危险物品带入校园"."""

from django.db import models


class Relation(models.TextChoices):
    """Who collects a child outside the usual arrangement (接送异常), as the child's family says."""

    FATHER = "father", "父亲"
    MOTHER = "mother", "母亲"
    GRANDPARENT = "grandparent", "祖父母/外祖父母"
    RELATIVE = "relative", "其他亲属"
    NEIGHBOUR = "neighbour", "邻居/朋友"
    CARER = "carer", "托管机构"
    OTHER = "other", "其他"


class EntryKind(models.TextChoices):
    """The two kinds of entry that stay open until 离校 is tapped."""

    VISITOR = "visitor", "访客"
    VEHICLE = "vehicle", "车辆"


class LogKind(models.TextChoices):
    """What the month view of the log lists."""

    VISITOR = "visitor", "访客"
    VEHICLE = "vehicle", "车辆"
    PICKUP = "pickup", "接送异常"


class SearchKind(models.TextChoices):
    """What the police searched by (the audit event says which, never the key in clear)."""

    PLATE = "plate", "车牌号"
    ID_NUMBER = "id_number", "身份证号"


AUDIT_ACTIONS = {
    "gate.visitor": "门卫登记来访人员",
    "gate.vehicle": "门卫登记外来车辆",
    "gate.pickup": "门卫登记接送异常",
    "gate.leave": "门卫登记离校",
    "gate.search": "派出所查询门卫登记（车牌号或身份证号）",
}
