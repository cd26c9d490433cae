"""Every write to the sensitive registers: one audited transaction each, the acting unit checked,
personal fields encrypted before they reach the database, notifications after commit — and
nothing that names a person in an audit label, a message title or a log line (records are
named by their code, ZD2026-000012 / JF2026-000003)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.accounts.selectors import members
from huxiao.core import audit, crypto
from huxiao.core.choices import OrgKind
from huxiao.core.errors import ConflictError
from huxiao.core.images import check_image
from huxiao.core.models import Organisation, Region
from huxiao.core.regions import ancestors_and_self, nearest_setting
from huxiao.core.validation import check_id_number
from huxiao.core.versions import check_version, locked, once
from huxiao.lib.dates import cn_date, cn_datetime
from huxiao.lib.geo import bounding_box, haversine_m, round_m, within
from huxiao.notifications.services import notify_on_commit
from huxiao.people.access import may_reveal, station_orgs
from huxiao.people.choices import (
    CLOSED_OUTCOMES,
    EventKind,
    FoundState,
    MeasureKind,
    NotifyKind,
    Outcome,
    PersonStatus,
    Risk,
)
from huxiao.people.models import (
    Category,
    Dispute,
    KeyPerson,
    Measure,
    Mediation,
    PersonEvent,
    PersonSchool,
    ReviewInterval,
    Stabilisation,
    Visit,
)
from huxiao.people.querysets import PEOPLE_UNIT_KINDS
from huxiao.schools.models import School

DEFAULT_INTERVAL = ReviewInterval(high_days=7, medium_days=30, low_days=90)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EARLIEST = dt.date(1990, 1, 1)
PERSON_FIELDS = ("name", "id_number", "phone", "address", "guardian", "notes")
EDIT_REASON = "修改档案（打开修改表单时显示完整信息）"


# --- Input ---------------------------------------------------------------------------------------


def _text(
    value: Any, field: str, label: str, *, max_length: int, required: bool = False, lines: bool = False
) -> str:
    """A trimmed text, or a ValidationError naming the field and the rule."""
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: f"{label}：必填。"})
    if len(text) > max_length:
        raise ValidationError({field: f"{label}：不能超过{max_length}个字（现为{len(text)}个）。"})
    if CONTROL.search(text) or (not lines and ("\n" in text or "\r" in text)):
        raise ValidationError({field: f"{label}：含有不能保存的控制字符，请删除后重新输入。"})
    return text


def _phone(value: str) -> str:
    phone = re.sub(r"[\s-]", "", str(value or ""))
    if phone and not re.fullmatch(r"\+?\d{7,15}", phone):
        raise ValidationError({"phone": "联系电话：请填写7至15位数字（手机或座机）。"})
    return phone


def _day(value: dt.date | None, field: str, label: str) -> dt.date:
    today = timezone.localdate()
    day = value or today
    if day > today:
        raise ValidationError({field: f"{label}：不能晚于今天。"})
    if day < EARLIEST:
        raise ValidationError({field: f"{label}：不能早于{cn_date(EARLIEST)}。"})
    return day


def _position(latitude, longitude) -> str:
    """ "lat,lng" to encrypt (the address position is 行踪 data), or "" when not given."""
    if latitude in (None, "") and longitude in (None, ""):
        return ""
    try:
        lat, lng = Decimal(str(latitude)), Decimal(str(longitude))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"latitude": "住址坐标：纬度和经度须同时填写，为十进制度数。"}) from exc
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError({"latitude": "住址坐标：纬度须在-90至90之间，经度须在-180至180之间。"})
    return f"{lat.quantize(Decimal('0.000001'))},{lng.quantize(Decimal('0.000001'))}"


# --- Shared ---------------------------------------------------------------------------------------


def _acting_station(acting_user, record, cap: str, message: str) -> int:
    orgs = station_orgs(acting_user, record, cap)
    if not orgs:
        raise PermissionDenied(message)
    return orgs[0]


def _audit(actor, action: str, record, *, org_id: int | None, after: dict | None = None, before=None) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=record,
        before=before,
        after=after,
        organisation=Organisation.objects.filter(pk=org_id).first() if org_id else None,
        region_path=record.region.path,
        object_repr=record.code,
    )


def covering_units(region: Region, kinds) -> list[int]:
    """The live units of `kinds` whose jurisdiction contains `region` (the 街道, 平安办, 政法委 above it)."""
    return list(
        Organisation.objects.filter(
            kind__in=kinds, jurisdiction_regions__path__in=ancestors_and_self(region.path), is_archived=False
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def interval_for(region: Region) -> ReviewInterval:
    """The 走访核查 periods in force for a region: its own setting, its nearest ancestor's, or 7/30/90."""
    return nearest_setting(ReviewInterval.objects.select_related("region"), region.path) or DEFAULT_INTERVAL


