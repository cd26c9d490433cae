"""Every write of the duty app: one transaction, one audit event (DESIGN §4.2).

Check-in is time-stamped here, never by the client. A QR page can only log at its own post:
`duty_check_in` refuses a period of another post, and the views fetch records through the
post. Two people editing one record or post: each carries the `version` it saw; the second is
told (`ConflictError`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core import audit
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organisation, Region
from huxiao.core.semesters import is_school_day
from huxiao.core.versions import check_version
from huxiao.duty.access import RECORD_WRITERS, group_org_ids, post_org_ids, station_org_ids
from huxiao.duty.choices import COUNT_FIELDS, DEFAULT_PERIODS, MINIMUM_FIELDS, MON_TO_FRI
from huxiao.duty.models import (
    DutyCheckIn,
    DutyPeriod,
    DutyPost,
    DutyRecord,
    PatrolGroup,
    PatrolLog,
    StaffingStandard,
)
from huxiao.lib.dates import cn_date, cn_datetime
from huxiao.schools.models import School
from huxiao.schools.scope import school_org_ids

CHECK_IN_EARLY = dt.timedelta(minutes=60)  # a check-in opens an hour before the period starts
COUNTS = [f for f, _, _ in COUNT_FIELDS]
MINIMUMS = [f for f, _ in MINIMUM_FIELDS]


def _org(org_id: int | None) -> Organisation | None:
    return Organisation.objects.filter(pk=org_id).first() if org_id else None


def _audit(actor, action: str, obj, *, org_id=None, before=None, after=None, region_path: str = "") -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        before=before,
        after=after,
        organisation=_org(org_id),
        region_path=region_path,
    )


def _stale(obj, expected_version: int | None, what: str) -> None:
    check_version(
        obj,
        expected_version,
        lambda o: f"该{what}已被他人修改（当前版本 {o.version}），您的修改未保存。请刷新页面后重试。",
    )


def _require(orgs: list[int], message: str = "您的角色不能对该护学岗进行此项操作。") -> int:
    if not orgs:
        raise PermissionDenied(message)
    return orgs[0]


# --- Standards --------------------------------------------------------------------------------


@transaction.atomic
def staffing_standard_set(*, acting_user, region: Region, expected_version: int | None, **minimums: int):
    """Set the staffing minimums of a region (and everything below it without its own)."""
    reach = scope_of(acting_user).acting_orgs(Cap.DUTY_MANAGE, path=region.path)
    org_id = _require(reach, "您只能设置本单位管辖区划内的护学岗力量标准。")
    standard = StaffingStandard.objects.select_for_update(of=("self",)).filter(region=region).first()
    before = audit.snapshot(standard) if standard else None
    if standard is None:
        standard = StaffingStandard(region=region)
    else:
        _stale(standard, expected_version, "力量标准")
        standard.version += 1
    for key in MINIMUMS:
        setattr(standard, key, int(minimums.get(key) or 0))
    standard.updated_by = acting_user
    standard.full_clean()
    standard.save()
    _audit(acting_user, "duty.standard_set", standard, org_id=org_id, before=before,
           after=audit.snapshot(standard), region_path=region.path)  # fmt: skip
    return standard


# --- Posts ------------------------------------------------------------------------------------


def _check_station(station: Organisation | None, school: School) -> Organisation:
    station = station or school.police_station
    if station is None:
        raise ValidationError({"police_station": "该校未登记责任派出所，请选择负责本岗的派出所。"})
    if station.kind != "police_station":
        raise ValidationError({"police_station": "责任单位须为派出所。"})
    return station


def _save_periods(post: DutyPost, periods) -> None:
    """`periods`: {kind: (start, end, weekdays, is_active)}; creates or updates each."""
    existing = {p.kind: p for p in post.periods.all()}
    for kind, (start, end, weekdays, is_active) in periods.items():
        period = existing.get(kind) or DutyPeriod(post=post, kind=kind)
        period.start, period.end, period.weekdays, period.is_active = start, end, weekdays, is_active
        try:
            period.full_clean(exclude=["post"])
        except ValidationError as exc:
            label = period.get_kind_display()
            raise ValidationError({f"{kind}_start": [f"{label}：{m}" for m in exc.messages]}) from exc
        period.save()


def default_periods() -> dict:
    return {
        kind: (dt.time.fromisoformat(start), dt.time.fromisoformat(end), MON_TO_FRI, True)
        for kind, start, end in DEFAULT_PERIODS
    }


@transaction.atomic
def post_create(
    *,
    acting_user,
    school: School,
    name: str,
    police_station: Organisation | None = None,
    active_from: dt.date | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    periods: dict | None = None,
    **minimums: int | None,
) -> DutyPost:
    """Set up a 护学岗 at a school gate with its peak periods (default 07:20–08:10, 11:40–12:20,
    16:10–17:00, Monday to Friday). The station defaults to the school's."""
    org_id = None
    if acting_user is not None:
        org_id = _require(
            school_org_ids(acting_user, school, Cap.DUTY_MANAGE), "您的角色不能为该校设置护学岗。"
        )
    post = DutyPost(
        school=school,
        name=name.strip(),
        police_station=_check_station(police_station, school),
        active_from=active_from or timezone.localdate(),
        latitude=latitude,
        longitude=longitude,
        **{k: minimums.get(k) for k in MINIMUMS},
    )
    post.full_clean()
    post.save()
    _save_periods(post, periods or default_periods())
    _audit(acting_user, "duty.post_create", post, org_id=org_id, after=audit.snapshot(post),
           region_path=school.region.path)  # fmt: skip
    return post


