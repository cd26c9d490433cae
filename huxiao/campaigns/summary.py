"""The campaign's final summary (工作总结): a .docx draft assembled from the data, for the
office to edit — period, organisation, figures (hazards found / closed / overdue by category and
severity, schools, tasks, schools entering the gated phases (验收), meetings, alerts and
responses, circulars), a month-by-month table, a bar chart of hazards by category (PNG drawn
with Pillow), what remains open, and next-step paragraphs marked 【请编辑】.

The document is the `campaign_summary` Word template (`reports.documents.render_docx`): the
built-in one (`reports/build_templates.py`: A4, GB/T 9704 margins, 宋体 title, 仿宋 三号 body,
page numbers) or the administrator's replacement. This module only builds its context.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from huxiao.campaigns.choices import Document, GroupRole, TaskStatus
from huxiao.campaigns.dates import month_bounds
from huxiao.campaigns.models import AlertRecipient, Campaign, Circular, Meeting, Task
from huxiao.campaigns.selectors import entry_counts
from huxiao.core import registry
from huxiao.hazards.choices import LIVE_STATES, Category, Severity, State
from huxiao.hazards.models import Hazard
from huxiao.lib.dates import cn_date
from huxiao.reports.documents import Picture, render_docx
from huxiao.reports.samples import sample_chart
from huxiao.schools.models import School

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_FONT_INDEX = 2  # Noto Sans CJK SC inside the collection
CHART_WIDTH_MM = 150


@dataclass
class SummaryFigures:
    """The figures of the summary; each is a count over the campaign's region and period."""

    start: dt.date
    end: dt.date
    as_of: dt.date
    schools: int = 0
    hazards_found: int = 0
    hazards_closed: int = 0
    hazards_live: int = 0
    hazards_overdue: int = 0
    by_category: list[dict] = field(default_factory=list)  # label, found, closed, live, overdue
    by_severity: list[dict] = field(default_factory=list)
    by_month: list[dict] = field(default_factory=list)  # label, found, closed
    # the monthly 统计表's own figures per month, when the monthly app registers them
    monthly_columns: list[str] = field(default_factory=list)
    monthly_rows: list[list] = field(default_factory=list)
    tasks_total: int = 0
    tasks_done: int = 0
    tasks_overdue: int = 0
    by_phase: list[dict] = field(default_factory=list)
    # per gated phase (验收): the region's schools 未申请 / 已申请 / 验收通过 / 已退回
    entries: list[dict] = field(default_factory=list)
    meetings: int = 0
    decisions: int = 0
    alerts_schools: int = 0
    alerts_responded: int = 0
    alerts_escalated: int = 0
    alerts: int = 0
    circulars: int = 0
    remaining: list[Hazard] = field(default_factory=list)

    @property
    def closure_rate(self) -> str:
        return f"{100 * self.hazards_closed / self.hazards_found:.1f}%" if self.hazards_found else "—"


def _hazards(campaign: Campaign, end: dt.date):
    return Hazard.objects.filter(
        school__region__path__startswith=campaign.region.path,
        found_on__gte=campaign.start_date,
        found_on__lte=end,
    ).exclude(state=State.DISMISSED)


