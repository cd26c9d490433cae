"""What the hazard services share: the hazard's URL, who is told (the school side, the
reviewers), the timeline event, the audit wrapper, the row lock with its "somebody else acted"
message, and storing checked photos."""

from __future__ import annotations

from django.urls import reverse

from huxiao.accounts.roles import Cap
from huxiao.accounts.selectors import members
from huxiao.core import audit
from huxiao.core.images import check_image
from huxiao.core.models import Organisation
from huxiao.core.versions import locked
from huxiao.hazards.models import Hazard, HazardAttachment, HazardEvent
from huxiao.lib.dates import cn_datetime


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
