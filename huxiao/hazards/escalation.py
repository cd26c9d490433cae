"""The overdue ladder 督办 → 约谈 → 挂牌督办 (DESIGN §5), run by `manage.py escalate`.

For every live hazard past its deadline, the rung it should stand on follows from the working
days overdue and the region's policy; each missing rung gets one `HazardEscalation` with its
own number. Running it again the same day changes nothing (unique hazard × level).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.selectors import members
from huxiao.core import audit
from huxiao.core.calendar import working_days_between
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organisation
from huxiao.hazards.choices import Escalation, EventKind, NotifyKind
from huxiao.hazards.models import Hazard, HazardEscalation, HazardEvent, HazardPolicy
from huxiao.hazards.numbering import allocate
from huxiao.hazards.policy import policy_for
from huxiao.hazards.services import ESCALATION_KIND, hazard_url
from huxiao.notifications.services import notify, notify_on_commit
from huxiao.schools.models import School


def target_level(policy: HazardPolicy, overdue_days: int) -> int:
    """The rung a hazard overdue by `overdue_days` working days should stand on."""
    if overdue_days >= policy.listed_after:
        return Escalation.LISTED
    if overdue_days >= policy.interview_after:
        return Escalation.INTERVIEW
    if overdue_days >= policy.supervise_after:
        return Escalation.SUPERVISE
    return Escalation.NONE


def escalation_issuer(school: School) -> Organisation | None:
    """Who supervises: the 平安办 whose jurisdiction holds the school, else its 派出所, else its 学区."""
    codes = [c for c in school.region.path.split("/") if c]
    office = (
        Organisation.objects.active()
        .filter(kind=OrgKind.SAFETY_OFFICE, jurisdiction_regions__code__in=codes)
        .order_by("-jurisdiction_regions__path")
        .first()
    )
    return office or school.police_station or school.school_district


@dataclass
class EscalationRun:
    checked: int = 0
    created: list[HazardEscalation] = field(default_factory=list)


def escalate_overdue(today: dt.date | None = None) -> EscalationRun:
    """Raise every overdue hazard to the rung it has earned; idempotent."""
    today = today or timezone.localdate()
    run = EscalationRun()
    overdue = Hazard.objects.overdue(today).select_related(
        "school__region", "school__police_station", "school__school_district"
    )
    for hazard in overdue.iterator(chunk_size=500):
        run.checked += 1
        days = working_days_between(hazard.deadline, today)
        level = target_level(policy_for(hazard.school), days)
        if level > hazard.escalation:
            run.created += _raise(hazard, level, days, today)
    return run


@transaction.atomic
def _raise(hazard: Hazard, level: int, days: int, today: dt.date) -> list[HazardEscalation]:
    current = Hazard.objects.select_for_update().get(pk=hazard.pk)
    issuer = escalation_issuer(hazard.school)
    if issuer is None or current.escalation >= level:
        return []
    created = []
    for rung in range(current.escalation + 1, level + 1):
        if HazardEscalation.objects.filter(hazard=current, level=rung).exists():
            continue
        _seq, number = allocate(issuer, ESCALATION_KIND[Escalation(rung)], today.year)
        created.append(
            HazardEscalation.objects.create(
                hazard=current,
                level=rung,
                issuer=issuer,
                number=number,
                overdue_days=days,
            )
        )
        HazardEvent.objects.create(
            hazard=current,
            actor=None,
            actor_org=issuer,
            kind=EventKind.ESCALATED,
            note=f"逾期{days}个工作日，{Escalation(rung).label}（{number}）",
            data={"level": rung, "number": number},
        )
    before = {"escalation": current.escalation}
    current.escalation = level
    current.version += 1
    current.save(update_fields=["escalation", "version", "updated_at"])
    audit.record(
        actor=None,
        action="hazard.escalate",
        obj=current,
        before=before,
        after={"escalation": level, "overdue_days": days, "numbers": [e.number for e in created]},
        region_path=current.school.region.path,
        organisation=issuer,
    )
    label = Escalation(level).label
    notify_on_commit(
        lambda: members(
            [current.school.organisation_id, current.school.school_district_id, issuer.pk], Cap.SCHOOL_VIEW
        ),
        kind=NotifyKind.ESCALATED,
        url=hazard_url(current),
        dedupe_key=f"esc:{current.pk}:{level}",
        title=f"逾期{label}：{current.school}·{current.title}（逾期{days}个工作日）",
    )
    return created


def remind_due(today: dt.date | None = None) -> int:
    """Inbox reminders for hazards due soon or overdue today (once per hazard per day)."""
    today = today or timezone.localdate()
    sent = 0
    for kind, qs in (
        (NotifyKind.DUE_SOON, Hazard.objects.due_soon(today)),
        (NotifyKind.OVERDUE, Hazard.objects.overdue(today)),
    ):
        for hazard in qs.select_related("school").filter(~Q(school__organisation=None)):
            users = members([hazard.responsible_org_id, hazard.school.organisation_id], Cap.HAZARD_RECTIFY)
            verb = "即将到期" if kind == NotifyKind.DUE_SOON else "已逾期"
            sent += notify(
                users,
                kind=kind,
                url=hazard_url(hazard),
                dedupe_key=f"{kind}:{hazard.pk}:{today}",
                title=f"隐患{verb}：{hazard.school}·{hazard.title}（期限{hazard.deadline:%Y年%m月%d日}）",
            )
    return sent