def next_review(person: KeyPerson, after: dt.date) -> dt.date:
    return after + dt.timedelta(days=interval_for(person.region).days_for(person.risk))


def _event(person: KeyPerson, actor, kind: str, note: str = "", approver=None) -> None:
    event = PersonEvent(person=person, actor=actor, kind=kind, approver=approver)
    event.set_plain("note", note)
    event.save()


def _link_schools(person: KeyPerson, position: str, chosen: list[School]) -> None:
    """Schools within the surroundings radius of the address, plus those the officer chose."""
    PersonSchool.objects.filter(person=person).delete()
    links: dict[int, PersonSchool] = {}
    if position:
        lat, lng = (Decimal(v) for v in position.split(","))
        radius = settings.HUXIAO_SURROUNDINGS_RADIUS_M
        lat_min, lat_max, lng_min, lng_max = bounding_box(lat, lng, radius)
        near = School.objects.filter(
            is_archived=False, latitude__range=(lat_min, lat_max), longitude__range=(lng_min, lng_max)
        )
        for school in near:
            distance = haversine_m(lat, lng, school.latitude, school.longitude)
            if within(distance, radius):
                links[school.pk] = PersonSchool(person=person, school=school, distance_m=round_m(distance))
    for school in chosen:
        links.setdefault(school.pk, PersonSchool(person=person, school=school))
        links[school.pk].chosen = True
    PersonSchool.objects.bulk_create(links.values())


def _notify_station_leaders(record, kind: str, title: str, url: str, dedupe: str = "") -> None:
    notify_on_commit(
        lambda: members([record.station_id], Cap.PEOPLE_APPROVE),
        kind=kind,
        title=title,
        url=url,
        dedupe_key=dedupe,
    )


def _notify_above(record, kind: str, title: str, url: str, *, dedupe: str = "") -> None:
    """The 街道 (办事处 leaders, 平安办) and the 区委政法委 over the record's region — "第一时间报告当地党委政府"."""
    kinds = (OrgKind.SUBDISTRICT_OFFICE, OrgKind.SAFETY_OFFICE, OrgKind.POLITICAL_LEGAL)
    units = covering_units(record.region, kinds)
    notify_on_commit(
        lambda: members(units, Cap.SCHOOL_VIEW), kind=kind, title=title, url=url, dedupe_key=dedupe
    )


def person_url(person: KeyPerson) -> str:
    return f"/people/{person.pk}/"


def dispute_url(dispute: Dispute) -> str:
    return f"/people/disputes/{dispute.pk}/"


# --- Key persons ---------------------------------------------------------------------------------


def _person_values(**fields: Any) -> dict[str, str]:
    return {
        "name": _text(fields.get("name"), "name", "姓名", max_length=30, required=True),
        "id_number": check_id_number(_text(fields.get("id_number"), "id_number", "身份证号", max_length=30)),
        "phone": _phone(_text(fields.get("phone"), "phone", "联系电话", max_length=30)),
        "address": _text(fields.get("address"), "address", "住址", max_length=200),
        "guardian": _text(fields.get("guardian"), "guardian", "监护人/帮扶责任人", max_length=200),
        "notes": _text(fields.get("notes"), "notes", "基本情况", max_length=2000, lines=True),
    }


def _check_officer(station: Organisation, officer) -> None:
    if officer is None or officer not in members([station.pk], Cap.PEOPLE_MANAGE):
        raise ValidationError({"officer": f"责任民警：须为{station}的在岗民警。"})


def _check_live_duplicate(id_number: str, station_id: int, exclude_pk: int | None = None) -> None:
    """One live record per 身份证号 across the district; another station's record is not named
    (its code would let any officer probe another station's register)."""
    if not id_number:
        return
    clash = (
        KeyPerson.objects.live()
        .filter(id_index=crypto.blind_index(id_number, "id"))
        .exclude(pk=exclude_pk)
        .first()
    )
    if clash is None:
        return
    if clash.station_id == station_id:
        raise ValidationError({"id_number": f"该人员已在本所在册（{clash.code}），请勿重复登记。"})
    raise ValidationError({"id_number": "该身份证号已由其他派出所列管，请联系区委政法委协调，不要重复登记。"})


def _photo_token(photo) -> ContentFile | None:
    if not photo:
        return None
    checked = check_image(photo, field="照片")
    return ContentFile(crypto.encrypt_bytes(checked.thumbnail.read()), name=f"{checked.sha256[:16]}.bin")


