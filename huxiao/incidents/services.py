"""Every write of the incident register: report, sign for, escalate, log the 三同步 response,
register the people involved, reveal them (audited), close with the cause analysis.

Each write is one transaction with one audit event; messages go out once it commits.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.selectors import members
from huxiao.core import audit
from huxiao.core.images import check_image
from huxiao.core.models import Organisation
from huxiao.core.registry import announce_facts_changed
from huxiao.core.validation import check_id_number
from huxiao.core.versions import locked, once
from huxiao.hazards.choices import Category, DocKind, Severity
from huxiao.hazards.models import Hazard
from huxiao.hazards.numbering import allocate
from huxiao.hazards.services import hazard_report
from huxiao.incidents import access
from huxiao.incidents.choices import (
    REPORTED_UP,
    THREE_TRACKS,
    Document,
    Grade,
    Kind,
    NotifyKind,
    PersonRole,
    State,
    Track,
)
from huxiao.incidents.models import Alarm, Drill, DrillPhoto, Incident, IncidentPerson, Notice, ResponseEntry
from huxiao.incidents.querysets import RECIPIENT_KINDS
from huxiao.incidents.selectors import circular_context
from huxiao.notifications.services import notify_on_commit
from huxiao.reports.documents import render_docx
from huxiao.schools.models import School
from huxiao.schools.scope import require_school_cap, units_reaching

HAZARD_CATEGORY = {
    Kind.FIRE: Category.FIRE,
    Kind.FOOD: Category.FOOD,
    Kind.HEALTH: Category.EPIDEMIC,
    Kind.CASUALTY: Category.BUILDING,
    Kind.DISASTER: Category.BUILDING,
}
HAZARD_SEVERITY = {Grade.GENERAL: Severity.GENERAL, Grade.LARGER: Severity.LARGER}


def incident_url(incident: Incident) -> str:
    return reverse("incidents:incident-detail", args=[incident.pk])


def _audit(actor, action: str, record, *, org_id: int | None, after: dict | None = None) -> None:
    """The write's audit event, named by the school and the record (an incident's number, never
    a person's name)."""
    school = record.school
    audit.record(
        actor=actor,
        action=action,
        obj=record,
        after=after,
        organisation=Organisation.objects.filter(pk=org_id).first() if org_id else None,
        region_path=school.region.path,
        object_repr=f"{school.name} {getattr(record, 'code', '') or record}",
    )


def _not_future(moment: dt.datetime, field: str, label: str) -> None:
    if moment > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({field: f"{label}：不能晚于现在。"})


# --- Report and 签收 ---------------------------------------------------------------------------


def recipients(school: School) -> list[Organisation]:
    """The units a 较大 or graver incident at `school` is reported to: its 学区 and 派出所, the 街道,
    the 区委政法委 and the 教委 over its region — one of each kind that reaches it."""
    units = units_reaching(school).filter(kind__in=RECIPIENT_KINDS)
    order: dict[str, int] = {kind: n for n, kind in enumerate(RECIPIENT_KINDS)}
    return sorted(units, key=lambda unit: (order[unit.kind], unit.pk))


