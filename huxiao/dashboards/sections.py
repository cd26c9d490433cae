"""The parts of the board fed by other apps: the current campaign's phase timeline, the 四个100%
compliance rates, inspection frequency, 护学岗 coverage and monthly report submission.

Each app is read through its public selector (dashboards reads, never writes, and imports no
app's views); only the 统计表 submission is aggregated here (`selectors.report_submission`),
because `monthly.selectors.submission_status` looks a due day up once per region.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from huxiao.campaigns.selectors import campaign_progress, current_campaigns
from huxiao.dashboards import charts, selectors
from huxiao.dashboards.boards import Section
from huxiao.duty.selectors import coverage_summary
from huxiao.inspections.selectors import supervision_summary
from huxiao.standards.selectors import four_rates, region_compliance


def sections(user, today: dt.date) -> list[Section]:
    """The other apps' parts, in the order a leader reads them."""
    return [
        campaign_section(user, today),
        compliance_section(user, today),
        inspection_section(user, today),
        duty_section(user, today),
        monthly_section(user, today),
    ]


def campaign_section(user, today: dt.date) -> Section:
    """The nearest current campaign: its phases on a date axis with today marked and the share
    of each phase's tasks done (3 queries: campaigns, phases, task counts)."""
    campaigns = current_campaigns(user, today)
    if not campaigns:
        return Section("campaign", "专项行动进度", note="今天没有正在进行的专项行动。", wide=True)
    campaign = campaigns[0]
    progress = campaign_progress(campaign, today)
    chart = charts.timeline(
        campaign.name,
        [(p.name, p.start, p.end, (100.0 * p.done / p.total) if p.total else None) for p in progress.phases],
        today,
    )
    lines = [
        (
            f"{p.name}（{p.start.month}月{p.start.day}日—{p.end.month}月{p.end.day}日）"
            + ("，进行中" if p.is_current else "，已结束" if p.is_past else "，未开始"),
            f"{p.done}/{p.total}" + (f"，逾期{p.overdue}" if p.overdue else "") if p.total else "无任务",
            "",
        )
        for p in progress.phases
    ]
    url = reverse("campaigns:campaign-detail", args=[campaign.pk])
    lines.insert(0, ("全部任务完成", f"{progress.done}/{progress.total}（{progress.percent}%）", url))
    others = f"另有{len(campaigns) - 1}项专项行动正在进行。" if len(campaigns) > 1 else ""
    return Section(
        "campaign",
        "专项行动进度",
        charts=[chart],
        lines=lines,
        note=f"阶段进度 = 该阶段已完成任务 ÷ 该阶段任务总数；逾期任务 {progress.overdue} 项。{others}",
        wide=True,
    )


def compliance_section(user, today: dt.date) -> Section:
    """The 四个100% as gauges (a school achieves a target when every rule of it passes in its
    latest evaluation; unknown counts as not achieved) and the compliance rate of each 三防
    category (2 + 4 queries, standards.selectors)."""
    rates = four_rates(user)
    compliance = region_compliance(user)
    url = reverse("standards:compliance")
    gauges = [
        charts.gauge(r.label, r.rate, detail=f"达标{r.achieved}所，未达标{r.failed}所，数据不全{r.unknown}所")
        for r in rates
    ]
    categories = charts.hbar(
        "三防各类规则达标率",
        [charts.Datum(c.title, c.rate if c.rate is not None else 0, "", url) for c in compliance.categories],
        unit="%",
        max_value=100,
    )
    return Section(
        "compliance",
        "四个100%达标率",
        gauges=gauges,
        charts=[categories],
        lines=[("已完成三防达标评估的学校", f"{compliance.evaluated}/{compliance.schools}所", url)],
        note="达标率 = 各项规则在最近一次评估中全部通过的学校 ÷ 学校总数（数据不全按未达标计）；"
        "各类达标率 = 该类“应”条款通过数 ÷ 适用条款数。",
    )