def person_register(
    *,
    acting_user,
    station: Organisation,
    officer,
    region: Region,
    category: Category,
    risk: str,
    listed_on: dt.date | None = None,
    latitude=None,
    longitude=None,
    schools: list[School] | tuple = (),
    photo=None,
    submission: str = "",
    **fields: Any,
) -> KeyPerson:
    """列管 a key person at `station` (the acting user's own station, with PEOPLE_MANAGE)."""
    probe = KeyPerson(station=station, region=region)
    org_id = _acting_station(acting_user, probe, Cap.PEOPLE_MANAGE, "只有派出所民警可以登记本所的重点人员。")
    values = _person_values(**fields)
    if risk not in Risk.values:
        raise ValidationError({"risk": "风险等级：请选择高、中或低。"})
    if not category.is_active:
        raise ValidationError({"category": "类别：该类别已停用。"})
    _check_officer(station, officer)
    listed_on = _day(listed_on, "listed_on", "列管日期")
    position = _position(latitude, longitude)
    photo_file = _photo_token(photo)

    def create() -> KeyPerson:
        _check_live_duplicate(values["id_number"], station.pk)
        person = KeyPerson(
            station=station,
            officer=officer,
            region=region,
            category=category,
            risk=risk,
            listed_on=listed_on,
            review_due=listed_on,
            created_by=acting_user,
            submission=submission,
            name_index=crypto.blind_index(values["name"], "name"),
            id_index=crypto.blind_index(values["id_number"], "id"),
        )
        for key, text in values.items():
            person.set_plain(key, text)
        person.set_plain("position", position)
        person.review_due = next_review(person, listed_on)
        if photo_file is not None:
            person.photo_enc.save(photo_file.name, photo_file, save=False)
        person.save()
        _link_schools(person, position, list(schools))
        _event(person, acting_user, EventKind.LISTED)
        _audit(
            acting_user,
            "people.person_register",
            person,
            org_id=org_id,
            after={"category": category.name, "risk": risk, "station": station.pk, "schools": len(schools)},
        )
        return person

    try:
        with transaction.atomic():
            person, _created = once(KeyPerson.objects.filter(created_by=acting_user), submission, create)
    except IntegrityError as exc:  # the same 身份证号 registered by someone else at the same moment
        raise ValidationError({"id_number": "该身份证号刚被登记在册，请刷新后查询，不要重复登记。"}) from exc
    return person


@transaction.atomic
def person_update(
    *,
    acting_user,
    person: KeyPerson,
    expected_version: int | None,
    officer,
    region: Region,
    category: Category,
    risk: str,
    latitude=None,
    longitude=None,
    schools: list[School] | tuple = (),
    photo=None,
    **fields: Any,
) -> KeyPerson:
    """Change the archive (a stale form is refused, like hazards). A new risk level moves the next review."""
    org_id = _acting_station(
        acting_user, person, Cap.PEOPLE_MANAGE, "只有责任派出所的民警可以修改该人员档案。"
    )
    current = locked(
        KeyPerson.objects.select_related("region", "station"),
        person.pk,
        expected_version,
        stale=lambda p: (
            f"该人员档案已于{cn_datetime(p.updated_at)}被他人修改，您的修改未保存。请刷新页面后重新填写。"
        ),
    )
    if current.erased_at is not None:
        raise ValidationError("该人员已撤销列管且个人信息已按期删除，档案不能再修改。")
    values = _person_values(**fields)
    if risk not in Risk.values:
        raise ValidationError({"risk": "风险等级：请选择高、中或低。"})
    _check_officer(current.station, officer)
    _check_live_duplicate(values["id_number"], current.station_id, exclude_pk=current.pk)
    position = _position(latitude, longitude)
    before = {"risk": current.risk, "category": current.category.name, "officer": current.officer_id}
    risk_changed = risk != current.risk
    current.officer, current.region, current.category, current.risk = officer, region, category, risk
    for key, text in values.items():
        current.set_plain(key, text)
    current.set_plain("position", position)
    current.name_index = crypto.blind_index(values["name"], "name")
    current.id_index = crypto.blind_index(values["id_number"], "id")
    photo_file = _photo_token(photo)
    if photo_file is not None:
        current.photo_enc.save(photo_file.name, photo_file, save=False)
    if risk_changed and current.is_live:
        last = current.visits.order_by("-visited_on").values_list("visited_on", flat=True).first()
        current.review_due = next_review(current, last or current.listed_on)
    current.version += 1
    current.save()
    _link_schools(current, position, list(schools))
    _event(current, acting_user, EventKind.RISK if risk_changed else EventKind.UPDATED)
    _audit(
        acting_user,
        "people.person_update",
        current,
        org_id=org_id,
        before=before,
        after={"risk": risk, "category": category.name, "officer": officer.pk},
    )
    return current


