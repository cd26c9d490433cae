"""The staffing a 护学岗 period needs: the post's own override, else the standard of the school's
region or its nearest ancestor, else the platform default (民警或辅警 ≥ 1, 保安 ≥ 1).

Two forms of the same rule: `resolve()` in Python for pages that show a few posts, and
`minimum_expr()` as SQL for coverage over thousands of records (`coverage.py`). The SQL form does
not look the standard up per record: `minimums_by_region()` resolves it in Python, with
`region_minimums` itself, once for each region of the schools in question (standards are few),
and `minimum_expr` turns that into a plain CASE over the school's region id."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from huxiao.core.models import Region
from huxiao.core.regions import nearest
from huxiao.duty.choices import DEFAULT_MINIMUMS, MINIMUM_FIELDS
from huxiao.duty.models import DutyPost, StaffingStandard

FIELDS = [f for f, _ in MINIMUM_FIELDS]


def standards_by_path() -> dict[str, dict[str, int]]:
    """Every region standard (a small table) keyed by region path, for Python resolution."""
    rows = StaffingStandard.objects.values("region__path", *FIELDS)
    return {r.pop("region__path"): r for r in rows}


def region_minimums(
    path: str, standards: dict[str, dict[str, int]] | None = None
) -> tuple[dict[str, int], str]:
    """The minimums in force for a region path and where they come from ("" = platform default)."""
    standards = standards_by_path() if standards is None else standards
    found = nearest(standards, path)
    if found is None:
        return dict(DEFAULT_MINIMUMS), ""
    best, minimums = found
    return dict(minimums), best


def resolve(post: DutyPost, standards: dict[str, dict[str, int]] | None = None) -> dict[str, int]:
    """The minimums of one post (needs `post.school.region` loaded)."""
    base, _ = region_minimums(post.school.region.path, standards)
    return {f: (getattr(post, f) if getattr(post, f) is not None else base[f]) for f in FIELDS}


def resolve_many(posts: Iterable[DutyPost]) -> dict[int, dict[str, int]]:
    standards = standards_by_path()
    return {p.pk: resolve(p, standards) for p in posts}


def meets(counts: dict[str, int] | object, minimums: dict[str, int]) -> bool:
    """Whether a record's counts (a DutyRecord or a dict) meet the minimums."""

    def get(name: str) -> int:
        return int(counts[name] if isinstance(counts, dict) else getattr(counts, name))

    return (
        get("police") >= minimums["min_police"]
        and get("police") + get("aux_police") >= minimums["min_police_or_aux"]
        and get("guards") >= minimums["min_guards"]
        and get("teachers") >= minimums["min_teachers"]
        and get("volunteers") >= minimums["min_volunteers"]
    )


def shortfall(counts, minimums: dict[str, int]) -> list[str]:
    """What a record lacks, in words: ["保安 0/1", …]."""

    def get(name: str) -> int:
        return int(counts[name] if isinstance(counts, dict) else getattr(counts, name))

    out = []
    checks = [
        ("民警", get("police"), minimums["min_police"]),
        ("民警或辅警", get("police") + get("aux_police"), minimums["min_police_or_aux"]),
        ("保安", get("guards"), minimums["min_guards"]),
        ("教师", get("teachers"), minimums["min_teachers"]),
        ("家长志愿者", get("volunteers"), minimums["min_volunteers"]),
    ]
    for label, have, need in checks:
        if have < need:
            out.append(f"{label} {have}/{need}")
    return out


def minimums_by_region(schools: QuerySet) -> dict[int, dict[str, int]]:
    """The region minimums (before post overrides) in force for each region of these schools, by
    region id — one query: those regions and every region that has a standard, with it."""
    rows = Region.objects.filter(
        Q(duty_standard__isnull=False) | Q(pk__in=schools.values("region_id"))
    ).values("id", "path", *(f"duty_standard__{f}" for f in FIELDS))
    standards = {
        r["path"]: {f: r[f"duty_standard__{f}"] for f in FIELDS}
        for r in rows
        if r["duty_standard__min_police"] is not None
    }
    return {r["id"]: region_minimums(r["path"], standards)[0] for r in rows}


def minimum_expr(field: str, by_region: dict[int, dict[str, int]], post_prefix: str = "post__"):
    """SQL: the post's override, else its school region's minimum from `by_region`
    (`minimums_by_region` over the same schools), else the platform default.

    A plain CASE with one `region_id IN (…)` branch per value that differs from the default, so
    the database evaluates constants per row instead of a lookup."""
    default = DEFAULT_MINIMUMS[field]
    regions_of: dict[int, list[int]] = defaultdict(list)
    for region_id, minimums in by_region.items():
        if minimums[field] != default:
            regions_of[minimums[field]].append(region_id)
    region_value = (
        Case(
            *(
                When(**{f"{post_prefix}school__region_id__in": sorted(ids)}, then=Value(value))
                for value, ids in sorted(regions_of.items())
            ),
            default=Value(default),
            output_field=IntegerField(),
        )
        if regions_of
        else Value(default, output_field=IntegerField())
    )
    return Coalesce(F(f"{post_prefix}{field}"), region_value, output_field=IntegerField())


def annotate_minimums(records, by_region: dict[int, dict[str, int]]):
    """Records annotated with `m_<field>` for each minimum (used by `meets_q`); `by_region` from
    `minimums_by_region` over schools that include every record's school."""
    return records.annotate(
        police_or_aux=F("police") + F("aux_police"),
        **{f"m_{f}": minimum_expr(f, by_region) for f in FIELDS},
    )


def meets_q() -> Q:
    """Over records annotated by `annotate_minimums`: the counts meet the minimums."""
    return Q(
        police__gte=F("m_min_police"),
        guards__gte=F("m_min_guards"),
        teachers__gte=F("m_min_teachers"),
        volunteers__gte=F("m_min_volunteers"),
        police_or_aux__gte=F("m_min_police_or_aux"),
    )
