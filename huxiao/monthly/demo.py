"""Demo data of this app, loaded by `huxiao.demo.loader` after the district, schools, accounts
and hazards exist. Idempotent: a report that exists is left alone.

Last month: every 蒲吕 unit but one village school submitted its 统计表 before the due day and
its parent accepted it (schools → 学区, 学区/派出所 → 平安办, 平安办 → 区). This month (due
the 28th): some schools have submitted (one accepted, one awaiting the 学区), one was returned
with a reason, others have not — so the late list has names. 蒲吕青松中学's report is a draft
with its manual figures filled in, ready for the walk-through: `anquan` submits, `xuequ`
accepts.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from huxiao.monthly import services
from huxiao.monthly.choices import ReportState
from huxiao.monthly.due import due_date, prev_month
from huxiao.monthly.models import MonthlyReport, ReportEvent

QINGSONG = "蒲吕青松中学"
NEVER_LAST_MONTH = "蒲吕大庙村小学"  # the one unit that did not report last month
THIS_MONTH_ACCEPTED = ["蒲吕明德小学"]
THIS_MONTH_SUBMITTED = ["蒲吕石龙村小学", "蒲吕向阳幼儿园", "蒲吕育才小学"]
THIS_MONTH_RETURNED = "蒲吕小橡树幼儿园"
RETURN_REASON = "安全教育受教育人次（820）多于在园幼儿和教职工总数，请核实后重新报送。"


def _manual(seed: int, students: int, month: int) -> dict:
    """Plausible manual figures for a school (deterministic, no names anywhere)."""
    k = seed + month
    return {
        "m_law_vice_principals": 1,
        "m_law_counsellors": 1 + k % 2,
        "m_disputes_found": k % 3,
        "m_disputes_resolved": k % 3,
        "m_disputes_pending": 0,
        "m_kp_mental": k % 2,
        "m_kp_drug": 0,
        "m_kp_released": (k // 2) % 2,
        "m_kp_petition": 0,
        "m_kp_other": 0,
        "m_hotspots_fixed": k % 2,
        "m_police_cases": 0,
        "m_alarm_real": 0,
        "m_alarm_false": k % 2,
        "m_edu_sessions": 2 + k % 3,
        "m_edu_people": min(students, 120 + 37 * k),
        "m_drill_sessions": 1,
        "m_drill_people": students,
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


def load(ctx) -> dict[str, int]:
    """Create what is missing; return counts of what exists (for the load_demo summary)."""
    today = timezone.localdate()
    this = (today.year, today.month)
    last = prev_month(*this)
    users, orgs, schools = ctx.users, ctx.orgs, ctx.schools
    pulv = {name: s for name, s in schools.items() if name.startswith("蒲吕") and s.organisation_id}
    xuequ, police, office = orgs["蒲吕学区管理中心"], orgs["蒲吕派出所"], orgs["蒲吕街道平安办"]

    def missing(unit, ym) -> bool:
        return not MonthlyReport.objects.filter(unit=unit, year=ym[0], month=ym[1]).exists()

    # --- last month: submitted before the due day and accepted ----------------------------
    due = due_date(office.region, *last)
    for i, (name, school) in enumerate(sorted(pulv.items())):
        unit = school.organisation
        if name == NEVER_LAST_MONTH or not missing(unit, last):
            continue
        day = due - dt.timedelta(days=3 - i % 3)
        report = _submit(unit, *last, day, 9 + i % 6, _manual(i, school.students, last[1]))
        _accept(report, users["xuequ"], _at(due, 10))
    for unit in (xuequ, police):
        if missing(unit, last):
            extra = {"m_police_cases": 2, "m_alarm_real": 0} if unit == police else {}
            report = _submit(unit, *last, due, 15, extra or {"m_text_plan": "督促各校完成寒假前安全检查。"})
            _accept(report, users["pinganban"], _at(due + dt.timedelta(days=1), 9))
    if missing(office, last):
        report = _submit(office, *last, due + dt.timedelta(days=1), 16, {"m_hotspots_fixed": 3})
        _accept(report, users["quzhengfa"], _at(due + dt.timedelta(days=3), 10))

    # --- this month ------------------------------------------------------------------------
    due = due_date(office.region, *this)
    last_day = min(due, today)
    for i, name in enumerate(THIS_MONTH_ACCEPTED + THIS_MONTH_SUBMITTED + [THIS_MONTH_RETURNED]):
        school = pulv.get(name)
        if school is None or not missing(school.organisation, this):
            continue
        manual = _manual(i + 3, school.students, this[1])
        if name == THIS_MONTH_RETURNED:
            manual["m_edu_people"] = 820
        day = max(last_day - dt.timedelta(days=4 - i % 4), dt.date(*this, 1))
        report = _submit(school.organisation, *this, day, 10 + i, manual)
        if name in THIS_MONTH_ACCEPTED:
            _accept(report, users["xuequ"], _at(day + dt.timedelta(days=1), 9))
        elif name == THIS_MONTH_RETURNED:
            report = services.report_return(
                acting_user=users["xuequ"],
                report=report,
                expected_version=report.version,
                reason=RETURN_REASON,
            )
            _backdate_decision(report, _at(day + dt.timedelta(days=1), 11))
    qingsong = pulv.get(QINGSONG)
    if qingsong is not None and missing(qingsong.organisation, this):
        services.report_save_manual(
            acting_user=None,
            unit=qingsong.organisation,
            year=this[0],
            month=this[1],
            values=_manual(0, qingsong.students, this[1]),
            expected_version=None,
        )
    return {
        "monthly_reports": MonthlyReport.objects.count(),
        "monthly_submitted": MonthlyReport.objects.exclude(
            state__in=[ReportState.DRAFT, ReportState.RETURNED]
        ).count(),
    }
