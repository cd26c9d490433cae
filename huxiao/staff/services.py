"""Every write to the staff register: one audited transaction each, the acting unit checked (the
school keeps, its 学区 decides), the 身份证号 and a check's finding and document encrypted before
they reach the database, messages after commit. Audit labels name the person by role and record
number, never by 身份证号; a finding is never copied into an audit event or a message."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.selectors import members
from huxiao.core import audit, crypto
from huxiao.core.errors import ConflictError
from huxiao.core.images import check_image
from huxiao.core.models import Organisation
from huxiao.core.registry import announce_facts_changed
from huxiao.core.validation import check_id_number
from huxiao.core.versions import locked, once
from huxiao.lib.dates import cn_date
from huxiao.notifications.services import notify_on_commit
from huxiao.schools.choices import GuardEquipment
from huxiao.schools.models import School
from huxiao.schools.scope import DISTRICT_KINDS, SCHOOL_KINDS, units_reaching
from huxiao.staff import access
from huxiao.staff.choices import (
    GUARD_ROLES,
    LEAVING_DECISIONS,
    CheckKind,
    CheckResult,
    Decision,
    Employer,
    NotifyKind,
    StaffRole,
)
from huxiao.staff.models import (
    BackgroundCheck,
    EquipmentCheck,
    EquipmentPhoto,
    NightDuty,
    StaffMember,
    Training,
)
from huxiao.staff.querysets import CLEARING_KINDS

EARLIEST = dt.date(1950, 1, 1)
MEMBER_FIELDS = (
    "name",
    "role",
    "employer",
    "company",
    "contract",
    "contract_until",
    "started_on",
    "licence_number",
    "licence_authority",
    "licence_issued_on",
    "licence_valid_until",
    "pretraining_on",
    "pretraining_hours",
)
STALE = "该人员信息已被他人修改（现为第{version}版），请刷新后重新填写。"


# --- Rules ---------------------------------------------------------------------------------------


def validity_days(kind: str) -> int:
    """How long a check of `kind` stays valid (`HUXIAO_STAFF_CHECK_DAYS`, default one year)."""
    return int(settings.HUXIAO_STAFF_CHECK_DAYS.get(kind, 365))


def _not_future(day: dt.date | None, field: str, label: str) -> None:
    today = timezone.localdate()
    if day is not None and day > today:
        raise ValidationError({field: f"{label}：不能晚于今天（{cn_date(today)}）。"})
    if day is not None and day < EARLIEST:
        raise ValidationError({field: f"{label}：不能早于{cn_date(EARLIEST)}。"})


def _member_values(fields: dict[str, Any]) -> dict[str, Any]:
    """The person's fields checked against the register's rules (a form checked their shape)."""
    values = {k: fields.get(k) for k in MEMBER_FIELDS}
    values["name"] = (values["name"] or "").strip()
    if not values["name"]:
        raise ValidationError({"name": "姓名：必填。"})
    for key in ("company", "contract", "licence_number", "licence_authority"):
        values[key] = (values[key] or "").strip()
    _not_future(values["started_on"], "started_on", "到岗日期")
    _not_future(values["licence_issued_on"], "licence_issued_on", "保安员证发证日期")
    _not_future(values["pretraining_on"], "pretraining_on", "岗前培训日期")
    if values["employer"] == Employer.COMPANY and not values["company"]:
        raise ValidationError({"company": "保安服务公司/派遣单位：派遣用工须填写用工单位。"})
    guard = values["role"] in GUARD_ROLES
    if not guard:
        for key in ("licence_number", "licence_authority"):
            values[key] = ""
        for key in ("licence_issued_on", "licence_valid_until", "pretraining_on", "pretraining_hours"):
            values[key] = None
    if values["licence_number"] and not values["licence_authority"]:
        raise ValidationError({"licence_authority": "发证机关：填写保安员证编号时必填。"})
    issued, until = values["licence_issued_on"], values["licence_valid_until"]
    if issued and until and until < issued:
        raise ValidationError({"licence_valid_until": "证件有效期至：不能早于发证日期。"})
    if values["pretraining_on"] and not values["pretraining_hours"]:
        raise ValidationError({"pretraining_hours": "岗前培训学时：填写岗前培训日期时必填（至少1学时）。"})
    return values


# Posts a person with an unsettled or reassigning 有异常 check may not keep.
SAFETY_POSTS = (*GUARD_ROLES, StaffRole.HOUSEPARENT)

# Writes that change what the 三防 engine counts (guards on duty, licensed, trained, cleared).
FACT_ACTIONS = {
    "staff.register",
    "staff.update",
    "staff.leave",
    "staff.check",
    "staff.result",
    "staff.complete",
}


def _audit(
    actor, action: str, record, *, school: School, org_id: int | None, after: dict | None = None
) -> None:
    """The write's audit event; a write that changes the school's guard facts also tells the
    standards engine to re-evaluate the school once the transaction commits."""
    if action in FACT_ACTIONS:
        announce_facts_changed(school.pk)
    audit.record(
        actor=actor,
        action=action,
        obj=record,
        after=after,
        organisation=Organisation.objects.filter(pk=org_id).first() if org_id else None,
        region_path=school.region.path,
        object_repr=_label(school, record),
    )


def _label(school: School, record) -> str:
    """How an audit event names a record of the register: the school and a record number, never a
    name beside a check's kind or a decision (the auditor reads these lines)."""
    if isinstance(record, StaffMember):
        return f"{school.name} 人员#{record.pk}"
    if isinstance(record, BackgroundCheck):
        return f"{school.name} 人员#{record.member_id}"
    return f"{school.name} {record}"