@transaction.atomic
def post_update(
    *, acting_user, post: DutyPost, expected_version: int | None, periods: dict | None = None, **fields
):
    """Edit a post (name, station, place, 设岗日期, active, overrides) and its periods."""
    current = (
        DutyPost.objects.select_for_update(of=("self",)).select_related("school__region").get(pk=post.pk)
    )
    org_id = _require(post_org_ids(acting_user, current, Cap.DUTY_MANAGE))
    _stale(current, expected_version, "护学岗")
    before = audit.snapshot(current)
    allowed = {"name", "police_station", "active_from", "latitude", "longitude", "is_active", *MINIMUMS}
    if "police_station" in fields:  # empty: the school's own station
        current.police_station = _check_station(fields.pop("police_station"), current.school)
    for key, value in fields.items():
        if key not in allowed:
            raise ValueError(key)
        setattr(current, key, value.strip() if isinstance(value, str) else value)
    current.version += 1
    current.full_clean()
    current.save()
    if periods:
        _save_periods(current, periods)
    _audit(acting_user, "duty.post_update", current, org_id=org_id, before=before,
           after=audit.snapshot(current), region_path=current.school.region.path)  # fmt: skip
    return current


@transaction.atomic
def post_new_token(*, acting_user, post: DutyPost) -> DutyPost:
    """Replace the QR code (e.g. a printed card was lost): the old URL stops working."""
    from huxiao.duty.models import new_token

    current = (
        DutyPost.objects.select_for_update(of=("self",)).select_related("school__region").get(pk=post.pk)
    )
    org_id = _require(post_org_ids(acting_user, current, Cap.DUTY_MANAGE))
    current.token = new_token()
    current.version += 1
    current.save(update_fields=["token", "version"])
    _audit(acting_user, "duty.post_new_token", current, org_id=org_id, region_path=current.school.region.path)
    return current


# --- Duty records -----------------------------------------------------------------------------


def _position(lat, lng, accuracy) -> tuple:
    """A browser position, or nothing: a half or out-of-range position is dropped, not stored."""
    try:
        lat_d, lng_d = Decimal(str(lat)), Decimal(str(lng))
    except (ArithmeticError, ValueError, TypeError):
        return None, None, None
    if not (-90 <= lat_d <= 90 and -180 <= lng_d <= 180):
        return None, None, None
    acc = None
    try:
        acc = max(0, min(int(float(accuracy)), 100000)) if accuracy not in (None, "") else None
    except (ValueError, TypeError):
        acc = None
    return lat_d.quantize(Decimal("0.000001")), lng_d.quantize(Decimal("0.000001")), acc


