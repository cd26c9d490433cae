"""Every write of the 周边与交通 app: one transaction, one audit event (DESIGN §4.2).

Venues are linked to every school within `HUXIAO_SURROUNDINGS_RADIUS_M` (haversine); the
links are recomputed whenever a venue moves (`venue_update`) or a school moves (the School
post_save handler calls `school_relink`). A check that finds a problem, and a gate observation
that sees one, become hazards through the hazard app's own service (`hazard_report`), keyed by
`source_ref` so they are raised once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core import audit
from huxiao.core.choices import OrgKind
from huxiao.core.images import check_image
from huxiao.core.models import Organisation, Region
from huxiao.core.versions import check_version
from huxiao.hazards import services as hazard_services
from huxiao.hazards.choices import Category, Source
from huxiao.hazards.models import Hazard
from huxiao.lib.dates import cn_datetime
from huxiao.lib.geo import bounding_box, haversine_m, round_m, within
from huxiao.schools.models import School
from huxiao.schools.scope import school_org_ids
from huxiao.surroundings.access import RECORD_CAPS
from huxiao.surroundings.choices import KIND_DEPARTMENT, CheckResult, Facility
from huxiao.surroundings.models import (
    TrafficObservation,
    TrafficPoint,
    Venue,
    VenueCheck,
    VenueCheckPhoto,
    VenueSchool,
)

VENUE_FIELDS = [
    "kind",
    "name",
    "address",
    "operator",
    "contact_phone",
    "latitude",
    "longitude",
    "region",
    "department",
    "status",
    "note",
]
POINT_FIELDS = ["school", "gate", "latitude", "longitude", "facilities", "department", "note"]


def radius_m() -> int:
    return int(getattr(settings, "HUXIAO_SURROUNDINGS_RADIUS_M", 200))


# --- Linking ----------------------------------------------------------------------------------


def _nearby_links(lat, lng, candidates, *, make) -> list:
    """Exact distances for the candidates inside the bounding box; those within the radius."""
    r = radius_m()
    out = []
    for obj in candidates:
        d = haversine_m(lat, lng, obj.latitude, obj.longitude)
        if within(d, r):
            out.append(make(obj, round_m(d)))
    return out


def venue_link(venue: Venue) -> list[VenueSchool]:
    """Recompute the schools within the radius of `venue` (archived schools included: a
    school that reopens keeps its surroundings)."""
    VenueSchool.objects.filter(venue=venue).delete()
    min_lat, max_lat, min_lng, max_lng = bounding_box(venue.latitude, venue.longitude, radius_m())
    candidates = School.objects.filter(
        latitude__gte=min_lat, latitude__lte=max_lat, longitude__gte=min_lng, longitude__lte=max_lng
    ).only("pk", "latitude", "longitude")
    links = _nearby_links(
        venue.latitude,
        venue.longitude,
        candidates,
        make=lambda school, d: VenueSchool(venue=venue, school=school, distance_m=d),
    )
    return VenueSchool.objects.bulk_create(links)


def school_relink(school: School) -> int:
    """Recompute the venues within the radius of a school that was created or moved."""
    VenueSchool.objects.filter(school=school).delete()
    if school.latitude is None or school.longitude is None:
        return 0
    min_lat, max_lat, min_lng, max_lng = bounding_box(school.latitude, school.longitude, radius_m())
    candidates = Venue.objects.filter(
        latitude__gte=min_lat, latitude__lte=max_lat, longitude__gte=min_lng, longitude__lte=max_lng
    ).only("pk", "latitude", "longitude")
    links = _nearby_links(
        school.latitude,
        school.longitude,
        candidates,
        make=lambda venue, d: VenueSchool(venue=venue, school=school, distance_m=d),
    )
    return len(VenueSchool.objects.bulk_create(links))


def relink_all() -> int:
    """Every venue afresh (after the radius setting changed); returns the number of links."""
    with transaction.atomic():
        return sum(len(venue_link(v)) for v in Venue.objects.all())


# --- Departments --------------------------------------------------------------------------------


def department_for(org_kind: str, region: Region, schools=()) -> Organisation | None:
    """The organisation of `org_kind` answering for `region`: for a 派出所 the nearest linked
    school's station first; otherwise the unit whose jurisdiction (or, lacking one, home
    region) most narrowly contains the region."""
    if org_kind == OrgKind.POLICE_STATION:
        for school in schools:
            if school.police_station_id:
                return school.police_station
    ancestors = [region.path[: i + 1] for i, ch in enumerate(region.path) if ch == "/"]
    candidates = (
        Organisation.objects.filter(kind=org_kind, is_archived=False)
        .filter(Q(jurisdiction_regions__path__in=ancestors) | Q(region__path__in=ancestors))
        .prefetch_related("jurisdiction_regions")
        .select_related("region")
        .distinct()
    )

    def depth(org: Organisation) -> int:
        paths = [r.path for r in org.jurisdiction_regions.all() if r.path in ancestors] or [org.region.path]
        return max(len(p) for p in paths)

    ranked = sorted(candidates, key=lambda o: (-depth(o), o.pk))
    return ranked[0] if ranked else None


def default_venue_department(kind: str, region: Region, latitude, longitude) -> Organisation | None:
    """By the venue's kind (`choices.KIND_DEPARTMENT`), near which schools it lies."""
    r = radius_m()
    schools = []
    if latitude is not None and longitude is not None:
        min_lat, max_lat, min_lng, max_lng = bounding_box(latitude, longitude, r)
        near = School.objects.filter(
            latitude__gte=min_lat, latitude__lte=max_lat, longitude__gte=min_lng, longitude__lte=max_lng
        ).select_related("police_station")
        schools = sorted(
            (s for s in near if within(haversine_m(latitude, longitude, s.latitude, s.longitude), r)),
            key=lambda s: haversine_m(latitude, longitude, s.latitude, s.longitude),
        )
    return department_for(KIND_DEPARTMENT.get(kind, OrgKind.SAFETY_OFFICE), region, schools)