def _keeping_org(acting_user, school: School) -> int:
    orgs = access.keeping_orgs(acting_user, school)
    if not orgs:
        raise PermissionDenied("只有本校（园）的安全负责人和校长可以维护教职员工登记。")
    return orgs[0]


def member_url(member: StaffMember) -> str:
    return reverse("staff:member-detail", args=[member.pk])


def _keepers(school: School) -> list:
    return members(access_units(school, SCHOOL_KINDS), Cap.STAFF_MANAGE)


def _deciders(school: School) -> list:
    return members(access_units(school, DISTRICT_KINDS), Cap.STAFF_DECIDE)


def access_units(school: School, kinds) -> list[int]:
    """The units of `kinds` that reach the school (its own unit, its 学区)."""
    return list(units_reaching(school).filter(kind__in=kinds).values_list("pk", flat=True))


# --- The register --------------------------------------------------------------------------------


def member_register(
    *, acting_user, school: School, submission: str = "", id_number: str = "", **fields
) -> StaffMember:
    """A new person on the school's register. A person whose 有异常 check is not settled — at this
    school or another — cannot be registered again until the 学区's decision is carried out (leaving
    and coming back must not wash a finding away)."""
    values = _member_values(fields)
    number = check_id_number(id_number)
    org_id = _keeping_org(acting_user, school)
    index = crypto.blind_index(number, "staff-id")
    if index and BackgroundCheck.objects.open_adverse().filter(member__id_index=index).exists():
        raise ValidationError(
            {"id_number": "身份证号：该人员的人员审查尚有未办结事项，暂不能登记，请联系学区管理中心。"}
        )

    def create() -> StaffMember:
        member = StaffMember(school=school, created_by=acting_user, submission=submission, **values)
        member.set_plain("id_number", number)
        member.id_index = crypto.blind_index(number, "staff-id")
        try:
            with transaction.atomic():
                member.save()
        except IntegrityError as exc:
            if (
                number
                and StaffMember.objects.filter(
                    school=school, id_index=member.id_index, left_on__isnull=True
                ).exists()
            ):
                raise ValidationError(
                    {"id_number": "身份证号：该人员已在本校在岗登记，请勿重复登记。"}
                ) from exc
            raise
        _audit(
            acting_user, "staff.register", member, school=school, org_id=org_id, after={"role": member.role}
        )
        return member

    with transaction.atomic():
        member, _created = once(StaffMember.objects.filter(school=school), submission, create)
    return member


