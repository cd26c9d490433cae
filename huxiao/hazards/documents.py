"""The contexts of the hazard documents: a notice, a rung of the overdue ladder, a hazard's
closure dossier. Plain dicts of strings (dates already as 2026年11月29日) and `Picture`s, so
a template needs no logic beyond loops; `document_samples.py` mirrors the same fields."""

from __future__ import annotations

import logging
from itertools import zip_longest
from typing import Any

from django.utils import timezone

from huxiao.hazards.choices import Escalation, EventKind, Phase
from huxiao.hazards.models import Hazard, HazardAttachment, HazardEscalation, RectificationNotice
from huxiao.lib.dates import cn_date, cn_datetime
from huxiao.reports.documents import Picture
from huxiao.reports.samples import BLANK, LEGAL_BASIS

logger = logging.getLogger(__name__)

PHOTO_WIDTH_MM = 70
BLANK_LINE = "_" * 34


def blank_lines(n: int) -> str:
    """Lines to write on by hand, for what has not been recorded yet."""
    return "\n".join([BLANK_LINE] * n)


def notice_context(notice: RectificationNotice) -> dict[str, Any]:
    """限期整改通知书 as issued: the hazards, the notice's own deadline, the 签收 once signed."""
    hazards = list(notice.hazards.order_by("pk"))
    deadline = cn_date(notice.deadline)
    return {
        "issuer_name": notice.issuer.name,
        "number": notice.number,
        "school_name": notice.school.name,
        "hazards": [
            {
                "no": i,
                "title": h.title,
                "location": h.location or "—",
                "requirement": h.measures or "按本通知要求整改",
                "deadline": deadline,
            }
            for i, h in enumerate(hazards, start=1)
        ],
        "hazard_count": len(hazards),
        "requirements": notice.requirements,
        "deadline": deadline,
        "issue_date": cn_date(notice.issued_at),
        "legal_basis": LEGAL_BASIS,
        "signed_by": str(notice.signed_by) if notice.signed_by else BLANK,
        "signed_at": cn_datetime(notice.signed_at) if notice.signed_at else BLANK,
    }


def _interview_recorded_at(escalation: HazardEscalation):
    event = (
        escalation.hazard.events.filter(kind=EventKind.ESCALATED, data__interview=escalation.pk)
        .order_by("-at")
        .first()
    )
    return event.at if event else None


def escalation_context(escalation: HazardEscalation) -> dict[str, Any]:
    """督办通知书, 约谈记录 or 挂牌督办通知 for one rung (the template is chosen by its level)."""
    hazard = escalation.hazard
    earlier = HazardEscalation.objects.filter(hazard=hazard, level__lt=escalation.level).order_by("level")
    prior = "、".join(f"{e.get_level_display()}（{e.number}）" for e in earlier)
    notices = "、".join(hazard.notices.order_by("issued_at").values_list("number", flat=True))
    context: dict[str, Any] = {
        "issuer_name": escalation.issuer.name,
        "number": escalation.number,
        "school_name": hazard.school.name,
        "hazard_title": hazard.title,
        "hazard_code": hazard.code,
        "location": hazard.location or "—",
        "severity": hazard.get_severity_display(),
        "found_on": cn_date(hazard.found_on),
        "notice_numbers": notices or "—",
        "original_deadline": cn_date(hazard.deadline),
        "overdue_days": escalation.overdue_days,
        "prior_steps": f"，经{prior}" if prior else "",
        "issue_date": cn_date(escalation.created_at),
        "legal_basis": LEGAL_BASIS,
        "signed_by": BLANK,
        "signed_at": BLANK,
    }
    if escalation.level == Escalation.INTERVIEW:
        recorded_at = _interview_recorded_at(escalation) if escalation.minutes else None
        context |= {
            "interview_date": cn_date(recorded_at) if recorded_at else BLANK,
            "attendees": escalation.attendees or blank_lines(3),
            "minutes": escalation.minutes or blank_lines(6),
            "recorded_by": str(escalation.recorded_by) if escalation.recorded_by else BLANK,
        }
    return context


