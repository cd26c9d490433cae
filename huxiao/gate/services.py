"""Every write to the gate log: one audited transaction each, the acting unit checked (the
school's own keepers), the 身份证号 and a child's name encrypted before they reach the database,
a form sent twice creating one record (`core.versions.once`). Audit events name the record by
number, never a person; the police's search records what kind of key was searched and a masked
form of it, never the key in clear."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from huxiao.core import audit, crypto
from huxiao.core.errors import ConflictError
from huxiao.core.models import Organisation
from huxiao.core.validation import check_id_number
from huxiao.core.versions import check_version, locked, once
from huxiao.gate import access
from huxiao.gate.choices import EntryKind, Relation, SearchKind
from huxiao.gate.models import PickupException, VehicleEntry, VisitorEntry
from huxiao.lib.masks import mask_id, mask_name
from huxiao.schools.models import School

ID_PURPOSE = "gate-id"
# A clock a little ahead on the 门卫's phone must not refuse an entry made "now".
SLACK = dt.timedelta(minutes=2)
SEARCH_LIMIT = 100
E = TypeVar("E", VisitorEntry, VehicleEntry)

# 机动车号牌 (GA 36): a province, the issuing office's letter, then five characters (the last may
# be 挂/学/警/港/澳/领), or six for a new-energy plate (D/F… first for a small car, last for a large).
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE = re.compile(
    rf"[{PROVINCES}][A-Z]"
    r"(?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳领]|[A-HJ-K][A-HJ-NP-Z0-9]\d{4}|\d{5}[A-HJ-K])"
)
PLATE_SEPARATORS = re.compile(r"[\s·•.\-－—]")
PLATE_HELP = "应为省份简称加字母和5位号码，如 渝A12345；新能源车6位，如 渝AD12345"
# The first two digits of a division code → the province's plate character (prefilled on the form).
PLATE_PROVINCE = {
    "11": "京",
    "12": "津",
    "13": "冀",
    "14": "晋",
    "15": "蒙",
    "21": "辽",
    "22": "吉",
    "23": "黑",
    "31": "沪",
    "32": "苏",
    "33": "浙",
    "34": "皖",
    "35": "闽",
    "36": "赣",
    "37": "鲁",
    "41": "豫",
    "42": "鄂",
    "43": "湘",
    "44": "粤",
    "45": "桂",
    "46": "琼",
    "50": "渝",
    "51": "川",
    "52": "贵",
    "53": "云",
    "54": "藏",
    "61": "陕",
    "62": "甘",
    "63": "青",
    "64": "宁",
    "65": "新",
}


# --- Rules ---------------------------------------------------------------------------------------


def normalise_plate(value: str) -> str:
    """渝a·12345 → 渝A12345: full-width folded, separators and spaces dropped, upper-case."""
    return PLATE_SEPARATORS.sub("", unicodedata.normalize("NFKC", value or "")).upper()


def check_plate(value: str, field: str = "plate", label: str = "车牌号") -> str:
    plate = normalise_plate(value)
    if not plate:
        raise ValidationError({field: f"{label}：必填。"})
    if not PLATE.fullmatch(plate):
        raise ValidationError({field: f"{label}：格式不正确，{PLATE_HELP}。"})
    return plate


def plate_prefix(school: School) -> str:
    """The plate character of the school's province (渝 in 重庆), "" when the region code is not a
    division code."""
    return PLATE_PROVINCE.get(school.region.path[:2], "")


def mask_plate(plate: str) -> str:
    """渝A12345 → 渝A***45 (what an audit event keeps of a searched plate)."""
    return plate[:2] + "*" * max(len(plate) - 4, 0) + plate[-2:] if len(plate) > 4 else "*" * len(plate)


def _required(value: str, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: f"{label}：必填。"})
    return text


def _id_number(value: str, field: str, label: str, *, required: bool) -> str:
    """A checked 身份证号 under the form's own label (the collector's is 接走人身份证号)."""
    try:
        number = check_id_number(value)
    except ValidationError as exc:
        text = "；".join(exc.messages).removeprefix("身份证号：")
        raise ValidationError({field: f"{label}：{text}"}) from exc
    if required and not number:
        raise ValidationError({field: f"{label}：必填（来访人员须凭有效身份证件登记）。"})
    return number


def _moment(at: dt.datetime | None, field: str, label: str) -> dt.datetime:
    """`at`, or now; never in the future."""
    now = timezone.now()
    if at is None:
        return now
    if at > now + SLACK:
        raise ValidationError({field: f"{label}：不能晚于现在（{timezone.localtime(now):%m月%d日 %H:%M}）。"})
    return at


def _logging_org(acting_user, school: School) -> int:
    orgs = access.logging_orgs(acting_user, school)
    if not orgs:
        raise PermissionDenied("只有本校（园）的门卫、安全负责人和校长可以进行门卫登记。")
    return orgs[0]


def _audit(actor, action: str, record, *, school: School, org_id: int, after: dict) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=record,
        after=after,
        organisation=Organisation.objects.filter(pk=org_id).first(),
        region_path=school.region.path,
        object_repr=f"{school.name} {record}",
    )


# --- Registering ----------------------------------------------------------------------------------


def _log_entry(
    model: type[E], action: str, build: Callable[[], E], acting_user, school: School, submission: str
) -> E:
    """Save the visitor or vehicle `build()` makes (its values already checked) with its audit
    event (`action`), once per form: the same `submission` sent again returns the entry it
    created."""
    org_id = _logging_org(acting_user, school)

    def create() -> E:
        entry = build()
        entry.save()
        _audit(
            acting_user,
            action,
            entry,
            school=school,
            org_id=org_id,
            after={"screened": entry.screened, "finding": bool(entry.screening_note)},
        )
        return entry

    with transaction.atomic():
        entry, _created = once(model.objects.filter(school=school), submission, create)
    return entry


def visitor_register(
    *,
    acting_user,
    school: School,
    name: str,
    id_number: str,
    reason: str,
    host: str,
    screened: bool = True,
    screening_note: str = "",
    phone: str = "",
    entered_at: dt.datetime | None = None,
    submission: str = "",
) -> VisitorEntry:
    """A visitor let in: 身份证 checked (encrypted, blind-indexed), 事由, 被访人, the 安检."""
    values = dict(
        name=_required(name, "name", "姓名"),
        reason=_required(reason, "reason", "事由"),
        host=_required(host, "host", "被访人/部门"),
        screened=bool(screened),
        screening_note=(screening_note or "").strip(),
        phone=(phone or "").strip(),
    )
    number = _id_number(id_number, "id_number", "身份证号", required=True)
    at = _moment(entered_at, "entered_at", "入校时间")

    def build() -> VisitorEntry:
        entry = VisitorEntry(
            school=school, entered_at=at, logged_by=acting_user, submission=submission, **values
        )
        entry.set_plain("id_number", number)
        entry.id_index = crypto.blind_index(number, ID_PURPOSE)
        return entry

    return _log_entry(VisitorEntry, "gate.visitor", build, acting_user, school, submission)


def vehicle_register(
    *,
    acting_user,
    school: School,
    plate: str,
    driver: str,
    reason: str,
    screened: bool = True,
    screening_note: str = "",
    entered_at: dt.datetime | None = None,
    submission: str = "",
) -> VehicleEntry:
    """A vehicle let in: the plate (normalised, checked), the driver, 事由, the 安检."""
    values = dict(
        plate=check_plate(plate),
        driver=_required(driver, "driver", "驾驶人"),
        reason=_required(reason, "reason", "事由"),
        screened=bool(screened),
        screening_note=(screening_note or "").strip(),
    )
    at = _moment(entered_at, "entered_at", "入校时间")

    def build() -> VehicleEntry:
        return VehicleEntry(
            school=school, entered_at=at, logged_by=acting_user, submission=submission, **values
        )

    return _log_entry(VehicleEntry, "gate.vehicle", build, acting_user, school, submission)


def pickup_record(
    *,
    acting_user,
    school: School,
    child_class: str,
    child_name: str,
    picked_up_by: str,
    relation: str,
    approved_by: str,
    id_number: str = "",
    note: str = "",
    at: dt.datetime | None = None,
    submission: str = "",
) -> PickupException:
    """接送异常: who took which child, approved by whom (the class teacher)."""
    values = dict(
        child_class=_required(child_class, "child_class", "班级"),
        picked_up_by=_required(picked_up_by, "picked_up_by", "接走人姓名"),
        approved_by=_required(approved_by, "approved_by", "审批人"),
        note=(note or "").strip(),
    )
    name = _required(child_name, "child_name", "学生姓名")
    if relation not in Relation.values:
        raise ValidationError({"relation": "与学生关系：请从列表中选择。"})
    number = _id_number(id_number, "id_number", "接走人身份证号", required=False)
    moment = _moment(at, "at", "接走时间")
    org_id = _logging_org(acting_user, school)

    def create() -> PickupException:
        record = PickupException(
            school=school,
            relation=relation,
            at=moment,
            logged_by=acting_user,
            submission=submission,
            **values,
        )
        record.set_plain("child_name", name)
        record.set_plain("id_number", number)
        record.id_index = crypto.blind_index(number, ID_PURPOSE)
        record.save()
        _audit(acting_user, "gate.pickup", record, school=school, org_id=org_id, after={"relation": relation})
        return record

    with transaction.atomic():
        record, _created = once(PickupException.objects.filter(school=school), submission, create)
    return record


def entry_leave(
    *,
    acting_user,
    entry: VisitorEntry | VehicleEntry,
    expected_version: int | None,
    left_at: dt.datetime | None = None,
) -> VisitorEntry | VehicleEntry:
    """离校: one tap. Tapped twice (or on two phones), the second is told it is already done."""
    label = EntryKind(entry.kind).label
    org_id = _logging_org(acting_user, entry.school)
    moment = _moment(left_at, "left_at", "离校时间")
    with transaction.atomic():
        current = locked(
            type(entry).objects.select_related("school__region"),
            entry.pk,
            None,
            stale=lambda e: "",
        )
        if current.left_at is not None:
            raise ConflictError(
                f"该{label}已于{timezone.localtime(current.left_at):%H:%M}登记离校，无需重复登记。"
            )
        check_version(current, expected_version, lambda e: f"该{label}登记已被他人修改，请刷新后重试。")
        if moment < current.entered_at:
            raise ValidationError(
                {
                    "left_at": f"离校时间：不能早于入校时间（{timezone.localtime(current.entered_at):%m月%d日 %H:%M}）。"
                }
            )
        current.left_at = moment
        current.version += 1
        current.save(update_fields=["left_at", "version"])
        _audit(
            acting_user,
            "gate.leave",
            current,
            school=current.school,
            org_id=org_id,
            after={"kind": entry.kind, "left_at": moment.isoformat()},
        )
    return current


# --- The police's search -------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """One entry found — what the police see of it: never a name in full, never a child."""

    school: str
    at: dt.datetime
    kind: str  # 访客 / 车辆 / 接送异常
    reason: str
    who: str  # masked


@dataclass(frozen=True)
class SearchResult:
    kind: str  # SearchKind
    masked: str
    matches: list[Match]

    @property
    def kind_label(self) -> str:
        return SearchKind(self.kind).label


def _search_key(key: str) -> tuple[str, str]:
    """(SearchKind, normalised key): a 身份证号 (checked) or a plate (checked)."""
    text = crypto.normalise(key)
    if not text:
        raise ValidationError({"key": "车牌号或身份证号：必填。"})
    if text.isdigit() or re.fullmatch(r"\d{17}X", text):
        return SearchKind.ID_NUMBER, _id_number(text, "key", "车牌号或身份证号", required=True)
    plate = normalise_plate(text)
    if not PLATE.fullmatch(plate):
        raise ValidationError({"key": f"车牌号或身份证号：请输入车牌号（{PLATE_HELP}）或18位身份证号。"})
    return SearchKind.PLATE, plate


def gate_search(*, acting_user, key: str) -> SearchResult:
    """The 派出所 finds a plate or a 身份证号 (exact) among its schools' gate logs; the search is
    an audit event with the kind of key and its masked form."""
    unit = access.search_unit(acting_user)
    if unit is None:
        raise PermissionDenied("只有派出所和公安分局可以按车牌号或身份证号查询门卫登记。")
    kind, value = _search_key(key)
    matches: list[Match] = []
    if kind == SearchKind.PLATE:
        masked = mask_plate(value)
        vehicles = VehicleEntry.objects.searchable_by(acting_user).filter(plate=value)
        for v in vehicles.select_related("school")[:SEARCH_LIMIT]:
            matches.append(Match(v.school.name, v.entered_at, "车辆", v.reason, mask_name(v.driver)))
    else:
        masked = mask_id(value)
        index = crypto.blind_index(value, ID_PURPOSE)
        visitors = VisitorEntry.objects.searchable_by(acting_user).filter(id_index=index)
        for e in visitors.select_related("school")[:SEARCH_LIMIT]:
            matches.append(Match(e.school.name, e.entered_at, "访客", e.reason, mask_name(e.name)))
        pickups = PickupException.objects.searchable_by(acting_user).filter(id_index=index)
        for p in pickups.select_related("school")[:SEARCH_LIMIT]:
            matches.append(Match(p.school.name, p.at, "接送异常", "代接学生", mask_name(p.picked_up_by)))
    matches.sort(key=lambda m: m.at, reverse=True)
    with transaction.atomic():
        audit.record(
            actor=acting_user,
            action="gate.search",
            after={"kind": str(kind), "key": masked, "matches": len(matches)},
            organisation=unit,
            region_path=unit.region.path,
            object_repr=f"按{SearchKind(kind).label}查询门卫登记：{masked}",
        )
    return SearchResult(str(kind), masked, matches)
