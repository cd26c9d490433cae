"""Where apps contribute to shared answers without importing each other.

Three registries, filled in each app's `AppConfig.ready()` (the school facts, the monthly figures
and, at the end of this module, the demo steps):

* **School facts** (`register_facts`) — what the standards engine evaluates rules against. The
  schools app gives the registry entry and the 三防 profile; the inspections app gives this
  semester's inspection counts; the duty app gives whether a school has a 护学岗 post. A
  provider answers for a batch of schools at once (one or a few queries, never one per
  school): `provider(schools, on) -> {school_id: {fact: value}}`. A fact a provider cannot
  know is left out (or `None`): the engine reports "unknown", never a silent pass.

* **Monthly figures** (`register_figures`) — the columns of the monthly 统计表
  (`research/regulations.md` §3). A provider aggregates over a *set* of schools (a queryset,
  used as a subquery so a district of 12,000 schools is one query, not a 12,000-item IN list)
  and a date range: `provider(schools, start, end) -> {column key: int}`. Because every
  column is a sum over schools, a roll-up (学区 → 街道 → 区) is the same call over a larger
  set, and equals the sum of its parts for disjoint parts. Rates are declared as ratios of
  two columns and computed after summing, never averaged.

  A provider may also give `per_school(schools, start, end) -> {school_id: {column key: int}}`
  (the same aggregates grouped by school, in the same number of queries). A roll-up then asks
  `figures_of_groups` for all its rows at once: such providers answer once over the union and
  are summed per row; the others are called once per row. A per-school answer must sum to the
  provider's own over any set of schools (`core/tests/test_registry_groups.py` checks every
  registered one on the same data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import Signal

FactsProvider = Callable[[Sequence[Any], dt.date], Mapping[int, Mapping[str, Any]]]
FiguresProvider = Callable[[QuerySet, dt.date, dt.date], Mapping[str, int]]
SchoolFiguresProvider = Callable[[QuerySet, dt.date, dt.date], Mapping[int, Mapping[str, int]]]


@dataclass(frozen=True)
class Fact:
    key: str
    label: str  # Chinese, shown as "实际" beside the rule's expectation
    unit: str = ""  # 名, 天, 次, 小时 …


@dataclass(frozen=True)
class Column:
    """One column of the monthly 统计表.

    `order` follows `research/regulations.md` §3 (item number × 10 + position). `manual`
    columns are entered by the reporting unit because the platform cannot know them yet;
    their provider is None. `ratio` = (numerator key, denominator key) makes a rate column,
    computed from the summed figures.
    """

    key: str
    label: str
    section: str  # "A 基础情况（月末）" / "B 本月工作" / "C 文字情况"
    order: int
    unit: str = ""
    manual: bool = False
    ratio: tuple[str, str] | None = None
    # False: left out of a single school's own table (a count near one school would point at
    # people — the sensitive registers' columns); units above it still report it
    for_schools: bool = True


_FACTS: list[tuple[tuple[Fact, ...], FactsProvider]] = []
_FIGURES: list[tuple[tuple[Column, ...], FiguresProvider | None]] = []
_PER_SCHOOL: dict[tuple[Column, ...], SchoolFiguresProvider] = {}

SECTION_A = "A 基础情况（月末）"
SECTION_B = "B 本月工作"
SECTION_C = "C 文字情况"


def register_facts(facts: Iterable[Fact], provider: FactsProvider) -> None:
    facts = tuple(facts)
    keys = {f.key for f in facts}
    if any(keys & {f.key for f in known} for known, _ in _FACTS):
        raise ValueError(f"fact keys registered twice: {sorted(keys)}")
    _FACTS.append((facts, provider))


def register_figures(
    columns: Iterable[Column],
    provider: FiguresProvider | None,
    *,
    per_school: SchoolFiguresProvider | None = None,
) -> None:
    columns = tuple(columns)
    keys = {c.key for c in columns}
    if any(keys & {c.key for c in known} for known, _ in _FIGURES):
        raise ValueError(f"column keys registered twice: {sorted(keys)}")
    _FIGURES.append((columns, provider))
    if per_school is not None:
        _PER_SCHOOL[columns] = per_school


# Sent (with `school_id`) when a registered fact of a school changed outside the school's own
# rows — a guard added to the staff register; the standards engine re-evaluates the school.
school_facts_changed = Signal()


def announce_facts_changed(school_id: int) -> None:
    """Tell the engine, once the current transaction commits, that a school's facts changed."""
    transaction.on_commit(lambda: school_facts_changed.send(sender=None, school_id=school_id))


def facts() -> dict[str, Fact]:
    return {f.key: f for group, _ in _FACTS for f in group}