def member_update(
    *, acting_user, member: StaffMember, expected_version: int | None, id_number: str = "", **fields
) -> StaffMember:
    """Change a person's entry (a stale form is refused). A blank 身份证号 keeps the one on file
    (the edit form never shows it in clear); a new one is checked and replaces it."""
    values = _member_values(fields)
    number = check_id_number(id_number)
    org_id = _keeping_org(acting_user, member.school)
    with transaction.atomic():
        current = locked(
            StaffMember.objects.all(),
            member.pk,
            expected_version,
            stale=lambda m: STALE.format(version=m.version),
        )
        if current.left_on is not None and values["started_on"] > current.left_on:
            raise ValidationError(
                {"started_on": f"到岗日期：不能晚于离岗日期（{cn_date(current.left_on)}）。"}
            )
        before = {k: str(getattr(current, k) or "") for k in MEMBER_FIELDS}
        for key, value in values.items():
            setattr(current, key, value)
        index = crypto.blind_index(number, "staff-id")
        number_changed = bool(number) and index != current.id_index
        if number_changed:
            if (
                index
                and StaffMember.objects.filter(school=current.school, id_index=index, left_on__isnull=True)
                .exclude(pk=current.pk)
                .exists()
            ):
                raise ValidationError({"id_number": "身份证号：该人员已在本校在岗登记，请勿重复登记。"})
            current.set_plain("id_number", number)
            current.id_index = index
        current.version += 1
        current.save()
        changed = sorted(k for k in MEMBER_FIELDS if before[k] != str(getattr(current, k) or ""))
        if number_changed:
            changed.append("id_number")
        _audit(
            acting_user,
            "staff.update",
            current,
            school=current.school,
            org_id=org_id,
            after={"changed": changed},
        )
    return current


def member_leave(
    *, acting_user, member: StaffMember, expected_version: int | None, left_on: dt.date, reason: str
) -> StaffMember:
    """The person leaves the school (离岗): kept on the register with the day and the reason."""
    _not_future(left_on, "left_on", "离岗日期")
    if left_on < member.started_on:
        raise ValidationError({"left_on": "离岗日期：不能早于到岗日期。"})
    org_id = _keeping_org(acting_user, member.school)
    with transaction.atomic():
        current = locked(
            StaffMember.objects.all(),
            member.pk,
            expected_version,
            stale=lambda m: STALE.format(version=m.version),
        )
        if current.left_on is not None:
            raise ValidationError({"left_on": f"该人员已于{cn_date(current.left_on)}离岗。"})
        current.left_on, current.left_reason = left_on, reason.strip()
        current.version += 1
        current.save()
        NightDuty.objects.filter(member=current, night__gte=left_on).delete()  # off the roster too
        _audit(
            acting_user,
            "staff.leave",
            current,
            school=current.school,
            org_id=org_id,
            after={"left_on": str(left_on)},
        )
    return current


def training_record(
    *, acting_user, member: StaffMember, trained_on: dt.date, hours: int, content: str
) -> Training:
    """A guard's yearly training."""
    if not member.is_guard:
        raise ValidationError({"content": "只有保安员和门卫登记培训记录。"})
    _not_future(trained_on, "trained_on", "培训日期")
    if not 1 <= hours <= 200:
        raise ValidationError({"hours": "学时：须在1至200之间。"})
    org_id = _keeping_org(acting_user, member.school)
    with transaction.atomic():
        training = Training.objects.create(
            member=member, trained_on=trained_on, hours=hours, content=content.strip(), created_by=acting_user
        )
        _audit(
            acting_user,
            "staff.training",
            member,
            school=member.school,
            org_id=org_id,
            after={"trained_on": str(trained_on)},
        )
    return training


