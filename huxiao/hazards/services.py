"""Every change to a hazard: one transaction, one audit event, a timeline entry, and
notifications after commit (DESIGN §4.2, §5).

Transitions are a table (`TRANSITIONS`): from which states, to which state, which capability,
whether a reason is required, and whether the actor must belong to an organisation other than
the one that rectified. Each action carries the `expected_version` the user saw, so when two
reviewers act at once one wins and the other is told.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.selectors import members
from huxiao.core import audit
from huxiao.core.errors import ConflictError
from huxiao.core.images import check_image
from huxiao.core.models import Organisation
from huxiao.core.versions import locked
from huxiao.hazards.access import extension_decider_orgs, interview_recorders, plan_orgs
from huxiao.hazards.choices import (
    FINAL_STATES,
    LIVE_STATES,
    DocKind,
    Escalation,
    EventKind,
    ExtensionState,
    NotifyKind,
    Phase,
    Severity,
    State,
)
from huxiao.hazards.models import (
    ExtensionRequest,
    Hazard,
    HazardAttachment,
    HazardEscalation,
    HazardEvent,
    PlanTask,
    RectificationNotice,
    RectificationPlan,
)
from huxiao.hazards.numbering import allocate
from huxiao.hazards.policy import default_deadline
from huxiao.hazards.sources import SOURCES
from huxiao.lib.dates import cn_date, cn_datetime
from huxiao.notifications.services import notify_on_commit
from huxiao.schools.models import School
from huxiao.schools.scope import require_school_cap, school_org_ids


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    cap: str
    event: str
    needs_reason: bool = False
    other_org: bool = False  # the actor's organisation must differ from the rectifying one


TRANSITIONS: dict[str, Transition] = {
    "confirm": Transition((State.REPORTED,), State.OPEN, Cap.HAZARD_REVIEW, EventKind.CONFIRMED),
    "dismiss": Transition((State.REPORTED,), State.DISMISSED, Cap.HAZARD_REVIEW, EventKind.DISMISSED, True),
    "start": Transition((State.OPEN,), State.RECTIFYING, Cap.HAZARD_RECTIFY, EventKind.STARTED),
    "submit": Transition((State.RECTIFYING,), State.SUBMITTED, Cap.HAZARD_RECTIFY, EventKind.SUBMITTED),
    "return": Transition(
        (State.SUBMITTED,), State.RECTIFYING, Cap.HAZARD_REVIEW, EventKind.RETURNED, True, True
    ),
    "accept": Transition(
        (State.SUBMITTED,), State.CLOSED, Cap.HAZARD_REVIEW, EventKind.ACCEPTED, False, True
    ),
    "fix_on_spot": Transition(
        (State.REPORTED, State.OPEN), State.CLOSED, Cap.HAZARD_REVIEW, EventKind.FIXED_ON_SPOT, False, True
    ),
    "reopen": Transition((State.CLOSED,), State.OPEN, Cap.HAZARD_REVIEW, EventKind.REOPENED, True),
}

ACTION_LABELS = {
    "confirm": "核实立案",
    "dismiss": "不予立案",
    "start": "开始整改",
    "submit": "提交验收",
    "return": "退回整改",
    "accept": "验收销号",
    "fix_on_spot": "立行立改销号",
    "reopen": "重新打开",
}


def hazard_url(hazard: Hazard) -> str:
    return reverse("hazards:hazard-detail", args=[hazard.pk])


def _school_side(hazard: Hazard):
    return lambda: members([hazard.responsible_org_id, hazard.school.organisation_id], Cap.HAZARD_RECTIFY)


def _reviewers(hazard: Hazard):
    def users():
        org_ids = {hazard.found_by_org_id, hazard.school.police_station_id, hazard.school.school_district_id}
        org_ids |= set(hazard.notices.values_list("issuer_id", flat=True))
        org_ids.discard(hazard.responsible_org_id)
        return members(org_ids, Cap.HAZARD_REVIEW)

    return users


def _event(
    hazard: Hazard, *, actor, org_id, kind, from_state="", to_state="", note="", data=None
) -> HazardEvent:
    return HazardEvent.objects.create(
        hazard=hazard,
        actor=actor,
        actor_org_id=org_id,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
    )


def _audit(actor, action, hazard, before=None, after=None, org_id=None):
    audit.record(
        actor=actor,
        action=action,
        obj=hazard,
        before=before,
        after=after,
        region_path=hazard.school.region.path,
        organisation=Organisation.objects.filter(pk=org_id).first() if org_id else None,
    )


def _lock(hazard: Hazard, expected_version: int | None) -> Hazard:
    def stale(current: Hazard) -> str:
        last = current.events.select_related("actor").order_by("-at", "-pk").first()
        who = f"{last.actor or '系统'}于{cn_datetime(last.at)}" if last else "他人"
        return f"该隐患已被{who}处理（当前状态：{current.get_state_display()}），您的操作未执行。请刷新页面查看最新情况。"

    rows = Hazard.objects.select_related("school__region", "school__organisation")
    return locked(rows, hazard.pk, expected_version, stale=stale)


def _add_photos(
    hazard: Hazard, *, acting_user, event: HazardEvent | None, phase: str, photos, caption=""
) -> int:
    count = 0
    # Check every photo before storing any, so one bad file leaves no orphan files behind.
    checked_photos = [check_image(upload, field=f"第{i + 1}张照片") for i, upload in enumerate(photos or [])]
    for checked in checked_photos:
        HazardAttachment.objects.create(
            hazard=hazard,
            event=event,
            phase=phase,
            image=checked.content,
            thumbnail=checked.thumbnail,
            caption=caption,
            sha256=checked.sha256,
            width=checked.width,
            height=checked.height,
            uploaded_by=acting_user,
        )
        count += 1
    return count


@transaction.atomic
def hazard_report(
    *,
    acting_user,
    school: School,
    title: str,
    category: str,
    description: str,
    severity: str = Severity.GENERAL,
    location: str = "",
    source: str = "self",
    source_ref: str = "",
    found_on: dt.date | None = None,
    responsible_person: str = "",
    measures: str = "",
    deadline: dt.date | None = None,
    photos=(),
    confirm: bool = False,
    acting_org_id: int | None = None,
    responsible_org: Organisation | None = None,
) -> Hazard:
    """Register a hazard at a school. A reviewer (police, 学区, 平安办) may confirm it at once;
    otherwise it waits in 待核实. The deadline defaults to the region's policy for its severity."""
    orgs = require_school_cap(acting_user, school, Cap.HAZARD_REPORT) if acting_user else []
    org_id = acting_org_id if acting_org_id in orgs else (orgs[0] if orgs else None)
    if school.organisation_id is None:
        raise ValidationError(
            {"school": f"{school}尚未关联本校单位，无法确定整改责任单位；请先在学校名录中为其关联单位。"}
        )
    found_on = found_on or timezone.localdate()
    can_confirm = confirm and (acting_user is None or school_org_ids(acting_user, school, Cap.HAZARD_REVIEW))
    hazard = Hazard(
        school=school,
        title=title,
        category=category,
        description=description,
        severity=severity,
        location=location,
        source=source,
        source_ref=source_ref,
        found_by=acting_user,
        found_by_org_id=org_id,
        found_on=found_on,
        # the school by default; a department (交巡警, 市场监管 …) for problems outside the campus
        responsible_org=responsible_org or school.organisation,
        responsible_person=responsible_person,
        measures=measures,
        deadline=deadline or default_deadline(school, severity, found_on),
        state=State.OPEN if can_confirm else State.REPORTED,
    )
    hazard.full_clean(exclude=["found_by", "responsible_org"])
    if source not in SOURCES:
        raise ValidationError({"source": f"来源：未知的隐患来源“{source}”。"})
    hazard.save()
    event = _event(
        hazard,
        actor=acting_user,
        org_id=org_id,
        kind=EventKind.REPORTED,
        to_state=State.REPORTED,
        note=description,
    )
    _add_photos(hazard, acting_user=acting_user, event=event, phase=Phase.BEFORE, photos=photos)
    if can_confirm:
        _event(
            hazard,
            actor=acting_user,
            org_id=org_id,
            kind=EventKind.CONFIRMED,
            from_state=State.REPORTED,
            to_state=State.OPEN,
            note=f"整改期限：{cn_date(hazard.deadline)}",
        )
    _audit(acting_user, "hazard.report", hazard, after=audit.snapshot(hazard), org_id=org_id)
    if hazard.state == State.OPEN:
        notify_on_commit(
            _school_side(hazard),
            kind=NotifyKind.ASSIGNED,
            url=hazard_url(hazard),
            title=f"新交办隐患：{hazard.school}·{hazard.title}，期限{cn_date(hazard.deadline)}",
        )
    return hazard


