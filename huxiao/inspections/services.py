"""Every write of the inspections app: one transaction, one audit event (DESIGN §4.2).

Inspections: start (`inspection_create`), answer item by item as the inspector goes
(`answer_save`, `photo_add`, `photo_remove` — idempotent, so a phone may re-send after a dropped
connection), submit (`inspection_submit`: validates, locks, raises the hazards of failed
`auto` items), one-click hazards (`answer_raise_hazard`), and per-organisation sign-off of a
联合检查 (`inspection_sign`). A failed item becomes a hazard through
`hazards.services.hazard_report` with `source_ref="inspections.answer:<id>"`, never twice.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.core import audit
from huxiao.core.errors import ConflictError
from huxiao.core.images import check_image
from huxiao.core.models import Organisation
from huxiao.hazards.models import Hazard
from huxiao.hazards.services import hazard_report
from huxiao.inspections.access import InspectionLocked, allowed_kinds, require_answer
from huxiao.inspections.choices import SOURCE_OF, AnswerType, HazardMode, Kind, Result, State
from huxiao.inspections.models import (
    Answer,
    AnswerPhoto,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    Inspection,
    InspectionOrg,
    PlanEntry,
)
from huxiao.lib.dates import cn_date
from huxiao.schools.models import School
from huxiao.schools.scope import school_org_ids

MAX_PHOTOS_PER_ANSWER = 6


def _audit(actor, action: str, inspection: Inspection, *, before=None, after=None, org_id=None) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=inspection,
        before=before,
        after=after,
        region_path=inspection.school.region.path,
        organisation=Organisation.objects.filter(pk=org_id).first() if org_id else None,
    )


def now_rev() -> int:
    """A revision stamp for answers sent without one (a plain form post): milliseconds."""
    return int(time.time() * 1000)


# --- Starting ------------------------------------------------------------------------------------


def latest_published(template: ChecklistTemplate) -> ChecklistVersion | None:
    return (
        ChecklistVersion.objects.filter(template=template, published_at__isnull=False)
        .order_by("-number")
        .first()
    )


@transaction.atomic
def inspection_create(
    *,
    acting_user,
    school: School,
    kind: str,
    date: dt.date,
    template: ChecklistTemplate,
    team=(),
    verifies: Inspection | None = None,
    partner_orgs=(),
    plan_entry: PlanEntry | None = None,
    lead_org_id: int | None = None,
) -> Inspection:
    """Start an inspection (draft) on the template's latest published version, which is frozen
    from now on. The acting user is always on the team."""
    kinds = allowed_kinds(acting_user, school)
    if kind not in kinds:
        if not kinds:
            raise PermissionDenied("您的角色不能对该学校开展检查。")
        raise ValidationError(
            {"kind": f"您只能对{school.name}开展：{'、'.join(Kind(k).label for k in kinds)}。"}
        )
    lead = lead_org_id if lead_org_id in kinds[kind] else kinds[kind][0]
    if date > timezone.localdate():
        raise ValidationError({"date": "检查日期不能晚于今天。"})
    version = latest_published(template)
    if version is None or template.is_archived:
        raise ValidationError({"template": f"检查表“{template.name}”还没有已发布的版本。"})
    if verifies is not None:
        verifies = Inspection.objects.get(pk=verifies.pk)  # its state now, not as the caller saw it
        if kind != Kind.VERIFY:
            raise ValidationError({"verifies": "只有核查可以关联被核查的自查。"})
        if verifies.school_id != school.pk or verifies.kind != Kind.SELF or verifies.state != State.SUBMITTED:
            raise ValidationError({"verifies": "被核查的须是本校已提交的自查。"})
    if not version.frozen:
        ChecklistVersion.objects.filter(pk=version.pk).update(frozen=True)
    inspection = Inspection.objects.create(
        kind=kind,
        school=school,
        date=date,
        checklist=version,
        lead_org_id=lead,
        verifies=verifies,
        plan_entry=plan_entry,
        created_by=acting_user,
    )
    members = {u.pk: u for u in team if u is not None}
    members[acting_user.pk] = acting_user
    inspection.team.set(members.values())
    if kind == Kind.JOINT:
        orgs = {lead: ""}
        for org, part in partner_orgs:
            orgs.setdefault(org.pk, part)
            if org.pk in orgs and part:
                orgs[org.pk] = part
        InspectionOrg.objects.bulk_create(
            InspectionOrg(inspection=inspection, organisation_id=o, part=p) for o, p in orgs.items()
        )
    _audit(
        acting_user,
        "inspection.create",
        inspection,
        after={**audit.snapshot(inspection), "team": sorted(members)},
        org_id=lead,
    )
    return inspection


# --- Answering -----------------------------------------------------------------------------------


@dataclass
class Saved:
    answer: Answer
    status: str  # "saved", "duplicate" (same revision re-sent) or "stale" (a newer one is stored)


def _locked(inspection: Inspection) -> Inspection:
    current = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("school__region", "submitted_by")
        .get(pk=inspection.pk)
    )
    if current.state != State.DRAFT:
        raise InspectionLocked(current)
    return current


def _item_of(inspection: Inspection, item_id) -> ChecklistItem:
    item = ChecklistItem.objects.filter(pk=item_id, version_id=inspection.checklist_id).first()
    if item is None:
        raise ValidationError({"item": "该检查项不属于本次检查所用的检查表。"})
    return item


def _normalise(item: ChecklistItem, result: str, number, text: str) -> tuple[str, Decimal | None, str]:
    """The stored (result, number, text) for what the inspector gave; ValidationError if it
    does not fit the item's answer type. A number below the item's minimum is 不合格."""
    if result and result not in Result.values:
        raise ValidationError({"result": "结论只能是合格、不合格或不适用。"})
    if item.answer_type == AnswerType.PASS_FAIL:
        return result, None, ""
    if result == Result.NA:
        return Result.NA, None, ""
    if item.answer_type == AnswerType.NUMBER:
        if number in (None, ""):
            return "", None, ""
        try:
            value = Decimal(str(number)).quantize(Decimal("0.01"))
        except ArithmeticError as exc:
            raise ValidationError({"number": f"“{item.text}”须填写数字。"}) from exc
        if not value.is_finite() or abs(value) >= Decimal("1e10"):
            raise ValidationError({"number": f"“{item.text}”须填写合理的数字。"})
        fails = item.min_value is not None and value < item.min_value
        return (Result.FAIL if fails else Result.PASS), value, ""
    if item.answer_type == AnswerType.TEXT:
        return "", None, (text or "").strip()
    return "", None, ""  # photo: answered by its photos


@transaction.atomic
def answer_save(
    *,
    acting_user,
    inspection: Inspection,
    item_id,
    result: str = "",
    number=None,
    text: str = "",
    note: str = "",
    rev: int | None = None,
) -> Saved:
    """Save one answer as it is given. Idempotent: the same `rev` sent again changes nothing
    ("duplicate"); an older `rev` than the stored one is ignored ("stale") — last write wins."""
    require_answer(acting_user, inspection)
    current = _locked(inspection)
    item = _item_of(current, item_id)
    result, value, text = _normalise(item, result, number, text)
    rev = rev if rev is not None else now_rev()
    answer = Answer.objects.filter(inspection=current, item=item).first()
    if answer is not None and rev == answer.rev:
        return Saved(answer, "duplicate")
    if answer is not None and rev < answer.rev:
        return Saved(answer, "stale")
    before = audit.snapshot(answer, ["result", "number", "text", "note", "rev"]) if answer else None
    if answer is None:
        answer = Answer(inspection=current, item=item)
    answer.result, answer.number, answer.text = result, value, text
    answer.note = (note or "").strip()[:2000]
    answer.rev = rev
    answer.answered_by = acting_user
    answer.full_clean(exclude=["inspection", "item", "answered_by", "hazard"])
    answer.save()
    _audit(
        acting_user,
        "inspection.answer",
        current,
        before=before,
        after={"item": item.pk, **audit.snapshot(answer, ["result", "number", "text", "note", "rev"])},
    )
    return Saved(answer, "saved")


@transaction.atomic
def photo_add(*, acting_user, inspection: Inspection, item_id, upload) -> tuple[AnswerPhoto, bool]:
    """Attach a photo (checked by content) to the item's answer, creating the answer if need be.
    The same photo sent twice is stored once. Returns (photo, created)."""
    require_answer(acting_user, inspection)
    current = _locked(inspection)
    item = _item_of(current, item_id)
    checked = check_image(upload, field=f"“{item.text[:20]}”的照片")
    answer, _ = Answer.objects.get_or_create(
        inspection=current, item=item, defaults={"answered_by": acting_user, "rev": 0}
    )
    existing = answer.photos.filter(sha256=checked.sha256).first()
    if existing is not None:
        return existing, False
    if answer.photos.count() >= MAX_PHOTOS_PER_ANSWER:
        raise ValidationError({"photo": f"每个检查项最多{MAX_PHOTOS_PER_ANSWER}张照片。"})
    photo = AnswerPhoto.objects.create(
        answer=answer,
        image=checked.content,
        thumbnail=checked.thumbnail,
        sha256=checked.sha256,
        width=checked.width,
        height=checked.height,
        uploaded_by=acting_user,
    )
    _audit(acting_user, "inspection.photo_add", current, after={"item": item.pk, "photo": photo.pk})
    return photo, True


@transaction.atomic
def photo_remove(*, acting_user, photo: AnswerPhoto) -> None:
    """Remove a photo from a draft inspection (a wrong shot)."""
    inspection = photo.answer.inspection
    require_answer(acting_user, inspection)
    current = _locked(inspection)
    _audit(
        acting_user,
        "inspection.photo_remove",
        current,
        before={"item": photo.answer.item_id, "photo": photo.pk, "sha256": photo.sha256},
    )
    photo.delete()


# --- Submitting ----------------------------------------------------------------------------------


def numbered_items(version: ChecklistVersion) -> list[ChecklistItem]:
    """The version's items in order, each with `.no` (1, 2, …) across sections."""
    items = list(
        ChecklistItem.objects.filter(version=version)
        .select_related("section")
        .order_by("section__order", "section_id", "order", "pk")
    )
    for no, item in enumerate(items, start=1):
        item.no = no  # type: ignore[attr-defined]
    return items


