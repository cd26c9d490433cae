"""The 六项机制 records: joint meetings (their decisions become tasks), risk alerts to schools with
acknowledgement, response and escalation when overdue, and circulars with read receipts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.accounts.selectors import members
from huxiao.campaigns.access import school_responders
from huxiao.campaigns.choices import TaskSource
from huxiao.campaigns.files import check_attachments
from huxiao.campaigns.models import (
    AlertRecipient,
    Campaign,
    Circular,
    CircularAttachment,
    CircularReceipt,
    Meeting,
    RiskAlert,
)
from huxiao.campaigns.services._common import (
    KIND_ALERT,
    KIND_ALERT_OVERDUE,
    KIND_CIRCULAR,
    _acting_org,
    _audit,
    _check_manage,
    _store_files,
)
from huxiao.campaigns.services.tasks import task_create
from huxiao.core import audit
from huxiao.core.errors import ConflictError
from huxiao.core.models import Organisation
from huxiao.lib.dates import cn_date, cn_datetime
from huxiao.notifications.services import notify, notify_on_commit
from huxiao.schools.models import School

# --- 六项机制: joint meetings -------------------------------------------------------------


@transaction.atomic
def meeting_record(
    *,
    acting_user,
    campaign: Campaign,
    held_on: dt.date,
    title: str,
    topics: str,
    kind: str = "joint",
    location: str = "",
    attendee_orgs: Iterable[Organisation] = (),
    attendee_people: str = "",
    decisions: Sequence[dict[str, Any]] = (),
) -> Meeting:
    """A 联席会议/月度会商; each decision {title, organisation, due} becomes a task of its owner."""
    _check_manage(acting_user, campaign)
    attendee_orgs = list(attendee_orgs)
    if not attendee_orgs:
        raise ValidationError({"attendee_orgs": "请选择参会单位。"})
    for i, d in enumerate(decisions, start=1):
        if not d.get("title") or d.get("organisation") is None or d.get("due") is None:
            raise ValidationError({"decisions": f"第{i}项议定事项：事项、责任单位和完成时限都须填写。"})
        if d["due"] < held_on:
            raise ValidationError({"decisions": f"第{i}项议定事项：完成时限不能早于会议日期。"})
    meeting = Meeting.objects.create(
        campaign=campaign,
        kind=kind,
        held_on=held_on,
        title=title,
        location=location,
        attendee_people=attendee_people,
        topics=topics,
        recorded_by=acting_user,
    )
    meeting.attendee_orgs.set(attendee_orgs)
    for d in decisions:
        task_create(
            acting_user=acting_user,
            campaign=campaign,
            title=d["title"],
            organisation=d["organisation"],
            due=d["due"],
            description=d.get("description", ""),
            source=TaskSource.MEETING,
            meeting=meeting,
        )
    after = audit.snapshot(meeting)
    after["attendee_orgs"] = [o.pk for o in attendee_orgs]
    after["decisions"] = len(decisions)
    _audit(acting_user, "campaign.meeting_record", meeting, campaign, after=after)
    return meeting


# --- 六项机制: risk alerts ----------------------------------------------------------------


def school_staff(school_org_ids: Iterable[int | None]):
    """The people who answer for schools: the schools' own units, with 报送 or 整改 rights."""
    ids = list(school_org_ids)
    return {u.pk: u for cap in (Cap.REPORT_SUBMIT, Cap.HAZARD_RECTIFY) for u in members(ids, cap)}.values()