def _check_window(period: DutyPeriod, now: dt.datetime) -> None:
    local = timezone.localtime(now)
    opens = (dt.datetime.combine(local.date(), period.start) - CHECK_IN_EARLY).time()
    if not (opens <= local.time() <= period.end):
        raise ValidationError(
            f"现在（{local:%H:%M}）不在{period.get_kind_display()}签到时间内"
            f"（{opens:%H:%M}—{period.end:%H:%M}）。错过的时段请由派出所补录。"
        )


@transaction.atomic
def duty_check_in(
    *, acting_user, post: DutyPost, period: DutyPeriod, latitude=None, longitude=None, accuracy=None
) -> DutyRecord:
    """Check the user in at `post` for `period` today (server time), joining the period's record
    if a colleague opened it. Refused: a period of another post, outside the period's window, a
    second check-in by the same user."""
    if period.post_id != post.pk:
        raise ValidationError("该时段不属于本岗位：二维码只能在本岗位签到。")
    if not period.is_active or not post.is_active:
        raise ValidationError("该岗位或时段已停用，不能签到。")
    orgs = post_org_ids(acting_user, post, Cap.DUTY_LOG)
    org_id = _require(orgs, "您的角色不能在该护学岗签到。")
    now = timezone.now()
    _check_window(period, now)
    today = timezone.localdate(now)
    record = (
        DutyRecord.objects.select_for_update(of=("self",))
        .filter(post=post, period=period, date=today)
        .first()
    )
    if record is None:
        record = DutyRecord.objects.create(post=post, period=period, date=today, created_by=acting_user)
    mine = DutyCheckIn.objects.filter(record=record, user=acting_user).first()
    if mine is not None:
        raise ValidationError(
            f"您已于{cn_datetime(mine.checked_in_at)}在{post.name}{period.get_kind_display()}签到，不能重复签到。"
        )
    stations = set(scope_of(acting_user).org_ids(kind=OrgKind.POLICE_STATION))
    police_org = next((o for o in orgs if o in stations), None)
    lat, lng, acc = _position(latitude, longitude, accuracy)
    checkin = DutyCheckIn.objects.create(
        record=record,
        user=acting_user,
        organisation_id=police_org or org_id,
        is_police=police_org is not None,
        checked_in_at=now,
        in_latitude=lat,
        in_longitude=lng,
        in_accuracy=acc,
    )
    named_police = record.checkins.filter(is_police=True).count()
    record.police = max(record.police, named_police)
    record.version += 1
    record.save(update_fields=["police", "version"])
    _audit(acting_user, "duty.check_in", record, org_id=checkin.organisation_id,
           after={"checkin": checkin.pk, "at": now.isoformat(), "lat": str(lat or ""), "lng": str(lng or ""),
                  "accuracy": acc}, region_path=post.school.region.path)  # fmt: skip
    return record


def _check_counts(record: DutyRecord, counts: dict) -> None:
    named = record.checkins.filter(is_police=True).count()
    if int(counts.get("police", 0) or 0) < named:
        raise ValidationError({"police": f"民警人数不能少于已实名签到的民警（{named} 名）。"})


@transaction.atomic
def duty_record_update(
    *,
    acting_user,
    record: DutyRecord,
    expected_version: int | None,
    notes: str = "",
    incidents: str = "",
    **counts,
) -> DutyRecord:
    """Record who stood (counts by kind), notes and incidents — by someone checked in at the
    record, or by the station/unit that manages the post."""
    current = (
        DutyRecord.objects.select_for_update(of=("self",))
        .select_related("post__school__region", "period")
        .get(pk=record.pk)
    )
    checked_in = current.checkins.filter(user=acting_user).first()
    manage = post_org_ids(acting_user, current.post, Cap.DUTY_MANAGE)
    if checked_in is None and not manage:  # the rule of access.may_update_record
        raise PermissionDenied(RECORD_WRITERS)
    _stale(current, expected_version, "执勤记录")
    _check_counts(current, counts)
    before = audit.snapshot(current)
    for key in COUNTS:
        if key in counts:
            setattr(current, key, int(counts[key] or 0))
    current.notes, current.incidents = notes.strip(), incidents.strip()
    current.version += 1
    current.full_clean(exclude=["post", "period", "created_by"])
    current.save()
    org_id = checked_in.organisation_id if checked_in else manage[0]
    _audit(acting_user, "duty.record_update", current, org_id=org_id, before=before,
           after=audit.snapshot(current), region_path=current.post.school.region.path)  # fmt: skip
    return current