def visit_record(
    *,
    acting_user,
    person: KeyPerson,
    visited_on: dt.date | None,
    found: str,
    dynamics: str = "",
    submission: str = "",
) -> Visit:
    """A 走访核查: the next one falls due by the risk level's period; finding him 失控 marks the
    person lost and tells the station, the 街道平安办 and the 区委政法委 at once; finding a lost
    person again marks him found (查找落地)."""
    org_id = _acting_station(acting_user, person, Cap.PEOPLE_MANAGE, "只有责任派出所的民警可以登记走访核查。")
    if found not in FoundState.values:
        raise ValidationError({"found": "核查情况：请选择。"})
    day = _day(visited_on, "visited_on", "走访日期")
    text = _text(dynamics, "dynamics", "现实动态", max_length=2000, lines=True)

    def create() -> Visit:
        current = locked(KeyPerson.objects.select_related("region", "station"), person.pk, None, stale=str)
        if current.status == PersonStatus.DELISTED:
            raise ValidationError("该人员已撤销列管，不再走访核查。")
        visit = Visit(
            person=current,
            visited_on=day,
            officer=acting_user,
            station_id=org_id,
            found=found,
            submission=submission,
        )
        visit.set_plain("dynamics", text)
        visit.save()
        if found == FoundState.LOST:
            _mark_lost(current, acting_user, "走访核查发现去向不明")
        elif current.status == PersonStatus.LOST:
            current.status, current.lost_since = PersonStatus.LISTED, None
            _event(current, acting_user, EventKind.FOUND, "走访核查确认已落地")
        current.review_due = max(current.review_due, next_review(current, day))
        current.save(update_fields=["status", "lost_since", "review_due", "updated_at"])
        _audit(
            acting_user,
            "people.visit",
            current,
            org_id=org_id,
            after={"visited_on": day.isoformat(), "found": found},
        )
        return visit

    with transaction.atomic():
        visit, _created = once(Visit.objects.filter(officer=acting_user), submission, create)
    return visit


def _mark_lost(person: KeyPerson, actor, note: str) -> None:
    if person.status == PersonStatus.LOST:
        return
    person.status, person.lost_since = PersonStatus.LOST, timezone.now()
    _event(person, actor, EventKind.LOST, note)
    title = f"重点人员失控：{person.code}（{person.station}）"
    url = person_url(person)
    notify_on_commit(
        lambda: members([person.station_id], Cap.SENSITIVE_VIEW),
        kind=NotifyKind.PERSON_LOST,
        title=title,
        url=url,
    )
    _notify_above(person, NotifyKind.PERSON_LOST, title, "/people/overview/")


@transaction.atomic
def person_mark_lost(*, acting_user, person: KeyPerson, expected_version: int | None, note: str) -> KeyPerson:
    """失控 reported outside a visit (a call, a report from the community)."""
    org_id = _acting_station(acting_user, person, Cap.PEOPLE_MANAGE, "只有责任派出所的民警可以报告失控。")
    text = _text(note, "note", "情况说明", max_length=500, required=True, lines=True)
    current = locked(
        KeyPerson.objects.select_related("region", "station", "category"),
        person.pk,
        expected_version,
        stale=lambda p: f"该人员状态已被他人更新（当前：{p.get_status_display()}），请刷新页面。",
    )
    if current.status != PersonStatus.LISTED:
        raise ValidationError(f"该人员当前为“{current.get_status_display()}”，不能再报告失控。")
    _mark_lost(current, acting_user, text)
    current.version += 1
    current.save()
    _audit(acting_user, "people.person_lost", current, org_id=org_id)
    return current


@transaction.atomic
def person_delist(
    *, acting_user, person: KeyPerson, expected_version: int | None, reason: str, on: dt.date | None = None
) -> KeyPerson:
    """撤销列管, with the reason, approved by a leader of the responsible station (the approver
    is recorded); the personal fields are erased after the retention period."""
    org_id = _acting_station(acting_user, person, Cap.PEOPLE_APPROVE, "撤销列管须由责任派出所领导审批。")
    text = _text(reason, "reason", "撤销理由", max_length=500, required=True, lines=True)
    day = _day(on, "on", "撤销日期")
    current = locked(
        KeyPerson.objects.select_related("region", "station"),
        person.pk,
        expected_version,
        stale=lambda p: f"该人员状态已被他人更新（当前：{p.get_status_display()}），请刷新页面。",
    )
    if current.status == PersonStatus.DELISTED:
        raise ValidationError("该人员已撤销列管。")
    if day < current.listed_on:
        raise ValidationError({"on": "撤销日期：不能早于列管日期。"})
    current.status, current.delisted_on, current.lost_since = PersonStatus.DELISTED, day, None
    current.version += 1
    current.save()
    _event(current, acting_user, EventKind.DELISTED, text, approver=acting_user)
    _audit(
        acting_user, "people.person_delist", current, org_id=org_id, after={"delisted_on": day.isoformat()}
    )
    return current