@transaction.atomic
def alert_issue(
    *,
    acting_user,
    campaign: Campaign,
    title: str,
    text: str,
    level: str,
    respond_by: dt.date,
    schools: Iterable[School],
    issuer: Organisation | None = None,
) -> RiskAlert:
    """Push a 风险提示 to chosen schools (each within the campaign's region and the user's scope)."""
    _check_manage(acting_user, campaign)
    schools = list(schools)
    if not schools:
        raise ValidationError({"schools": "请至少选择一所学校。"})
    outside = [s.name for s in schools if not s.region.path.startswith(campaign.region.path)]
    if outside:
        raise ValidationError({"schools": f"不在本次行动区域内：{'、'.join(outside)}。"})
    if acting_user is not None:
        visible = set(
            School.objects.visible_to(acting_user)
            .filter(pk__in=[s.pk for s in schools])
            .values_list("pk", flat=True)
        )
        if len(visible) != len({s.pk for s in schools}):
            raise ValidationError({"schools": "所选学校超出您的管辖范围。"})
    issuer = (
        issuer
        or _acting_org(acting_user, campaign, Cap.CAMPAIGN_MANAGE)
        or campaign.office_org
        or campaign.issuer
    )
    if issuer is None:
        raise ValidationError({"issuer": "请指定发布单位。"})
    alert = RiskAlert.objects.create(
        campaign=campaign,
        title=title,
        text=text,
        level=level,
        respond_by=respond_by,
        issuer=issuer,
        issued_by=acting_user,
    )
    AlertRecipient.objects.bulk_create(AlertRecipient(alert=alert, school=s) for s in schools)
    after = audit.snapshot(alert)
    after["schools"] = sorted(s.pk for s in schools)
    _audit(acting_user, "campaign.alert_issue", alert, campaign, after=after, org=issuer)
    url = reverse("campaigns:alert-detail", args=[alert.pk])
    notify_on_commit(
        lambda: school_staff(s.organisation_id for s in schools),
        kind=KIND_ALERT,
        title=f"风险提示（{alert.get_level_display()}）：{title}，请于{cn_date(respond_by)}前反馈",
        url=url,
        dedupe_key=f"alert:{alert.pk}",
    )
    return alert


def _lock_recipient(recipient: AlertRecipient) -> AlertRecipient:
    return (
        AlertRecipient.objects.select_for_update(of=("self",))
        .select_related("alert__campaign__region", "school__organisation", "responded_by")
        .get(pk=recipient.pk)
    )


def _require_responder(acting_user, recipient: AlertRecipient) -> Organisation | None:
    if acting_user is None:
        return None
    orgs = school_responders(acting_user, recipient.school)
    if not orgs:
        raise PermissionDenied("只有该校的安全负责人或校长可以签收和反馈。")
    return recipient.school.organisation


@transaction.atomic
def alert_acknowledge(*, acting_user, recipient: AlertRecipient) -> AlertRecipient:
    """签收: the school has received the alert (idempotent: a second 签收 changes nothing)."""
    current = _lock_recipient(recipient)
    org = _require_responder(acting_user, current)
    if current.acknowledged_at is not None:
        return current
    current.acknowledged_at, current.acknowledged_by = timezone.now(), acting_user
    current.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _audit(
        acting_user,
        "campaign.alert_acknowledge",
        current,
        current.alert.campaign,
        after=audit.snapshot(current),
        org=org,
    )
    return current


@transaction.atomic
def alert_respond(*, acting_user, recipient: AlertRecipient, response: str) -> AlertRecipient:
    """Record the school's response (落实情况), acknowledging first if needed. Once recorded,
    a response stands; a second one is refused with who answered and when."""
    response = (response or "").strip()
    if not response:
        raise ValidationError({"response": "请填写落实情况。"})
    current = _lock_recipient(recipient)
    org = _require_responder(acting_user, current)
    if current.responded_at is not None:
        raise ConflictError(
            f"该校已由{current.responded_by}于{cn_datetime(current.responded_at)}反馈，不能重复反馈。"
        )
    before = audit.snapshot(current)
    now = timezone.now()
    if current.acknowledged_at is None:
        current.acknowledged_at, current.acknowledged_by = now, acting_user
    current.response, current.responded_at, current.responded_by = response, now, acting_user
    current.save()
    _audit(
        acting_user,
        "campaign.alert_respond",
        current,
        current.alert.campaign,
        before=before,
        after=audit.snapshot(current),
        org=org,
    )
    return current


def _notify_overdue(org_ids: list[int | None], title: str, url: str, key: str) -> None:
    notify(members(org_ids), kind=KIND_ALERT_OVERDUE, title=title, url=url, dedupe_key=key)