@transaction.atomic
def duty_check_out(
    *, acting_user, record: DutyRecord, latitude=None, longitude=None, accuracy=None
) -> DutyCheckIn:
    """The user's own check-out (server time); refused without a check-in or twice."""
    checkin = (
        DutyCheckIn.objects.select_for_update(of=("self",)).filter(record=record, user=acting_user).first()
    )
    if checkin is None:
        raise ValidationError("您尚未在本时段签到，不能签退。")
    if checkin.checked_out_at is not None:
        raise ValidationError(f"您已于{cn_datetime(checkin.checked_out_at)}签退。")
    lat, lng, acc = _position(latitude, longitude, accuracy)
    checkin.checked_out_at = timezone.now()
    checkin.out_latitude, checkin.out_longitude, checkin.out_accuracy = lat, lng, acc
    checkin.save()
    _audit(acting_user, "duty.check_out", record, org_id=checkin.organisation_id,
           after={"checkin": checkin.pk, "at": checkin.checked_out_at.isoformat(), "lat": str(lat or ""),
                  "lng": str(lng or ""), "accuracy": acc},
           region_path=record.post.school.region.path)  # fmt: skip
    return checkin


@transaction.atomic
def duty_backfill(
    *,
    acting_user,
    post: DutyPost,
    period: DutyPeriod,
    date: dt.date,
    reason: str,
    notes: str = "",
    incidents: str = "",
    **counts: int,
) -> DutyRecord:
    """补录 a missed record: only the responsible police station (DUTY_MANAGE), only with a reason,
    only for a past school-day period of this post that has no record."""
    org_id = _require(
        station_org_ids(acting_user, post, Cap.DUTY_MANAGE), "只有负责该护学岗的派出所可以补录执勤记录。"
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "补录须说明原因。"})
    if period.post_id != post.pk:
        raise ValidationError({"period": "该时段不属于本岗位。"})
    now = timezone.localtime()
    if date > now.date() or (date == now.date() and period.end > now.time()):
        raise ValidationError({"date": "只能补录已经结束的时段。"})
    if not is_school_day(date):
        raise ValidationError({"date": f"{cn_date(date)}不是上学日，无需补录。"})
    if DutyRecord.objects.filter(post=post, period=period, date=date).exists():
        raise ValidationError({"date": f"{cn_date(date)}{period.get_kind_display()}已有执勤记录，无需补录。"})
    record = DutyRecord(
        post=post,
        period=period,
        date=date,
        created_by=acting_user,
        is_backfilled=True,
        backfill_reason=reason,
        notes=notes.strip(),
        incidents=incidents.strip(),
        **{k: int(counts.get(k) or 0) for k in COUNTS},
    )
    record.full_clean()
    record.save()
    _audit(acting_user, "duty.backfill", record, org_id=org_id, after=audit.snapshot(record),
           region_path=post.school.region.path)  # fmt: skip
    return record


# --- Patrols ----------------------------------------------------------------------------------


def _group_reach(acting_user, station: Organisation, cap: str) -> int:
    probe = PatrolGroup(station=station)
    return _require(group_org_ids(acting_user, probe, cap), "您的角色不能管理该派出所的巡逻小组。")