def incident_report(
    *,
    acting_user,
    school: School,
    occurred_at: dt.datetime,
    place: str,
    kind: str,
    grade: str,
    title: str,
    summary: str,
    injured: int = 0,
    dead: int = 0,
    submission: str = "",
) -> Incident:
    """Record an incident. A 较大 or graver one is reported at once to every unit of
    `recipients(school)`, whose members are told and must sign for it."""
    orgs = require_school_cap(acting_user, school, Cap.INCIDENT_REPORT)
    _not_future(occurred_at, "occurred_at", "发生时间")
    if not (title or "").strip():
        raise ValidationError({"title": "事由：必填。"})
    if not (summary or "").strip():
        raise ValidationError({"summary": "简要经过：必填。"})

    def create() -> Incident:
        incident = Incident(
            code=f"tmp-{uuid.uuid4().hex[:16]}",
            school=school,
            occurred_at=occurred_at,
            place=place,
            kind=kind,
            grade=grade,
            title=title.strip(),
            summary=summary.strip(),
            injured=injured or 0,
            dead=dead or 0,
            reported_by=acting_user,
            reporting_unit_id=orgs[0],
            submission=submission,
        )
        incident.full_clean(exclude=["code", "reported_by", "reporting_unit", "school"])
        incident.save()
        incident.code = f"SJ{timezone.localdate().year}-{incident.pk:05d}"
        incident.save(update_fields=["code"])
        notified = _report_up(incident) if grade in REPORTED_UP else []
        _audit(
            acting_user,
            "incidents.report",
            incident,
            org_id=orgs[0],
            after={"grade": grade, "kind": kind, "notified": [unit.name for unit in notified]},
        )
        return incident

    with transaction.atomic():
        incident, _created = once(Incident.objects.filter(school=school), submission, create)
    return incident


def _report_up(incident: Incident) -> list[Organisation]:
    units = recipients(incident.school)
    now = timezone.now()
    Notice.objects.bulk_create(
        [Notice(incident=incident, organisation=unit, notified_at=now) for unit in units]
    )
    notify_on_commit(
        lambda: members([unit.pk for unit in units], Cap.INCIDENT_RESPOND),
        kind=NotifyKind.REPORTED,
        title=f"{incident.get_grade_display()}涉校案事件：{incident.school.name} {incident.title}，请签收",
        url=incident_url(incident),
        dedupe_key=f"incidents.report:{incident.pk}",
    )
    return units


def incident_acknowledge(*, acting_user, incident: Incident) -> list[Notice]:
    """Sign for the report in the name of each of the user's units it was sent to."""
    units = access.responding_orgs(acting_user, incident)
    with transaction.atomic():
        notices = list(
            Notice.objects.select_for_update()
            .filter(incident=incident, organisation_id__in=units, acknowledged_at__isnull=True)
            .select_related("organisation")
        )
        if not notices:
            if Notice.objects.filter(incident=incident, organisation_id__in=units).exists():
                return []  # signed already (a second tap, or a colleague): nothing to do
            raise PermissionDenied("该案事件未报送给您的单位，无需签收。")
        now = timezone.now()
        for notice in notices:
            notice.acknowledged_at, notice.acknowledged_by = now, acting_user
            notice.save(update_fields=["acknowledged_at", "acknowledged_by"])
        _audit(
            acting_user,
            "incidents.acknowledge",
            incident,
            org_id=notices[0].organisation_id,
            after={"units": [n.organisation.name for n in notices]},
        )
    return notices


