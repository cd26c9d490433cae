"""Models of the 三防 standards engine (DESIGN §6).

A `Ruleset` belongs to a jurisdiction: the national baseline (no region) or a province or
district overlay, named by its division code and path (`500000/`, `500000/500151/`) so a
school's rulesets are those whose path its region path starts with — no Region row needs to
exist for a ruleset to be seeded. A `RulesetVersion` freezes a set of `Rule`s from an
effective date; editing creates the next version, and an `Evaluation` keeps the version ids it
used, so history is never rewritten. `Gap` tracks a failed 应 rule at a school between its
appearance and its disappearance, and the hazard it raised.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from huxiao.schools.models import School
from huxiao.standards.choices import Category, Confidence, Level, Severity, Status

USER = settings.AUTH_USER_MODEL


class Ruleset(models.Model):
    """The rules of one jurisdiction: the national baseline or a regional overlay."""

    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    region_code = models.CharField("区划代码", max_length=12, blank=True, help_text="国家基线为空")
    region_name = models.CharField("区划名称", max_length=50, blank=True)
    region_path = models.CharField("区划路径", max_length=200, blank=True, help_text="如 500000/500151/")
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "三防标准规则集"
        verbose_name_plural = "三防标准规则集"
        ordering = ["region_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code"],
                name="ruleset_unique_jurisdiction",
                violation_error_message="该区划已有规则集。",
            ),
            models.CheckConstraint(
                condition=(Q(level=Level.NATIONAL) & Q(region_code="") & Q(region_path=""))
                | (~Q(level=Level.NATIONAL) & ~Q(region_code="") & ~Q(region_path="")),
                name="ruleset_national_has_no_region",
                violation_error_message="国家基线不设区划；地方规则集须指定区划。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def jurisdiction_label(self) -> str:
        return self.region_name or "全国"


class RulesetVersion(models.Model):
    """One version of a ruleset's rules, in force from `effective_from`.

    Immutable once an evaluation used it: an edit makes the next version instead."""

    ruleset = models.ForeignKey(
        Ruleset, verbose_name="规则集", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    effective_from = models.DateField("生效日期")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        USER, verbose_name="创建人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("修订说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "规则集版本"
        verbose_name_plural = "规则集版本"
        ordering = ["ruleset", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["ruleset", "number"],
                name="ruleset_version_unique_number",
                violation_error_message="该规则集的此版本已存在，可能有人同时保存了修改。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ruleset} 第{self.number}版"


class Rule(models.Model):
    """One rule of one version: what is checked (`kind` + `params`), for which schools, how
    binding (应/宜), and where it comes from (citation, confidence)."""

    version = models.ForeignKey(
        RulesetVersion, verbose_name="版本", on_delete=models.PROTECT, related_name="rules"
    )
    code = models.CharField("规则编号", max_length=40)
    title = models.CharField("规则名称", max_length=100)
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    applies_to = models.JSONField("适用学校类型", default=list, blank=True, help_text="空 = 全部类型")
    boarding_only = models.BooleanField("仅寄宿制", default=False)
    kind = models.CharField("判定方式", max_length=30)
    params = models.JSONField("参数", default=dict)
    severity = models.CharField("要求程度", max_length=8, choices=Severity.choices, default=Severity.SHALL)
    requirement = models.TextField("要求原文（摘要）", blank=True)
    doc_title = models.CharField("文件名称", max_length=200)
    doc_number = models.CharField("文号/标准号", max_length=60, blank=True)
    article = models.CharField("条款", max_length=60, blank=True)
    url = models.URLField("来源链接", max_length=300, blank=True)
    confidence = models.CharField("可信度", max_length=6, choices=Confidence.choices, default=Confidence.MED)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "三防标准规则"
        verbose_name_plural = "三防标准规则"
        ordering = ["version", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="rule_unique_code_in_version",
                violation_error_message="同一版本内规则编号不能重复。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def copy_to(self, version: RulesetVersion) -> Rule:
        """An unsaved copy of this rule in `version` (a new version carries every rule over)."""
        return Rule(version=version, **{name: getattr(self, name) for name in RULE_COPIED_FIELDS})

    @property
    def citation(self) -> str:
        """《文件》（文号）条款 — as a notice quotes it."""
        parts = [f"《{self.doc_title}》" if not self.doc_title.startswith("《") else self.doc_title]
        if self.doc_number:
            parts.append(f"（{self.doc_number}）")
        if self.article:
            parts.append(self.article)
        return "".join(parts)


# What a new version copies of each rule (everything but the version and the id).
RULE_COPIED_FIELDS = [
    "code",
    "title",
    "category",
    "applies_to",
    "boarding_only",
    "kind",
    "params",
    "severity",
    "requirement",
    "doc_title",
    "doc_number",
    "article",
    "url",
    "confidence",
    "position",
]


class Evaluation(models.Model):
    """A snapshot of one school's evaluation: every applicable rule's status, expected vs
    actual, citation and the ruleset version ids it used. A new row only when the results
    change; `is_latest` marks the one pages and rates read."""

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="evaluations"
    )
    computed_at = models.DateTimeField("评估时间", auto_now_add=True)
    as_of = models.DateField("评估日期")
    profile_version = models.PositiveIntegerField("三防档案版本", null=True, blank=True)
    version_ids = models.JSONField("所用规则集版本", default=list)
    results = models.JSONField("评估结果", default=list)
    fingerprint = models.CharField("结果摘要", max_length=64)
    passed = models.PositiveSmallIntegerField("达标", default=0)
    failed = models.PositiveSmallIntegerField("未达标（应）", default=0)
    advice = models.PositiveSmallIntegerField("建议（宜）", default=0)
    unknown = models.PositiveSmallIntegerField("无法判定", default=0)
    is_latest = models.BooleanField("最新", default=True)

    class Meta:
        verbose_name = "达标评估"
        verbose_name_plural = "达标评估"
        ordering = ["school", "-computed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(is_latest=True),
                name="evaluation_one_latest_per_school",
                violation_error_message="每所学校只能有一份最新评估。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} 达标评估 {self.computed_at:%Y-%m-%d %H:%M}"


class RuleResult(models.Model):
    """One rule's status in one evaluation, as a row so regional rates aggregate in SQL."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评估", on_delete=models.CASCADE, related_name="rows"
    )
    school = models.ForeignKey(School, verbose_name="学校", on_delete=models.PROTECT, related_name="+")
    is_latest = models.BooleanField("最新", default=True)
    code = models.CharField("规则编号", max_length=40)
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    severity = models.CharField("要求程度", max_length=8, choices=Severity.choices)
    status = models.CharField("结果", max_length=8, choices=Status.choices)

    class Meta:
        verbose_name = "规则评估结果"
        verbose_name_plural = "规则评估结果"
        indexes = [
            models.Index(fields=["is_latest", "code", "status"], name="ruleresult_latest_code_idx"),
            models.Index(fields=["school", "is_latest"], name="ruleresult_school_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.code} {self.status}"


class Gap(models.Model):
    """A failed 应 rule at a school, from the evaluation that found it to the one where it
    disappeared, with the hazard it raised (or the live hazard it adopted)."""

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="standard_gaps"
    )
    code = models.CharField("规则编号", max_length=40)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name="隐患",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField("发现时间", auto_now_add=True)
    expected = models.CharField("要求", max_length=300)
    actual = models.CharField("实际", max_length=300)
    resolved_at = models.DateTimeField("消除时间", null=True, blank=True)
    skipped_reason = models.CharField("未登记隐患原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "标准差距"
        verbose_name_plural = "标准差距"
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "code"],
                condition=Q(resolved_at__isnull=True),
                name="gap_one_open_per_rule",
                violation_error_message="该学校此规则已有未消除的差距。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.code}"
