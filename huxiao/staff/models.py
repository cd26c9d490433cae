"""The school's staff register and its background checks (人员审查) — seed §四（一）二: "学区管理中心
要加强对教职员工身份背景的核查 … 特别要指导学校、幼儿园加强对校园保安员、门卫等安全保卫人员严格审查，
严把准入关"; §四（二）四: "保安员要经岗前培训后持证上岗。寄宿制校园要增配专职保安员和生活管理教师".

The school keeps the register; its 学区 reads it and decides on a 有异常 check; the 派出所 sees
the guards' licence status only. The 身份证号, a check's finding and its scanned document are
stored encrypted (`core.crypto`, the key-persons register's mechanism); a check's result is a
plain column so the overdue and 有异常 lists are queries — it is read only through the register's
scope, which the 系统管理员 and the police never reach.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from huxiao.core.models import Encrypted, StoredPhoto, Submitted, Versioned, submitted_once
from huxiao.schools.choices import GuardEquipment
from huxiao.schools.models import School
from huxiao.staff.choices import CheckKind, CheckResult, Decision, Employer, StaffRole
from huxiao.staff.querysets import (
    CheckQuerySet,
    EquipmentQuerySet,
    NightDutyQuerySet,
    StaffQuerySet,
    TrainingQuerySet,
)

USER = settings.AUTH_USER_MODEL


class StaffMember(Encrypted, Submitted, Versioned):
    """One person working at a school: a teacher, a worker, a guard, a 门卫 or a 宿管. A guard
    carries the 保安员证 and the 岗前培训 on this row; a person who has left stays, with the day."""

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="staff_members"
    )
    name = models.CharField("姓名", max_length=50)
    id_number_enc = models.TextField("身份证号（密文）", blank=True)
    id_index = models.CharField("身份证号检索键", max_length=64, blank=True, db_index=True)
    role = models.CharField("岗位", max_length=12, choices=StaffRole.choices)
    employer = models.CharField(
        "用工方式", max_length=10, choices=Employer.choices, default=Employer.IN_HOUSE
    )
    company = models.CharField("保安服务公司/派遣单位", max_length=100, blank=True)
    contract = models.CharField("服务合同编号", max_length=60, blank=True)
    contract_until = models.DateField("合同截止日期", null=True, blank=True)
    started_on = models.DateField("到岗日期")
    left_on = models.DateField("离岗日期", null=True, blank=True)
    left_reason = models.CharField("离岗原因", max_length=200, blank=True)
    # 保安员 (guards and 门卫)
    licence_number = models.CharField("保安员证编号", max_length=40, blank=True)
    licence_authority = models.CharField("发证机关", max_length=60, blank=True)
    licence_issued_on = models.DateField("发证日期", null=True, blank=True)
    licence_valid_until = models.DateField("证件有效期至", null=True, blank=True)
    pretraining_on = models.DateField("岗前培训日期", null=True, blank=True)
    pretraining_hours = models.PositiveSmallIntegerField("岗前培训学时", null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        verbose_name = "教职员工"
        verbose_name_plural = "教职员工"
        ordering = ["school", "role", "name", "pk"]
        constraints = [
            submitted_once("staff_member"),
            models.UniqueConstraint(
                fields=["school", "id_index"],
                condition=Q(left_on__isnull=True) & ~Q(id_index=""),
                name="staff_member_on_duty_once",
                violation_error_message="该身份证号的人员已在本校在岗登记，请勿重复登记。",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("started_on")),
                name="staff_member_left_after_start",
                violation_error_message="离岗日期不能早于到岗日期。",
            ),
        ]
        indexes = [models.Index(fields=["school", "left_on"], name="staff_member_school_left")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"

    @property
    def on_duty(self) -> bool:
        return self.left_on is None

    @property
    def is_guard(self) -> bool:
        return self.role in (StaffRole.GUARD, StaffRole.GATEKEEPER)

    def licence_valid(self, on: dt.date) -> bool:
        """A 保安员证 recorded, issued by `on`, and not past its validity (none given: it does not
        expire — the 保安员证 is issued for life unless revoked); `querysets.licence_valid_q` is
        the same rule in SQL."""
        if not self.licence_number or (self.licence_issued_on and self.licence_issued_on > on):
            return False
        return self.licence_valid_until is None or self.licence_valid_until >= on

    def trained(self, on: dt.date) -> bool:
        return self.pretraining_on is not None and self.pretraining_on <= on


class Training(models.Model):
    """A guard's yearly training (日常管理培训), after the 岗前培训 kept on the person."""

    member = models.ForeignKey(
        StaffMember, verbose_name="人员", on_delete=models.CASCADE, related_name="trainings"
    )
    trained_on = models.DateField("培训日期")
    hours = models.PositiveSmallIntegerField("学时")
    content = models.CharField("培训内容", max_length=200)
    created_by = models.ForeignKey(USER, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = "保安员培训"
        verbose_name_plural = "保安员培训"
        ordering = ["-trained_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=1),
                name="staff_training_hours",
                violation_error_message="学时至少为1。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.trained_on} {self.content}"


class BackgroundCheck(Encrypted, Submitted, Versioned):
    """One 人员审查 of one person: requested, answered (无异常 / 有异常), valid for a period; a
    有异常 answer waits for the 学区's decision, which the school then carries out."""

    member = models.ForeignKey(
        StaffMember, verbose_name="人员", on_delete=models.PROTECT, related_name="checks"
    )
    kind = models.CharField("审查类别", max_length=10, choices=CheckKind.choices)
    requested_on = models.DateField("申请/查询日期")
    requested_by = models.ForeignKey(USER, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    result = models.CharField("结果", max_length=10, choices=CheckResult.choices, default=CheckResult.PENDING)
    result_on = models.DateField("结果日期", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True, db_index=True)
    finding_enc = models.TextField("异常情况（密文）", blank=True)
    document_enc = models.FileField("审查材料（密文）", upload_to="staff/", blank=True)
    decision = models.CharField("处理决定", max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.CharField("决定理由", max_length=300, blank=True)
    decided_by = models.ForeignKey(
        USER, verbose_name="决定人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    completed_on = models.DateField("落实日期", null=True, blank=True)
    completed_note = models.CharField("落实情况", max_length=300, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = CheckQuerySet.as_manager()

    class Meta:
        verbose_name = "人员审查"
        verbose_name_plural = "人员审查"
        ordering = ["-requested_on", "-pk"]
        constraints = [
            submitted_once("staff_check"),
            models.CheckConstraint(
                condition=Q(result="pending") | Q(result_on__isnull=False),
                name="staff_check_result_dated",
                violation_error_message="审查结果须注明结果日期。",
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(result="adverse"),
                name="staff_check_decision_on_adverse",
                violation_error_message="只有有异常的审查需要作出处理决定。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_result_display()}）"

    @property
    def awaiting_decision(self) -> bool:
        return self.result == CheckResult.ADVERSE and not self.decision

    @property
    def awaiting_completion(self) -> bool:
        return bool(self.decision) and self.decision != Decision.RETAIN and self.completed_on is None


class EquipmentCheck(Submitted):
    """One check of one kind of the school's 安全防护装备器械 (seed: 配齐安全叉、橡胶棒等必要的安全
    防护装备器械): how many there are, how many work, on which day, with a photo. The latest check
    of a kind is the school's current stock; older ones are its history."""

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="equipment_checks"
    )
    kind = models.CharField("装备器械", max_length=20, choices=GuardEquipment.choices)
    count = models.PositiveSmallIntegerField("数量")
    working = models.PositiveSmallIntegerField("完好数")
    checked_on = models.DateField("检查日期")
    note = models.CharField("说明", max_length=200, blank=True)
    checked_by = models.ForeignKey(USER, verbose_name="检查人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = EquipmentQuerySet.as_manager()

    class Meta:
        verbose_name = "装备器械检查"
        verbose_name_plural = "装备器械检查"
        ordering = ["school", "kind", "-checked_on", "-pk"]
        constraints = [
            submitted_once("staff_equipment"),
            models.CheckConstraint(
                condition=Q(working__lte=models.F("count")),
                name="staff_equipment_working_le_count",
                violation_error_message="完好数不能大于数量。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.working}/{self.count}"


class EquipmentPhoto(StoredPhoto):
    """The photo taken at an equipment check."""

    UPLOAD_DIR = "staff"

    check_record = models.OneToOneField(
        EquipmentCheck, verbose_name="检查", on_delete=models.PROTECT, related_name="photo"
    )

    class Meta:
        verbose_name = "装备器械照片"
        verbose_name_plural = "装备器械照片"

    def __str__(self) -> str:
        return f"{self.check_record_id} 照片"


class NightDuty(models.Model):
    """One person of the register on night duty at a boarding school for one night (seed: 寄宿制
    校园要增配专职保安员和生活管理教师，24小时值班值守)."""

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="night_duties"
    )
    night = models.DateField("值守日期（当晚）")
    member = models.ForeignKey(
        StaffMember, verbose_name="值守人员", on_delete=models.PROTECT, related_name="nights"
    )
    created_by = models.ForeignKey(USER, verbose_name="安排人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("安排时间", auto_now_add=True)

    objects = NightDutyQuerySet.as_manager()

    class Meta:
        verbose_name = "夜间值守"
        verbose_name_plural = "夜间值守"
        ordering = ["night", "member__role", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "night"],
                name="staff_night_once",
                violation_error_message="该人员当晚已安排值守。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.night} {self.member}"