def _picture(attachment: HazardAttachment | None) -> Picture | str:
    if attachment is None:
        return ""
    try:
        with attachment.thumbnail.open("rb") as fh:
            return Picture(fh.read(), PHOTO_WIDTH_MM)
    except (OSError, ValueError):
        logger.warning("thumbnail of attachment %s is missing", attachment.pk)
        return "（照片文件缺失）"


def _caption(attachment: HazardAttachment | None) -> str:
    if attachment is None:
        return ""
    when = cn_date(attachment.uploaded_at)
    return f"{when} {attachment.caption}".strip()


def _by(event) -> str:
    who = str(event.actor) if event.actor else "系统"
    return f"{who}（{event.actor_org}）" if event.actor_org else who


def dossier_context(hazard: Hazard) -> dict[str, Any]:
    """隐患整改档案 of one hazard in any state: facts, notices and rungs, before/after photos side
    by side, acceptance, and the full timeline."""
    photos = list(
        hazard.attachments.filter(phase__in=(Phase.BEFORE, Phase.AFTER)).order_by("uploaded_at", "pk")
    )
    befores = [p for p in photos if p.phase == Phase.BEFORE]
    afters = [p for p in photos if p.phase == Phase.AFTER]
    events = list(hazard.events.select_related("actor", "actor_org").order_by("at", "pk"))
    documents = [
        {
            "kind": "限期整改通知书",
            "number": n.number,
            "date": cn_date(n.issued_at),
            "state": f"{cn_date(n.signed_at)}签收" if n.signed_at else "未签收",
        }
        for n in hazard.notices.order_by("issued_at")
    ] + [
        {
            "kind": e.get_level_display(),
            "number": e.number,
            "date": cn_date(e.created_at),
            "state": f"{cn_date(e.lifted_at)}摘牌" if e.lifted_at else "—",
        }
        for e in hazard.escalations.order_by("level")
    ]
    closing = [e for e in events if e.kind in (EventKind.ACCEPTED, EventKind.FIXED_ON_SPOT)]
    if closing and hazard.closed_at:
        last = closing[-1]
        acceptance = f"{cn_datetime(last.at)}，{_by(last)}{last.get_kind_display()}" + (
            f"：{last.note}" if last.note else "。"
        )
    else:
        acceptance = f"尚未验收销号（当前状态：{hazard.get_state_display()}）。"
    return {
        "school_name": hazard.school.name,
        "hazard_code": hazard.code,
        "hazard_title": hazard.title,
        "location": hazard.location or "—",
        "category": hazard.get_category_display(),
        "severity": hazard.get_severity_display(),
        "source": hazard.source_label,
        "found_on": cn_date(hazard.found_on),
        "found_by_org": str(hazard.found_by_org or "—"),
        "found_by": str(hazard.found_by) if hazard.found_by else "系统（标准比对）",
        "responsible_org": str(hazard.responsible_org),
        "responsible_person": hazard.responsible_person or "—",
        "deadline": cn_date(hazard.deadline) or "—",
        "state": hazard.get_state_display(),
        "escalation": hazard.get_escalation_display(),
        "description": hazard.description,
        "temp_measures": hazard.temp_measures,
        "measures": hazard.measures,
        "documents": documents,
        "photo_rows": [
            {
                "before": _picture(b),
                "after": _picture(a),
                "before_caption": _caption(b),
                "after_caption": _caption(a),
            }
            for b, a in zip_longest(befores, afters)
        ],
        "acceptance": acceptance,
        "events": [
            {"at": cn_datetime(e.at), "kind": e.get_kind_display(), "actor": _by(e), "note": e.note}
            for e in events
        ],
        "generated_at": cn_datetime(timezone.now()),
    }