def is_answered(item: ChecklistItem, answer: Answer | None, photo_count: int) -> bool:
    if answer is None:
        return item.answer_type == AnswerType.PHOTO and photo_count > 0
    if answer.result == Result.NA:
        return True
    if item.answer_type == AnswerType.PASS_FAIL:
        return answer.result in (Result.PASS, Result.FAIL)
    if item.answer_type == AnswerType.NUMBER:
        return answer.number is not None
    if item.answer_type == AnswerType.TEXT:
        return bool(answer.text.strip())
    return photo_count > 0


def submit_problems(inspection: Inspection) -> list[str]:
    """What stands in the way of submitting, one Chinese sentence per item (empty: ready)."""
    answers = {a.item_id: a for a in inspection.answers.all()}
    photos: dict[int, int] = {}
    for item_id in AnswerPhoto.objects.filter(answer__inspection=inspection).values_list(
        "answer__item_id", flat=True
    ):
        photos[item_id] = photos.get(item_id, 0) + 1
    problems = []
    for item in numbered_items(inspection.checklist):
        answer, count = answers.get(item.pk), photos.get(item.pk, 0)
        label = f"第{item.no}项“{item.text}”"  # type: ignore[attr-defined]
        if item.required and not is_answered(item, answer, count):
            problems.append(f"{label}尚未作答。")
        elif answer and answer.result == Result.FAIL and item.photo_required_on_fail and not count:
            problems.append(f"{label}判为不合格，须拍照上传。")
    return problems