def measure_record(
    *, acting_user, person: KeyPerson, kind: str, taken_on: dt.date | None, detail: str, submission: str = ""
) -> Measure:
    """A 管控救助措施 (监护落实, 送医, 社区矫正衔接, 帮扶 …)."""
    org_id = _acting_station(
        acting_user, person, Cap.PEOPLE_MANAGE, "只有责任派出所的民警可以记录管控救助措施。"
    )
    if person.status == PersonStatus.DELISTED:
        raise ValidationError("该人员已撤销列管，不再记录管控救助措施。")
    if kind not in MeasureKind.values:
        raise ValidationError({"kind": "措施：请选择。"})
    day = _day(taken_on, "taken_on", "日期")
    text = _text(detail, "detail", "具体情况", max_length=2000, required=True, lines=True)

    def create() -> Measure:
        measure = Measure(
            person=person, kind=kind, taken_on=day, recorded_by=acting_user, submission=submission
        )
        measure.set_plain("detail", text)
        measure.save()
        _audit(
            acting_user,
            "people.measure",
            person,
            org_id=org_id,
            after={"kind": kind, "taken_on": day.isoformat()},
        )
        return measure

    with transaction.atomic():
        measure, _created = once(Measure.objects.filter(recorded_by=acting_user), submission, create)
    return measure


@transaction.atomic
def person_reveal(*, acting_user, person: KeyPerson, reason: str) -> dict[str, str]:
    """查看完整信息: the decrypted fields, for the responsible station or the 区委政法委, with a
    reason — one audit event (who, whom, why), listed on the person's page."""
    if not may_reveal(acting_user, person):
        raise PermissionDenied("只有责任派出所和区委政法委可以查看完整信息。")
    if person.erased_at is not None:
        raise ValidationError("该人员的个人信息已到期删除。")
    text = _text(reason, "reason", "查看事由", max_length=200, required=True)
    if len(text) < 4:
        raise ValidationError({"reason": "查看事由：请写明具体事由（至少4个字）。"})
    plain = {field: person.plain(field) for field in PERSON_FIELDS}
    plain["position"] = person.plain("position")
    org = scope_of(acting_user).acting_orgs(
        Cap.SENSITIVE_VIEW, path=person.region.path, units=[person.station_id], kinds=PEOPLE_UNIT_KINDS
    )
    _audit(acting_user, "people.reveal", person, org_id=org[0] if org else None, after={"reason": text})
    return plain


@transaction.atomic
def dispute_reveal(*, acting_user, dispute: Dispute, reason: str) -> dict[str, str]:
    """The parties and the summary of a dispute in full, with a reason (audited like a person's)."""
    if not may_reveal(acting_user, dispute):
        raise PermissionDenied("只有责任派出所和区委政法委可以查看完整信息。")
    text = _text(reason, "reason", "查看事由", max_length=200, required=True)
    if len(text) < 4:
        raise ValidationError({"reason": "查看事由：请写明具体事由（至少4个字）。"})
    plain = {"parties": dispute.plain("parties"), "summary": dispute.plain("summary")}
    _audit(acting_user, "people.reveal", dispute, org_id=None, after={"reason": text})
    return plain


@transaction.atomic
def interval_set(
    *, acting_user, region: Region, expected_version: int | None, high: int, medium: int, low: int
) -> ReviewInterval:
    """Set the 走访核查 periods of a region (the 区委政法委 or a 公安分局 over it)."""
    orgs = scope_of(acting_user).acting_orgs(Cap.PEOPLE_APPROVE, path=region.path, kinds=PEOPLE_UNIT_KINDS)
    if not orgs:
        raise PermissionDenied("您只能设置本单位管辖区划内的走访核查周期。")
    for key, value in (("high", high), ("medium", medium), ("low", low)):
        if not isinstance(value, int) or not 1 <= value <= 365:
            raise ValidationError({key: "走访核查周期：须为1至365天。"})
    if not high <= medium <= low:
        raise ValidationError({"medium": "走访核查周期：风险越高周期应越短（高 ≤ 中 ≤ 低）。"})
    current = ReviewInterval.objects.select_for_update().filter(region=region).first()
    if current is None:
        if expected_version is not None:
            raise ValidationError("该区划的走访核查周期已被他人删除，请刷新页面。")
        current = ReviewInterval(region=region, version=0)
    else:
        check_version(current, expected_version, lambda c: "走访核查周期已被他人修改，请刷新页面后重新设置。")
    current.high_days, current.medium_days, current.low_days = high, medium, low
    current.updated_by = acting_user
    current.version += 1
    try:
        with transaction.atomic():  # two first settings at once: the second finds the region taken
            current.save()
    except IntegrityError as exc:
        raise ConflictError("该区划的走访核查周期刚被他人设置，请刷新页面后再修改。") from exc
    audit.record(
        actor=acting_user,
        action="people.interval_set",
        obj=current,
        after={"high": high, "medium": medium, "low": low},
        region_path=region.path,
        object_repr=f"{region.name}走访核查周期",
    )
    return current


