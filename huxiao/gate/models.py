"""The school's gate log (门卫登记) — seed §四（二）四: "要健全外来人员、车辆登记以及学生、幼儿接送等安全
管理和安全检查制度，严禁未经许可人员进入校园，严防将管制刀具、易燃易爆等危险物品带入校园".

The 门卫 registers every visitor and vehicle that comes in (with the 安检 done at the gate and
anything found), taps 离校 when they leave, and records a 接送异常 — a child collected by
someone other than the usual person, approved by the class teacher. A visitor's or collector's
身份证号 and a child's name are stored encrypted (`core.crypto`, the staff register's mechanism),
with a blind index on the 身份证号 so the 派出所 can find a person by an exact number without
decrypting the table; plates are stored normalised (渝A12345) for the same search.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from huxiao.core.models import Encrypted, Submitted, Versioned, submitted_once
from huxiao.gate.choices import Relation
from huxiao.gate.querysets import EntryQuerySet, PickupQuerySet
from huxiao.schools.models import School

USER = settings.AUTH_USER_MODEL


def left_after_entry(prefix: str) -> models.CheckConstraint:
    """An entry's 离校 time, once tapped, is not before its 入校 time."""
    return models.CheckConstraint(
        condition=Q(left_at__isnull=True) | Q(left_at__gte=F("entered_at")),
        name=f"{prefix}_left_after_entry",
        violation_error_message="离校时间不能早于入校时间。",
    )


class GateEntry(Submitted, Versioned):
    """What a visitor's and a vehicle's entry share: why they came, when they came in, when they
    left (`left_at` stays empty until the 门卫 taps 离校; two phones tapping it at once: the
    version settles who was first), the 安检 done, who logged it. Each kind names its own `school`
    (its own reverse name) and its constraints and index, named after it."""

    reason = models.CharField("事由", max_length=100)
    entered_at = models.DateTimeField("入校时间")
    left_at = models.DateTimeField("离校时间", null=True, blank=True)
    screened = models.BooleanField("已安检", default=True)
    screening_note = models.CharField("安检情况/备注", max_length=200, blank=True)
    logged_by = models.ForeignKey(
        USER, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-entered_at", "-pk"]


class VisitorEntry(Encrypted, GateEntry):
    """One visitor let in at the gate: who, why, to see whom, the 安检 done."""

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="gate_visitors"
    )
    name = models.CharField("姓名", max_length=50)
    id_number_enc = models.TextField("身份证号（密文）", blank=True)
    id_index = models.CharField("身份证号检索键", max_length=64, blank=True, db_index=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    host = models.CharField("被访人/部门", max_length=50)

    class Meta(GateEntry.Meta):
        verbose_name = "来访人员登记"
        verbose_name_plural = "来访人员登记"
        constraints = [
            submitted_once("gate_visitor"),
            left_after_entry("gate_visitor"),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(reason=""),
                name="gate_visitor_named_with_reason",
                violation_error_message="来访人员须登记姓名和事由。",
            ),
        ]
        indexes = [models.Index(fields=["school", "entered_at"], name="gate_visitor_school_time")]

    def __str__(self) -> str:
        return f"来访登记#{self.pk}"

    @property
    def kind(self) -> str:
        return "visitor"


class VehicleEntry(GateEntry):
    """One vehicle let in at the gate (a delivery, a repair van, a parent's car on a rainy day)."""

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="gate_vehicles"
    )
    plate = models.CharField("车牌号", max_length=10, db_index=True)
    driver = models.CharField("驾驶人", max_length=50)

    class Meta(GateEntry.Meta):
        verbose_name = "外来车辆登记"
        verbose_name_plural = "外来车辆登记"
        constraints = [
            submitted_once("gate_vehicle"),
            left_after_entry("gate_vehicle"),
            models.CheckConstraint(
                condition=~Q(plate=""),
                name="gate_vehicle_plate_given",
                violation_error_message="外来车辆须登记车牌号。",
            ),
        ]
        indexes = [models.Index(fields=["school", "entered_at"], name="gate_vehicle_school_time")]

    def __str__(self) -> str:
        return f"车辆登记#{self.pk}"

    @property
    def kind(self) -> str:
        return "vehicle"


class PickupException(Encrypted, Submitted):
    """接送异常: a child collected by someone other than the usual person (or at an unusual time),
    with who approved it — the class teacher, as a rule. The child is a minor: the name is stored
    encrypted and shown masked; the class is kept plain so the school can find the record."""

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="gate_pickups"
    )
    child_class = models.CharField("班级", max_length=30)
    child_name_enc = models.TextField("学生姓名（密文）")
    picked_up_by = models.CharField("接走人姓名", max_length=50)
    relation = models.CharField("与学生关系", max_length=12, choices=Relation.choices)
    id_number_enc = models.TextField("接走人身份证号（密文）", blank=True)
    id_index = models.CharField("接走人身份证号检索键", max_length=64, blank=True, db_index=True)
    approved_by = models.CharField("审批人", max_length=50)
    note = models.CharField("情况说明", max_length=200, blank=True)
    at = models.DateTimeField("接走时间")
    logged_by = models.ForeignKey(
        USER, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PickupQuerySet.as_manager()

    class Meta:
        verbose_name = "接送异常登记"
        verbose_name_plural = "接送异常登记"
        ordering = ["-at", "-pk"]
        constraints = [
            submitted_once("gate_pickup"),
            models.CheckConstraint(
                condition=~Q(approved_by=""),
                name="gate_pickup_approved",
                violation_error_message="接送异常须注明审批人（如班主任）。",
            ),
        ]
        indexes = [models.Index(fields=["school", "at"], name="gate_pickup_school_time")]

    def __str__(self) -> str:
        return f"接送异常#{self.pk}"