def inspection_section(user, today: dt.date) -> Section:
    """This semester's supervision inspections per school against the rule (≥2 in the seed):
    the share of schools meeting it, and the schools below it (3 queries)."""
    summary = supervision_summary(user, today, limit=8)
    semester = summary.semester
    gauge = charts.gauge(
        "督导检查达标率",
        selectors.rate(summary.met, summary.schools),
        detail=f"达到次数要求{summary.met}所/{summary.schools}所",
    )
    lines = [
        (r.name, f"{r.supervision}/{r.supervision_min}次", reverse("schools:school-detail", args=[r.pk]))
        for r in summary.below
    ]
    if summary.below_count > len(summary.below):
        lines.append(
            (
                f"另有{summary.below_count - len(summary.below)}所学校未达要求",
                "",
                reverse("inspections:frequency"),
            )
        )
    return Section(
        "inspections",
        f"{semester.label}督导检查频次",
        gauges=[gauge],
        lines=lines,
        note=f"{semester.label}（{semester.start.month}月{semester.start.day}日起）已提交的督导类检查（抽查、核查、"
        f"联合检查、督导）次数；每校应不少于规定次数（方案：每学期不少于2次）。未达要求 {summary.below_count} 所。",
    )


def duty_section(user, today: dt.date) -> Section:
    """护学岗 this month so far: set-up rate (schools with a post) and staffing rate (periods
    staffed as required ÷ periods required), from duty records."""
    start = today.replace(day=1)
    tally = coverage_summary(user, start, today)
    return Section(
        "duty",
        "护学岗覆盖率（本月）",
        gauges=[
            charts.gauge(
                "护学岗设置率", tally.setup_rate, detail=f"设岗{tally.schools_with_post}所/{tally.schools}所"
            ),
            charts.gauge(
                "护学岗到岗率", tally.staffing_rate, detail=f"到岗{tally.staffed}/应到岗{tally.required}时段"
            ),
        ],
        lines=[
            ("缺岗或力量不足时段", f"{tally.gaps}", reverse("duty:coverage")),
            ("其中补录记录", f"{tally.backfilled}", ""),
        ],
        note=f"统计{start.month}月{start.day}日至{today.month}月{today.day}日的上学日（节假日、调休、寒暑假已排除）。"
        "设置率 = 设有护学岗的学校 ÷ 学校；到岗率 = 按要求到岗的高峰时段 ÷ 应设岗时段。",
    )


def monthly_section(user, today: dt.date) -> Section:
    """The 统计表 now due (last month's — 每月28日前报送上月): which reporting units in the user's
    view have submitted, been accepted, or are late (selectors.report_submission, the definitions
    of monthly.selectors.submission_status in a fixed number of queries)."""
    from huxiao.monthly.due import month_now_due

    year, month = month_now_due(today)
    status = selectors.report_submission(user, year, month, today)
    title = f"{year}年{month}月统计表报送"
    if not status.due:
        return Section("monthly", title, note="您的管辖范围内没有需要报送月度统计表的单位。")
    donut = charts.donut(
        title,
        [
            charts.Datum("已审核通过", status.accepted, "ok"),
            charts.Datum("已报送待审核", status.submitted - status.accepted, ""),
            charts.Datum("逾期未报送", status.late, "bad"),
            charts.Datum("未到期未报送", status.not_yet_due, "warn"),
        ],
        centre_value=charts.fmt(selectors.rate(status.submitted, status.due), "%"),
        centre_label="报送率",
        unit="个",
    )
    late_url = reverse("monthly:late-list")
    lines = [
        (
            f"已报送{status.submitted}个（审核通过{status.accepted}个）/ 应报送{status.due}个",
            f"逾期{status.late}个",
            late_url,
        )
    ]
    lines += [(name, f"逾期{(today - due).days}天", late_url) for name, due in status.late_units]
    if status.late > len(status.late_units):
        lines.append((f"另有{status.late - len(status.late_units)}个单位逾期未报送", "", late_url))
    return Section(
        "monthly",
        title,
        charts=[donut],
        lines=lines,
        note=f"应报送单位 {status.due} 个，截止日期"
        + "、".join(f"{d.month}月{d.day}日" for d in status.due_dates)
        + "；报送率 = 已报送（含已审核通过）÷ 应报送。",
    )