def default_point_department(school: School) -> Organisation | None:
    """The 交巡警 unit covering the school's region."""
    return department_for(OrgKind.TRAFFIC_POLICE, school.region)


# --- Helpers ----------------------------------------------------------------------------------


def _require_any(user, cap: str) -> None:
    if not scope_of(user).has(cap):
        raise PermissionDenied("您的角色没有此项权限。")


def _acting_org_for_venue(user, venue: Venue, caps) -> int | None:
    for school in School.objects.filter(venue_links__venue=venue).select_related("region"):
        for cap in caps:
            orgs = school_org_ids(user, school, cap)
            if orgs:
                return orgs[0]
    for cap in caps:
        orgs = scope_of(user).acting_orgs(cap, path=venue.region.path)
        if orgs:
            return orgs[0]
    return None


def _venue_snapshot(venue: Venue) -> dict[str, Any]:
    data = audit.snapshot(venue, [*VENUE_FIELDS, "is_archived", "version"])
    data["schools"] = {
        str(s): d for s, d in VenueSchool.objects.filter(venue=venue).values_list("school_id", "distance_m")
    }
    return data


def _check_version(obj, expected_version: int | None, what: str) -> None:
    """Surroundings forms always carry their version (None is itself stale)."""
    check_version(
        obj,
        -1 if expected_version is None else expected_version,
        lambda o: (
            f"该{what}已于{cn_datetime(o.updated_at)}被他人修改（当前为第{o.version}版），请刷新页面后重新填写。"
        ),
    )


# --- Venues -----------------------------------------------------------------------------------


@transaction.atomic
def venue_create(*, acting_user, **fields) -> Venue:
    """Register a venue; it is linked to every school within the radius, and must lie where
    the user manages surroundings (a jurisdiction region, or near a school in scope)."""
    if acting_user is not None:
        _require_any(acting_user, Cap.SURROUNDINGS_MANAGE)
    venue = Venue(created_by=acting_user if acting_user is not None else None)
    _assign(venue, fields)
    venue.full_clean()
    venue.save()
    venue_link(venue)
    org_id = _check_venue_reach(acting_user, venue)
    _audit(acting_user, "surroundings.venue_create", venue, org_id, after=_venue_snapshot(venue))
    return venue


def _audit(actor, action: str, obj, org_id: int | None, *, before=None, after=None, region_path: str = ""):
    org = Organisation.objects.filter(pk=org_id).first() if org_id else None
    if not region_path:
        region = getattr(obj, "region", None) or getattr(getattr(obj, "school", None), "region", None)
        region_path = region.path if region is not None else ""
    return audit.record(
        actor=actor,
        action=action,
        obj=obj,
        before=before,
        after=after,
        organisation=org,
        region_path=region_path,
    )