# --- Disputes ------------------------------------------------------------------------------------


def _dispute_values(parties: str, summary: str) -> tuple[str, str]:
    return (
        _text(parties, "parties", "当事人及联系方式", max_length=1000, required=True, lines=True),
        _text(summary, "summary", "纠纷情况", max_length=4000, required=True, lines=True),
    )


def dispute_register(
    *,
    acting_user,
    station: Organisation,
    region: Region,
    category: str,
    source: str,
    found_on: dt.date | None,
    parties: str,
    summary: str,
    schools: list[School],
    mediators: list[Organisation] | tuple = (),
    threat: bool = False,
    submission: str = "",
) -> Dispute:
    """摸排 a dispute concerning `schools`; flagged 扬言报复 it escalates at once (`dispute_flag_threat`)."""
    probe = Dispute(station=station, region=region)
    org_id = _acting_station(acting_user, probe, Cap.PEOPLE_MANAGE, "只有派出所民警可以登记本所的矛盾纠纷。")
    from huxiao.people.choices import DisputeCategory, DisputeSource

    if category not in DisputeCategory.values:
        raise ValidationError({"category": "类别：请选择。"})
    if source not in DisputeSource.values:
        raise ValidationError({"source": "来源：请选择。"})
    if not schools:
        raise ValidationError({"schools": "涉及学校：至少选择一所学校。"})
    day = _day(found_on, "found_on", "发现日期")
    parties_text, summary_text = _dispute_values(parties, summary)

    def create() -> Dispute:
        dispute = Dispute(
            station=station,
            region=region,
            category=category,
            source=source,
            found_on=day,
            created_by=acting_user,
            submission=submission,
        )
        dispute.set_plain("parties", parties_text)
        dispute.set_plain("summary", summary_text)
        dispute.save()
        dispute.schools.set(schools)
        dispute.mediators.set(mediators)
        _audit(
            acting_user,
            "people.dispute_register",
            dispute,
            org_id=org_id,
            after={"category": category, "schools": [s.pk for s in schools]},
        )
        if threat:
            _flag_threat(dispute, acting_user, org_id)
        return dispute

    with transaction.atomic():
        dispute, _created = once(Dispute.objects.filter(created_by=acting_user), submission, create)
    return dispute


def _flag_threat(dispute: Dispute, actor, org_id: int) -> None:
    now = timezone.now()
    dispute.threat, dispute.threat_at = True, now
    dispute.stabilise_due = now + dt.timedelta(hours=settings.HUXIAO_PEOPLE_STABILISE_HOURS)
    dispute.save(update_fields=["threat", "threat_at", "stabilise_due", "updated_at"])
    schools = "、".join(s.name for s in dispute.schools.order_by("name"))
    title = f"扬言报复矛盾纠纷：涉及{schools}（{dispute.code}），须于{cn_datetime(dispute.stabilise_due)}前落实稳控措施"
    _notify_station_leaders(dispute, NotifyKind.THREAT, title, dispute_url(dispute))
    _notify_above(dispute, NotifyKind.THREAT, title, "/people/overview/")
    _audit(
        actor,
        "people.dispute_threat",
        dispute,
        org_id=org_id,
        after={"stabilise_due": dispute.stabilise_due.isoformat()},
    )