def summary_figures(campaign: Campaign, today: dt.date | None = None) -> SummaryFigures:
    """Count everything the summary states (hazards found in the campaign's period in its
    region, 不予立案 excluded; closed and overdue as of `today`)."""
    today = today or timezone.localdate()
    end = min(campaign.end_date, today)
    f = SummaryFigures(start=campaign.start_date, end=campaign.end_date, as_of=today)
    f.schools = School.objects.active().filter(region__path__startswith=campaign.region.path).count()
    hazards = _hazards(campaign, end)
    live = Q(state__in=LIVE_STATES)
    overdue = live & Q(deadline__lt=today)
    aggregates = {
        "found": Count("pk"),
        "closed": Count("pk", filter=Q(state=State.CLOSED)),
        "live": Count("pk", filter=live),
        "overdue": Count("pk", filter=overdue),
    }
    totals = hazards.aggregate(**aggregates)
    f.hazards_found, f.hazards_closed = totals["found"], totals["closed"]
    f.hazards_live, f.hazards_overdue = totals["live"], totals["overdue"]
    by_cat = {r["category"]: r for r in hazards.values("category").annotate(**aggregates)}
    f.by_category = [
        {"label": c.label, **{k: by_cat[c.value][k] for k in aggregates}}
        for c in Category
        if c.value in by_cat
    ]
    by_sev = {r["severity"]: r for r in hazards.values("severity").annotate(**aggregates)}
    f.by_severity = [
        {"label": s.label, **{k: by_sev.get(s.value, {}).get(k, 0) for k in aggregates}} for s in Severity
    ]
    found_by_month = dict(
        hazards.annotate(m=TruncMonth("found_on")).values("m").annotate(n=Count("pk")).values_list("m", "n")
    )
    closed_by_month = dict(
        hazards.filter(state=State.CLOSED, closed_at__isnull=False)
        .annotate(m=TruncMonth("closed_at", tzinfo=timezone.get_current_timezone()))
        .values("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    closed_by_month = {(k.date() if isinstance(k, dt.datetime) else k): v for k, v in closed_by_month.items()}
    month = dt.date(campaign.start_date.year, campaign.start_date.month, 1)
    while month <= end:
        f.by_month.append(
            {
                "label": f"{month.year}年{month.month}月",
                "found": found_by_month.get(month, 0),
                "closed": closed_by_month.get(month, 0),
            }
        )
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    _monthly_table(f, campaign, end)
    tasks = Task.objects.filter(campaign=campaign)
    t = tasks.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=TaskStatus.DONE)),
        overdue=Count("pk", filter=~Q(status=TaskStatus.DONE) & Q(due__lt=today)),
    )
    f.tasks_total, f.tasks_done, f.tasks_overdue = t["total"], t["done"], t["overdue"]
    per_phase = {
        r["phase_id"]: r
        for r in tasks.values("phase_id").annotate(
            total=Count("pk"), done=Count("pk", filter=Q(status=TaskStatus.DONE))
        )
    }
    phases = list(campaign.phases.order_by("order", "pk"))
    f.by_phase = [
        {
            "label": p.name,
            "dates": f"{p.start_label or cn_date(p.start)}至{cn_date(p.end)}",
            "total": per_phase.get(p.pk, {}).get("total", 0),
            "done": per_phase.get(p.pk, {}).get("done", 0),
        }
        for p in phases
    ]
    f.entries = [
        {
            "phase": c.phase.name,
            "schools": c.schools,
            "not_applied": c.not_applied,
            "applied": c.applied,
            "passed": c.passed,
            "returned": c.returned,
        }
        for c in entry_counts(campaign, None, phases)
    ]
    f.meetings = Meeting.objects.filter(campaign=campaign).count()
    f.decisions = tasks.filter(meeting__isnull=False).count()
    recipients = AlertRecipient.objects.filter(alert__campaign=campaign).aggregate(
        n=Count("pk"),
        alerts=Count("alert", distinct=True),
        responded=Count("pk", filter=Q(responded_at__isnull=False)),
        escalated=Count("pk", filter=Q(escalated_at__isnull=False)),
    )
    f.alerts, f.alerts_schools = recipients["alerts"], recipients["n"]
    f.alerts_responded, f.alerts_escalated = recipients["responded"], recipients["escalated"]
    f.circulars = Circular.objects.filter(campaign=campaign).count()
    f.remaining = list(
        Hazard.objects.filter(school__region__path__startswith=campaign.region.path)
        .filter(live & (Q(severity=Severity.MAJOR) | Q(deadline__lt=today)))
        .select_related("school")
        .order_by("school__name", "deadline", "pk")
    )
    return f


MONTHLY_KEYS = ("haz_found", "haz_notices", "haz_closed", "haz_live", "haz_overdue")


def _monthly_table(f: SummaryFigures, campaign: Campaign, end: dt.date) -> None:
    """Month by month, the figures of the monthly 统计表 (through `core.registry`, so the same
    definitions as the reports units submit) for the campaign's schools — when the columns are
    registered; otherwise the summary keeps its own found/closed table."""
    columns = {c.key: c for c in registry.columns()}
    if not all(k in columns for k in MONTHLY_KEYS):
        return
    schools = School.objects.filter(region__path__startswith=campaign.region.path)
    f.monthly_columns = [columns[k].label for k in MONTHLY_KEYS]
    month = dt.date(campaign.start_date.year, campaign.start_date.month, 1)
    while month <= end:
        first, last = month_bounds(month.year, month.month)
        values = registry.figures(schools, max(first, campaign.start_date), min(last, campaign.end_date))
        f.monthly_rows.append([f"{month.year}年{month.month}月", *(values.get(k, 0) for k in MONTHLY_KEYS)])
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