def _check_major_ready(hazard: Hazard) -> None:
    if not hazard.is_major:
        return
    problems = []
    if not RectificationPlan.objects.filter(hazard=hazard).exists():
        problems.append("尚无学区管理中心牵头制定的整改方案")
    if not hazard.temp_measures.strip():
        problems.append("尚未记录临时防护措施")
    if problems:
        raise ValidationError("重大隐患验收前须完成：" + "；".join(problems) + "。")


@transaction.atomic
def hazard_transition(
    *,
    acting_user,
    hazard: Hazard,
    action: str,
    expected_version: int | None,
    reason: str = "",
    note: str = "",
    photos=(),
    deadline: dt.date | None = None,
) -> Hazard:
    """Apply one transition of `TRANSITIONS` — the single path every state change takes."""
    rule = TRANSITIONS.get(action)
    if rule is None:
        raise ValidationError(f"未知操作：{action}")
    current = _lock(hazard, expected_version)
    if current.state not in rule.sources:
        raise ConflictError(
            f"该隐患当前状态为“{current.get_state_display()}”，不能“{ACTION_LABELS[action]}”。请刷新页面查看最新情况。"
        )
    orgs = school_org_ids(acting_user, current.school, rule.cap)
    if rule.other_org:
        orgs = [o for o in orgs if o != current.responsible_org_id]
        if not orgs and school_org_ids(acting_user, current.school, rule.cap):
            raise PermissionDenied("验收须由整改单位以外的单位进行，不能验收本单位的整改。")
    if not orgs:
        raise PermissionDenied(f"您的角色不能对该隐患执行“{ACTION_LABELS[action]}”。")
    if rule.needs_reason and not reason.strip():
        raise ValidationError({"reason": f"{ACTION_LABELS[action]}须填写理由。"})
    if action in ("accept", "fix_on_spot"):
        _check_major_ready(current)
    if (
        action in ("submit", "fix_on_spot")
        and not photos
        and not current.attachments.filter(phase=Phase.AFTER).exists()
    ):
        raise ValidationError({"photos": "须上传整改后的照片作为证据。"})
    before = {"state": current.state, "version": current.version}
    current.state = rule.target
    current.version += 1
    if rule.target == State.CLOSED:
        current.closed_at = timezone.now()
    if rule.target in FINAL_STATES:  # closed or dismissed: the 督办 ladder is lifted
        current.escalations.filter(lifted_at__isnull=True).update(lifted_at=timezone.now())
    if action == "reopen":
        current.closed_at = None
        current.deadline = deadline or default_deadline(
            current.school, current.severity, timezone.localdate()
        )
    if action == "confirm" and deadline:
        current.deadline = deadline
    current.save()
    event = _event(
        current,
        actor=acting_user,
        org_id=orgs[0],
        kind=rule.event,
        from_state=before["state"],
        to_state=current.state,
        note=(reason or note).strip(),
    )
    _add_photos(
        current,
        acting_user=acting_user,
        event=event,
        phase=Phase.AFTER if action in ("submit", "fix_on_spot") else Phase.OTHER,
        photos=photos,
    )
    _audit(
        acting_user,
        f"hazard.{action}",
        current,
        before=before,
        after={"state": current.state, "version": current.version, "reason": reason.strip()},
        org_id=orgs[0],
    )
    _notify_transition(current, action)
    return current


