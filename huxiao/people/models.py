"""The two sensitive registers of the 派出所 (seed §四（二）二、三; DESIGN §3 `people/`, §4.7).

Every field that identifies a person or describes health, drug use, petitions or criminal
records is stored encrypted (`*_enc`, a Fernet token — `core.crypto`); a keyed hash beside the
name and the 身份证号 (`*_index`) lets the station find a person by exact value. Models read the
plain text only through `person.plain("name")`, which decrypts on demand; pages show the masked
form unless the user asked to see the full record with a reason (`services.person_reveal`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from huxiao.core.models import Encrypted, Organisation, Region, Submitted, Versioned, submitted_once
from huxiao.people.choices import (
    DisputeCategory,
    DisputeSource,
    EventKind,
    FoundState,
    MeasureKind,
    Outcome,
    PersonStatus,
    Risk,
    StatGroup,
)
from huxiao.people.querysets import (
    DisputeQuerySet,
    PersonChildQuerySet,
    PersonQuerySet,
    ReviewIntervalQuerySet,
)
from huxiao.schools.models import School

USER = settings.AUTH_USER_MODEL


class Category(models.Model):
    """A kind of key person (the seed's list, editable), with the 统计表 group it counts in."""

    name = models.CharField("类别", max_length=40, unique=True)
    stat_group = models.CharField("统计表分组", max_length=10, choices=StatGroup.choices)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "重点人员类别"
        verbose_name_plural = "重点人员类别"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class ReviewInterval(Versioned):
    """How often a key person is visited (滚动排查), by risk level, for a region and everything below
    it without its own; the platform default is 7 / 30 / 90 days."""

    region = models.OneToOneField(Region, verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    high_days = models.PositiveSmallIntegerField("高风险（天）", default=7)
    medium_days = models.PositiveSmallIntegerField("中风险（天）", default=30)
    low_days = models.PositiveSmallIntegerField("低风险（天）", default=90)
    updated_by = models.ForeignKey(
        USER, verbose_name="设置人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("设置时间", auto_now=True)

    objects = ReviewIntervalQuerySet.as_manager()

    class Meta:
        verbose_name = "走访核查周期"
        verbose_name_plural = "走访核查周期"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(high_days__gte=1, medium_days__gte=1, low_days__gte=1),
                name="review_interval_positive",
                violation_error_message="走访核查周期至少为1天。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region}走访核查周期"

    def days_for(self, risk: str) -> int:
        days: dict[str, int] = {Risk.HIGH: self.high_days, Risk.MEDIUM: self.medium_days}
        return days.get(risk, self.low_days)


class KeyPerson(Encrypted, Submitted, Versioned):
    """A 重点人员 kept by one 派出所: who (encrypted), where (the region and the schools near the
    address), how dangerous, who answers for him, when he must next be visited."""

    station = models.ForeignKey(
        Organisation, verbose_name="责任派出所", on_delete=models.PROTECT, related_name="key_persons"
    )
    officer = models.ForeignKey(USER, verbose_name="责任民警", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name="居住地区划", on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        Category, verbose_name="类别", on_delete=models.PROTECT, related_name="persons"
    )
    risk = models.CharField("风险等级", max_length=10, choices=Risk.choices, default=Risk.MEDIUM)
    status = models.CharField(
        "状态", max_length=10, choices=PersonStatus.choices, default=PersonStatus.LISTED
    )
    # encrypted personal fields (Fernet tokens) and the blind indexes for exact search
    name_enc = models.TextField("姓名（密文）")
    id_number_enc = models.TextField("身份证号（密文）", blank=True)
    phone_enc = models.TextField("联系电话（密文）", blank=True)
    address_enc = models.TextField("住址（密文）", blank=True)
    position_enc = models.TextField("住址坐标（密文）", blank=True)
    guardian_enc = models.TextField("监护人/帮扶责任人（密文）", blank=True)
    notes_enc = models.TextField("基本情况（密文）", blank=True)
    photo_enc = models.FileField("照片（密文）", upload_to="people/", blank=True)
    name_index = models.CharField("姓名检索键", max_length=64, db_index=True)
    id_index = models.CharField("身份证号检索键", max_length=64, blank=True, db_index=True)
    listed_on = models.DateField("列管日期")
    review_due = models.DateField("下次走访核查", db_index=True)
    lost_since = models.DateTimeField("失控时间", null=True, blank=True)
    delisted_on = models.DateField("撤销列管日期", null=True, blank=True)
    erased_at = models.DateTimeField("个人信息删除时间", null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    schools: models.ManyToManyField = models.ManyToManyField(
        School, through="PersonSchool", related_name="+", verbose_name="关联学校"
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "重点人员"
        verbose_name_plural = "重点人员"
        ordering = ["review_due", "pk"]
        indexes = [models.Index(fields=["station", "status", "review_due"], name="person_station_due_idx")]
        constraints = [
            submitted_once("person"),
            models.UniqueConstraint(
                fields=["id_index"],
                condition=~models.Q(id_index="") & ~models.Q(status=PersonStatus.DELISTED),
                name="person_listed_once",
                violation_error_message="该身份证号已在册。",
            ),
        ]

    def __str__(self) -> str:
        return self.code  # never the name: str() ends up in logs, audit rows and messages

    @property
    def code(self) -> str:
        """ZD2026-000012: the reference used in messages, the audit log and the 统计表 — no name."""
        return f"ZD{self.listed_on:%Y}-{self.pk or 0:06d}"

    @property
    def is_live(self) -> bool:
        return self.status != PersonStatus.DELISTED


class PersonSchool(models.Model):
    """A school near the person's address (within the surroundings radius) or chosen by the officer."""

    person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="school_links")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="key_person_links")
    distance_m = models.PositiveIntegerField("距离（米）", null=True, blank=True)
    chosen = models.BooleanField("人工指定", default=False)

    class Meta:
        verbose_name = "重点人员关联学校"
        verbose_name_plural = "重点人员关联学校"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "school"],
                name="person_school_unique",
                violation_error_message="已关联该学校。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.school}"


class Visit(Encrypted, Submitted):
    """A 走访核查: when, by whom, what state the person was found in, the 动态 (encrypted)."""

    person = models.ForeignKey(KeyPerson, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField("走访日期")
    officer = models.ForeignKey(USER, verbose_name="走访人", on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey(Organisation, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    found = models.CharField("核查情况", max_length=12, choices=FoundState.choices)
    dynamics_enc = models.TextField("现实动态（密文）", blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PersonChildQuerySet.as_manager()

    class Meta:
        verbose_name = "走访核查"
        verbose_name_plural = "走访核查"
        ordering = ["-visited_on", "-pk"]
        constraints = [submitted_once("visit")]

    def __str__(self) -> str:
        return f"{self.person} 走访 {self.visited_on}"


class Measure(Encrypted, Submitted):
    """A 管控救助措施 taken for the person."""

    person = models.ForeignKey(KeyPerson, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField("措施", max_length=12, choices=MeasureKind.choices)
    taken_on = models.DateField("日期")
    detail_enc = models.TextField("具体情况（密文）", blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PersonChildQuerySet.as_manager()

    class Meta:
        verbose_name = "管控救助措施"
        verbose_name_plural = "管控救助措施"
        ordering = ["-taken_on", "-pk"]
        constraints = [submitted_once("measure")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"


class PersonEvent(Encrypted, models.Model):
    """A change of the person's standing (列管, 风险等级, 失控, 落地, 撤销列管 with its reason and
    approver) for the timeline; the reason may name people, so it is encrypted."""

    person = models.ForeignKey(KeyPerson, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(
        USER, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("事项", max_length=12, choices=EventKind.choices)
    note_enc = models.TextField("说明（密文）", blank=True)
    approver = models.ForeignKey(
        USER, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PersonChildQuerySet.as_manager()

    class Meta:
        verbose_name = "重点人员动态"
        verbose_name_plural = "重点人员动态"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"


class Dispute(Encrypted, Submitted, Versioned):
    """A 矛盾纠纷 concerning one or more schools, followed by a 派出所 to its outcome. The parties
    and the summary are encrypted; a 扬言报复 flag escalates at once and wants a 稳控措施 in time."""

    station = models.ForeignKey(
        Organisation, verbose_name="责任派出所", on_delete=models.PROTECT, related_name="disputes"
    )
    region = models.ForeignKey(Region, verbose_name="发生地区划", on_delete=models.PROTECT, related_name="+")
    category = models.CharField("类别", max_length=12, choices=DisputeCategory.choices)
    source = models.CharField("来源", max_length=10, choices=DisputeSource.choices)
    found_on = models.DateField("发现日期")
    parties_enc = models.TextField("当事人及联系方式（密文）")
    summary_enc = models.TextField("纠纷情况（密文）")
    mediators = models.ManyToManyField(
        Organisation, verbose_name="参与调解单位", related_name="+", blank=True
    )
    schools = models.ManyToManyField(School, verbose_name="涉及学校", related_name="+")
    outcome = models.CharField("结果", max_length=12, choices=Outcome.choices, default=Outcome.OPEN)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    threat = models.BooleanField("扬言报复/可能危及校园安全", default=False)
    threat_at = models.DateTimeField("标记时间", null=True, blank=True)
    stabilise_due = models.DateTimeField("稳控措施期限", null=True, blank=True)
    stabilised_at = models.DateTimeField("稳控措施落实时间", null=True, blank=True)
    hazard_ref = models.CharField("转出隐患", max_length=30, blank=True)
    created_by = models.ForeignKey(USER, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = DisputeQuerySet.as_manager()

    class Meta:
        verbose_name = "矛盾纠纷"
        verbose_name_plural = "矛盾纠纷"
        ordering = ["-found_on", "-pk"]
        constraints = [
            submitted_once("dispute"),
            models.CheckConstraint(
                condition=models.Q(outcome=Outcome.OPEN) | models.Q(closed_on__isnull=False),
                name="dispute_closed_has_date",
                violation_error_message="已结案的矛盾纠纷须有结案日期。",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"JF{self.found_on:%Y}-{self.pk or 0:06d}"

    @property
    def source_ref(self) -> str:
        return f"people.dispute:{self.pk}"


class Mediation(Encrypted, Submitted):
    """One step of the mediation: when, by which unit, what happened (encrypted)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="mediations")
    held_on = models.DateField("日期")
    organisation = models.ForeignKey(
        Organisation, verbose_name="调解单位", on_delete=models.PROTECT, related_name="+"
    )
    note_enc = models.TextField("调解情况（密文）")
    recorded_by = models.ForeignKey(USER, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "调解记录"
        verbose_name_plural = "调解记录"
        ordering = ["-held_on", "-pk"]
        constraints = [submitted_once("mediation")]

    def __str__(self) -> str:
        return f"{self.dispute} 调解 {self.held_on}"


class Stabilisation(Encrypted, Submitted):
    """A 稳控措施 recorded for a dispute flagged 扬言报复."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="stabilisations")
    measures_enc = models.TextField("稳控措施（密文）")
    recorded_by = models.ForeignKey(USER, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "稳控措施"
        verbose_name_plural = "稳控措施"
        ordering = ["-recorded_at", "-pk"]
        constraints = [submitted_once("stabilisation")]

    def __str__(self) -> str:
        return f"{self.dispute} 稳控措施"
