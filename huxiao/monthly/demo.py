"""Demo data of this app, loaded by `huxiao.demo.loader` after the district, schools, accounts
and hazards exist. Idempotent: a report that exists is left alone.

The report *for* a month is due by the 28th of the *next* month (每月28日前报送上月统计表). On
2026-11-29 that gives three months:

* the month before last (2026年9月, due 2026年10月28日): every 蒲吕 unit submitted before the due
  day and its parent accepted it (schools → 学区, 学区/派出所 → 平安办, 平安办 → 区);
* last month (2026年10月, due 2026年11月28日, the month now due): most schools submitted and
  were accepted, two await the 学区, one was returned with a reason, and some have not
  submitted — 大庙村小学, the 学区, the 派出所 and the 平安办 — so the late list has names.
  蒲吕青松中学's report is a draft with its manual figures filled in, ready for the
  walk-through: `anquan` submits it (late: the page says so, it does not block) and `xuequ`
  accepts it;
* this month (2026年11月, in progress, not yet due): drafts only.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from huxiao.monthly import services
from huxiao.monthly.choices import ReportState
from huxiao.monthly.due import due_date, month_bounds, month_now_due, prev_month
from huxiao.monthly.models import MonthlyReport, ReportEvent

QINGSONG = "蒲吕青松中学"  # last month's draft: the walk-through submits it
NOT_SUBMITTED = ["蒲吕大庙村小学"]  # schools that have not submitted last month's report
SUBMITTED = ["蒲吕石龙村小学", "蒲吕向阳幼儿园"]  # last month: submitted, awaiting the 学区
RETURNED = "蒲吕小橡树幼儿园"
RETURN_REASON = "教职员工入职查询人数（820）多于本园教职工总数，请核实后重新报送。"
THIS_MONTH_DRAFTS = ["蒲吕青松中学", "蒲吕明德小学"]  # this month: manual figures being filled in


def _manual(seed: int, students: int, month: int) -> dict:
    """Plausible manual figures for a school (deterministic, no names anywhere)."""
    k = seed + month
    return {
        "m_law_vice_principals": 1,
        "m_hotspots_fixed": k % 2,
        "m_checks_hire": k % 3,
        "m_checks_onjob": 0 if month != 9 else 10 + k,
        "m_checks_unfit": 0,
        "m_text_practice": "校门口护学岗“一校一警”，上下学高峰民警、保安、家长志愿者同时在岗。",
        "m_text_problems": "部分视频监控点位夜间画面不清晰，已列入整改。",
        "m_text_plan": "开展冬季消防安全专项检查和寒假前安全教育。",
    }


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _submit(unit, year, month, day: dt.date, hour: int, manual: dict | None) -> MonthlyReport:
    if manual:
        services.report_save_manual(
            acting_user=None, unit=unit, year=year, month=month, values=manual, expected_version=None
        )
    return services.report_submit(
        acting_user=None, unit=unit, year=year, month=month, expected_version=None, now=_at(day, hour)
    )


def _backdate_decision(report: MonthlyReport, when: dt.datetime) -> None:
    MonthlyReport.objects.filter(pk=report.pk).update(decided_at=when)
    last = report.events.order_by("-pk").first()
    if last is not None:
        ReportEvent.objects.filter(pk=last.pk).update(at=when)


def _accept(report: MonthlyReport, user, when: dt.datetime) -> None:
    report = services.report_accept(acting_user=user, report=report, expected_version=report.version)
    _backdate_decision(report, when)


def _save(unit, ym: tuple[int, int], manual: dict) -> None:
    services.report_save_manual(
        acting_user=None, unit=unit, year=ym[0], month=ym[1], values=manual, expected_version=None
    )


def load(ctx) -> dict[str, int]:
    """Create what is missing; return counts of what exists (for the load_demo summary)."""
    today = timezone.localdate()
    this = (today.year, today.month)
    last = month_now_due(today)  # ended, due this month
    before = prev_month(*last)  # ended and past its due day
    users, orgs, schools = ctx.users, ctx.orgs, ctx.schools
    pulv = {name: s for name, s in schools.items() if name.startswith("蒲吕") and s.organisation_id}
    xuequ, police, office = orgs["蒲吕学区管理中心"], orgs["蒲吕派出所"], orgs["蒲吕街道平安办"]

    def missing(unit, ym) -> bool:
        return not MonthlyReport.objects.filter(unit=unit, year=ym[0], month=ym[1]).exists()

    def submit_day(ym: tuple[int, int], day: dt.date) -> dt.date:
        """`day`, but after the month has ended and not after today."""
        return max(min(day, today), month_bounds(*ym)[1] + dt.timedelta(days=1))

    # --- the month before last: everyone submitted before the due day and was accepted ---------
    due = due_date(office.region, *before)
    for i, (_name, school) in enumerate(sorted(pulv.items())):
        unit = school.organisation
        if not missing(unit, before):
            continue
        day = submit_day(before, due - dt.timedelta(days=3 - i % 3))
        report = _submit(unit, *before, day, 9 + i % 6, _manual(i, school.students, before[1]))
        _accept(report, users["xuequ"], _at(min(due, today), 10))
    for unit in (xuequ, police):
        if missing(unit, before):
            extra = {"m_hotspots_fixed": 1} if unit == police else {}
            report = _submit(
                unit,
                *before,
                submit_day(before, due),
                15,
                extra or {"m_text_plan": "督促各校完成冬季安全检查。"},
            )
            _accept(report, users["pinganban"], _at(submit_day(before, due + dt.timedelta(days=1)), 9))
    if missing(office, before):
        report = _submit(
            office, *before, submit_day(before, due + dt.timedelta(days=1)), 16, {"m_hotspots_fixed": 3}
        )
        _accept(report, users["quzhengfa"], _at(submit_day(before, due + dt.timedelta(days=3)), 10))

    # --- last month (now due): mostly accepted, some awaiting, one returned, some missing ---------
    due = due_date(office.region, *last)
    for i, (name, school) in enumerate(sorted(pulv.items())):
        unit = school.organisation
        if name in NOT_SUBMITTED or not missing(unit, last):
            continue
        manual = _manual(i + 3, school.students, last[1])
        if name == QINGSONG:  # a draft, manual figures filled in: the walk-through submits it
            _save(unit, last, manual)
            continue
        if name == RETURNED:
            manual["m_checks_hire"] = 820
        day = submit_day(last, due - dt.timedelta(days=4 - i % 4))
        report = _submit(unit, *last, day, 10 + i % 6, manual)
        decided = _at(min(day + dt.timedelta(days=1), today), 9)
        if name == RETURNED:
            report = services.report_return(
                acting_user=users["xuequ"],
                report=report,
                expected_version=report.version,
                reason=RETURN_REASON,
            )
            _backdate_decision(report, decided)
        elif name not in SUBMITTED:
            _accept(report, users["xuequ"], decided)

    # --- this month (in progress, not yet due): drafts only ---------------------------------
    for i, name in enumerate(THIS_MONTH_DRAFTS):
        school = pulv.get(name)
        if school is not None and missing(school.organisation, this):
            _save(school.organisation, this, _manual(i + 7, school.students, this[1]))
    return {
        "monthly_reports": MonthlyReport.objects.count(),
        "monthly_submitted": MonthlyReport.objects.exclude(
            state__in=[ReportState.DRAFT, ReportState.RETURNED]
        ).count(),
    }