# --- Background checks -----------------------------------------------------------------------------


def _document_token(document) -> ContentFile | None:
    """The scanned document (a photo of the 无犯罪记录证明 …), checked as an image and encrypted."""
    if not document:
        return None
    checked = check_image(document, field="审查材料")
    return ContentFile(
        crypto.encrypt_bytes(checked.content.read()), name=f"{checked.sha256[:16]}.{checked.extension}.bin"
    )


def _apply_result(check: BackgroundCheck, result: str, result_on: dt.date | None, finding: str) -> None:
    if result == CheckResult.PENDING:
        check.result, check.result_on, check.valid_until = result, None, None
        check.set_plain("finding", "")
        return
    if result_on is None:
        raise ValidationError({"result_on": "结果日期：登记审查结果时必填。"})
    _not_future(result_on, "result_on", "结果日期")
    if result_on < check.requested_on:
        raise ValidationError({"result_on": "结果日期：不能早于申请/查询日期。"})
    if result == CheckResult.ADVERSE and not finding.strip():
        raise ValidationError({"finding": "异常情况：结果为有异常时必填（仅学校和学区可见，加密保存）。"})
    check.result, check.result_on = result, result_on
    check.valid_until = (
        result_on + dt.timedelta(days=validity_days(check.kind)) if result == CheckResult.CLEAR else None
    )
    check.set_plain("finding", finding if result == CheckResult.ADVERSE else "")


def _notify_adverse(check: BackgroundCheck) -> None:
    school = check.member.school
    notify_on_commit(
        lambda: _deciders(school),
        kind=NotifyKind.CHECK_ADVERSE,
        title=f"{school.name}一名{check.member.get_role_display()}的人员审查有异常，请作出处理决定",
        url=member_url(check.member),
        dedupe_key=f"staff.adverse:{check.pk}",
    )


def check_record(
    *,
    acting_user,
    member: StaffMember,
    kind: str,
    requested_on: dt.date | None = None,
    result: str = CheckResult.PENDING,
    result_on: dt.date | None = None,
    finding: str = "",
    document=None,
    submission: str = "",
) -> BackgroundCheck:
    """A check requested (待反馈) or already answered; 有异常 goes to the 学区 for a decision."""
    if kind not in CheckKind.values:
        raise ValidationError({"kind": "审查类别：请从列表中选择。"})
    requested_on = (
        requested_on or (result_on if result != CheckResult.PENDING else None) or timezone.localdate()
    )
    _not_future(requested_on, "requested_on", "申请/查询日期")
    if not member.on_duty:
        raise ValidationError({"kind": "该人员已离岗，不再登记审查。"})
    org_id = _keeping_org(acting_user, member.school)
    token = _document_token(document)

    def create() -> BackgroundCheck:
        check = BackgroundCheck(
            member=member,
            kind=kind,
            requested_on=requested_on,
            requested_by=acting_user,
            submission=submission,
        )
        _apply_result(check, result, result_on, finding)
        if token is not None:
            check.document_enc.save(token.name, token, save=False)
        check.save()
        _audit(
            acting_user,
            "staff.check",
            member,
            school=member.school,
            org_id=org_id,
            after={"kind": kind},
        )
        if check.result == CheckResult.ADVERSE:
            _notify_adverse(check)
        return check

    with transaction.atomic():
        check, _created = once(BackgroundCheck.objects.filter(member=member), submission, create)
    return check


