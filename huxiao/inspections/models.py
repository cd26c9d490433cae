"""Checklists (versioned), inspections with their answers and photos, joint sign-offs, the
per-region frequency rule and inspection plans (issue 4 items 5–7).

A checklist is a `ChecklistTemplate` with numbered `ChecklistVersion`s; an inspection points at
the version it was started on, and a version is frozen as soon as one inspection uses it, so
editing the checklist afterwards makes a new version and never changes a running inspection.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from huxiao.accounts.scope import RegionSettingQuerySet
from huxiao.core.models import Organisation, Region, StoredPhoto, Versioned
from huxiao.hazards.choices import Category, Severity
from huxiao.hazards.models import Hazard
from huxiao.inspections.choices import AnswerType, Domain, HazardMode, Kind, Result, State
from huxiao.inspections.querysets import InspectionPlanQuerySet, InspectionQuerySet, PlanEntryQuerySet
from huxiao.schools.models import School

USER = settings.AUTH_USER_MODEL


class ChecklistTemplate(models.Model):
    """A named checklist (校园三防, 消防安全 …) for one domain; its content lives in versions."""

    name = models.CharField("检查表名称", max_length=60, unique=True)
    domain = models.CharField("领域", max_length=20, choices=Domain.choices)
    description = models.TextField("说明", blank=True)
    is_archived = models.BooleanField("已停用", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查表"
        verbose_name_plural = "检查表"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ChecklistVersion(models.Model):
    """One version of a template. A draft (published_at empty) is edited in place; a published
    version is what new inspections use; a frozen one (used by an inspection) never changes."""

    template = models.ForeignKey(
        ChecklistTemplate, verbose_name="检查表", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    frozen = models.BooleanField("已被检查使用", default=False)
    note = models.CharField("修订说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name="修订人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查表版本"
        verbose_name_plural = "检查表版本"
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"],
                name="checklist_version_unique",
                violation_error_message="该检查表已有此版本号。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.template.name} 第{self.number}版"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class ChecklistSection(models.Model):
    """A heading inside a version (人防 / 物防 / 技防 / 制度 …)."""

    version = models.ForeignKey(
        ChecklistVersion, verbose_name="版本", on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveIntegerField("顺序", default=0)
    title = models.CharField("部分", max_length=60)

    class Meta:
        verbose_name = "检查表部分"
        verbose_name_plural = "检查表部分"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class ChecklistItem(models.Model):
    """One check point: what to look at, how to answer, the clause it rests on, and what a
    failed answer means (a photo is required; a hazard is raised automatically or on request)."""

    version = models.ForeignKey(
        ChecklistVersion, verbose_name="版本", on_delete=models.CASCADE, related_name="items"
    )
    section = models.ForeignKey(
        ChecklistSection, verbose_name="部分", on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveIntegerField("顺序", default=0)
    text = models.CharField("检查内容", max_length=200)
    guidance = models.TextField("检查方法", blank=True)
    clause = models.CharField("依据条款", max_length=200, blank=True)
    answer_type = models.CharField(
        "答题方式", max_length=12, choices=AnswerType.choices, default=AnswerType.PASS_FAIL
    )
    min_value = models.DecimalField(
        "最低值", max_digits=10, decimal_places=2, null=True, blank=True, help_text="数值题：低于此值即不合格"
    )
    unit = models.CharField("单位", max_length=10, blank=True)
    required = models.BooleanField("必答", default=True)
    photo_required_on_fail = models.BooleanField("不合格须拍照", default=False)
    hazard_on_fail = models.CharField(
        "不合格时", max_length=10, choices=HazardMode.choices, default=HazardMode.AUTO
    )
    hazard_title = models.CharField(
        "隐患名称", max_length=100, blank=True, help_text="留空则用“不符合：检查内容”"
    )
    hazard_category = models.CharField("隐患类别", max_length=20, choices=Category.choices)
    hazard_severity = models.CharField(
        "隐患等级", max_length=10, choices=Severity.choices, default=Severity.GENERAL
    )

    class Meta:
        verbose_name = "检查项"
        verbose_name_plural = "检查项"
        ordering = ["section__order", "section_id", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_value__isnull=True) | Q(answer_type=AnswerType.NUMBER),
                name="checklist_item_min_only_for_numbers",
                violation_error_message="只有数值题可以设置最低值。",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def failed_title(self) -> str:
        return (self.hazard_title or f"不符合：{self.text}")[:100]


class Inspection(Versioned):
    """One inspection of one school on one day with one checklist version. Draft while the team
    answers; read-only once submitted. `version` guards concurrent submits and edits."""

    kind = models.CharField("检查类型", max_length=12, choices=Kind.choices)
    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="inspections"
    )
    date = models.DateField("检查日期")
    checklist = models.ForeignKey(
        ChecklistVersion, verbose_name="检查表版本", on_delete=models.PROTECT, related_name="inspections"
    )
    lead_org = models.ForeignKey(
        Organisation, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="led_inspections"
    )
    team: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        USER, verbose_name="检查组成员", related_name="inspections"
    )
    verifies = models.ForeignKey(
        "self",
        verbose_name="核查的自查",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verifications",
    )
    plan_entry = models.ForeignKey(
        "PlanEntry",
        verbose_name="计划条目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField("检查意见", blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, verbose_name="提交人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(USER, verbose_name="创建人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = "检查"
        verbose_name_plural = "检查"
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["school", "state", "date"], name="insp_school_state_date_idx"),
            models.Index(fields=["state", "kind", "date"], name="insp_state_kind_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(verifies__isnull=True) | Q(kind=Kind.VERIFY),
                name="inspection_only_verify_links_self",
                violation_error_message="只有核查可以关联被核查的自查。",
            ),
            models.CheckConstraint(
                condition=Q(state=State.DRAFT) | Q(submitted_at__isnull=False),
                name="inspection_submitted_has_time",
                violation_error_message="已提交的检查须有提交时间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school.name} {self.get_kind_display()}（{self.date:%Y-%m-%d}）"

    @property
    def code(self) -> str:
        return f"JC{self.date.year}-{self.pk or 0:06d}"

    @property
    def is_draft(self) -> bool:
        return self.state == State.DRAFT


class InspectionOrg(models.Model):
    """An organisation taking part in a 联合检查/验收, the part it is responsible for, and its
    sign-off (签字确认) once the inspection is submitted."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="检查", on_delete=models.CASCADE, related_name="orgs"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    part = models.CharField("负责部分", max_length=100, blank=True)
    opinion = models.TextField("本单位意见", blank=True)
    signed_by = models.ForeignKey(
        USER, verbose_name="签字人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField("签字时间", null=True, blank=True)

    class Meta:
        verbose_name = "联合检查单位"
        verbose_name_plural = "联合检查单位"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "organisation"],
                name="inspection_org_unique",
                violation_error_message="该单位已在检查组中。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.organisation}"