def _description(answer: Answer) -> str:
    inspection, item = answer.inspection, answer.item
    lines = [
        f"{inspection.get_kind_display()}（{inspection.code}，{cn_date(inspection.date)}）发现：{item.text}。"
    ]
    if item.answer_type == AnswerType.NUMBER and answer.number is not None and item.min_value is not None:
        lines.append(
            f"实测：{answer.number.normalize():f}{item.unit}（要求不低于{item.min_value.normalize():f}{item.unit}）。"
        )
    if answer.note:
        lines.append(f"检查记录：{answer.note}")
    if item.clause:
        lines.append(f"依据：{item.clause}")
    return "\n".join(lines)


def _photo_uploads(answer: Answer) -> list[SimpleUploadedFile]:
    uploads = []
    for photo in answer.photos.all():
        with photo.image.open("rb") as fh:
            uploads.append(SimpleUploadedFile(photo.image.name.rsplit("/", 1)[-1], fh.read()))
    return uploads


def _raise_hazard(acting_user, answer: Answer) -> Hazard:
    """The hazard of a failed answer: the one already registered for it, or a new one."""
    existing = Hazard.objects.filter(source_ref=answer.source_ref).first()
    if existing is not None:
        hazard = existing
    else:
        inspection, item = answer.inspection, answer.item
        hazard = hazard_report(
            acting_user=acting_user,
            school=inspection.school,
            title=item.failed_title,
            category=item.hazard_category,
            severity=item.hazard_severity,
            description=_description(answer),
            source=SOURCE_OF[Kind(inspection.kind)],
            source_ref=answer.source_ref,
            found_on=inspection.date,
            photos=_photo_uploads(answer),
            confirm=inspection.kind != Kind.SELF,
            acting_org_id=inspection.lead_org_id,
        )
    Answer.objects.filter(pk=answer.pk).update(hazard=hazard)
    answer.hazard = hazard
    return hazard