def _assign(venue: Venue, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(VENUE_FIELDS)
    if unknown:
        raise TypeError(f"unknown venue fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(venue, key, value)
    if venue.department_id is None and venue.kind and venue.region_id:
        venue.department = default_venue_department(venue.kind, venue.region, venue.latitude, venue.longitude)
        if venue.department is None:
            raise ValidationError({"department": "未找到该类场所的默认责任部门，请选择责任部门。"})


def _check_venue_reach(user, venue: Venue) -> int | None:
    """The acting organisation, or ValidationError (rolling back) when the venue lies outside
    every place the user manages surroundings."""
    if user is None:
        return None
    if not Venue.objects.visible_to(user, Cap.SURROUNDINGS_MANAGE).filter(pk=venue.pk).exists():
        raise ValidationError(
            {
                "region": f"该场所既不在您管辖的区划内，也不在您管辖学校的{radius_m()}米范围内，"
                "请核对所在区划和经纬度。"
            }
        )
    return _acting_org_for_venue(user, venue, (Cap.SURROUNDINGS_MANAGE,))


@transaction.atomic
def venue_update(*, acting_user, venue: Venue, expected_version: int | None, **fields) -> Venue:
    """Edit a venue with the version the user saw; a move relinks it to schools."""
    current = Venue.objects.select_for_update(of=("self",)).select_related("region").get(pk=venue.pk)
    if (
        acting_user is not None
        and not Venue.objects.visible_to(acting_user, Cap.SURROUNDINGS_MANAGE).filter(pk=current.pk).exists()
    ):
        raise PermissionDenied("您的角色不能修改该场所。")
    _check_version(current, expected_version, "场所")
    before = _venue_snapshot(current)
    _assign(current, fields)
    current.full_clean()
    current.version += 1
    current.save()
    venue_link(current)
    org_id = _check_venue_reach(acting_user, current)
    _audit(
        acting_user,
        "surroundings.venue_update",
        current,
        org_id,
        before=before,
        after=_venue_snapshot(current),
    )
    return current


@transaction.atomic
def venue_archive(*, acting_user, venue: Venue, expected_version: int | None, archived: bool = True) -> Venue:
    """Take a venue off the lists (it closed for good) or bring it back; its checks stay."""
    current = Venue.objects.select_for_update(of=("self",)).select_related("region").get(pk=venue.pk)
    if (
        acting_user is not None
        and not Venue.objects.visible_to(acting_user, Cap.SURROUNDINGS_MANAGE).filter(pk=current.pk).exists()
    ):
        raise PermissionDenied("您的角色不能修改该场所。")
    _check_version(current, expected_version, "场所")
    before = _venue_snapshot(current)
    current.is_archived = archived
    current.version += 1
    current.save()
    org_id = _acting_org_for_venue(acting_user, current, (Cap.SURROUNDINGS_MANAGE,)) if acting_user else None
    action = "surroundings.venue_archive" if archived else "surroundings.venue_restore"
    _audit(acting_user, action, current, org_id, before=before, after=_venue_snapshot(current))
    return current


# --- Checks -------------------------------------------------------------------------------------


@transaction.atomic
def venue_check_record(
    *,
    acting_user,
    venue: Venue,
    checked_on: dt.date,
    result: str,
    findings: str = "",
    school: School | None = None,
    photos=(),
) -> VenueCheck:
    """Record a check of a venue. A problem found becomes a 周边环境 hazard at each linked
    school (or only at `school`), assigned to the venue's department."""
    org_id = _acting_org_for_venue(acting_user, venue, RECORD_CAPS)
    if not any(
        Venue.objects.visible_to(acting_user, cap).filter(pk=venue.pk).exists() for cap in RECORD_CAPS
    ):
        raise PermissionDenied("您的角色不能检查该场所。")
    findings = (findings or "").strip()
    if result == CheckResult.PROBLEM and not findings:
        raise ValidationError({"findings": "检查结果为“发现问题”时，请写明发现的问题。"})
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": "检查日期不能晚于今天。"})
    if school is not None and not VenueSchool.objects.filter(venue=venue, school=school).exists():
        raise ValidationError({"school": f"{school.name}不在该场所周边{radius_m()}米范围内。"})
    checked = [check_image(upload, field=f"第{i + 1}张照片") for i, upload in enumerate(photos or [])]
    check = VenueCheck(
        venue=venue,
        checked_on=checked_on,
        inspector=acting_user,
        inspector_org_id=org_id,
        result=result,
        findings=findings,
        school=school,
    )
    check.full_clean(exclude=["inspector"])
    check.save()
    for photo in checked:
        VenueCheckPhoto.objects.create(
            check_record=check,
            image=photo.content,
            thumbnail=photo.thumbnail,
            sha256=photo.sha256,
            width=photo.width,
            height=photo.height,
        )
    if result == CheckResult.PROBLEM:
        check_raise_hazards(acting_user=acting_user, check=check)
    _audit(
        acting_user,
        "surroundings.venue_check",
        check,
        org_id,
        after=audit.snapshot(check),
        region_path=venue.region.path,
    )
    return check


def check_raise_hazards(*, acting_user, check: VenueCheck) -> list[Hazard]:
    """The 周边环境 hazards of a problem check, one per school it concerns (idempotent: a
    school that already has the hazard of this check gets no second one). Schools where the
    inspector may not report hazards are left to their own units; the count is stored."""
    if check.result != CheckResult.PROBLEM:
        return []
    venue = check.venue
    links = VenueSchool.objects.filter(venue=venue).select_related("school__region", "school__organisation")
    if check.school_id:
        links = links.filter(school_id=check.school_id)
    done = set(Hazard.objects.filter(source_ref=check.hazard_ref).values_list("school_id", flat=True))
    dept = venue.department.name
    made = []
    for link in links:
        school = link.school
        if school.pk in done or school.organisation_id is None:
            continue
        if acting_user is not None and not school_org_ids(acting_user, school, Cap.HAZARD_REPORT):
            continue
        first_line = check.findings.splitlines()[0] if check.findings else "发现问题"
        made.append(
            hazard_services.hazard_report(
                acting_user=acting_user,
                school=school,
                title=f"周边{venue.get_kind_display()}“{venue.name}”：{first_line}"[:100],
                category=Category.SURROUNDINGS,
                description=(
                    f"{check.findings}\n\n场所：{venue.get_kind_display()}·{venue.name}，{venue.address}，"
                    f"距学校{link.distance_m}米。\n责任部门：{dept}（依法查处，学校配合做好学生教育与防护）。"
                ),
                location=f"校园周边{link.distance_m}米（{venue.address or venue.name}）"[:100],
                source=Source.OTHER,
                source_ref=check.hazard_ref,
                found_on=check.checked_on,
                responsible_org=venue.department,
                photos=[_reupload(p) for p in check.photos.all()],
            )
        )
    if made:
        VenueCheck.objects.filter(pk=check.pk).update(hazards_raised=len(done) + len(made))
        check.hazards_raised = len(done) + len(made)
    return made


def _reupload(photo: VenueCheckPhoto) -> SimpleUploadedFile:
    """The stored photo as an upload for the hazard's own (checked) copy."""
    with photo.image.open("rb") as fh:
        return SimpleUploadedFile(photo.image.name.rsplit("/", 1)[-1], fh.read(), content_type="image/jpeg")


# --- Traffic points -------------------------------------------------------------------------------


def _clean_facilities(values, field: str) -> list[str]:
    values = list(dict.fromkeys(values or []))
    bad = [v for v in values if v not in Facility.values]
    if bad:
        raise ValidationError({field: f"未知的设施：{'、'.join(bad)}。"})
    return [f.value for f in Facility if f.value in values]  # in the list's order


def _require_point_cap(user, school: School, cap: str) -> int | None:
    if user is None:
        return None
    orgs = school_org_ids(user, school, cap)
    if not orgs:
        raise PermissionDenied("您的角色不能管理该学校的校门交通点。")
    return orgs[0]


@transaction.atomic
def traffic_point_create(*, acting_user, school: School, **fields) -> TrafficPoint:
    """Register a traffic point at a school gate (交巡警 of the school's region by default)."""
    org_id = _require_point_cap(acting_user, school, Cap.SURROUNDINGS_MANAGE)
    point = TrafficPoint(school=school)
    _assign_point(point, fields)
    point.full_clean()
    point.save()
    _audit(
        acting_user,
        "surroundings.point_create",
        point,
        org_id,
        after=audit.snapshot(point),
        region_path=school.region.path,
    )
    return point


def _assign_point(point: TrafficPoint, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(POINT_FIELDS)
    if unknown:
        raise TypeError(f"unknown traffic point fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(point, key, value)
    point.facilities = _clean_facilities(point.facilities, "facilities")
    if point.department_id is None:
        point.department = default_point_department(point.school)
        if point.department is None:
            raise ValidationError({"department": "未找到负责该校的交巡警单位，请选择责任部门。"})


@transaction.atomic
def traffic_point_update(
    *, acting_user, point: TrafficPoint, expected_version: int | None, **fields
) -> TrafficPoint:
    """Edit a traffic point with the version the user saw (the school stays the same)."""
    current = (
        TrafficPoint.objects.select_for_update(of=("self",)).select_related("school__region").get(pk=point.pk)
    )
    org_id = _require_point_cap(acting_user, current.school, Cap.SURROUNDINGS_MANAGE)
    _check_version(current, expected_version, "交通点")
    fields.pop("school", None)
    before = audit.snapshot(current)
    _assign_point(current, fields)
    current.full_clean()
    current.version += 1
    current.save()
    _audit(
        acting_user,
        "surroundings.point_update",
        current,
        org_id,
        before=before,
        after=audit.snapshot(current),
        region_path=current.school.region.path,
    )
    return current


@transaction.atomic
def traffic_observation_record(
    *,
    acting_user,
    point: TrafficPoint,
    observed_at: dt.datetime,
    congestion: str,
    violations_count: int = 0,
    violations: str = "",
    missing_facilities=(),
    note: str = "",
) -> TrafficObservation:
    """Record what was seen at the gate at a peak time. 严重拥堵, a violation or a missing
    facility becomes a 交通 hazard at the school, assigned to the point's department."""
    school = point.school
    org_id = None
    if acting_user is not None:
        orgs = [o for cap in RECORD_CAPS for o in school_org_ids(acting_user, school, cap)]
        if not orgs:
            raise PermissionDenied("您的角色不能登记该校门的交通秩序检查。")
        org_id = orgs[0]
    if observed_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"observed_at": "检查时间不能晚于现在。"})
    if violations_count and not violations.strip():
        raise ValidationError(
            {"violations": "有违法违规行为时，请简要写明情况（如：违停3辆、学生横穿马路）。"}
        )
    obs = TrafficObservation(
        point=point,
        observed_at=observed_at,
        observer=acting_user,
        observer_org_id=org_id,
        congestion=congestion,
        violations_count=violations_count or 0,
        violations=violations.strip(),
        missing_facilities=_clean_facilities(missing_facilities, "missing_facilities"),
        note=note,
    )
    obs.full_clean(exclude=["observer"])
    obs.save()
    if obs.has_problem:
        observation_raise_hazard(acting_user=acting_user, observation=obs)
    _audit(
        acting_user,
        "surroundings.traffic_observe",
        obs,
        org_id,
        after=audit.snapshot(obs),
        region_path=school.region.path,
    )
    return obs


def observation_raise_hazard(*, acting_user, observation: TrafficObservation) -> Hazard | None:
    """The 交通 hazard of an observation with a problem (once: keyed by `source_ref`)."""
    if not observation.has_problem:
        return None
    existing = Hazard.objects.filter(source_ref=observation.hazard_ref).first()
    if existing is not None:
        return existing
    point = observation.point
    school = point.school
    if school.organisation_id is None:
        return None
    problems = []
    if observation.congestion in ("severe",):
        problems.append(observation.get_congestion_display())
    if observation.violations_count:
        problems.append(f"违法违规{observation.violations_count}起")
    if observation.missing_facilities:
        problems.append("缺少" + "、".join(observation.missing_labels()))
    dept = point.department.name
    lines = [f"{cn_datetime(observation.observed_at)} 在{school.name}{point.gate}检查校门交通秩序："]
    lines.append(f"拥堵情况：{observation.get_congestion_display()}。")
    if observation.violations_count:
        lines.append(f"违法违规行为{observation.violations_count}起：{observation.violations}")
    if observation.missing_facilities:
        lines.append(f"缺失或损坏的设施：{'、'.join(observation.missing_labels())}。")
    if observation.note:
        lines.append(observation.note)
    lines.append(f"责任部门：{dept}。")
    hazard = hazard_services.hazard_report(
        acting_user=acting_user,
        school=school,
        title=f"{point.gate}交通秩序：{'，'.join(problems)}"[:100],
        category=Category.TRAFFIC,
        description="\n".join(lines),
        location=f"{point.gate}外道路"[:100],
        source=Source.OTHER,
        source_ref=observation.hazard_ref,
        found_on=timezone.localtime(observation.observed_at).date(),
        responsible_org=point.department,
    )
    TrafficObservation.objects.filter(pk=observation.pk).update(hazard_raised=True)
    observation.hazard_raised = True
    return hazard
