"""The 数据看板 and the 数据大屏: selectors' figures turned into big figures, charts and lists.

`board(user, today)` is the one entry point; the dashboard page and the 大屏's data fragment
render the same `Board`, so both show the same figures. Every part reads through a selector
that applies the user's scope and aggregates in SQL: the number of queries does not grow with
the number of schools (pinned in tests/test_board_queries.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from huxiao.dashboards import charts, selectors
from huxiao.dashboards.charts import Chart, Datum, GaugeChart
from huxiao.hazards.choices import Category, Severity, State
from huxiao.hazards.models import Hazard

STATE_TONES = {
    State.REPORTED: "",
    State.OPEN: "warn",
    State.RECTIFYING: "",
    State.SUBMITTED: "",
    State.CLOSED: "ok",
    State.DISMISSED: "",
}
SEVERITY_TONES = {Severity.GENERAL: "", Severity.LARGER: "warn", Severity.MAJOR: "bad"}


@dataclass
class Figure:
    """A big number with its label, a line of detail, a tone and a link."""

    label: str
    value: str
    detail: str = ""
    tone: str = ""
    url: str = ""
    spark: Chart | None = None  # a small trend beside the figure


@dataclass
class HazardRow:
    """One line of the overdue or escalated list."""

    code: str
    title: str
    school: str
    url: str
    deadline: dt.date | None
    days_over: int
    escalation: str
    severity: str


@dataclass
class RiskRow:
    rank: int
    name: str
    score: int
    url: str
    parts: str  # "重大1 较大2 一般0 逾期1 督办3级"


@dataclass
class Section:
    """A part of the board fed by another app: its charts and lines, or why it is not there yet."""

    key: str
    title: str
    charts: list[Chart] = field(default_factory=list)
    lines: list[tuple[str, str, str]] = field(default_factory=list)  # (label, value, url)
    note: str = ""
    gauges: list[GaugeChart] = field(default_factory=list)  # rates, laid out side by side above the charts
    wide: bool = False  # spans the full width of the grid


@dataclass
class Board:
    today: dt.date
    generated_at: dt.datetime
    figures: list[Figure]
    state_donut: Chart
    severity_bars: Chart
    category_bars: Chart
    category_top: Chart  # the five largest and the rest, for the 大屏
    rectification_gauge: Chart
    on_time_gauge: Chart
    trend: Chart
    risk_chart: Chart
    risk_rows: list[RiskRow]
    overdue: list[HazardRow]
    escalated: list[HazardRow]
    sections: list[Section]
    schools: int
    risk_formula: str = selectors.RISK_FORMULA
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def screen_panels(self) -> list[list[Section]]:
        """The other apps' parts as the 大屏 groups them: the campaign alone, then in pairs."""
        by_key = {s.key: s for s in self.sections}
        groups = [["campaign"], ["compliance", "inspections"], ["duty", "monthly"]]
        return [[by_key[k] for k in g if k in by_key] for g in groups]


def _register(**params: Any) -> str:
    return f"{reverse('hazards:hazard-list')}?{urlencode(params)}"


def _row(h: Hazard, today: dt.date) -> HazardRow:
    return HazardRow(
        code=h.code,
        title=h.title,
        school=h.school.name,
        url=reverse("hazards:hazard-detail", args=[h.pk]),
        deadline=h.deadline,
        days_over=(today - h.deadline).days if h.deadline and h.deadline < today else 0,
        escalation=h.get_escalation_display(),
        severity=h.get_severity_display(),
    )


def _pct(value: float | None) -> str:
    return charts.fmt(value, "%")


