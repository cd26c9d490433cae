"""Reads across schools for pages and dashboards, always scoped, aggregated in SQL.

`four_rates(user_or_schools)` and `region_compliance(user_or_schools)` take a user (their
visible, active schools) or a School queryset (already scoped by the caller). Both read the
latest evaluation's `RuleResult` rows: a fixed number of queries whatever the number of schools.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.hazards.choices import LIVE_STATES
from huxiao.hazards.models import Hazard
from huxiao.schools.models import School
from huxiao.standards import services
from huxiao.standards.choices import Category, Severity, Status
from huxiao.standards.engine import Rulebook
from huxiao.standards.facts import PROFILE_LABELS, unused_profile_fields
from huxiao.standards.models import Evaluation, Gap, Rule, RuleResult, Ruleset, RulesetVersion


@dataclass(frozen=True)
class Rate:
    key: str
    label: str
    codes: tuple[str, ...]
    achieved: int
    failed: int
    unknown: int
    total: int

    @property
    def rate(self) -> float | None:
        """Percentage of all schools in the set that meet it (unknown counts as not met)."""
        return round(100.0 * self.achieved / self.total, 1) if self.total else None


# The "四个100%" (research/regulations.md §2.10): each achieved when all its rules pass.
FOUR = [
    ("guards", "专职保安配备", ("guard.count",)),
    ("closed", "封闭化管理", ("closed_mgmt",)),
    ("alarm_video", "一键报警与视频联网", ("alarm.one_key", "cctv.networked")),
    ("duty_post", "护学岗设置", ("huxue.post",)),
]


def scoped_schools(user_or_schools) -> QuerySet:
    if isinstance(user_or_schools, QuerySet):
        return user_or_schools
    return School.objects.visible_to(user_or_schools).active()


def four_rates(user_or_schools) -> list[Rate]:
    """The four 100% targets as rates over the schools: a school achieves a target when all its
    rules pass in its latest evaluation; fails it when any fails; else unknown (2 queries: the
    schools, then one row per evaluated school with a passed and a failed count per target,
    tallied here — one scan of the latest results instead of two per target)."""
    schools = scoped_schools(user_or_schools)
    total = schools.count()
    counts = {}
    for key, _label, codes in FOUR:
        counts[f"{key}_passed"] = Count("pk", filter=Q(code__in=codes, status=Status.PASS))
        counts[f"{key}_failed"] = Count("pk", filter=Q(code__in=codes, status=Status.FAIL))
    per_school = (
        RuleResult.objects.filter(
            is_latest=True, school__in=schools.values("pk"), code__in=[c for *_, codes in FOUR for c in codes]
        )
        .values("school")
        .annotate(**counts)
        .order_by()
        .values_list(*counts)
    )
    achieved = [0] * len(FOUR)
    failed = [0] * len(FOUR)
    for row in per_school:
        for i, (_key, _label, codes) in enumerate(FOUR):
            passed_n, failed_n = row[2 * i], row[2 * i + 1]
            if passed_n == len(codes):
                achieved[i] += 1
            elif failed_n:
                failed[i] += 1
    return [
        Rate(key, label, codes, achieved[i], failed[i], total - achieved[i] - failed[i], total)
        for i, (key, label, codes) in enumerate(FOUR)
    ]


@dataclass(frozen=True)
class RuleRate:
    code: str
    title: str
    category: str
    severity: str
    passed: int
    failed: int
    unknown: int

    @property
    def applicable(self) -> int:
        return self.passed + self.failed + self.unknown

    @property
    def rate(self) -> float | None:
        return round(100.0 * self.passed / self.applicable, 1) if self.applicable else None

    @property
    def category_label(self) -> str:
        return Category(self.category).label

    @property
    def is_advice(self) -> bool:
        return self.severity == Severity.SHOULD


@dataclass(frozen=True)
class Compliance:
    schools: int
    evaluated: int
    rules: list[RuleRate]
    categories: list[RuleRate]  # code = category, title = its label


def region_compliance(user_or_schools) -> Compliance:
    """Compliance per rule and per category over the schools' latest evaluations (4 queries)."""
    schools = scoped_schools(user_or_schools)
    ids = schools.values("pk")
    total = schools.count()
    evaluated = Evaluation.objects.filter(is_latest=True, school__in=ids).count()
    grouped = (
        RuleResult.objects.filter(is_latest=True, school__in=ids)
        .values("code", "category", "severity")
        .annotate(
            passed=Count("pk", filter=Q(status=Status.PASS)),
            failed=Count("pk", filter=Q(status=Status.FAIL)),
            unknown=Count("pk", filter=Q(status=Status.UNKNOWN)),
        )
        .order_by("category", "code")
    )
    rows = list(grouped)
    titles = dict(
        Rule.objects.filter(code__in={r["code"] for r in rows})
        .order_by("code", "-version_id")
        .values_list("code", "title")
    )
    merged: dict[str, dict] = {}
    for r in rows:  # a rule 宜 in one school's rulesets and 应 in another's: show it as 应
        m = merged.setdefault(r["code"], {**r, "passed": 0, "failed": 0, "unknown": 0})
        if r["severity"] == Severity.SHALL:
            m["severity"] = Severity.SHALL
        for k in ("passed", "failed", "unknown"):
            m[k] += r[k]
    order = {c: i for i, c in enumerate(Category.values)}
    rules = sorted(
        (
            RuleRate(
                code=m["code"],
                title=titles.get(m["code"], m["code"]),
                category=m["category"],
                severity=m["severity"],
                passed=m["passed"],
                failed=m["failed"],
                unknown=m["unknown"],
            )
            for m in merged.values()
        ),
        key=lambda r: (order.get(r.category, 99), r.code),
    )
    categories = []
    for cat in Category.values:
        members = [r for r in rules if r.category == cat and not r.is_advice]
        if members:
            categories.append(
                RuleRate(
                    code=cat,
                    title=Category(cat).label,
                    category=cat,
                    severity=Severity.SHALL,
                    passed=sum(r.passed for r in members),
                    failed=sum(r.failed for r in members),
                    unknown=sum(r.unknown for r in members),
                )
            )
    return Compliance(schools=total, evaluated=evaluated, rules=rules, categories=categories)