def check_result(
    *,
    acting_user,
    check: BackgroundCheck,
    expected_version: int | None,
    result: str,
    result_on: dt.date | None,
    finding: str = "",
    document=None,
) -> BackgroundCheck:
    """The answer to a pending check."""
    org_id = _keeping_org(acting_user, check.member.school)
    token = _document_token(document)
    with transaction.atomic():
        current = locked(
            BackgroundCheck.objects.select_related("member__school__region"),
            check.pk,
            expected_version,
            stale=lambda c: f"该审查记录已被他人更新（现为{c.get_result_display()}），请刷新后查看。",
        )
        if current.result != CheckResult.PENDING:
            raise ValidationError(
                {"result": f"该审查已有结果（{current.get_result_display()}），不能再次登记。"}
            )
        if result == CheckResult.PENDING:
            raise ValidationError({"result": "结果：请选择无异常或有异常。"})
        _apply_result(current, result, result_on, finding)
        if token is not None:
            current.document_enc.save(token.name, token, save=False)
        current.version += 1
        current.save()
        member = current.member
        _audit(
            acting_user,
            "staff.result",
            member,
            school=member.school,
            org_id=org_id,
            after={"kind": current.kind},
        )
        if current.result == CheckResult.ADVERSE:
            _notify_adverse(current)
    return current


def check_decide(
    *, acting_user, check: BackgroundCheck, expected_version: int | None, decision: str, reason: str
) -> BackgroundCheck:
    """The 学区's decision on a 有异常 check (调换 / 调离 / 不予录用 / 继续任用, with the reason);
    继续任用 closes it, the others wait for the school to carry them out."""
    school = check.member.school
    orgs = access.deciding_orgs(acting_user, school)
    if not orgs:
        raise PermissionDenied("有异常的审查由学区管理中心作出处理决定。")
    if decision not in Decision.values:
        raise ValidationError({"decision": "处理决定：请从列表中选择。"})
    if not reason.strip():
        raise ValidationError({"reason": "决定理由：必填。"})
    with transaction.atomic():
        current = locked(
            BackgroundCheck.objects.select_related("member__school__region"),
            check.pk,
            expected_version,
            stale=lambda c: "该审查记录已被他人处理，请刷新后查看。",
        )
        if current.result != CheckResult.ADVERSE:
            raise ValidationError({"decision": "只有结果为有异常的审查需要作出处理决定。"})
        if current.decision:
            raise ValidationError({"decision": f"已作出处理决定（{current.get_decision_display()}）。"})
        current.decision, current.decision_reason = decision, reason.strip()
        current.decided_by, current.decided_at = acting_user, timezone.now()
        current.version += 1
        current.save()
        _audit(
            acting_user,
            "staff.decide",
            current.member,
            school=school,
            org_id=orgs[0],
            after={"decision": decision},
        )
        notify_on_commit(
            lambda: _keepers(school),
            kind=NotifyKind.CHECK_DECIDED,
            title=f"学区已对一名{current.member.get_role_display()}的审查作出处理决定：{current.get_decision_display()}",
            url=member_url(current.member),
            dedupe_key=f"staff.decided:{current.pk}",
        )
    return current


def check_complete(
    *, acting_user, check: BackgroundCheck, expected_version: int | None, completed_on: dt.date, note: str
) -> BackgroundCheck:
    """The school carries the decision out; 调离 and 不予录用 take the person off duty that day."""
    school = check.member.school
    org_id = _keeping_org(acting_user, school)
    _not_future(completed_on, "completed_on", "落实日期")
    with transaction.atomic():
        current = locked(
            BackgroundCheck.objects.select_related("member__school__region"),
            check.pk,
            expected_version,
            stale=lambda c: "该审查记录已被他人处理，请刷新后查看。",
        )
        if not current.awaiting_completion:
            raise ValidationError({"completed_on": "该审查没有待落实的处理决定。"})
        if current.decision == Decision.REASSIGN and current.member.role in SAFETY_POSTS:
            raise ValidationError(
                {"completed_on": "调换岗位：请先修改该人员的岗位（不再担任保安员、门卫或宿管），再登记落实。"}
            )
        if current.decided_at and completed_on < timezone.localtime(current.decided_at).date():
            raise ValidationError({"completed_on": "落实日期：不能早于作出决定的日期。"})
        current.completed_on, current.completed_note = completed_on, note.strip()
        current.version += 1
        current.save()
        member = StaffMember.objects.select_for_update().get(pk=current.member_id)
        if current.decision in LEAVING_DECISIONS and member.left_on is None:
            member.left_on = max(completed_on, member.started_on)
            member.left_reason = f"人员审查处理决定：{current.get_decision_display()}"
            member.version += 1
            member.save(update_fields=["left_on", "left_reason", "version", "updated_at"])
            NightDuty.objects.filter(member=member, night__gte=member.left_on).delete()
        _audit(
            acting_user,
            "staff.complete",
            member,
            school=school,
            org_id=org_id,
            after={"decision": current.decision, "completed_on": str(completed_on)},
        )
    return current


