"""Every change to a monthly report: save manual values, submit (freeze + hash), accept,
return. Each is one transaction with one audit event; notifications go out after commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.models import Membership
from huxiao.accounts.roles import ROLES, Cap
from huxiao.core import audit
from huxiao.core.errors import ConflictError
from huxiao.core.models import Organisation
from huxiao.core.versions import locked
from huxiao.lib.dates import cn_date, cn_datetime
from huxiao.lib.hashing import canonical_json, sha256_hex
from huxiao.monthly import selectors
from huxiao.monthly.choices import OPEN_STATES, EventKind, NotifyKind, ReportState
from huxiao.monthly.due import due_date, is_ended, month_now_due
from huxiao.monthly.models import MonthlyReport, ReportEvent
from huxiao.monthly.units import can_approve, can_submit, parent_of
from huxiao.notifications.services import notify_on_commit

MAX_NUMBER = 10_000_000
MAX_TEXT = 2000


def report_url(unit: Organisation, year: int, month: int) -> str:
    return reverse("monthly:report-detail", args=[unit.pk, year, month])


def content_hash(snapshot: dict[str, Any]) -> str:
    """SHA-256 of the snapshot's canonical JSON (sorted keys, no whitespace, UTF-8)."""
    return sha256_hex(canonical_json(snapshot))


def holders(org: Organisation | None, cap: str):
    """Active users holding `cap` in `org` (whom to notify)."""
    if org is None:
        return []
    roles = [code for code, r in ROLES.items() if cap in r.caps]
    return [
        m.user
        for m in Membership.objects.active().filter(organisation=org, role__in=roles).select_related("user")
    ]


def _check_period(year: int, month: int) -> None:
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise ValidationError("月份不正确。")
    today = timezone.localdate()
    if (year, month) > (today.year, today.month):
        raise ValidationError(f"{year}年{month}月尚未开始，不能填报。")


def _check_ended(unit: Organisation, year: int, month: int, today: dt.date) -> None:
    """A month's report is submitted once the month is over (每月28日前报送上月统计表)."""
    if not is_ended(year, month, today):
        due = due_date(unit.region, year, month)
        raise ValidationError(f"{year}年{month}月尚未结束，月报须在月末之后报送（截止{cn_date(due)}）")


def _locked_report(unit: Organisation, year: int, month: int, expected_version: int | None) -> MonthlyReport:
    """The unit's report for the month, created as a draft if missing, row-locked; refuses a
    stale version (someone else saved since the form was opened)."""
    report, _ = MonthlyReport.objects.get_or_create(unit=unit, year=year, month=month)

    def stale(report: MonthlyReport) -> str:
        who = report.events.exclude(actor=None).select_related("actor").order_by("-at", "-pk").first()
        actor = who.actor if who else None
        by = f"{actor.get_full_name() or actor.username}于{cn_datetime(who.at)}" if who and actor else "他人"
        return f"该统计表已被{by}修改（{report.get_state_display()}），请刷新后再操作。"

    report = locked(
        MonthlyReport.objects.select_related("unit", "unit__region"), report.pk, expected_version, stale=stale
    )
    return report


def _audit(actor, action: str, report: MonthlyReport, before=None, after=None) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=report,
        before=before,
        after=after,
        organisation=report.unit,
        region_path=report.unit.region.path,
    )


def clean_manual(values: dict[str, Any]) -> dict[str, Any]:
    """Only known manual columns; numbers are whole and ≥ 0, text is at most 2000 characters.
    Errors name the column and the rule."""
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for c in selectors.columns():
        if not c.manual or c.key not in values:
            continue
        value = values[c.key]
        if selectors.is_text(c):
            text = (value or "").strip()
            if len(text) > MAX_TEXT:
                errors[c.key] = f"{c.label}：最多{MAX_TEXT}字。"
            out[c.key] = text
        elif value in (None, ""):
            out[c.key] = None
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_NUMBER:
            errors[c.key] = f"{c.label}：须为0至{MAX_NUMBER}之间的整数。"
        else:
            out[c.key] = value
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def report_save_manual(
    *,
    acting_user,
    unit: Organisation,
    year: int,
    month: int,
    values: dict[str, Any],
    expected_version: int | None,
) -> MonthlyReport:
    """Save the unit's manual figures (a draft or a returned report only). `acting_user=None`
    is the system (the demo loader)."""
    if acting_user is not None and not can_submit(acting_user, unit):
        raise PermissionDenied("只有本单位有报送权限的人员才能填写统计表。")
    _check_period(year, month)
    cleaned = clean_manual(values)
    report = _locked_report(unit, year, month, expected_version)
    if report.state not in OPEN_STATES:
        raise ValidationError(f"该统计表{report.get_state_display()}，已锁定，不能修改。")
    before = dict(report.manual)
    report.manual = {**report.manual, **cleaned}
    report.version += 1
    report.save()
    changed = {k: v for k, v in report.manual.items() if before.get(k) != v}
    ReportEvent.objects.create(
        report=report, actor=acting_user, kind=EventKind.SAVED, data={"changed": changed}
    )
    _audit(acting_user, "monthly.save", report, before={"manual": before}, after={"manual": report.manual})
    return report