def _notify_transition(hazard: Hazard, action: str) -> None:
    url = hazard_url(hazard)
    name = f"{hazard.school}·{hazard.title}"
    if action in ("confirm", "reopen"):
        notify_on_commit(_school_side(hazard), kind=NotifyKind.ASSIGNED, url=url, title=f"隐患需整改：{name}")
    elif action == "submit":
        notify_on_commit(_reviewers(hazard), kind=NotifyKind.SUBMITTED, url=url, title=f"整改待验收：{name}")
    elif action == "return":
        notify_on_commit(_school_side(hazard), kind=NotifyKind.RETURNED, url=url, title=f"整改被退回：{name}")
    elif action in ("accept", "fix_on_spot"):
        notify_on_commit(
            _school_side(hazard), kind=NotifyKind.ACCEPTED, url=url, title=f"隐患已验收销号：{name}"
        )


def hazard_confirm(*, acting_user, hazard, expected_version, deadline=None, note=""):
    """待核实 → 待整改."""
    return hazard_transition(
        acting_user=acting_user,
        hazard=hazard,
        action="confirm",
        expected_version=expected_version,
        deadline=deadline,
        note=note,
    )


def hazard_dismiss(*, acting_user, hazard, expected_version, reason):
    """待核实 → 不予立案 (reason required)."""
    return hazard_transition(
        acting_user=acting_user,
        hazard=hazard,
        action="dismiss",
        expected_version=expected_version,
        reason=reason,
    )


