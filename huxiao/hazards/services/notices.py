"""限期整改通知书: issued for live hazards of one school with a gapless number, and signed for
by the school."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.selectors import members
from huxiao.core import audit
from huxiao.core.errors import ConflictError
from huxiao.core.models import Organisation
from huxiao.hazards.choices import DocKind, EventKind, NotifyKind, State
from huxiao.hazards.models import Hazard, RectificationNotice
from huxiao.hazards.numbering import allocate
from huxiao.hazards.services._common import _event
from huxiao.lib.dates import cn_date, cn_datetime
from huxiao.notifications.services import notify_on_commit
from huxiao.schools.models import School
from huxiao.schools.scope import school_org_ids


@transaction.atomic
def notice_issue(
    *,
    acting_user,
    issuer: Organisation,
    school: School,
    hazards: list[Hazard],
    deadline: dt.date,
    requirements: str = "",
    submission: str = "",
) -> RectificationNotice:
    """Issue a 限期整改通知书 for live hazards of one school; number allocated race-free. The
    form's one-time `submission` token makes a double click on 下发 return the notice the first
    click issued — a second numbered notice could not be removed without a gap in the numbers."""
    orgs = school_org_ids(acting_user, school, Cap.NOTICE_ISSUE)
    if issuer.pk not in orgs:
        raise PermissionDenied("您不能以该单位名义向这所学校下发整改通知书。")
    if not hazards:
        raise ValidationError({"hazards": "请至少选择一项隐患。"})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": "整改期限不能早于今天。"})
    locked = list(Hazard.objects.select_for_update().filter(pk__in=[h.pk for h in hazards]).order_by("pk"))
    if submission:  # after the lock: a second click waits for the first and then finds its notice
        issued = RectificationNotice.objects.filter(issued_by=acting_user, submission=submission).first()
        if issued is not None:
            return issued
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
        submission=submission,
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
