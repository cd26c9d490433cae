"""Gates: named checks a school must pass to enter a phase (e.g. no school enters 验收 while it
has an open 重大 hazard). A phase stores its gates as data —
`[{"check": "no_live_hazards", "params": {"severities": ["major"]}}]` — and the checks are
Python here. Each check names the hazards that fail it (`GateKind.hazards(params, today)`), so
the same definition answers the table of a batch of schools (`evaluate`, one query per gate)
and the refusal of one school (`blockers`, with the hazards themselves).

Enforcement lives in the services (`entry_apply`, `entry_pass`, `task_complete`): they call
`require_pass(..., lock=True)` inside their transaction, which locks the school's hazard rows
before reading them (see `lock_school_hazards`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.utils import timezone

from huxiao.hazards.choices import Severity
from huxiao.hazards.models import Hazard

SEVERITY_LABELS = dict(Severity.choices)
MAX_NAMED = 5  # hazards named in a refusal; the rest are counted


def _severity_text(params: Mapping[str, Any]) -> str:
    severities = params.get("severities") or []
    return "、".join(SEVERITY_LABELS.get(s, s) for s in severities)


def _of_severities(hazards: QuerySet, params: Mapping[str, Any]) -> QuerySet:
    if params.get("severities"):
        hazards = hazards.filter(severity__in=params["severities"])
    return hazards


def live_hazards(params: Mapping[str, Any], today: dt.date) -> QuerySet:
    """Live (not closed, not dismissed) hazards of the given severities (all when omitted)."""
    return _of_severities(Hazard.objects.live(), params)


def overdue_hazards(params: Mapping[str, Any], today: dt.date) -> QuerySet:
    """Live hazards past their deadline (of the given severities, all when omitted)."""
    return _of_severities(Hazard.objects.overdue(today), params)


@dataclass(frozen=True)
class GateKind:
    label: str
    hazards: Callable[[Mapping[str, Any], dt.date], QuerySet]
    sentence: str  # the gate as a condition: 无未销号的{severities}隐患
    failure: str  # one school's failure: 有 {n} 项未销号的{severities}隐患


CHECKS: dict[str, GateKind] = {
    "no_live_hazards": GateKind(
        "无未销号隐患", live_hazards, "无未销号的{severities}隐患", "有 {n} 项未销号的{severities}隐患"
    ),
    "no_overdue_hazards": GateKind(
        "无逾期隐患",
        overdue_hazards,
        "无逾期未整改的{severities}隐患",
        "有 {n} 项逾期未整改的{severities}隐患",
    ),
}


def describe(gate: Mapping[str, Any]) -> str:
    """A gate as a sentence: 无未销号的重大隐患."""
    kind = CHECKS.get(gate.get("check", ""))
    if kind is None:
        return f"未知条件“{gate.get('check')}”"
    return kind.sentence.format(severities=_severity_text(gate.get("params") or {}))


def validate_gates(gates: Any) -> None:
    """Raise ValueError if `gates` is not a list of known checks with valid parameters."""
    if not isinstance(gates, list):
        raise ValueError("进入条件须为列表。")
    for gate in gates:
        if not isinstance(gate, dict) or gate.get("check") not in CHECKS:
            raise ValueError(f"未知的进入条件：{gate!r}")
        severities = (gate.get("params") or {}).get("severities", [])
        if not set(severities) <= set(SEVERITY_LABELS):
            raise ValueError(f"未知的隐患等级：{severities!r}")


# --- A batch of schools: the gate table ------------------------------------------------------


@dataclass
class SchoolGate:
    school: Any
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def evaluate(phase, schools: Iterable[Any], today: dt.date | None = None) -> list[SchoolGate]:
    """For each school, whether it may enter `phase` now and, if not, why — one query per gate."""
    today = today or timezone.localdate()
    schools = list(schools)
    results = {s.pk: SchoolGate(s) for s in schools}
    ids = list(results)
    for gate in phase.gates or []:
        kind = CHECKS.get(gate.get("check", ""))
        if kind is None:
            for r in results.values():
                r.failures.append(describe(gate))
            continue
        params = gate.get("params") or {}
        counts = (
            kind.hazards(params, today)
            .filter(school_id__in=ids)
            .values("school_id")
            .annotate(n=Count("pk"))
            .values_list("school_id", "n")
        )
        for school_id, n in counts:
            results[school_id].failures.append(kind.failure.format(n=n, severities=_severity_text(params)))
    return [results[s.pk] for s in schools]


# --- One school: the refusal -----------------------------------------------------------------


@dataclass
class Blocker:
    """One gate a school fails, and the hazards that fail it (empty for an unknown gate)."""

    gate: str
    hazards: list[Hazard]


def lock_school_hazards(school_id: int) -> None:
    """Lock every hazard row of the school (any state), in primary-key order.

    Called inside a service's transaction before the gates read the register: a transition
    of one of those hazards that is in flight (reopened, confirmed, its severity raised) holds
    that row, so we wait for it to commit, and the check that follows — a new statement, a new
    snapshot under READ COMMITTED — reads its committed state. A hazard reported after the
    check commits after us and is judged at the next step. (On SQLite, writers are serialised
    by the IMMEDIATE transaction mode and this is a no-op.)"""
    list(
        Hazard.objects.select_for_update(of=("self",))
        .filter(school_id=school_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def blockers(phase, school, today: dt.date | None = None, *, lock: bool = False) -> list[Blocker]:
    """Why `school` may not enter `phase` now: each failed gate with its hazards (none: it may)."""
    today = today or timezone.localdate()
    if lock and phase.gates:
        lock_school_hazards(school.pk)
    found = []
    for gate in phase.gates or []:
        kind = CHECKS.get(gate.get("check", ""))
        if kind is None:  # never a silent pass
            found.append(Blocker(describe(gate), []))
            continue
        hazards = list(
            kind.hazards(gate.get("params") or {}, today)
            .filter(school_id=school.pk)
            .order_by("found_on", "pk")
        )
        if hazards:
            found.append(Blocker(describe(gate), hazards))
    return found


class GateBlocked(ValidationError):
    """A school fails a gate of the phase it is trying to enter (or work in). Carries the
    blockers so a page can link each hazard; the message names the gate and the hazards."""

    def __init__(self, *, school, phase, found: list[Blocker], action: str):
        self.school, self.phase, self.blockers, self.action = school, phase, found, action
        parts = []
        for b in found:
            named = "、".join(f"“{h.title}”（{h.get_state_display()}）" for h in b.hazards[:MAX_NAMED])
            more = f"等 {len(b.hazards)} 项" if len(b.hazards) > MAX_NAMED else ""
            parts.append(f"“{b.gate}”" + (f"——{named}{more}" if named else ""))
        super().__init__(
            f"{school.name}不能{action}：不符合{phase.name}阶段的进入条件{'；'.join(parts)}。"
            "请先完成整改销号后再办理。"
        )


def require_pass(phase, school, *, action: str, lock: bool = True, today: dt.date | None = None) -> None:
    """Raise `GateBlocked` unless `school` passes every gate of `phase` now."""
    found = blockers(phase, school, today, lock=lock)
    if found:
        raise GateBlocked(school=school, phase=phase, found=found, action=action)