def hazard_start(*, acting_user, hazard, expected_version, note=""):
    """待整改 → 整改中 (the school starts)."""
    return hazard_transition(
        acting_user=acting_user, hazard=hazard, action="start", expected_version=expected_version, note=note
    )


def hazard_submit(*, acting_user, hazard, expected_version, note, photos=()):
    """整改中 → 待验收, with after-photos."""
    return hazard_transition(
        acting_user=acting_user,
        hazard=hazard,
        action="submit",
        expected_version=expected_version,
        note=note,
        photos=photos,
    )


def hazard_return(*, acting_user, hazard, expected_version, reason):
    """待验收 → 整改中 (reason required; reviewer from another organisation)."""
    return hazard_transition(
        acting_user=acting_user,
        hazard=hazard,
        action="return",
        expected_version=expected_version,
        reason=reason,
    )


def hazard_accept(*, acting_user, hazard, expected_version, note=""):
    """待验收 → 已销号 (reviewer from another organisation; 重大 needs plan + temporary measures)."""
    return hazard_transition(
        acting_user=acting_user, hazard=hazard, action="accept", expected_version=expected_version, note=note
    )


def hazard_fix_on_spot(*, acting_user, hazard, expected_version, note, photos=()):
    """立行立改: 待核实/待整改 → 已销号 with evidence."""
    return hazard_transition(
        acting_user=acting_user,
        hazard=hazard,
        action="fix_on_spot",
        expected_version=expected_version,
        note=note,
        photos=photos,
    )


def hazard_reopen(*, acting_user, hazard, expected_version, reason, deadline=None):
    """已销号 → 待整改: the only way a closed hazard changes (reason required)."""
    return hazard_transition(
        acting_user=acting_user,
        hazard=hazard,
        action="reopen",
        expected_version=expected_version,
        reason=reason,
        deadline=deadline,
    )


@transaction.atomic
def hazard_add_evidence(*, acting_user, hazard: Hazard, phase: str, photos, caption: str = "") -> int:
    """Attach photos (before/after/other) to a live hazard."""
    current = _lock(hazard, None)
    if current.state not in LIVE_STATES:
        raise ValidationError("已销号或不予立案的隐患不能再上传材料；如需继续整改请先“重新打开”。")
    orgs = school_org_ids(acting_user, current.school, Cap.HAZARD_RECTIFY) or school_org_ids(
        acting_user, current.school, Cap.HAZARD_REPORT
    )
    if not orgs:
        raise PermissionDenied("您的角色不能为该隐患上传材料。")
    if not photos:
        raise ValidationError({"photos": "请选择至少一张照片。"})
    event = _event(
        current,
        actor=acting_user,
        org_id=orgs[0],
        kind=EventKind.EVIDENCE,
        note=caption,
        data={"phase": phase},
    )
    count = _add_photos(
        current, acting_user=acting_user, event=event, phase=phase, photos=photos, caption=caption
    )
    event.data = {"phase": phase, "count": count}
    event.save(update_fields=["data"])
    _audit(acting_user, "hazard.evidence", current, after={"phase": phase, "count": count}, org_id=orgs[0])
    return count