def escalate_unacknowledged(now: dt.datetime | None = None) -> int:
    """Reports not signed for within `HUXIAO_INCIDENT_ACK_MINUTES`: the unit's members are told
    again and the 区委政法委 over the school is told which unit has not signed; once per report."""
    now = now or timezone.now()
    count = 0
    overdue = Notice.objects.to_escalate(now).select_related("incident__school__region", "organisation")
    for notice in overdue:
        incident = notice.incident
        with transaction.atomic():
            if not Notice.objects.filter(pk=notice.pk, escalated_at__isnull=True).update(escalated_at=now):
                continue
            minutes = int((now - notice.notified_at).total_seconds() // 60)
            title = (
                f"案事件报告超时未签收：{notice.organisation.name}未签收{incident.school.name}"
                f"“{incident.title}”（已{minutes}分钟）"
            )
            above = [
                u.pk
                for u in units_reaching(incident.school).filter(kind="political_legal")
                if u.pk != notice.organisation_id
            ]
            notify_on_commit(
                lambda n=notice, up=above: members([n.organisation_id, *up], Cap.INCIDENT_RESPOND),
                kind=NotifyKind.UNACKNOWLEDGED,
                title=title,
                url=incident_url(incident),
                dedupe_key=f"incidents.escalate:{notice.pk}",
            )
            _audit(
                None, "incidents.escalate", incident, org_id=None, after={"unit": notice.organisation.name}
            )
        count += 1
    return count


# --- 三同步 -------------------------------------------------------------------------------------


def response_log(*, acting_user, incident: Incident, track: str, at: dt.datetime, text: str) -> ResponseEntry:
    """One line on a track, in the name of the user's unit (one that reaches the school and holds
    `incident.respond`)."""
    units = access.responding_orgs(acting_user, incident)
    if not units:
        raise PermissionDenied("您的角色不能记录该案事件的处置情况。")
    if not incident.is_open:
        raise ValidationError("该案事件已结案，不能再记录处置情况。")
    if track not in Track.values:
        raise ValidationError({"track": "线条：请选择应急指挥、联动处置或舆论引导。"})
    if not (text or "").strip():
        raise ValidationError({"text": "内容：必填。"})
    _not_future(at, "at", "时间")
    if at < incident.occurred_at - dt.timedelta(days=1):
        raise ValidationError({"at": "时间：不能早于案事件发生前一天。"})
    with transaction.atomic():
        entry = ResponseEntry.objects.create(
            incident=incident,
            track=track,
            organisation_id=units[0],
            at=at,
            text=text.strip(),
            created_by=acting_user,
        )
        _audit(acting_user, "incidents.response", incident, org_id=units[0], after={"track": track})
    return entry


# --- The people involved -------------------------------------------------------------------------


def person_add(
    *,
    acting_user,
    incident: Incident,
    role: str,
    name: str,
    id_number: str = "",
    note: str = "",
    minor: bool = False,
    is_student: bool = False,
    submission: str = "",
) -> IncidentPerson:
    if not access.may_record_persons(acting_user, incident):
        raise PermissionDenied("只有报告学校和公安、政法部门可以登记当事人。")
    if role not in PersonRole.values:
        raise ValidationError({"role": "身份：请选择受害人、嫌疑人/肇事人或证人/知情人。"})
    if not (name or "").strip():
        raise ValidationError({"name": "姓名：必填。"})
    number = check_id_number(id_number)

    def create() -> IncidentPerson:
        person = IncidentPerson(
            incident=incident,
            role=role,
            minor=minor,
            is_student=is_student,
            created_by=acting_user,
            submission=submission,
        )
        person.set_plain("name", name)
        person.set_plain("id_number", number)
        person.set_plain("note", note)
        person.save()
        _audit(
            acting_user, "incidents.person_add", incident, org_id=None, after={"role": role, "minor": minor}
        )
        return person

    with transaction.atomic():
        person, _created = once(IncidentPerson.objects.filter(incident=incident), submission, create)
    return person


def persons_reveal(*, acting_user, incident: Incident, reason: str) -> dict[int, dict[str, str]]:
    """查看完整信息: the names, 身份证号 and notes in full, with the reason as an audit event."""
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": "查看原因：必填。"})
    if not access.may_read_persons(acting_user, incident):
        raise PermissionDenied("您不能查看当事人的完整信息。")
    with transaction.atomic():
        _audit(acting_user, "incidents.reveal", incident, org_id=None, after={"reason": text[:200]})
    return {
        p.pk: {"name": p.plain("name"), "id_number": p.plain("id_number"), "note": p.plain("note")}
        for p in incident.persons.all()
    }


# --- 结案 ----------------------------------------------------------------------------------------


def _measure_lines(measures: str) -> list[str]:
    return [
        line.strip(" 　-·•、0123456789.") for line in (measures or "").splitlines() if line.strip(" 　-·•")
    ]


def incident_close(
    *,
    acting_user,
    incident: Incident,
    expected_version: int | None,
    causes: str,
    measures: str,
    lessons: str = "",
    accountability: str = "",
    decision: str = "",
) -> tuple[Incident, list[Hazard]]:
    """Close with the cause analysis; each line of 整改措施 becomes a hazard of the school, to be
    rectified through the hazard loop. A 重大 or graver incident also needs its 责任倒查 and the
    decision taken."""
    units = access.closing_orgs(acting_user, incident)
    if not units:
        raise PermissionDenied("只有公安、学区和平安办等单位可以结案。")
    problems: dict[str, str] = {}
    if not (causes or "").strip():
        problems["causes"] = "原因分析：结案须写明发案原因。"
    lines = _measure_lines(measures)
    if not lines:
        problems["measures"] = "整改措施：至少写一条（每行一条，每条登记为一项隐患整改）。"
    elif any(len(line) > 60 for line in lines):
        problems["measures"] = "整改措施：每条不超过60字（每行一条）。"
    if incident.grade in THREE_TRACKS:
        if not (accountability or "").strip():
            problems["accountability"] = "责任倒查情况：重大及以上案事件结案须写明责任倒查情况。"
        if not (decision or "").strip():
            problems["decision"] = "处理决定：重大及以上案事件结案须写明处理决定。"
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        current = locked(
            Incident.objects.select_related("school__region"),
            incident.pk,
            expected_version,
            stale=lambda _current: "该案事件已被他人修改，请刷新页面后再结案。",
        )
        if not current.is_open:
            raise ValidationError("该案事件已结案。")
        current.causes, current.measures = causes.strip(), "\n".join(lines)
        current.lessons, current.accountability, current.decision = (
            lessons.strip(),
            accountability.strip(),
            decision.strip(),
        )
        current.state, current.closed_at, current.closed_by = State.CLOSED, timezone.now(), acting_user
        current.version += 1
        current.save()
        hazards = [
            hazard_report(
                acting_user=acting_user,
                school=current.school,
                title=line,
                category=HAZARD_CATEGORY.get(current.kind, Category.PERSONNEL),
                severity=HAZARD_SEVERITY.get(current.grade, Severity.MAJOR),
                description=f"{current.code}“{current.title}”结案整改措施：{line}",
                source="incident",
                source_ref=f"incidents.incident:{current.pk}:{n}",
                confirm=True,
                acting_org_id=units[0],
            )
            for n, line in enumerate(lines, start=1)
        ]
        _audit(
            acting_user,
            "incidents.close",
            current,
            org_id=units[0],
            after={"hazards": [h.code for h in hazards], "accountability": bool(current.accountability)},
        )
    return current, hazards


# --- 通报 ----------------------------------------------------------------------------------------


def circular_issue(*, acting_user, incident: Incident) -> tuple[Incident, bytes]:
    """The 通报 of a closed incident as a .docx. The first one takes the next 通报 number of the
    user's unit (`hazards.numbering`, pattern editable per unit); later ones repeat it."""
    units = access.closing_orgs(acting_user, incident)
    if not units:
        raise PermissionDenied("只有公安、学区和平安办等单位可以印发案事件通报。")
    if incident.is_open:
        raise ValidationError("结案（原因分析）后才能印发通报。")
    with transaction.atomic():
        current = Incident.objects.select_for_update().select_related("school__region").get(pk=incident.pk)
        if not current.circular_number:
            unit = Organisation.objects.get(pk=units[0])
            _seq, number = allocate(unit, DocKind.CIRCULAR, timezone.localdate().year)
            current.circular_number, current.circular_unit, current.circular_at = number, unit, timezone.now()
            current.save(update_fields=["circular_number", "circular_unit", "circular_at"])
        _audit(
            acting_user,
            "incidents.circular",
            current,
            org_id=units[0],
            after={"number": current.circular_number},
        )
    return current, render_docx(Document.CIRCULAR, circular_context(current))


# --- 报警/警情 -----------------------------------------------------------------------------------


def alarm_record(
    *,
    acting_user,
    school: School,
    raised_at: dt.datetime,
    source: str,
    nature: str,
    arrived_at: dt.datetime | None = None,
    handling: str = "",
    submission: str = "",
) -> Alarm:
    """An alarm or 警情 at a school, recorded by the school or the police."""
    orgs = require_school_cap(acting_user, school, Cap.INCIDENT_REPORT)
    _not_future(raised_at, "raised_at", "报警时间")
    if arrived_at is not None:
        _not_future(arrived_at, "arrived_at", "民警到场时间")
        if arrived_at < raised_at:
            raise ValidationError({"arrived_at": "民警到场时间：不能早于报警时间。"})
        if arrived_at - raised_at > dt.timedelta(days=1):
            raise ValidationError({"arrived_at": "民警到场时间：与报警时间相差超过一天，请核对。"})

    def create() -> Alarm:
        alarm = Alarm(
            school=school,
            raised_at=raised_at,
            source=source,
            nature=nature,
            arrived_at=arrived_at,
            handling=(handling or "").strip(),
            recorded_by=acting_user,
            recording_unit_id=orgs[0],
            submission=submission,
        )
        alarm.full_clean(exclude=["school", "recorded_by", "recording_unit", "incident"])
        alarm.save()
        announce_facts_changed(school.pk)
        _audit(
            acting_user,
            "incidents.alarm",
            alarm,
            org_id=orgs[0],
            after={"source": source, "nature": nature, "minutes": alarm.response_minutes},
        )
        return alarm

    with transaction.atomic():
        alarm, _created = once(Alarm.objects.filter(school=school), submission, create)
    return alarm


# --- 应急演练 ------------------------------------------------------------------------------------


def drill_record(
    *,
    acting_user,
    school: School,
    kind: str,
    held_on: dt.date,
    participants: int,
    minutes: int | None = None,
    summary: str = "",
    problems: str = "",
    photos=(),
    submission: str = "",
) -> tuple[Drill, list[Hazard]]:
    """A drill held at the school; each line of 发现的问题 becomes a hazard of the school."""
    orgs = require_school_cap(acting_user, school, Cap.INCIDENT_REPORT)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "演练日期：不能晚于今天。"})
    if not participants or participants < 1:
        raise ValidationError({"participants": "参演人数：至少1人。"})
    lines = _measure_lines(problems)
    if any(len(line) > 60 for line in lines):
        raise ValidationError({"problems": "发现的问题：每条不超过60字（每行一条）。"})
    checked = [check_image(photo, field="照片") for photo in photos]
    raised: list[Hazard] = []

    def create() -> Drill:
        drill = Drill(
            school=school,
            kind=kind,
            held_on=held_on,
            participants=participants,
            minutes=minutes,
            summary=(summary or "").strip(),
            problems="\n".join(lines),
            recorded_by=acting_user,
            submission=submission,
        )
        drill.full_clean(exclude=["school", "recorded_by"])
        drill.save()
        for image in checked:
            DrillPhoto.objects.create(
                drill=drill,
                image=image.content,
                thumbnail=image.thumbnail,
                sha256=image.sha256,
                width=image.width,
                height=image.height,
            )
        raised.extend(
            hazard_report(
                acting_user=acting_user,
                school=school,
                title=line,
                category=Category.PROCEDURE,
                description=f"{drill.held_on:%Y-%m-%d}{drill.get_kind_display()}演练发现：{line}",
                source="drill",
                source_ref=f"incidents.drill:{drill.pk}:{n}",
                found_on=held_on,
                confirm=True,
                acting_org_id=orgs[0],
            )
            for n, line in enumerate(lines, start=1)
        )
        announce_facts_changed(school.pk)
        _audit(
            acting_user,
            "incidents.drill",
            drill,
            org_id=orgs[0],
            after={"kind": kind, "participants": participants, "hazards": [h.code for h in raised]},
        )
        return drill

    with transaction.atomic():
        drill, _created = once(Drill.objects.filter(school=school), submission, create)
    return drill, raised