def school_facts(
    schools: Sequence[Any], on: dt.date, *, keys: Iterable[str] | None = None
) -> dict[int, dict[str, Any]]:
    """Every registered fact for each school, as of `on` (only the providers of `keys`, if
    given); missing facts are absent."""
    wanted = set(keys) if keys is not None else None
    out: dict[int, dict[str, Any]] = {s.pk: {} for s in schools}
    for group, provider in _FACTS:
        if wanted is not None and not wanted & {f.key for f in group}:
            continue
        for school_id, values in provider(schools, on).items():
            out.setdefault(school_id, {}).update(values)
    return out


def columns() -> list[Column]:
    return sorted((c for group, _ in _FIGURES for c in group), key=lambda c: (c.order, c.key))


def figures(schools: QuerySet, start: dt.date, end: dt.date) -> dict[str, int]:
    """Every computed (non-manual) column summed over `schools` for [start, end]."""
    out: dict[str, int] = {}
    for group, provider in _FIGURES:
        if provider is None:
            continue
        values = provider(schools, start, end)
        for column in group:
            if not column.manual and column.ratio is None:
                out[column.key] = int(values.get(column.key, 0) or 0)
    return out


def _computed_keys(group: tuple[Column, ...]) -> list[str]:
    return [c.key for c in group if not c.manual and c.ratio is None]


def figures_of_groups(groups: Mapping[Any, QuerySet], union: QuerySet, start: dt.date, end: dt.date) -> dict:
    """`figures` for each group of schools (a roll-up's rows) at once: {group key: {column: int}}.

    `union` must hold every group's schools. Providers with a per-school form answer once over
    `union` and are summed per group; the others are called per group. Groups may overlap (a
    街道's 学区 rows and its 派出所 rows). One query per group to read its school ids."""
    members = {key: list(qs.values_list("pk", flat=True)) for key, qs in groups.items()}
    out: dict[Any, dict[str, int]] = {key: {} for key in groups}
    for group, provider in _FIGURES:
        if provider is None:
            continue
        keys = _computed_keys(group)
        per_school = _PER_SCHOOL.get(group)
        if per_school is None:
            for key, qs in groups.items():
                values = provider(qs, start, end)
                out[key].update({k: int(values.get(k, 0) or 0) for k in keys})
            continue
        by_school = per_school(union, start, end)
        for key, ids in members.items():
            rows = [by_school[i] for i in ids if i in by_school]
            out[key].update({k: sum(int(r.get(k, 0) or 0) for r in rows) for k in keys})
    return out


def rate(values: Mapping[str, int | None], column: Column) -> float | None:
    """A ratio column's value in percent, or None when the denominator is 0 or unknown."""
    assert column.ratio is not None
    num, den = (values.get(k) for k in column.ratio)
    if not den or num is None:
        return None
    return round(100.0 * num / den, 1)


# --- Demo steps -------------------------------------------------------------------------------

_DEMO_STEPS: dict[str, int] = {}


def register_demo(module: str, *, order: int) -> None:
    """An app's demo step: `module` (dotted path) has `load(ctx) -> {name: count}`, run by
    `manage.py load_demo` after the district, schools, accounts and hazards exist, in `order`."""
    _DEMO_STEPS[module] = order


def demo_steps() -> list[str]:
    return sorted(_DEMO_STEPS, key=lambda m: (_DEMO_STEPS[m], m))


# --- School panels ----------------------------------------------------------------------------

# (user, school) -> a short line for the school's page, or None: e.g. the count of high-risk key
# persons near the school, for the 派出所 and the 学区 (never a name).
SchoolPanel = Callable[[Any, Any], "Panel | None"]
_SCHOOL_PANELS: list[SchoolPanel] = []


@dataclass(frozen=True)
class Panel:
    title: str
    text: str
    url: str = ""
    warn: bool = False
    value: str = ""  # a figure shown large (the home page's cards)


def register_school_panel(panel: SchoolPanel) -> None:
    _SCHOOL_PANELS.append(panel)


def school_panels(user, school) -> list[Panel]:
    """What the apps want the school's page to show this user (in registration order)."""
    return [p for p in (panel(user, school) for panel in _SCHOOL_PANELS) if p is not None]


# --- Home page cards -------------------------------------------------------------------------

# user -> cards for the home page (工作台) from an app that is not the dashboards' own: e.g. the
# 涉校稳定 counts for the 街道, 平安办, 学区 and 政法委 — counts, never a name.
HomeCards = Callable[[Any], list[Panel]]
_HOME_CARDS: list[HomeCards] = []


def register_home_cards(provider: HomeCards) -> None:
    _HOME_CARDS.append(provider)


def home_panels(user) -> list[Panel]:
    return [panel for provider in _HOME_CARDS for panel in provider(user)]