@transaction.atomic
def hazard_record_temp_measures(*, acting_user, hazard: Hazard, text: str) -> Hazard:
    """Record the temporary protective measures of a (重大) hazard."""
    current = _lock(hazard, None)
    orgs = school_org_ids(acting_user, current.school, Cap.HAZARD_RECTIFY) or school_org_ids(
        acting_user, current.school, Cap.HAZARD_PLAN
    )
    if not orgs:
        raise PermissionDenied("您的角色不能记录该隐患的临时防护措施。")
    if current.state not in LIVE_STATES:
        raise ValidationError("已销号或不予立案的隐患不能再修改；如需继续整改请先“重新打开”。")
    if not text.strip():
        raise ValidationError({"text": "临时防护措施：请填写已采取的措施。"})
    before = {"temp_measures": current.temp_measures}
    current.temp_measures = text.strip()
    current.save(update_fields=["temp_measures", "updated_at"])
    _event(
        current, actor=acting_user, org_id=orgs[0], kind=EventKind.TEMP_MEASURES, note=current.temp_measures
    )
    _audit(
        acting_user,
        "hazard.temp_measures",
        current,
        before=before,
        after={"temp_measures": current.temp_measures},
        org_id=orgs[0],
    )
    return current


@transaction.atomic
def plan_record(
    *, acting_user, hazard: Hazard, summary: str, tasks: list[tuple[str, str, dt.date]]
) -> RectificationPlan:
    """The 学区管理中心 records the rectification plan of a 重大 hazard (replacing tasks of an earlier draft)."""
    current = _lock(hazard, None)
    orgs = plan_orgs(acting_user, current.school)
    if not orgs:
        raise PermissionDenied("重大隐患整改方案由学区管理中心牵头制定。")
    if current.state not in LIVE_STATES:
        raise ValidationError("已销号或不予立案的隐患不能再修改；如需继续整改请先“重新打开”。")
    if not summary.strip():
        raise ValidationError({"summary": "方案概要：必填。"})
    if not tasks:
        raise ValidationError({"tasks": "请至少列出一项任务（任务、责任人、时限）。"})
    plan, _ = RectificationPlan.objects.update_or_create(
        hazard=current,
        defaults={"lead_org_id": orgs[0], "summary": summary.strip(), "created_by": acting_user},
    )
    plan.tasks.all().delete()  # tasks of a plan draft are replaced wholesale; the timeline keeps each version
    PlanTask.objects.bulk_create([PlanTask(plan=plan, task=t, owner=o, deadline=d) for t, o, d in tasks])
    data = {"tasks": [[t, o, d.isoformat()] for t, o, d in tasks]}
    _event(current, actor=acting_user, org_id=orgs[0], kind=EventKind.PLAN, note=summary.strip(), data=data)
    _audit(acting_user, "hazard.plan", current, after={"summary": summary.strip(), **data}, org_id=orgs[0])
    return plan


@transaction.atomic
def notice_issue(
    *,
    acting_user,
    issuer: Organisation,
    school: School,
    hazards: list[Hazard],
    deadline: dt.date,
    requirements: str = "",
) -> RectificationNotice:
    """Issue a 限期整改通知书 for live hazards of one school; number allocated race-free."""
    orgs = school_org_ids(acting_user, school, Cap.NOTICE_ISSUE)
    if issuer.pk not in orgs:
        raise PermissionDenied("您不能以该单位名义向这所学校下发整改通知书。")
    if not hazards:
        raise ValidationError({"hazards": "请至少选择一项隐患。"})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": "整改期限不能早于今天。"})
    locked = list(Hazard.objects.select_for_update().filter(pk__in=[h.pk for h in hazards]).order_by("pk"))
    for h in locked:
        if h.school_id != school.pk:
            raise ValidationError({"hazards": f"隐患“{h.title}”不属于{school}。"})
        if h.state not in (State.REPORTED, State.OPEN, State.RECTIFYING):
            raise ValidationError(
                {"hazards": f"隐患“{h.title}”当前为“{h.get_state_display()}”，不能再下发通知书。"}
            )
    year = timezone.localdate().year
    seq, number = allocate(issuer, DocKind.NOTICE, year)
    notice = RectificationNotice.objects.create(
        issuer=issuer,
        school=school,
        year=year,
        seq=seq,
        number=number,
        requirements=requirements.strip(),
        deadline=deadline,
        issued_by=acting_user,
    )
    notice.hazards.set(locked)
    for h in locked:
        before = h.state
        if h.state == State.REPORTED:
            h.state = State.OPEN
        h.deadline = deadline
        h.version += 1
        h.save(update_fields=["state", "deadline", "version", "updated_at"])
        _event(
            h,
            actor=acting_user,
            org_id=issuer.pk,
            kind=EventKind.NOTICE_ISSUED,
            from_state=before,
            to_state=h.state,
            note=f"{number}，限{cn_date(deadline)}前整改完毕",
            data={"notice": notice.pk},
        )
    audit.record(
        actor=acting_user,
        action="notice.issue",
        obj=notice,
        organisation=issuer,
        region_path=school.region.path,
        after={"number": number, "hazards": [h.pk for h in locked], "deadline": deadline.isoformat()},
    )
    notify_on_commit(
        lambda: members([school.organisation_id], Cap.HAZARD_RECTIFY),
        kind=NotifyKind.NOTICE_ISSUED,
        url=reverse("hazards:notice-detail", args=[notice.pk]),
        title=f"收到整改通知书 {number}，限{cn_date(deadline)}前整改",
    )
    return notice