def member_reveal(*, acting_user, member: StaffMember, reason: str) -> dict[str, Any]:
    """查看完整信息: the 身份证号 and the findings in full, once, with the reason as an audit event."""
    text = reason.strip()
    if not text:
        raise ValidationError({"reason": "查看原因：必填。"})
    keeping = access.keeping_orgs(acting_user, member.school)
    deciding = access.deciding_orgs(acting_user, member.school)
    if not (keeping or deciding):
        raise PermissionDenied("您不能查看该人员的完整信息。")
    with transaction.atomic():
        _audit(
            acting_user,
            "staff.reveal",
            member,
            school=member.school,
            org_id=(keeping or deciding)[0],
            after={"reason": text[:200]},
        )
    return {
        "id_number": member.plain("id_number"),
        "findings": {c.pk: c.plain("finding") for c in member.checks.all() if c.finding_enc},
    }


def document_read(*, acting_user, check: BackgroundCheck) -> bytes:
    """The decrypted scan of a check's document (the download is audited)."""
    school = check.member.school
    orgs = access.keeping_orgs(acting_user, school) or access.deciding_orgs(acting_user, school)
    if not orgs:
        raise PermissionDenied("您不能查看该审查材料。")
    with check.document_enc.open("rb") as f:
        data = crypto.decrypt_bytes(f.read())
    with transaction.atomic():
        _audit(
            acting_user,
            "staff.document",
            check.member,
            school=school,
            org_id=orgs[0],
            after={"check": check.pk},
        )
    return data


# --- Equipment and the night roster -------------------------------------------------------------

MAX_NIGHTS = 62


def equipment_check(
    *,
    acting_user,
    school: School,
    kind: str,
    count: int,
    working: int,
    checked_on: dt.date,
    photo=None,
    note: str = "",
    submission: str = "",
) -> EquipmentCheck:
    """One kind of 装备器械 counted and checked, with an optional photo (the latest check is the
    school's stock; the 三防 engine reads it)."""
    if kind not in GuardEquipment.values:
        raise ValidationError({"kind": "装备器械：请从列表中选择。"})
    if count < 0 or working < 0:
        raise ValidationError({"count": "数量：不能为负数。"})
    if working > count:
        raise ValidationError({"working": f"完好数：不能大于数量（{count}）。"})
    _not_future(checked_on, "checked_on", "检查日期")
    org_id = _keeping_org(acting_user, school)
    checked = check_image(photo, field="照片") if photo else None

    def create() -> EquipmentCheck:
        record = EquipmentCheck.objects.create(
            school=school,
            kind=kind,
            count=count,
            working=working,
            checked_on=checked_on,
            note=note.strip(),
            checked_by=acting_user,
            submission=submission,
        )
        if checked is not None:
            EquipmentPhoto.objects.create(
                check_record=record,
                image=checked.content,
                thumbnail=checked.thumbnail,
                sha256=checked.sha256,
                width=checked.width,
                height=checked.height,
            )
        announce_facts_changed(school.pk)
        audit.record(
            actor=acting_user,
            action="staff.equipment",
            obj=record,
            after={"kind": kind, "count": count, "working": working},
            organisation=Organisation.objects.filter(pk=org_id).first(),
            region_path=school.region.path,
            object_repr=_label(school, record),
        )
        return record

    with transaction.atomic():
        record, _created = once(EquipmentCheck.objects.filter(school=school), submission, create)
    return record


