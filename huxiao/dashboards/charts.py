"""An offline chart kit: server-side SVG, no JavaScript library, no CDN.

Each builder (`hbar`, `vbar`, `stacked`, `donut`, `line`, `sparkline`, `gauge`, `timeline`)
computes the geometry in Python — plain numbers on dataclasses, unit-tested — and the
`{% chart %}` tag (`templatetags/dashboards.py`) renders it through
`templates/dashboards/charts/<kind>.html`, so every label goes through Django's autoescaping.

The CSP forbids `style="…"`: shapes carry SVG presentation attributes (`x`, `width`, `d`,
`stroke-dasharray`) and colours come from CSS classes in `static/css/dashboards.css`
(`ch-s0`…`ch-s7` series, `ch-ok`/`ch-warn`/`ch-bad` tones), which the dark 数据大屏 restyles.
Every chart scales with its `viewBox` and is announced as one image (`role="img"`) whose
`aria-label` carries the figures a sighted reader sees.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
_ids = itertools.count(1)


def _uid() -> str:
    return f"chart-{next(_ids)}"


def text_width(text: str, size: float) -> float:
    """Approximate rendered width: CJK and full-width characters one em, others 0.6 em."""
    return sum(size if ord(ch) > 0x2E80 else 0.6 * size for ch in str(text)) if text else 0.0


def fmt(value: float | int | None, unit: str = "") -> str:
    """A figure as shown: integers plainly, other numbers to one decimal; None as 无数据."""
    if value is None:
        return "无数据"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}{unit}"
    return f"{int(value)}{unit}"


@dataclass
class Datum:
    """One figure: a label, its value, an optional tone (ok/warn/bad) and link."""

    label: str
    value: float
    tone: str = ""
    url: str = ""


@dataclass
class Chart:
    """What every chart has: a title, the figures for assistive technology, its viewBox."""

    title: str
    kind: str = ""
    width: float = 400
    height: float = 200
    empty: bool = False
    summary: str = ""
    uid: str = field(default_factory=_uid)
    font: str = FONT

    @property
    def view_box(self) -> str:
        return f"0 0 {_n(self.width)} {_n(self.height)}"

    @property
    def template(self) -> str:
        return f"dashboards/charts/{self.kind}.html"

    @property
    def mid_x(self) -> float:
        return self.width / 2


def _n(value: float) -> str:
    """A coordinate for an SVG attribute: at most two decimals, no trailing zeros."""
    out = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


def _summary(title: str, data: Iterable[Datum], unit: str) -> str:
    parts = [f"{d.label} {fmt(d.value, unit)}" for d in data]
    return f"{title}：{'，'.join(parts)}" if parts else f"{title}：暂无数据"


def _tone_or_series(d: Datum, i: int) -> str:
    return f"ch-{d.tone}" if d.tone else f"ch-s{i % 8}"


# --- Bars ------------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    value: float
    shown: str  # the figure as printed beside the bar
    x: float
    y: float
    w: float
    h: float
    css: str
    url: str = ""
    label_x: float = 0
    label_y: float = 0
    value_x: float = 0
    value_y: float = 0


@dataclass
class BarChart(Chart):
    bars: list[Bar] = field(default_factory=list)
    font_size: float = 13
    baseline: float = 0  # x of the axis (horizontal) or y of the axis (vertical)
    axis_end: float = 0


ROW, BAR_H, PAD = 30, 18, 8


def hbar(
    title: str, data: Sequence[Datum], *, unit: str = "", width: float = 400, max_value: float | None = None
) -> BarChart:
    """Horizontal bars, one row each: label on the left, bar length ∝ value, figure at its end.

    `max_value` fixes the scale (e.g. 100 for rates); otherwise the largest value fills the track.
    """
    chart = BarChart(title=title, kind="hbar", width=width, summary=_summary(title, data, unit))
    if not data:
        chart.empty, chart.height = True, 60
        return chart
    size = chart.font_size
    label_w = min(max(text_width(d.label, size) for d in data) + PAD, width * 0.42)
    value_w = max(text_width(fmt(d.value, unit), size) for d in data) + PAD
    track = max(width - label_w - value_w - PAD, 10)
    top = max((d.value for d in data), default=0)
    scale_max = max_value if max_value else top
    chart.baseline, chart.axis_end = label_w, label_w + track
    for i, d in enumerate(data):
        length = track * min(max(d.value, 0) / scale_max, 1) if scale_max else 0.0
        y = PAD + i * ROW
        chart.bars.append(
            Bar(
                label=d.label,
                value=d.value,
                shown=fmt(d.value, unit),
                x=label_w,
                y=y,
                w=length,
                h=BAR_H,
                css=_tone_or_series(d, i if len({x.tone for x in data}) > 1 else 0),
                url=d.url,
                label_x=label_w - PAD / 2,
                label_y=y + BAR_H / 2,
                value_x=label_w + length + PAD / 2,
                value_y=y + BAR_H / 2,
            )
        )
    chart.height = PAD * 2 + len(data) * ROW - (ROW - BAR_H)
    return chart


def vbar(
    title: str, data: Sequence[Datum], *, unit: str = "", width: float = 400, height: float = 200
) -> BarChart:
    """Vertical columns: height ∝ value, figure above, label below (smaller type when crowded)."""
    chart = BarChart(
        title=title, kind="vbar", width=width, height=height, summary=_summary(title, data, unit)
    )
    if not data:
        chart.empty, chart.height = True, 60
        return chart
    slot = (width - 2 * PAD) / len(data)
    longest = max(len(d.label) for d in data) or 1
    chart.font_size = max(min(13.0, (slot - 4) / longest), 8.0)
    bottom = height - PAD - chart.font_size - 6  # room for the labels
    top_room = PAD + 16  # room for the figure above the tallest column
    track = bottom - top_room
    top = max((d.value for d in data), default=0)
    chart.baseline, chart.axis_end = bottom, width - PAD
    col = min(slot * 0.6, 48)
    for i, d in enumerate(data):
        length = track * max(d.value, 0) / top if top else 0.0
        cx = PAD + slot * i + slot / 2
        chart.bars.append(
            Bar(
                label=d.label,
                value=d.value,
                shown=fmt(d.value, unit),
                x=cx - col / 2,
                y=bottom - length,
                w=col,
                h=length,
                css=_tone_or_series(d, i),
                url=d.url,
                label_x=cx,
                label_y=height - PAD,
                value_x=cx,
                value_y=bottom - length - 5,
            )
        )
    return chart


# --- Stacked bars ----------------------------------------------------------------------------


@dataclass
class Segment:
    label: str
    value: float
    x: float
    w: float
    css: str


@dataclass
class StackRow:
    label: str
    total: float
    shown: str
    y: float
    segments: list[Segment]
    url: str = ""
    label_x: float = 0
    end_x: float = 0  # where the total is printed

    @property
    def mid_y(self) -> float:
        return self.y + BAR_H / 2


@dataclass
class Legend:
    label: str
    css: str
    x: float
    y: float  # text baseline
    value: str = ""  # the figure printed at the end of the line (donut legend)

    @property
    def swatch_y(self) -> float:
        return self.y - 10

    @property
    def text_x(self) -> float:
        return self.x + 14


@dataclass
class StackedChart(Chart):
    rows: list[StackRow] = field(default_factory=list)
    legend: list[Legend] = field(default_factory=list)
    label_w: float = 0
    bar_h: float = BAR_H
    font_size: float = 13
    note_y: float = 0


def stacked(
    title: str,
    series: Sequence[tuple[str, str]],
    rows: Sequence[tuple[str, Sequence[float], str]],
    *,
    unit: str = "",
    width: float = 400,
    notes: Sequence[str] = (),
) -> StackedChart:
    """Horizontal stacked bars on one scale: `series` = [(label, tone or "")], `rows` =
    [(row label, values per series, url)]. Every row's length ∝ its total; each segment ∝ its value.
    `notes`, one per row, follow the total (e.g. a risk score)."""
    parts = []
    for label, values, _url in rows:
        inner = "、".join(f"{s[0]} {fmt(v, unit)}" for s, v in zip(series, values, strict=True) if v)
        parts.append(f"{label} 共{fmt(sum(values), unit)}" + (f"（{inner}）" if inner else ""))
    notes = list(notes) + [""] * (len(rows) - len(notes))
    parts = [f"{p}，{n}" if n else p for p, n in zip(parts, notes, strict=False)]
    summary = f"{title}：{'；'.join(parts)}" if parts else f"{title}：暂无数据"
    chart = StackedChart(title=title, kind="stacked", width=width, summary=summary)
    css = [f"ch-{tone}" if tone else f"ch-s{i % 8}" for i, (_, tone) in enumerate(series)]
    # legend first, wrapping across lines
    x: float = PAD
    y: float = PAD + 6
    size: float = 12
    for (label, _), c in zip(series, css, strict=True):
        item_w = 14 + text_width(label, size) + 12
        if x + item_w > width - PAD and x > PAD:
            x, y = PAD, y + 18
        chart.legend.append(Legend(label, c, x, y))
        x += item_w
    top = y + 14
    chart.note_y = top + 24
    if not rows:
        chart.empty, chart.height = True, top + 40
        return chart
    size = chart.font_size
    chart.label_w = label_w = min(max(text_width(r[0], size) for r in rows) + PAD, width * 0.4)
    totals = [sum(r[1]) for r in rows]
    shown = [fmt(t, unit) + (f" · {n}" if n else "") for t, n in zip(totals, notes, strict=False)]
    value_w = max(text_width(t, size) for t in shown) + PAD
    track = max(width - label_w - value_w - PAD, 10)
    biggest = max(totals) or 0
    for i, (label, values, url) in enumerate(rows):
        ry = top + i * ROW
        x = label_w
        segments = []
        for j, v in enumerate(values):
            w = track * max(v, 0) / biggest if biggest else 0.0
            if w > 0:
                segments.append(Segment(series[j][0], v, x, w, css[j]))
            x += w
        chart.rows.append(
            StackRow(label, totals[i], shown[i], ry, segments, url, label_w - PAD / 2, x + PAD / 2)
        )
    chart.height = top + len(rows) * ROW
    return chart


# --- Donut -----------------------------------------------------------------------------------


@dataclass
class Arc:
    label: str
    value: float
    share: float  # 0..1
    dash: str  # stroke-dasharray: the arc, then the rest of the circle
    offset: float  # stroke-dashoffset: where it starts along the circle
    css: str


@dataclass
class DonutChart(Chart):
    arcs: list[Arc] = field(default_factory=list)
    cx: float = 100
    cy: float = 100
    r: float = 70
    stroke: float = 26
    centre_value: str = ""
    centre_label: str = ""
    legend: list[Legend] = field(default_factory=list)

    @property
    def centre_label_y(self) -> float:
        return self.cy + 24

    @property
    def centre_value_y(self) -> float:
        return self.cy + 4


def donut(
    title: str,
    data: Sequence[Datum],
    *,
    centre_value: str | None = None,
    centre_label: str = "合计",
    unit: str = "",
) -> DonutChart:
    """A ring cut into arcs ∝ value (starting at twelve o'clock, clockwise), the total — or
    `centre_value` — in the middle, a legend with figures on the right."""
    total = sum(max(d.value, 0) for d in data)
    chart = DonutChart(
        title=title,
        kind="donut",
        width=400,
        height=200,
        summary=_summary(title, data, unit),
        centre_value=centre_value if centre_value is not None else fmt(total, unit),
        centre_label=centre_label,
    )
    circumference = 2 * math.pi * chart.r
    start = 0.0
    shown = [d for d in data if d.value > 0]
    chart.empty = not shown
    for i, d in enumerate(data):
        css = _tone_or_series(d, i)
        chart.legend.append(Legend(d.label, css, 215, 30 + i * 24, fmt(d.value, unit)))
        if d.value <= 0:
            continue
        share = d.value / total
        length = circumference * share
        chart.arcs.append(
            Arc(d.label, d.value, share, f"{_n(length)} {_n(circumference - length)}", -start, css)
        )
        start += length
    chart.height = max(200, 30 + len(data) * 24)
    return chart


# --- Line and sparkline ------------------------------------------------------------------------


@dataclass
class Point:
    label: str
    value: float
    x: float
    y: float


@dataclass
class Series:
    label: str
    css: str
    points: list[Point]

    @property
    def polyline(self) -> str:
        return " ".join(f"{_n(p.x)},{_n(p.y)}" for p in self.points)


@dataclass
class LineChart(Chart):
    series: list[Series] = field(default_factory=list)
    ticks: list[Point] = field(default_factory=list)  # x-axis labels
    bottom: float = 0
    left: float = 0
    right: float = 0
    top_value: float = 0
    legend: list[Legend] = field(default_factory=list)
    small: bool = False


def line(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float], str]],
    *,
    unit: str = "",
    width: float = 400,
    height: float = 180,
    small: bool = False,
) -> LineChart:
    """One or more lines over the same labels (e.g. months): y ∝ value on a scale from 0 to the
    largest value. `series` = [(label, values, tone or "")]. `small` drops axes and legend (a
    sparkline)."""
    parts = []
    for name, values, _tone in series:
        figures = "，".join(f"{lb} {fmt(v, unit)}" for lb, v in zip(labels, values, strict=True))
        parts.append(f"{name}：{figures}")
    chart = LineChart(
        title=title,
        kind="line",
        width=width,
        height=height,
        small=small,
        summary=f"{title}。" + "；".join(parts) if parts else f"{title}：暂无数据",
    )
    if not labels or not series:
        chart.empty, chart.height = True, 60 if not small else height
        return chart
    pad = 3 if small else PAD
    legend_h = 0 if small else 20
    chart.left, chart.right = (pad, width - pad) if small else (PAD + 24, width - PAD - 8)
    top = pad + legend_h + (0 if small else 12)
    chart.bottom = height - pad - (0 if small else 18)
    chart.top_value = max((v for _, values, _ in series for v in values), default=0)
    step = (chart.right - chart.left) / (len(labels) - 1) if len(labels) > 1 else 0
    for i, (name, values, tone) in enumerate(series):
        css = f"ch-{tone}" if tone else f"ch-s{i % 8}"
        points = []
        for j, (lb, v) in enumerate(zip(labels, values, strict=True)):
            x = chart.left + step * j if step else (chart.left + chart.right) / 2
            y = chart.bottom - (chart.bottom - top) * (max(v, 0) / chart.top_value if chart.top_value else 0)
            points.append(Point(lb, v, x, y))
        chart.series.append(Series(name, css, points))
        if not small:
            chart.legend.append(Legend(name, css, PAD + i * 110, PAD + 6))
    if not small:
        # label every tick when they fit, else every second or third
        every = max(1, math.ceil(len(labels) * 34 / (chart.right - chart.left)))
        chart.ticks = [
            Point(lb, 0, chart.series[0].points[j].x, height - pad)
            for j, lb in enumerate(labels)
            if j % every == 0 or j == len(labels) - 1
        ]
    return chart


def sparkline(title: str, labels: Sequence[str], values: Sequence[float], *, tone: str = "") -> LineChart:
    """A small trend line with no axes, to sit beside a big figure."""
    return line(title, labels, [(title, values, tone)], width=120, height=32, small=True)


# --- Gauge -----------------------------------------------------------------------------------


@dataclass
class GaugeChart(Chart):
    rate: float | None = None  # percent
    target: float = 100
    track_d: str = ""
    value_dash: str = ""  # stroke-dasharray of the filled part of the half ring
    css: str = ""
    shown: str = ""
    detail: str = ""


def gauge(title: str, rate: float | None, *, target: float = 100, detail: str = "") -> GaugeChart:
    """A half ring filled in proportion to `rate` (percent, 0–100) against `target`; tone ok at
    the target, warn within 10 points of it, bad below; None (no data) is an empty grey ring."""
    chart = GaugeChart(
        title=title, kind="gauge", width=200, height=128, rate=rate, target=target, detail=detail
    )
    r, cx, cy = 80.0, 100.0, 108.0
    chart.track_d = f"M {_n(cx - r)} {_n(cy)} A {_n(r)} {_n(r)} 0 0 1 {_n(cx + r)} {_n(cy)}"
    half = math.pi * r
    if rate is None:
        chart.empty, chart.shown, chart.value_dash = True, "无数据", f"0 {_n(half)}"
        chart.summary = f"{title}：无数据" + (f"（{detail}）" if detail else "")
        return chart
    share = min(max(rate, 0), 100) / 100
    chart.value_dash = f"{_n(half * share)} {_n(half)}"
    chart.css = "ch-ok" if rate >= target else "ch-warn" if rate >= target - 10 else "ch-bad"
    chart.shown = fmt(round(rate, 1), "%")
    chart.summary = f"{title}：{chart.shown}，目标{fmt(target, '%')}" + (f"（{detail}）" if detail else "")
    return chart


# --- Timeline --------------------------------------------------------------------------------


@dataclass
class Band:
    label: str
    start: dt.date
    end: dt.date
    x: float
    w: float
    y: float
    progress: float | None  # 0..100 or None
    progress_w: float
    css: str
    dates: str
    current: bool
    label_x: float = 0
    anchor: str = "start"  # text-anchor of the label above the band


@dataclass
class TimelineChart(Chart):
    bands: list[Band] = field(default_factory=list)
    today: dt.date | None = None
    today_x: float | None = None
    today_label: str = ""
    left: float = PAD
    right: float = 0
    band_h: float = 26
    ticks: list[Point] = field(default_factory=list)


def timeline(
    title: str,
    phases: Sequence[tuple[str, dt.date, dt.date, float | None]],
    today: dt.date,
    *,
    width: float = 400,
) -> TimelineChart:
    """Phases as bands on one date axis (x ∝ days since the first start), each band with a
    progress bar inside (percent, or None when unknown), and a line at today when today falls
    within the campaign."""
    chart = TimelineChart(title=title, kind="timeline", width=width, today=today)
    parts = [
        f"{label} {s.month}月{s.day}日至{e.month}月{e.day}日"
        + (f"，完成{fmt(round(p, 1), '%')}" if p is not None else "")
        for label, s, e, p in phases
    ]
    chart.summary = (
        f"{title}（今天{today.month}月{today.day}日）：{'；'.join(parts)}" if parts else f"{title}：暂无阶段"
    )
    if not phases:
        chart.empty, chart.height = True, 60
        return chart
    first = min(p[1] for p in phases)
    last = max(p[2] for p in phases)
    days = max((last - first).days + 1, 1)
    chart.right = width - PAD
    span = chart.right - chart.left

    def x_of(day: dt.date) -> float:
        return chart.left + span * (day - first).days / days

    top = 40  # room for the today label and the first caption
    for i, (label, start, end, progress) in enumerate(phases):
        x = x_of(start)
        w = max(x_of(end + dt.timedelta(days=1)) - x, 2)
        y = top + i * (chart.band_h + 22)
        current = start <= today <= end
        share = min(max(progress or 0, 0), 100) / 100
        dates = f"{start.month}/{start.day}–{end.month}/{end.day}"
        caption = f"{label} {dates}" + (f" · {fmt(round(progress, 1), '%')}" if progress is not None else "")
        fits = x + text_width(caption, 12) <= chart.right
        chart.bands.append(
            Band(
                label=label,
                start=start,
                end=end,
                x=x,
                w=w,
                y=y,
                progress=progress,
                progress_w=w * share,
                css="ch-s0" if current else ("ch-past" if end < today else "ch-future"),
                dates=caption,
                current=current,
                label_x=x if fits else min(x + w, chart.right),
                anchor="start" if fits else "end",
            )
        )
    chart.height = top + len(phases) * (chart.band_h + 22) + 4
    if first <= today <= last:
        chart.today_x = x_of(today) + span / days / 2
        chart.today_label = f"今天 {today.month}月{today.day}日"
    return chart