class Answer(models.Model):
    """The answer to one item of one inspection. Saved as it is given (autosave): `rev` is the
    client's revision stamp, so a re-sent answer is acknowledged without change and an older
    one never overwrites a newer one (last write wins per item)."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="检查", on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(ChecklistItem, verbose_name="检查项", on_delete=models.PROTECT, related_name="+")
    result = models.CharField("结论", max_length=6, choices=Result.choices, blank=True)
    number = models.DecimalField("数值", max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField("填写内容", blank=True)
    note = models.TextField("检查记录", blank=True)
    rev = models.BigIntegerField("修订号", default=0)
    answered_by = models.ForeignKey(USER, verbose_name="填写人", on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField("填写时间", auto_now=True)
    hazard = models.ForeignKey(
        Hazard, verbose_name="隐患", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "检查结果"
        verbose_name_plural = "检查结果"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"],
                name="answer_unique_item",
                violation_error_message="该检查项已有结果。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.get_result_display() or self.number or self.text}"

    @property
    def source_ref(self) -> str:
        return f"inspections.answer:{self.pk}"


class AnswerPhoto(StoredPhoto):
    """A photo taken for an answer (checked by content, thumbnailed)."""

    UPLOAD_DIR = "inspections"

    answer = models.ForeignKey(
        Answer, verbose_name="检查结果", on_delete=models.CASCADE, related_name="photos"
    )
    uploaded_by = models.ForeignKey(USER, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查照片"
        verbose_name_plural = "检查照片"
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "sha256"],
                name="answer_photo_unique",
                violation_error_message="同一张照片已上传。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.answer_id} {self.sha256[:8]}"


class FrequencyRule(Versioned):
    """How many inspections a school needs per semester, for a region and everything below it
    (the nearest region with a rule wins; the platform default is 2 and 2, as in the seed)."""

    region = models.OneToOneField(
        Region, verbose_name="区划", on_delete=models.PROTECT, related_name="inspection_frequency"
    )
    supervision_min = models.PositiveSmallIntegerField("每学期督导检查不少于（次）", default=2)
    self_min = models.PositiveSmallIntegerField("每学期学校自查不少于（次）", default=2)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RegionSettingQuerySet.as_manager()

    class Meta:
        verbose_name = "检查频次规则"
        verbose_name_plural = "检查频次规则"

    def __str__(self) -> str:
        return f"{self.region} 督导≥{self.supervision_min} 自查≥{self.self_min}"


class InspectionPlan(models.Model):
    """Who inspects which schools when, for one semester, owned by one organisation."""

    title = models.CharField("计划名称", max_length=100)
    semester_start = models.DateField("学期开始")
    semester_end = models.DateField("学期结束")
    semester_label = models.CharField("学期", max_length=40)
    owner_org = models.ForeignKey(
        Organisation, verbose_name="制定单位", on_delete=models.PROTECT, related_name="inspection_plans"
    )
    created_by = models.ForeignKey(USER, verbose_name="制定人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("制定时间", auto_now_add=True)

    objects = InspectionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = "检查计划"
        verbose_name_plural = "检查计划"
        ordering = ["-semester_start", "-pk"]

    def __str__(self) -> str:
        return self.title


class PlanEntry(models.Model):
    """One planned inspection: school, day, kind, who inspects, with which checklist. Done when
    an inspection of that school and kind is submitted; reminded once, 3 days ahead."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name="计划", on_delete=models.CASCADE, related_name="entries"
    )
    school = models.ForeignKey(School, verbose_name="学校", on_delete=models.PROTECT, related_name="+")
    planned_on = models.DateField("计划日期")
    kind = models.CharField("检查类型", max_length=12, choices=Kind.choices)
    inspecting_org = models.ForeignKey(
        Organisation, verbose_name="检查单位", on_delete=models.PROTECT, related_name="+"
    )
    inspectors: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        USER, verbose_name="检查人员", blank=True, related_name="+"
    )
    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name="检查表",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_by = models.ForeignKey(
        Inspection,
        verbose_name="完成的检查",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminded_at = models.DateTimeField("已提醒", null=True, blank=True)

    objects = PlanEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "计划条目"
        verbose_name_plural = "计划条目"
        ordering = ["planned_on", "pk"]

    def __str__(self) -> str:
        return f"{self.planned_on} {self.school} {self.get_kind_display()}"