@transaction.atomic
def inspection_submit(
    *, acting_user, inspection: Inspection, expected_version: int | None, summary: str = ""
) -> list[Hazard]:
    """Submit: every required item answered, every failed item that needs a photo has one.
    Then the inspection is read-only, failed `auto` items become hazards (one per answer, ever),
    and the matching plan entry is marked done. Returns the hazards raised."""
    require_answer(acting_user, inspection)
    current = _locked(inspection)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError("该检查已被他人修改，请刷新页面后再提交。")
    problems = submit_problems(current)
    if problems:
        raise ValidationError(problems)
    current.state = State.SUBMITTED
    current.submitted_at = timezone.now()
    current.submitted_by = acting_user
    current.summary = (summary or "").strip()
    current.version += 1
    current.save()
    inspection.state, inspection.submitted_at, inspection.submitted_by = (
        State.SUBMITTED,
        current.submitted_at,
        acting_user,
    )
    inspection.summary, inspection.version = current.summary, current.version
    failed = (
        current.answers.filter(result=Result.FAIL, item__hazard_on_fail=HazardMode.AUTO, hazard__isnull=True)
        .select_related("item", "inspection__school__region", "inspection__school__organisation")
        .order_by("item__section__order", "item__order", "pk")
    )
    hazards = [_raise_hazard(acting_user, a) for a in failed]
    entry = _plan_entry_for(current)
    if entry is not None:
        PlanEntry.objects.filter(pk=entry.pk).update(done_by=current)
    _audit(
        acting_user,
        "inspection.submit",
        current,
        before={"state": State.DRAFT},
        after={
            "state": State.SUBMITTED,
            "hazards": [h.pk for h in hazards],
            "plan_entry": entry.pk if entry else None,
        },
        org_id=current.lead_org_id,
    )
    return hazards


def _plan_entry_for(inspection: Inspection) -> PlanEntry | None:
    """The open plan entry this inspection fulfils: the one it was started from, else the
    earliest open entry for the same school and kind whose plan's semester holds the date."""
    if inspection.plan_entry_id:
        entry = PlanEntry.objects.filter(pk=inspection.plan_entry_id, done_by__isnull=True).first()
        if entry:
            return entry
    return (
        PlanEntry.objects.open()
        .filter(
            school=inspection.school,
            kind=inspection.kind,
            plan__semester_start__lte=inspection.date,
            plan__semester_end__gte=inspection.date,
        )
        .order_by("planned_on", "pk")
        .first()
    )


@transaction.atomic
def answer_raise_hazard(*, acting_user, answer: Answer) -> Hazard:
    """「转为隐患」 for a failed `one_click` item of a submitted inspection; idempotent."""
    current = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("item", "inspection__school__region", "inspection__school__organisation")
        .get(pk=answer.pk)
    )
    inspection = current.inspection
    if inspection.state != State.SUBMITTED:
        raise ValidationError("检查提交后才能将不合格项转为隐患。")
    if current.result != Result.FAIL:
        raise ValidationError(f"“{current.item.text}”不是不合格项。")
    if not school_org_ids(acting_user, inspection.school, Cap.HAZARD_REPORT):
        raise PermissionDenied("您的角色不能登记该校的隐患。")
    if current.hazard_id:
        return current.hazard  # type: ignore[return-value]
    hazard = _raise_hazard(acting_user, current)
    _audit(
        acting_user,
        "inspection.answer_hazard",
        inspection,
        after={"answer": current.pk, "hazard": hazard.pk},
    )
    return hazard


@transaction.atomic
def inspection_sign(
    *, acting_user, inspection: Inspection, organisation_id: int, opinion: str = ""
) -> InspectionOrg:
    """签字确认 of one organisation's part of a submitted 联合检查, by a member of that
    organisation who holds `Cap.INSPECTION_PERFORM` there. Signing twice is refused."""
    part = (
        InspectionOrg.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(inspection=inspection, organisation_id=organisation_id)
        .first()
    )
    if part is None:
        raise ValidationError("该单位不在本次联合检查的检查组中。")
    inspection = Inspection.objects.select_related("school__region").get(pk=inspection.pk)
    if inspection.state != State.SUBMITTED:
        raise ValidationError("检查提交后各单位才能签字确认。")
    if organisation_id not in school_org_ids(acting_user, inspection.school, Cap.INSPECTION_PERFORM):
        raise PermissionDenied(f"只有{part.organisation}的检查人员可以代表该单位签字。")
    if part.signed_at is not None:
        raise ConflictError(f"{part.organisation}已由{part.signed_by}签字确认。")
    part.signed_by, part.signed_at, part.opinion = acting_user, timezone.now(), (opinion or "").strip()
    part.save()
    _audit(
        acting_user,
        "inspection.sign",
        inspection,
        after={"organisation": organisation_id, "opinion": part.opinion},
        org_id=organisation_id,
    )
    return part


def inspection_url(inspection: Inspection, item_id: int | None = None) -> str:
    url = reverse("inspections:inspection-detail", args=[inspection.pk])
    return f"{url}#item-{item_id}" if item_id else url