@transaction.atomic
def dispute_flag_threat(*, acting_user, dispute: Dispute, expected_version: int | None) -> Dispute:
    """扬言报复/可能危及校园安全: report at once to the 街道 and the 区委政法委 and start the 稳控 clock."""
    org_id = _acting_station(
        acting_user, dispute, Cap.PEOPLE_MANAGE, "只有责任派出所的民警可以标记扬言报复。"
    )
    current = locked(
        Dispute.objects.select_related("region", "station"),
        dispute.pk,
        expected_version,
        stale=lambda d: "该矛盾纠纷已被他人更新，请刷新页面。",
    )
    if current.threat:
        raise ValidationError(f"该矛盾纠纷已于{cn_datetime(current.threat_at)}标记为扬言报复。")
    if current.outcome in CLOSED_OUTCOMES:
        raise ValidationError("已结案的矛盾纠纷不能再标记。")
    current.version += 1
    current.save(update_fields=["version", "updated_at"])
    _flag_threat(current, acting_user, org_id)
    return current


def stabilise_record(*, acting_user, dispute: Dispute, measures: str, submission: str = "") -> Stabilisation:
    """The 稳控措施 of a flagged dispute (the first one stops the clock)."""
    org_id = _acting_station(
        acting_user, dispute, Cap.PEOPLE_MANAGE, "只有责任派出所的民警可以记录稳控措施。"
    )
    text = _text(measures, "measures", "稳控措施", max_length=2000, required=True, lines=True)
    if not dispute.threat:
        raise ValidationError("该矛盾纠纷未标记扬言报复，请记录调解情况。")
    if dispute.outcome != Outcome.OPEN:
        raise ValidationError(f"该矛盾纠纷已结案（{dispute.get_outcome_display()}）。")

    def create() -> Stabilisation:
        record = Stabilisation(dispute=dispute, recorded_by=acting_user, submission=submission)
        record.set_plain("measures", text)
        record.save()
        if dispute.stabilised_at is None:
            Dispute.objects.filter(pk=dispute.pk).update(stabilised_at=record.recorded_at)
            dispute.stabilised_at = record.recorded_at
        late = dispute.stabilise_due is not None and record.recorded_at > dispute.stabilise_due
        _audit(acting_user, "people.stabilise", dispute, org_id=org_id, after={"late": late})
        return record

    with transaction.atomic():
        record, _created = once(Stabilisation.objects.filter(recorded_by=acting_user), submission, create)
    return record


def mediation_record(
    *,
    acting_user,
    dispute: Dispute,
    held_on: dt.date | None,
    organisation: Organisation,
    note: str,
    submission: str = "",
) -> Mediation:
    """One step of the mediation, by the station or one of the mediating units."""
    org_id = _acting_station(
        acting_user, dispute, Cap.PEOPLE_MANAGE, "只有责任派出所的民警可以记录调解情况。"
    )
    if dispute.outcome != Outcome.OPEN:
        raise ValidationError(f"该矛盾纠纷已结案（{dispute.get_outcome_display()}），不再记录调解。")
    day = _day(held_on, "held_on", "调解日期")
    if day < dispute.found_on:
        raise ValidationError({"held_on": "调解日期：不能早于发现日期。"})
    text = _text(note, "note", "调解情况", max_length=2000, required=True, lines=True)

    def create() -> Mediation:
        mediation = Mediation(
            dispute=dispute,
            held_on=day,
            organisation=organisation,
            recorded_by=acting_user,
            submission=submission,
        )
        mediation.set_plain("note", text)
        mediation.save()
        _audit(acting_user, "people.mediation", dispute, org_id=org_id, after={"held_on": day.isoformat()})
        return mediation

    with transaction.atomic():
        mediation, _created = once(Mediation.objects.filter(recorded_by=acting_user), submission, create)
    return mediation


@transaction.atomic
def dispute_close(
    *, acting_user, dispute: Dispute, expected_version: int | None, outcome: str, closed_on: dt.date | None
) -> Dispute:
    """结案: 化解, 移交 or 终止, with its date."""
    org_id = _acting_station(acting_user, dispute, Cap.PEOPLE_MANAGE, "只有责任派出所的民警可以结案。")
    if outcome not in CLOSED_OUTCOMES:
        raise ValidationError({"outcome": "结果：请选择化解、移交或终止。"})
    current = locked(
        Dispute.objects.select_related("region", "station"),
        dispute.pk,
        expected_version,
        stale=lambda d: f"该矛盾纠纷已被他人更新（当前：{d.get_outcome_display()}），请刷新页面。",
    )
    if current.outcome != Outcome.OPEN:
        raise ValidationError(f"该矛盾纠纷已结案（{current.get_outcome_display()}）。")
    day = _day(closed_on, "closed_on", "结案日期")
    if day < current.found_on:
        raise ValidationError({"closed_on": "结案日期：不能早于发现日期。"})
    current.outcome, current.closed_on = outcome, day
    current.version += 1
    current.save()
    _audit(
        acting_user,
        "people.dispute_close",
        current,
        org_id=org_id,
        after={"outcome": outcome, "closed_on": day.isoformat()},
    )
    return current