@transaction.atomic
def report_submit(
    *,
    acting_user,
    unit: Organisation,
    year: int,
    month: int,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> MonthlyReport:
    """Freeze the table — computed and manual values, columns, school set — store it with the
    SHA-256 of its canonical JSON, and lock the report. The parent unit is notified.
    `now` (the system only: the demo loader) dates a submission in the past: the figures are
    then taken as of that day."""
    if acting_user is not None and not can_submit(acting_user, unit):
        raise PermissionDenied("只有本单位有报送权限的人员才能报送统计表。")
    _check_period(year, month)
    report = _locked_report(unit, year, month, expected_version)
    if report.state not in OPEN_STATES:
        raise ValidationError(f"该统计表{report.get_state_display()}，不能重复报送。")
    now = now if (acting_user is None and now is not None) else timezone.now()
    _check_ended(unit, year, month, timezone.localdate(now))
    table = selectors.unit_table(unit, year, month, report=report, on=timezone.localdate(now))
    snapshot = selectors.snapshot_of(table)
    before = {"state": report.state}
    report.snapshot = snapshot
    report.content_hash = content_hash(snapshot)
    report.state = ReportState.SUBMITTED
    report.submitted_at = now
    report.submitted_by = acting_user
    report.decided_at = None
    report.decided_by = None
    report.version += 1
    report.save()
    event = ReportEvent.objects.create(
        report=report,
        actor=acting_user,
        kind=EventKind.SUBMITTED,
        content_hash=report.content_hash,
        data={"snapshot": snapshot},
    )
    ReportEvent.objects.filter(pk=event.pk).update(at=now)
    _audit(
        acting_user,
        "monthly.submit",
        report,
        before=before,
        after={"state": report.state, "content_hash": report.content_hash},
    )
    parent = parent_of(unit)
    notify_on_commit(
        lambda: holders(parent, Cap.REPORT_APPROVE),
        kind=NotifyKind.SUBMITTED,
        url=report_url(unit, year, month),
        title=f"{unit}已报送{year}年{month}月护校安园统计表，请审核",
    )
    return report


def _decide(acting_user, report: MonthlyReport, expected_version: int | None) -> MonthlyReport:
    if not can_approve(acting_user, report.unit):
        raise PermissionDenied("只有上级单位有审核权限的人员才能审核该统计表。")
    current = _locked_report(report.unit, report.year, report.month, expected_version)
    if current.state != ReportState.SUBMITTED:
        raise ConflictError(f"该统计表当前为“{current.get_state_display()}”，不能审核。请刷新页面。")
    return current


@transaction.atomic
def report_accept(
    *, acting_user, report: MonthlyReport, expected_version: int | None, note: str = ""
) -> MonthlyReport:
    """The parent unit accepts a submitted report (it stays locked)."""
    current = _decide(acting_user, report, expected_version)
    current.state = ReportState.ACCEPTED
    current.decided_at = timezone.now()
    current.decided_by = acting_user
    current.version += 1
    current.save()
    ReportEvent.objects.create(
        report=current,
        actor=acting_user,
        kind=EventKind.ACCEPTED,
        note=note.strip(),
        content_hash=current.content_hash,
    )
    _audit(
        acting_user,
        "monthly.accept",
        current,
        before={"state": ReportState.SUBMITTED},
        after={"state": current.state},
    )
    notify_on_commit(
        lambda: holders(current.unit, Cap.REPORT_SUBMIT),
        kind=NotifyKind.ACCEPTED,
        url=report_url(current.unit, current.year, current.month),
        title=f"{current.year}年{current.month}月护校安园统计表已审核通过",
    )
    return current


@transaction.atomic
def report_return(
    *, acting_user, report: MonthlyReport, expected_version: int | None, reason: str
) -> MonthlyReport:
    """The parent unit returns a submitted report with a reason: it becomes editable again
    (figures live once more); the submitted version stays in the history with its hash."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "退回理由：必须填写，说明需要更正什么。"})
    current = _decide(acting_user, report, expected_version)
    # The submitted table stays on the report (and in the SUBMITTED event) until the next
    # submission replaces it; the report is open for editing again, its figures live once more.
    current.state = ReportState.RETURNED
    current.return_reason = reason
    current.decided_at = timezone.now()
    current.decided_by = acting_user
    current.version += 1
    current.save()
    ReportEvent.objects.create(report=current, actor=acting_user, kind=EventKind.RETURNED, note=reason)
    _audit(
        acting_user,
        "monthly.return",
        current,
        before={"state": ReportState.SUBMITTED},
        after={"state": current.state, "reason": reason},
    )
    notify_on_commit(
        lambda: holders(current.unit, Cap.REPORT_SUBMIT),
        kind=NotifyKind.RETURNED,
        url=report_url(current.unit, current.year, current.month),
        title=f"{current.year}年{current.month}月护校安园统计表被退回：{reason}"[:200],
    )
    return current


def remind_due(*, today: dt.date | None = None) -> int:
    """Send the due-date reminders of the month now due — last month, whose report is due this
    month — to units that have not submitted (3 days before, the last working day before a
    non-working due day, the due day). Each message is sent once per user, unit and reminder
    day, so running it twice sends nothing."""
    from huxiao.monthly.due import reminder_days
    from huxiao.monthly.units import REPORTING_KINDS
    from huxiao.notifications.services import notify

    today = today or timezone.localdate()
    year, month = month_now_due(today)
    units = (
        Organisation.objects.active().filter(kind__in=REPORTING_KINDS).filter(selectors.expected_units_q())
    )
    sent = 0
    for status in selectors.statuses(units.select_related("region"), year, month):
        if status.submitted:
            continue
        text = reminder_days(status.due).get(today)
        if text is None:
            continue
        sent += notify(
            holders(status.unit, Cap.REPORT_SUBMIT),
            kind=NotifyKind.MONTHLY_REPORT,
            url=report_url(status.unit, year, month),
            title=f"{year}年{month}月护校安园统计表{text}（截止{cn_date(status.due)}）",
            dedupe_key=f"monthly:{status.unit.pk}:{year}-{month:02d}:{today.isoformat()}",
        )
    return sent