def night_assign(*, acting_user, member: StaffMember, first: dt.date, last: dt.date) -> int:
    """Put a 宿管 or a guard on night duty for every night from `first` to `last` (nights already
    assigned are kept); the number of nights added."""
    school = member.school
    org_id = _keeping_org(acting_user, school)
    if not school.is_boarding:
        raise ValidationError({"member": "只有寄宿制学校安排夜间值守。"})
    if member.role not in (StaffRole.HOUSEPARENT, *GUARD_ROLES):
        raise ValidationError({"member": "值守人员：须为宿管/生活管理教师、保安员或门卫。"})
    if last < first:
        raise ValidationError({"last": "截止日期：不能早于开始日期。"})
    if first < member.started_on:
        raise ValidationError(
            {"first": f"开始日期：不能早于该人员到岗日期（{cn_date(member.started_on)}）。"}
        )
    if (last - first).days + 1 > MAX_NIGHTS:
        raise ValidationError({"last": f"一次最多安排{MAX_NIGHTS}晚。"})
    if member.left_on is not None and last >= member.left_on:
        raise ValidationError({"last": f"该人员已于{cn_date(member.left_on)}离岗。"})
    nights = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    with transaction.atomic():
        taken = set(NightDuty.objects.filter(member=member, night__in=nights).values_list("night", flat=True))
        NightDuty.objects.bulk_create(
            [
                NightDuty(school=school, night=n, member=member, created_by=acting_user)
                for n in nights
                if n not in taken
            ],
            ignore_conflicts=True,
        )
        added = len(nights) - len(taken)
        _audit(
            acting_user,
            "staff.night",
            member,
            school=school,
            org_id=org_id,
            after={"first": str(first), "last": str(last), "added": added},
        )
    return added


def night_remove(*, acting_user, duty: NightDuty) -> None:
    """Take one person off one night (audited)."""
    school = duty.school
    org_id = _keeping_org(acting_user, school)
    with transaction.atomic():
        deleted, _ = NightDuty.objects.filter(pk=duty.pk).delete()
        if not deleted:
            raise ConflictError("该值守安排已被他人取消。")
        _audit(
            acting_user,
            "staff.night_remove",
            duty.member,
            school=school,
            org_id=org_id,
            after={"night": str(duty.night)},
        )


# --- Daily ------------------------------------------------------------------------------------------


def remind_expiring(today: dt.date | None = None) -> int:
    """The school's keepers are told when a clearing check has 30 days or less to run, again at 7
    days or less, and once it has run out (within 30 days) — each once per check (the inbox
    deduplicates), so a day the daily job missed is caught up the next day."""
    today = today or timezone.localdate()
    sent = 0
    stages = {30: (8, 30), 7: (0, 7), -1: (-30, -1)}  # stage: days left, from … to
    for days, (low, high) in stages.items():
        due = (
            BackgroundCheck.objects.expiring_between(
                today + dt.timedelta(days=low), today + dt.timedelta(days=high)
            )
            .filter(member__left_on__isnull=True, kind__in=CLEARING_KINDS)
            .select_related("member__school")
        )
        for check in due:
            school = check.member.school
            when = (
                f"将于{cn_date(check.valid_until)}到期"
                if days > 0
                else f"已于{cn_date(check.valid_until)}到期"
            )
            with transaction.atomic():
                notify_on_commit(
                    lambda s=school: _keepers(s),
                    kind=NotifyKind.CHECK_EXPIRING,
                    title=f"一名{check.member.get_role_display()}的{check.get_kind_display()}{when}，请及时重新审查",
                    url=member_url(check.member),
                    dedupe_key=f"staff.expiring:{check.pk}:{days}",
                )
            sent += 1
    return sent