@transaction.atomic
def patrol_group_create(
    *,
    acting_user,
    name: str,
    station: Organisation,
    members=(),
    guards=0,
    parents=0,
    teachers=0,
    volunteers=0,
) -> PatrolGroup:
    """Form a 平安守护小组 led by `station`."""
    org_id = _group_reach(acting_user, station, Cap.DUTY_MANAGE) if acting_user else None
    if station.kind != "police_station":
        raise ValidationError({"station": "牵头单位须为派出所。"})
    group = PatrolGroup(
        name=name.strip(),
        station=station,
        guards=guards,
        parents=parents,
        teachers=teachers,
        volunteers=volunteers,
    )
    group.full_clean()
    group.save()
    group.members.set(members)
    _audit(acting_user, "duty.patrol_group_create", group, org_id=org_id,
           after={**audit.snapshot(group), "members": sorted(m.pk for m in members)},
           region_path=station.region.path)  # fmt: skip
    return group


@transaction.atomic
def patrol_group_update(
    *, acting_user, group: PatrolGroup, expected_version: int | None, members=None, **fields
):
    current = (
        PatrolGroup.objects.select_for_update(of=("self",)).select_related("station__region").get(pk=group.pk)
    )
    org_id = _group_reach(acting_user, current.station, Cap.DUTY_MANAGE)
    _stale(current, expected_version, "巡逻小组")
    before = {**audit.snapshot(current), "members": sorted(current.members.values_list("pk", flat=True))}
    for key in ("name", "guards", "parents", "teachers", "volunteers", "is_active"):
        if key in fields:
            setattr(current, key, fields[key].strip() if isinstance(fields[key], str) else fields[key])
    current.version += 1
    current.full_clean()
    current.save()
    if members is not None:
        current.members.set(members)
    _audit(acting_user, "duty.patrol_group_update", current, org_id=org_id, before=before,
           after={**audit.snapshot(current), "members": sorted(current.members.values_list("pk", flat=True))},
           region_path=current.station.region.path)  # fmt: skip
    return current


@transaction.atomic
def patrol_log_create(
    *,
    acting_user,
    group: PatrolGroup,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    route: str,
    schools,
    participants: int = 0,
    findings: str = "",
) -> PatrolLog:
    """Record one patrol. The schools must be ones the user may log duty at."""
    org_id = _require(
        group_org_ids(acting_user, group, Cap.DUTY_LOG) or group_org_ids(acting_user, group, Cap.DUTY_MANAGE),
        "您的角色不能为该小组记录巡逻。",
    )
    schools = list(schools)
    if not schools:
        raise ValidationError({"schools": "请至少选择一所巡逻覆盖的学校。"})
    outside = [s for s in schools if not school_org_ids(acting_user, s, Cap.DUTY_LOG)
               and not school_org_ids(acting_user, s, Cap.DUTY_MANAGE)]  # fmt: skip
    if outside:
        raise ValidationError(
            {"schools": "不能选择管辖范围以外的学校：" + "、".join(s.name for s in outside)}
        )
    if ended_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"ended_at": "结束时间不能晚于现在。"})
    log = PatrolLog(
        group=group,
        started_at=started_at,
        ended_at=ended_at,
        route=route.strip(),
        participants=participants or 0,
        findings=findings.strip(),
        created_by=acting_user,
    )
    log.full_clean()
    log.save()
    log.schools.set(schools)
    _audit(acting_user, "duty.patrol_log_create", log, org_id=org_id,
           after={**audit.snapshot(log), "schools": sorted(s.pk for s in schools)},
           region_path=group.station.region.path)  # fmt: skip
    return log


def patrol_finding_to_hazard(
    *, acting_user, log: PatrolLog, school: School, title: str, category: str, description: str, severity: str
):
    """Turn a patrol finding into a hazard at one of the schools the patrol covered, through the
    hazard app's own service (which audits it); `source_ref` links back to the patrol."""
    from huxiao.hazards.choices import Source
    from huxiao.hazards.services import hazard_report

    if not log.schools.filter(pk=school.pk).exists():
        raise ValidationError({"school": "只能为本次巡逻覆盖的学校登记隐患。"})
    return hazard_report(
        acting_user=acting_user,
        school=school,
        title=title,
        category=category,
        description=description,
        severity=severity,
        location=log.route[:100],
        source=Source.OTHER,
        source_ref=f"duty.patrol:{log.pk}",
        found_on=timezone.localdate(log.started_at),
    )