@transaction.atomic
def notice_sign(*, acting_user, notice: RectificationNotice) -> RectificationNotice:
    """The school signs for (签收) a notice; its 待整改 hazards move to 整改中."""
    current = RectificationNotice.objects.select_for_update().get(pk=notice.pk)
    orgs = school_org_ids(acting_user, current.school, Cap.HAZARD_RECTIFY)
    if not orgs:
        raise PermissionDenied("只有被通知学校的人员可以签收整改通知书。")
    if current.signed_at:
        raise ConflictError(f"该通知书已由{current.signed_by}于{cn_datetime(current.signed_at)}签收。")
    current.signed_by, current.signed_at = acting_user, timezone.now()
    current.save(update_fields=["signed_by", "signed_at"])
    for h in current.hazards.select_for_update():
        before = h.state
        if h.state == State.OPEN:
            h.state = State.RECTIFYING
            h.version += 1
            h.save(update_fields=["state", "version", "updated_at"])
        _event(
            h,
            actor=acting_user,
            org_id=orgs[0],
            kind=EventKind.NOTICE_SIGNED,
            from_state=before,
            to_state=h.state,
            note=current.number,
            data={"notice": current.pk},
        )
    audit.record(
        actor=acting_user,
        action="notice.sign",
        obj=current,
        organisation=Organisation.objects.get(pk=orgs[0]),
        region_path=current.school.region.path,
        after={"signed_at": current.signed_at.isoformat()},
    )
    return current


@transaction.atomic
def extension_request(*, acting_user, hazard: Hazard, new_deadline: dt.date, reason: str) -> ExtensionRequest:
    """The school asks for more time; the issuing organisation decides."""
    current = _lock(hazard, None)
    orgs = school_org_ids(acting_user, current.school, Cap.HAZARD_RECTIFY)
    if not orgs:
        raise PermissionDenied("只有整改单位可以申请延期。")
    if current.state not in (State.OPEN, State.RECTIFYING):
        raise ValidationError("只有待整改或整改中的隐患可以申请延期。")
    if not reason.strip():
        raise ValidationError({"reason": "申请延期须填写理由。"})
    if current.deadline is None:
        raise ValidationError("该隐患尚未设定整改期限，无需申请延期。")
    if new_deadline <= current.deadline:
        raise ValidationError(
            {"new_deadline": f"申请延至的日期须晚于现期限（{cn_date(current.deadline)}）。"}
        )
    if current.extensions.filter(state=ExtensionState.PENDING).exists():
        raise ConflictError("该隐患已有待审批的延期申请。")
    req = ExtensionRequest.objects.create(
        hazard=current,
        requested_by=acting_user,
        old_deadline=current.deadline,
        new_deadline=new_deadline,
        reason=reason.strip(),
    )
    _event(
        current,
        actor=acting_user,
        org_id=orgs[0],
        kind=EventKind.EXTENSION_REQUESTED,
        note=f"申请延至{cn_date(new_deadline)}：{reason.strip()}",
        data={"extension": req.pk},
    )
    _audit(
        acting_user,
        "hazard.extension_request",
        current,
        after={"new_deadline": new_deadline.isoformat()},
        org_id=orgs[0],
    )
    notify_on_commit(
        _reviewers(current),
        kind=NotifyKind.EXTENSION,
        url=hazard_url(current),
        title=f"延期申请待审批：{current.school}·{current.title}",
    )
    return req


def extension_deciders(hazard: Hazard) -> set[int]:
    """Organisations that may decide: the issuers of the hazard's notices, else its reviewers."""
    issuers = set(hazard.notices.values_list("issuer_id", flat=True))
    return issuers


