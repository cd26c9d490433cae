"""The state machine of a hazard (DESIGN §5) as a table, and the single path every state
change takes.

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
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.core.errors import ConflictError
from huxiao.hazards.choices import FINAL_STATES, EventKind, NotifyKind, Phase, State
from huxiao.hazards.models import Hazard, RectificationPlan
from huxiao.hazards.policy import default_deadline
from huxiao.hazards.services._common import (
    _add_photos,
    _audit,
    _event,
    _lock,
    _reviewers,
    _school_side,
    hazard_url,
)
from huxiao.notifications.services import notify_on_commit
from huxiao.schools.scope import school_org_ids


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