def alert_escalate_overdue(*, today: dt.date | None = None) -> int:
    """Each recipient that has not responded by its alert's deadline is reported once to its
    school's 学区管理中心 (and the alert's issuer): `escalated_at` is set in the same
    transaction as the audit event, so running this twice escalates nobody twice."""
    today = today or timezone.localdate()
    count = 0
    pending = AlertRecipient.objects.filter(
        responded_at__isnull=True, escalated_at__isnull=True, alert__respond_by__lt=today
    ).values_list("pk", flat=True)
    for pk in list(pending):
        with transaction.atomic():
            r = (
                AlertRecipient.objects.select_for_update(of=("self",))
                .select_related("alert__campaign__region", "school__school_district", "alert__issuer")
                .get(pk=pk)
            )
            if r.responded_at is not None or r.escalated_at is not None:
                continue
            r.escalated_at = timezone.now()
            r.save(update_fields=["escalated_at"])
            district = r.school.school_district
            _audit(
                None,
                "campaign.alert_escalate",
                r,
                r.alert.campaign,
                after={
                    "school": r.school_id,
                    "district": district.pk if district else None,
                    "respond_by": r.alert.respond_by.isoformat(),
                },
                org=district,
            )
            title = f"逾期未反馈：{r.school.name} 未在{cn_date(r.alert.respond_by)}前反馈风险提示“{r.alert.title}”"
            url = reverse("campaigns:alert-detail", args=[r.alert_id])
            ids = [district.pk if district else None, r.alert.issuer_id]
            transaction.on_commit(partial(_notify_overdue, ids, title, url, f"alert-overdue:{r.pk}"))
            count += 1
    return count


# --- 六项机制: circulars ------------------------------------------------------------------


@transaction.atomic
def circular_issue(
    *,
    acting_user,
    campaign: Campaign,
    title: str,
    body: str,
    recipients: Iterable[Organisation],
    number: str = "",
    files: Iterable = (),
    issuer: Organisation | None = None,
) -> Circular:
    """A 通报 with attachments (all checked before any is stored) to recipient units."""
    _check_manage(acting_user, campaign)
    recipients = list(recipients)
    if not recipients:
        raise ValidationError({"recipients": "请选择主送单位。"})
    checked = check_attachments(files, field="附件")
    issuer = issuer or _acting_org(acting_user, campaign, Cap.CAMPAIGN_MANAGE) or campaign.issuer
    if issuer is None:
        raise ValidationError({"issuer": "请指定发文单位。"})
    circular = Circular.objects.create(
        campaign=campaign, number=number, title=title, body=body, issuer=issuer, issued_by=acting_user
    )
    circular.recipients.set(recipients)
    stored = _store_files(CircularAttachment, checked, acting_user, circular=circular)
    after = audit.snapshot(circular)
    after.update({"recipients": [o.pk for o in recipients], "attachments": stored})
    _audit(acting_user, "campaign.circular_issue", circular, campaign, after=after, org=issuer)
    notify_on_commit(
        lambda: members([o.pk for o in recipients]),
        kind=KIND_CIRCULAR,
        title=f"通报：{title}",
        url=reverse("campaigns:circular-detail", args=[circular.pk]),
        dedupe_key=f"circular:{circular.pk}",
    )
    return circular


def circular_mark_read(*, acting_user, circular: Circular) -> int:
    """A read receipt for each recipient unit the reader belongs to that has none yet."""
    recipient_ids = set(circular.recipients.values_list("pk", flat=True))
    mine = sorted(set(scope_of(acting_user).org_ids()) & recipient_ids)
    missing = set(mine) - set(circular.receipts.values_list("organisation_id", flat=True))
    count = 0
    for org_id in sorted(missing):
        try:
            with transaction.atomic():
                receipt = CircularReceipt.objects.create(
                    circular=circular, organisation_id=org_id, user=acting_user
                )
                _audit(
                    acting_user,
                    "campaign.circular_read",
                    receipt,
                    circular.campaign,
                    after=audit.snapshot(receipt),
                    org=Organisation.objects.get(pk=org_id),
                )
                count += 1
        except IntegrityError:  # a colleague of the same unit read it at the same moment
            continue
    return count