# --- The chart --------------------------------------------------------------------------------


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.truetype(str(CJK_FONT), size, index=CJK_FONT_INDEX), True
    except OSError:
        return ImageFont.load_default(), False


def category_chart(rows: list[dict]) -> bytes:
    """A PNG bar chart: hazards found and closed by category, Chinese labels (Noto Sans CJK);
    without that font the labels fall back to the category codes so the chart stays legible."""
    from PIL import Image, ImageDraw

    width, height = 1400, 760
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    font, cjk = _font(28)
    small, _ = _font(24)
    codes = {c.label: c.value for c in Category}
    title = "各类别隐患发现与销号数" if cjk else "Hazards found / closed by category"
    draw.text((width // 2, 34), title, fill="black", font=font, anchor="mm")
    left, right, top, bottom = 90, 40, 110, 120
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([r["found"] for r in rows] + [1])
    step = max(1, -(-peak // 5))
    scale_max = step * 5
    for i in range(6):
        y = top + plot_h - plot_h * i / 5
        draw.line([(left, y), (width - right, y)], fill=(220, 224, 230), width=1)
        draw.text((left - 12, y), str(step * i), fill=(90, 90, 90), font=small, anchor="rm")
    draw.line([(left, top), (left, top + plot_h)], fill="black", width=2)
    draw.line([(left, top + plot_h), (width - right, top + plot_h)], fill="black", width=2)
    n = max(len(rows), 1)
    slot = plot_w / n
    bar = min(slot * 0.34, 60)
    colors = {"found": (29, 79, 145), "closed": (30, 123, 58)}
    for i, r in enumerate(rows):
        cx = left + slot * (i + 0.5)
        for j, key in enumerate(("found", "closed")):
            h = plot_h * r[key] / scale_max
            x0 = cx - bar - 2 + j * (bar + 4)
            draw.rectangle([x0, top + plot_h - h, x0 + bar, top + plot_h], fill=colors[key])
            draw.text(
                (x0 + bar / 2, top + plot_h - h - 6), str(r[key]), fill="black", font=small, anchor="md"
            )
        label = r["label"] if cjk else codes.get(r["label"], "?")
        draw.text((cx, top + plot_h + 16), label, fill="black", font=small, anchor="ma")
    legend = [
        ("发现" if cjk else "found", colors["found"]),
        ("已销号" if cjk else "closed", colors["closed"]),
    ]
    x = width - right - 320
    for text, color in legend:
        draw.rectangle([x, 66, x + 28, 90], fill=color)
        draw.text((x + 36, 78), text, fill="black", font=small, anchor="lm")
        x += 160
    if not rows:
        draw.text(
            (width // 2, height // 2),
            "本期无隐患" if cjk else "no hazards",
            fill=(90, 90, 90),
            font=font,
            anchor="mm",
        )
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


# --- The document -----------------------------------------------------------------------------


def summary_context(campaign: Campaign, today: dt.date | None = None) -> dict[str, Any]:
    """The plain context of the `campaign_summary` template: texts, figures, table rows (dicts
    of strings and numbers) and the chart (`Picture`). `reports.samples` holds a sample of the
    same shape, against which an uploaded template is checked."""
    f = summary_figures(campaign, today)
    group = list(campaign.group.select_related("organisation").order_by("order", "pk"))
    leaders = [m for m in group if m.role in (GroupRole.LEADER, GroupRole.DEPUTY)]
    participants = list(campaign.participants.select_related("organisation").order_by("order", "pk"))
    office = f"领导小组办公室设在{campaign.office_org}，" if campaign.office_org else ""
    labels = dict(zip(("found", "notices", "closed", "live", "overdue"), f.monthly_columns, strict=False))
    monthly_rows = [
        dict(zip(("label", "found", "notices", "closed", "live", "overdue"), row, strict=True))
        for row in f.monthly_rows
    ]
    return {
        "campaign_name": campaign.name,
        "plan_number": f"（{campaign.document_number}）" if campaign.document_number else "",
        "region_name": campaign.region.name,
        "start": cn_date(f.start),
        "end": cn_date(f.end),
        "as_of": cn_date(f.as_of),
        "leaders": "；".join(f"{m.title}{m.person_name}任{m.get_role_display()}" for m in leaders)
        or "领导小组组成情况",
        "office": office,
        "participants_count": len(participants),
        "participants": "、".join(p.organisation.name for p in participants),
        "phases": f.by_phase,
        "tasks_total": f.tasks_total,
        "tasks_done": f.tasks_done,
        "tasks_overdue": f.tasks_overdue,
        "entries": f.entries,
        "schools": f.schools,
        "hazards_found": f.hazards_found,
        "hazards_closed": f.hazards_closed,
        "hazards_live": f.hazards_live,
        "hazards_overdue": f.hazards_overdue,
        "closure_rate": f.closure_rate,
        "by_category": f.by_category,
        "by_severity": f.by_severity,
        "chart": Picture(category_chart(f.by_category), CHART_WIDTH_MM),
        "monthly_labels": labels,
        "monthly_rows": monthly_rows,
        "by_month": f.by_month,
        "meetings": f.meetings,
        "decisions": f.decisions,
        "alerts": f.alerts,
        "alerts_schools": f.alerts_schools,
        "alerts_responded": f.alerts_responded,
        "alerts_escalated": f.alerts_escalated,
        "circulars": f.circulars,
        "remaining": [
            {
                "school": h.school.name,
                "title": h.title,
                "severity": h.get_severity_display(),
                "deadline": cn_date(h.deadline) or "—",
                "state": h.get_state_display(),
            }
            for h in f.remaining
        ],
        "signed_by": f"{campaign.region.name}专项工作{campaign.office_name}",
    }


def summary_docx(campaign: Campaign, today: dt.date | None = None) -> bytes:
    """The draft summary as .docx bytes, from the administrator's `campaign_summary` template
    when one was uploaded, else the built-in one."""
    return render_docx(Document.SUMMARY, summary_context(campaign, today))


# --- The sample the 工作总结 template is checked against (reports.kinds) ----------------------


def _summary_row(label: str, found: int, closed: int, overdue: int) -> dict[str, Any]:
    return {"label": label, "found": found, "closed": closed, "live": found - closed, "overdue": overdue}


def summary_sample() -> dict[str, Any]:
    return {
        "campaign_name": "2026年蒲吕街道“护校安园”专项行动",
        "plan_number": "（蒲吕平安办〔2026〕5号）",
        "region_name": "蒲吕街道",
        "start": "2026年3月1日",
        "end": "2026年12月31日",
        "as_of": "2026年11月29日",
        "leaders": "街道党工委副书记王建国任组长；派出所所长李明任副组长",
        "office": "领导小组办公室设在蒲吕街道平安办，",
        "participants_count": 2,
        "participants": "蒲吕派出所、蒲吕学区管理中心",
        "phases": [
            {"label": "动员部署", "dates": "2026年3月1日至2026年3月31日", "total": 4, "done": 4},
            {"label": "验收", "dates": "2026年11月1日至2026年11月30日", "total": 3, "done": 1},
        ],
        "tasks_total": 7,
        "tasks_done": 5,
        "tasks_overdue": 1,
        "entries": [
            {"phase": "验收", "schools": 4, "not_applied": 1, "applied": 1, "passed": 1, "returned": 1}
        ],
        "schools": 4,
        "hazards_found": 12,
        "hazards_closed": 9,
        "hazards_live": 3,
        "hazards_overdue": 1,
        "closure_rate": "75.0%",
        "by_category": [_summary_row("消防", 7, 6, 0), _summary_row("物防", 5, 3, 1)],
        "by_severity": [
            _summary_row("一般", 9, 8, 0),
            _summary_row("较大", 2, 1, 1),
            _summary_row("重大", 1, 0, 0),
        ],
        "chart": Picture(sample_chart(), 150),
        "monthly_labels": {
            "found": "发现隐患",
            "notices": "下发整改通知",
            "closed": "整改销号",
            "live": "未销号",
            "overdue": "逾期未整改",
        },
        "monthly_rows": [
            {"label": "2026年10月", "found": 5, "notices": 2, "closed": 4, "live": 3, "overdue": 1},
            {"label": "2026年11月", "found": 7, "notices": 1, "closed": 5, "live": 3, "overdue": 1},
        ],
        "by_month": [
            {"label": "2026年10月", "found": 5, "closed": 4},
            {"label": "2026年11月", "found": 7, "closed": 5},
        ],
        "meetings": 2,
        "decisions": 3,
        "alerts": 1,
        "alerts_schools": 3,
        "alerts_responded": 2,
        "alerts_escalated": 1,
        "circulars": 1,
        "remaining": [
            {
                "school": "蒲吕明德小学",
                "title": "围墙倒塌风险",
                "severity": "重大",
                "deadline": "2026年12月10日",
                "state": "整改中",
            }
        ],
        "signed_by": "蒲吕街道专项工作领导小组办公室",
    }