def latest_evaluations(schools: QuerySet) -> QuerySet:
    """The latest evaluation of each school in the set, most gaps first (for a paged list)."""
    return (
        Evaluation.objects.filter(is_latest=True, school__in=schools.values("pk"))
        .select_related("school")
        .defer("results")
        .order_by("-failed", "-unknown", "school__name")
    )


STATUS_CLASS = {Status.PASS: "ok", Status.FAIL: "bad", Status.UNKNOWN: "warn"}


@dataclass(frozen=True)
class SchoolTable:
    """A school's 三防达标 table as its page shows it."""

    shall: list[dict[str, Any]]  # 应 rows, each with its css class, live hazard and skip reason
    advice: list[dict[str, Any]]  # 宜 rows, shown as advice
    history: list[Evaluation]  # the school's last 20 evaluations
    versions: QuerySet[RulesetVersion] | list[RulesetVersion]  # the ruleset versions evaluated
    can_recompute: bool  # whether the user may re-evaluate the school now


def school_table(user, school: School, evaluation: Evaluation | None) -> SchoolTable:
    """Every applicable rule of `evaluation` (the school's, already access-checked) with expected
    vs actual and the citation: a failed 应 rule shows its live hazard, or why none was
    registered; 宜 rules are advice."""
    history = list(
        Evaluation.objects.filter(school=school).only(
            "pk", "computed_at", "failed", "is_latest", "version_ids"
        )[:20]
    )
    rows = evaluation.results if evaluation else []
    hazards = {
        h.source_ref.partition(":")[2]: h
        for h in Hazard.objects.filter(
            school=school, source_ref__startswith="standards:", state__in=LIVE_STATES
        )
    }
    skipped = {
        g.code: g.skipped_reason
        for g in Gap.objects.filter(school=school, resolved_at__isnull=True)
        if g.skipped_reason
    }
    # a failed 应 rule with no hazard says why (frequency rules and 护学岗 raise none by design)
    failed_quiet = [
        r
        for r in rows
        if r["status"] == Status.FAIL and r["code"] not in hazards and r["code"] not in skipped
    ]
    skipped.update(services.no_hazard_reasons(failed_quiet))
    shall = [
        dict(r, css=STATUS_CLASS[r["status"]], hazard=hazards.get(r["code"]), skipped=skipped.get(r["code"]))
        for r in rows
        if r["severity"] == Severity.SHALL
    ]
    advice = [dict(r, css=STATUS_CLASS[r["status"]]) for r in rows if r["severity"] == Severity.SHOULD]
    versions: QuerySet[RulesetVersion] | list[RulesetVersion] = (
        RulesetVersion.objects.filter(pk__in=evaluation.version_ids).select_related("ruleset")
        if evaluation
        else []
    )
    can_recompute = School.objects.visible_to(user, Cap.PROFILE_EDIT).filter(pk=school.pk).exists()
    return SchoolTable(shall, advice, history, versions, can_recompute)


@dataclass(frozen=True)
class UnusedFields:
    """The 三防 profile fields no rule reads, for a school under a ruleset."""

    fields: list[tuple[str, str]]  # (field, its label), in the profile's order
    counted: list[str]  # the ruleset versions whose rules were counted, e.g. 国家基线第1版


def ruleset_unused_fields(
    ruleset: Ruleset, version: RulesetVersion | None, rules: list[Rule]
) -> UnusedFields:
    """The profile fields that neither `rules` (the shown version of `ruleset`) nor the rules of
    the rulesets above it in force today read — what a school under it files that nothing
    judges (3 queries: the rulebook)."""
    counted: list[str] = []
    all_rules: list[Rule] = []
    rulebook = Rulebook.load(timezone.localdate())
    for other, other_version, other_rules in rulebook.layers_for(ruleset.region_path):
        if other.pk == ruleset.pk:
            continue
        counted.append(f"{other.name}第{other_version.number}版")
        all_rules += other_rules
    if version is not None:
        counted.append(f"{ruleset.name}第{version.number}版")
    all_rules += rules
    return UnusedFields([(f, PROFILE_LABELS[f]) for f in unused_profile_fields(all_rules)], counted)
