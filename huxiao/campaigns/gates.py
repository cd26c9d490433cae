"""Gates: named checks a school must pass to enter a phase (e.g. no school enters 验收 while it
has an open 重大 hazard). A phase stores its gates as data —
`[{"check": "no_live_hazards", "params": {"severities": ["major"]}}]` — and the checks are
Python functions here. Each check answers for a batch of schools in one query:
`check(school_ids, params, today) -> {school_id: failure text}` (schools absent pass).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone

from huxiao.hazards.choices import Severity
from huxiao.hazards.models import Hazard

GateCheck = Callable[[list[int], Mapping[str, Any], dt.date], dict[int, str]]

SEVERITY_LABELS = dict(Severity.choices)


def _severity_text(params: Mapping[str, Any]) -> str:
    severities = params.get("severities") or []
    return "、".join(SEVERITY_LABELS.get(s, s) for s in severities)


def _by_school(hazards) -> dict[int, int]:
    return dict(hazards.values("school_id").annotate(n=Count("pk")).values_list("school_id", "n"))


def no_live_hazards(school_ids: list[int], params: Mapping[str, Any], today: dt.date) -> dict[int, str]:
    """No live (not closed, not dismissed) hazard of the given severities (all when omitted)."""
    hazards = Hazard.objects.live().filter(school_id__in=school_ids)
    if params.get("severities"):
        hazards = hazards.filter(severity__in=params["severities"])
    label = _severity_text(params)
    return {sid: f"有 {n} 项未销号的{label}隐患" for sid, n in _by_school(hazards).items()}


def no_overdue_hazards(school_ids: list[int], params: Mapping[str, Any], today: dt.date) -> dict[int, str]:
    """No live hazard past its deadline (of the given severities, all when omitted)."""
    hazards = Hazard.objects.overdue(today).filter(school_id__in=school_ids)
    if params.get("severities"):
        hazards = hazards.filter(severity__in=params["severities"])
    label = _severity_text(params)
    return {sid: f"有 {n} 项逾期未整改的{label}隐患" for sid, n in _by_school(hazards).items()}


@dataclass(frozen=True)
class GateKind:
    label: str
    check: GateCheck


CHECKS: dict[str, GateKind] = {
    "no_live_hazards": GateKind("无未销号隐患", no_live_hazards),
    "no_overdue_hazards": GateKind("无逾期隐患", no_overdue_hazards),
}


def describe(gate: Mapping[str, Any]) -> str:
    """A gate as a sentence: 无未销号的重大隐患."""
    kind = CHECKS.get(gate.get("check", ""))
    if kind is None:
        return f"未知条件“{gate.get('check')}”"
    label = _severity_text(gate.get("params") or {})
    if gate["check"] == "no_live_hazards":
        return f"无未销号的{label}隐患"
    return f"无逾期未整改的{label}隐患"


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
        for school_id, failure in kind.check(ids, gate.get("params") or {}, today).items():
            if school_id in results:
                results[school_id].failures.append(failure)
    return [results[s.pk] for s in schools]