def dispute_raise_hazard(
    *, acting_user, dispute: Dispute, school: School, title: str, category: str, description: str
):
    """A dispute pointing at a school-side fix becomes a hazard (source 矛盾纠纷), named by the
    dispute's code — the hazard register never carries the parties."""
    from huxiao.hazards import services as hazard_services

    if not dispute.schools.filter(pk=school.pk).exists():
        raise ValidationError({"school": "学校：须为该矛盾纠纷涉及的学校。"})
    with transaction.atomic():
        current = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if current.hazard_ref:
            raise ValidationError(f"该矛盾纠纷已转为隐患（{current.hazard_ref}）。")
        if current.outcome != Outcome.OPEN:
            raise ValidationError(f"该矛盾纠纷已结案（{current.get_outcome_display()}）。")
        hazard = hazard_services.hazard_report(
            acting_user=acting_user,
            school=school,
            title=title,
            category=category,
            description=description,
            source="dispute",
            source_ref=dispute.source_ref,
        )
        Dispute.objects.filter(pk=dispute.pk).update(hazard_ref=hazard.code)
        _audit(acting_user, "people.dispute_hazard", dispute, org_id=None, after={"hazard": hazard.pk})
    return hazard


# --- Daily ---------------------------------------------------------------------------------------


def remind_reviews(today: dt.date | None = None) -> int:
    """Overdue 走访核查: the responsible officer is told the day after it fell due, the station's
    leaders `HUXIAO_PEOPLE_ESCALATE_DAYS` later; each once (deduplicated)."""
    today = today or timezone.localdate()
    sent = 0
    escalate = dt.timedelta(days=settings.HUXIAO_PEOPLE_ESCALATE_DAYS)
    for person in KeyPerson.objects.overdue(today).select_related("officer", "station", "category"):
        title = f"重点人员走访核查已逾期：{person.code}（应于{cn_date(person.review_due)}前）"
        with transaction.atomic():
            notify_on_commit(
                lambda p=person: [p.officer],
                kind=NotifyKind.REVIEW_DUE,
                title=title,
                url=person_url(person),
                dedupe_key=f"people.review:{person.pk}:{person.review_due}",
            )
            if today - person.review_due >= escalate:
                _notify_station_leaders(
                    person,
                    NotifyKind.REVIEW_DUE,
                    f"{title}，已逾期{(today - person.review_due).days}天",
                    person_url(person),
                    dedupe=f"people.review.lead:{person.pk}:{person.review_due}",
                )
        sent += 1
    return sent


def remind_stabilise(now: dt.datetime | None = None) -> int:
    """A flagged dispute without its 稳控措施 past the deadline: the station's leaders and the 街道
    and 政法委 are told (once)."""
    now = now or timezone.now()
    count = 0
    for dispute in Dispute.objects.stabilise_overdue(now).select_related("region", "station"):
        title = f"稳控措施逾期：{dispute.code} 扬言报复矛盾纠纷未按时落实稳控措施"
        with transaction.atomic():
            _notify_station_leaders(
                dispute,
                NotifyKind.STABILISE_OVERDUE,
                title,
                dispute_url(dispute),
                dedupe=f"people.stabilise:{dispute.pk}",
            )
            _notify_above(
                dispute,
                NotifyKind.STABILISE_OVERDUE,
                title,
                "/people/overview/",
                dedupe=f"people.stabilise.up:{dispute.pk}",
            )
        count += 1
    return count


def erase_expired(today: dt.date | None = None) -> int:
    """A de-listed person kept past `HUXIAO_PEOPLE_RETENTION_DAYS` loses his personal fields (PIPL
    art. 19); the record stays as an aggregate trail (category, dates, station)."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=settings.HUXIAO_PEOPLE_RETENTION_DAYS)
    erased = 0
    for person in KeyPerson.objects.filter(
        status=PersonStatus.DELISTED, delisted_on__lt=cutoff, erased_at=None
    ):
        with transaction.atomic():
            for field in (*PERSON_FIELDS, "position"):
                setattr(person, f"{field}_enc", "")
            person.name_index = person.id_index = ""
            if person.photo_enc:
                person.photo_enc.delete(save=False)
            person.erased_at = timezone.now()
            person.save()
            Visit.objects.filter(person=person).update(dynamics_enc="")
            Measure.objects.filter(person=person).update(detail_enc="")
            PersonEvent.objects.filter(person=person).update(note_enc="")
            _event(person, None, EventKind.ERASED)
            _audit(
                None,
                "people.person_erase",
                person,
                org_id=None,
                after={"delisted_on": person.delisted_on.isoformat()},
            )
        erased += 1
    return erased