def hazard_part(user, today: dt.date) -> dict[str, Any]:
    """Everything about hazards: 5 queries (registry, hazard counts with the 12-month trend,
    overdue, escalated, risk)."""
    reg = selectors.registry_summary(user)
    h, trend_rows = selectors.hazard_figures_and_trend(user, today)
    rect_rate = selectors.rate(h["closed"], h["confirmed"])
    on_time_rate = selectors.rate(h["closed_on_time"], h["closed"])
    figures = [
        Figure(
            "管辖学校",
            f"{reg['schools']}",
            f"幼儿园 {reg['kindergartens']} 所，寄宿制 {reg['boarding']} 所",
            "",
            reverse("schools:school-list"),
        ),
        Figure(
            "在办隐患",
            f"{h['live']}",
            f"待核实 {h['state_reported']}，待验收 {h['state_submitted']}",
            "",
            _register(state="live"),
        ),
        Figure(
            "逾期未整改",
            f"{h['overdue']}",
            f"3个工作日内到期 {h['due_soon']} 项",
            "bad" if h["overdue"] else "ok",
            _register(overdue="on"),
        ),
        Figure(
            "督办中",
            f"{h['escalated']}",
            f"其中挂牌督办 {h['listed']} 项",
            "bad" if h["listed"] else ("warn" if h["escalated"] else "ok"),
            reverse("hazards:listed-list"),
        ),
        Figure(
            "整改率",
            _pct(rect_rate),
            f"已销号 {h['closed']} / 已立案 {h['confirmed']}",
            _rate_tone(rect_rate),
            _register(state=State.CLOSED),
        ),
        Figure(
            "按期整改率",
            _pct(on_time_rate),
            f"按期销号 {h['closed_on_time']} / 已销号 {h['closed']}",
            _rate_tone(on_time_rate),
        ),
    ]
    state_donut = charts.donut(
        "隐患状态分布",
        [Datum(s.label, h[f"state_{s.value}"], STATE_TONES[s], _register(state=s.value)) for s in State],
        centre_label="累计隐患（项）",
    )
    severity_bars = charts.hbar(
        "在办隐患等级",
        [
            Datum(s.label, h[f"live_{s.value}"], SEVERITY_TONES[s], _register(state="live", severity=s.value))
            for s in Severity
        ],
        unit="项",
    )
    categories = [
        Datum(c.label, h[f"cat_{c.value}"], "", _register(state="live", category=c.value))
        for c in Category
        if h[f"cat_{c.value}"]
    ]
    categories.sort(key=lambda d: -d.value)
    category_bars = charts.hbar("在办隐患类别", categories, unit="项")
    top = categories[:5]
    if len(categories) > 6:
        top.append(
            Datum(
                f"其余{len(categories) - 5}类",
                sum(d.value for d in categories[5:]),
                "",
                _register(state="live"),
            )
        )
    else:
        top = categories
    category_top = charts.hbar("在办隐患类别（前五）", top, unit="项")
    rectification_gauge = charts.gauge(
        "整改率", rect_rate, detail=f"已销号{h['closed']}项/已立案{h['confirmed']}项"
    )
    on_time_gauge = charts.gauge(
        "按期整改率", on_time_rate, detail=f"按期销号{h['closed_on_time']}项/已销号{h['closed']}项"
    )
    figures[1].spark = charts.sparkline(
        "近12个月每月发现隐患",
        [f"{r['month'].month}月" for r in trend_rows],
        [r["found"] for r in trend_rows],
        tone="warn",
    )
    trend = charts.line(
        "近12个月隐患发现与销号",
        [f"{r['month'].month}月" for r in trend_rows],
        [
            ("发现", [r["found"] for r in trend_rows], "warn"),
            ("销号", [r["closed"] for r in trend_rows], "ok"),
        ],
        unit="项",
    )
    risky = selectors.schools_by_risk(user, today)
    risk_chart = charts.stacked(
        "学校风险排名（在办隐患）",
        [(s.label, SEVERITY_TONES[s]) for s in (Severity.MAJOR, Severity.LARGER, Severity.GENERAL)],
        [
            (s.name, [s.major, s.larger, s.general], _register(state="live", school=s.pk))  # type: ignore[attr-defined]
            for s in risky
        ],
        unit="项",
        notes=[f"{s.score}分" for s in risky],  # type: ignore[attr-defined]
    )
    risk_rows = [
        RiskRow(
            i,
            s.name,
            s.score,  # type: ignore[attr-defined]
            reverse("schools:school-detail", args=[s.pk]),
            f"重大{s.major} 较大{s.larger} 一般{s.general} 逾期{s.overdue} 督办{s.escalation}级",  # type: ignore[attr-defined]
        )
        for i, s in enumerate(risky, 1)
    ]
    return {
        "figures": figures,
        "state_donut": state_donut,
        "severity_bars": severity_bars,
        "category_bars": category_bars,
        "category_top": category_top,
        "rectification_gauge": rectification_gauge,
        "on_time_gauge": on_time_gauge,
        "trend": trend,
        "risk_chart": risk_chart,
        "risk_rows": risk_rows,
        "overdue": [_row(x, today) for x in selectors.overdue_hazards(user, today)],
        "escalated": [_row(x, today) for x in selectors.escalated_hazards(user)],
        "schools": reg["schools"],
        "raw": {"hazards": h, "registry": reg, "rectification_rate": rect_rate, "on_time_rate": on_time_rate},
    }


def _rate_tone(value: float | None) -> str:
    if value is None:
        return ""
    return "ok" if value >= 90 else "warn" if value >= 60 else "bad"


def board(user, today: dt.date | None = None) -> Board:
    """The whole board for `user` as of `today` (default: the local date)."""
    today = today or timezone.localdate()
    part = hazard_part(user, today)
    from huxiao.dashboards.sections import sections  # the parts other apps feed

    return Board(today=today, generated_at=timezone.now(), sections=sections(user, today), **part)