@transaction.atomic
def extension_decide(
    *, acting_user, request: ExtensionRequest, approve: bool, note: str = ""
) -> ExtensionRequest:
    """Approve (the deadline moves) or reject an extension request."""
    req = (
        ExtensionRequest.objects.select_for_update()
        .select_related("hazard__school__region")
        .get(pk=request.pk)
    )
    if req.state != ExtensionState.PENDING:
        raise ConflictError(f"该延期申请已由{req.decided_by}处理（{req.get_state_display()}）。")
    hazard = _lock(req.hazard, None)
    orgs = extension_decider_orgs(acting_user, hazard, extension_deciders(hazard))
    if not orgs:
        raise PermissionDenied("延期申请由下发整改通知书的单位审批。")
    if approve and hazard.state in FINAL_STATES:
        raise ValidationError(
            f"该隐患已“{hazard.get_state_display()}”，不能再延期；如需处理该申请请选择驳回。"
        )
    if not approve and not note.strip():
        raise ValidationError({"note": "驳回延期须填写理由。"})
    req.state = ExtensionState.APPROVED if approve else ExtensionState.REJECTED
    req.decided_by, req.decided_at, req.decision_note = acting_user, timezone.now(), note.strip()
    req.save()
    before = {"deadline": hazard.deadline.isoformat() if hazard.deadline else None}
    if approve:
        hazard.deadline = req.new_deadline
        hazard.version += 1
        hazard.save(update_fields=["deadline", "version", "updated_at"])
    _event(
        hazard,
        actor=acting_user,
        org_id=orgs[0],
        kind=EventKind.EXTENSION_APPROVED if approve else EventKind.EXTENSION_REJECTED,
        note=note.strip() or f"期限延至{cn_date(req.new_deadline)}",
        data={"extension": req.pk},
    )
    _audit(
        acting_user,
        "hazard.extension_" + ("approve" if approve else "reject"),
        hazard,
        before=before,
        after={"deadline": hazard.deadline.isoformat() if hazard.deadline else None},
        org_id=orgs[0],
    )
    notify_on_commit(
        _school_side(hazard),
        kind=NotifyKind.EXTENSION,
        url=hazard_url(hazard),
        title=f"延期申请{'已批准' if approve else '被驳回'}：{hazard.title}",
    )
    return req


ESCALATION_KIND = {
    Escalation.SUPERVISE: DocKind.SUPERVISION,
    Escalation.INTERVIEW: DocKind.INTERVIEW,
    Escalation.LISTED: DocKind.LISTING,
}


@transaction.atomic
def escalation_record_interview(
    *, acting_user, escalation: HazardEscalation, attendees: str, minutes: str
) -> HazardEscalation:
    """Record who attended a 约谈 and what was said (again to correct it), by the supervising
    organisation: a member of the rung's issuer with HAZARD_REVIEW or CAMPAIGN_MANAGE."""
    current = (
        HazardEscalation.objects.select_for_update()
        .select_related("hazard__school__region", "issuer")
        .get(pk=escalation.pk)
    )
    if current.level != Escalation.INTERVIEW:
        raise ValidationError(f"“{current.get_level_display()}”不是约谈，无需记录约谈情况。")
    if current.issuer_id not in interview_recorders(acting_user):
        raise PermissionDenied(f"约谈记录由督办单位（{current.issuer}）填写。")
    errors = {}
    if not attendees.strip():
        errors["attendees"] = "参加人员：请填写约谈双方参加人员。"
    if not minutes.strip():
        errors["minutes"] = "约谈记录：请填写约谈内容。"
    if errors:
        raise ValidationError(errors)
    before = {"attendees": current.attendees, "minutes": current.minutes}
    current.attendees, current.minutes = attendees.strip(), minutes.strip()
    current.recorded_by = acting_user
    current.save(update_fields=["attendees", "minutes", "recorded_by"])
    _event(
        current.hazard,
        actor=acting_user,
        org_id=current.issuer_id,
        kind=EventKind.ESCALATED,
        note=f"约谈记录（{current.number}）：{current.minutes}",
        data={"level": current.level, "number": current.number, "interview": current.pk},
    )
    audit.record(
        actor=acting_user,
        action="hazard.interview_record",
        obj=current,
        before=before,
        after={"attendees": current.attendees, "minutes": current.minutes},
        region_path=current.hazard.school.region.path,
        organisation=current.issuer,
    )
    return current
