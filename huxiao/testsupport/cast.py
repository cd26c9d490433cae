"""The fixed cast every test starts from (like healthchecks' `hc/test.py` Alice/Bob/Charlie).

重庆市 › 铜梁区 › 蒲吕街道 (with 蒲吕社区 and 石龙村) and a second subdistrict, 巴川街道:

    schools          region     派出所       学区          seen by
    qingsong 青松中学 蒲吕社区   蒲吕派出所    蒲吕学区      official, safety_officer, police, centre_officer,
                                                            qingsong_lead, observer
    mingde   明德小学 蒲吕社区   蒲吕派出所    蒲吕学区      … the same, with mingde_lead instead of qingsong_lead
    shilong  石龙村小学 石龙村    —            —            official, safety_officer, observer
    binhe    滨河小学 滨河社区   巴川派出所    —            official, outsider

sysadmin, auditor and secadmin (区教委; 三员分立) see no school and no business record.

Everything is built through the services (`acting_user=None` where the system creates things),
never from JSON fixtures or the demo loader, so a test sees exactly what a real deployment
would hold. Use the pytest fixture `cast` (huxiao/conftest.py) or `HuxiaoTestCase`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import TestCase

from huxiao.accounts import directory
from huxiao.accounts import services as account_services
from huxiao.accounts.models import User
from huxiao.accounts.roles import RoleCode
from huxiao.core.choices import OrgKind, RegionLevel
from huxiao.core.models import AuditEvent, Organisation, Region
from huxiao.schools import services as school_services
from huxiao.schools.models import School

# Every cast member's password after their (already done) first-login change.
PASSWORD = "Anquan#2026"
INITIAL_PASSWORD = "Chushi#2026"


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with tiny costs, for tests only: hashes still start with `argon2$`, but building
    the cast takes milliseconds instead of a second (conftest.py switches it on)."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1


# --- Small builders (usable on their own for extra data) -------------------------------------


def make_region(code: str, name: str, level: str, parent: Region | None = None) -> Region:
    """A division under `parent`, created the way an administrator would."""
    return directory.region_create(
        acting_user=None, code=code, name=name, level=level, parent=parent, code_official=False
    )


def make_org(
    name: str, kind: str, region: Region, *, jurisdiction: list[Region] | None = None, parent=None
) -> Organisation:
    """An organisation whose jurisdiction is `jurisdiction` (none: only schools that name it)."""
    return directory.organisation_create(
        acting_user=None, name=name, kind=kind, region=region, jurisdiction=jurisdiction, parent=parent
    )


def make_school(name: str, region: Region, *, own_unit: bool = False, **fields: Any) -> School:
    """A school with sensible defaults; `own_unit=True` also creates and links its own organisation."""
    values: dict[str, Any] = {
        "school_type": "primary",
        "ownership": "public",
        "is_boarding": False,
        "students": 300,
        "boarders": 0,
        "staff": 30,
    }
    values.update(fields)
    school = school_services.school_create(acting_user=None, name=name, region=region, **values)
    if own_unit:
        kind = OrgKind.KINDERGARTEN if school.school_type == "kindergarten" else OrgKind.SCHOOL
        unit = make_org(name, kind, region, parent=school.school_district)
        school = school_services.school_link_organisation(acting_user=None, school=school, organisation=unit)
    return school


def make_user(
    username: str,
    organisation: Organisation | None = None,
    role: str | None = None,
    *,
    full_name: str = "",
    is_demo: bool = False,
) -> User:
    """An account holding `role` in `organisation`, whose first-login password change is done
    (so pages open normally). Its password is `PASSWORD`."""
    user = account_services.account_create(
        acting_user=None,
        username=username,
        full_name=full_name or username,
        password=PASSWORD if is_demo else INITIAL_PASSWORD,
        is_demo=is_demo,
    )
    if not is_demo:
        user = account_services.password_change(acting_user=user, user=user, new_password=PASSWORD)
    if organisation is not None and role is not None:
        account_services.membership_grant(acting_user=None, user=user, organisation=organisation, role=role)
    return user


# --- The cast ------------------------------------------------------------------------------


@dataclass
class Cast:
    """Handles on everything `build_cast()` made (see the module docstring for who sees what)."""

    # regions
    chongqing: Region
    tongliang: Region
    pulv: Region
    pulv_community: Region
    shilong_village: Region
    bachuan: Region
    binhe_community: Region
    # organisations
    political_legal: Organisation  # 铜梁区委政法委, jurisdiction 铜梁区
    education_bureau: Organisation  # 铜梁区教育委员会, jurisdiction 铜梁区 (sysadmin, auditor)
    pulv_office: Organisation  # 蒲吕街道办事处, jurisdiction 蒲吕街道 (observer)
    pulv_safety_office: Organisation  # 蒲吕街道平安办, jurisdiction 蒲吕街道
    pulv_police: Organisation  # 蒲吕派出所, explicit schools only
    pulv_centre: Organisation  # 蒲吕学区管理中心, explicit schools only
    bachuan_safety_office: Organisation  # 巴川街道平安办, jurisdiction 巴川街道
    bachuan_police: Organisation  # 巴川派出所
    # schools
    qingsong: School
    mingde: School
    shilong: School
    binhe: School
    # users
    official: User  # 区委政法委 · 领导
    safety_officer: User  # 蒲吕平安办 · 工作人员（协调）
    police: User  # 蒲吕派出所 · 民警
    centre_officer: User  # 蒲吕学区管理中心 · 工作人员（协调）
    qingsong_lead: User  # 青松中学 · 学校安全负责人
    mingde_lead: User  # 明德小学 · 学校安全负责人
    observer: User  # 蒲吕街道办事处 · 只读观察员
    sysadmin: User  # 区教委 · 系统管理员
    auditor: User  # 区教委 · 安全审计员
    secadmin: User  # 区教委 · 安全管理员
    outsider: User  # 巴川平安办 · 工作人员（协调）: must see nothing of 蒲吕

    @property
    def pulv_schools(self) -> set[School]:
        return {self.qingsong, self.mingde, self.shilong}


def build_cast() -> Cast:
    """Create the fixed cast in the current (test) database and return handles on it."""
    chongqing = make_region("500000", "重庆市", RegionLevel.PROVINCE)
    tongliang = make_region("500151", "铜梁区", RegionLevel.COUNTY, chongqing)
    pulv = make_region("500151104", "蒲吕街道", RegionLevel.TOWNSHIP, tongliang)
    pulv_community = make_region("500151104001", "蒲吕社区", RegionLevel.VILLAGE, pulv)
    shilong_village = make_region("500151104201", "石龙村", RegionLevel.VILLAGE, pulv)
    bachuan = make_region("500151001", "巴川街道", RegionLevel.TOWNSHIP, tongliang)
    binhe_community = make_region("500151001001", "滨河社区", RegionLevel.VILLAGE, bachuan)

    political_legal = make_org("铜梁区委政法委", OrgKind.POLITICAL_LEGAL, tongliang, jurisdiction=[tongliang])
    education_bureau = make_org(
        "铜梁区教育委员会", OrgKind.EDUCATION_BUREAU, tongliang, jurisdiction=[tongliang]
    )
    pulv_office = make_org("蒲吕街道办事处", OrgKind.SUBDISTRICT_OFFICE, pulv, jurisdiction=[pulv])
    pulv_safety_office = make_org("蒲吕街道平安办", OrgKind.SAFETY_OFFICE, pulv, jurisdiction=[pulv])
    pulv_police = make_org("蒲吕派出所", OrgKind.POLICE_STATION, pulv)
    pulv_centre = make_org("蒲吕学区管理中心", OrgKind.SCHOOL_DISTRICT, pulv)
    bachuan_safety_office = make_org("巴川街道平安办", OrgKind.SAFETY_OFFICE, bachuan, jurisdiction=[bachuan])
    bachuan_police = make_org("巴川派出所", OrgKind.POLICE_STATION, bachuan)

    qingsong = make_school(
        "蒲吕青松中学",
        pulv_community,
        own_unit=True,
        school_type="junior",
        is_boarding=True,
        students=1380,
        boarders=860,
        staff=112,
        police_station=pulv_police,
        school_district=pulv_centre,
    )
    mingde = make_school(
        "蒲吕明德小学",
        pulv_community,
        own_unit=True,
        students=960,
        staff=58,
        police_station=pulv_police,
        school_district=pulv_centre,
    )
    shilong = make_school("蒲吕石龙村小学", shilong_village, students=86, staff=9)
    binhe = make_school(
        "巴川滨河小学", binhe_community, students=720, staff=45, police_station=bachuan_police
    )

    return Cast(
        chongqing=chongqing,
        tongliang=tongliang,
        pulv=pulv,
        pulv_community=pulv_community,
        shilong_village=shilong_village,
        bachuan=bachuan,
        binhe_community=binhe_community,
        political_legal=political_legal,
        education_bureau=education_bureau,
        pulv_office=pulv_office,
        pulv_safety_office=pulv_safety_office,
        pulv_police=pulv_police,
        pulv_centre=pulv_centre,
        bachuan_safety_office=bachuan_safety_office,
        bachuan_police=bachuan_police,
        qingsong=qingsong,
        mingde=mingde,
        shilong=shilong,
        binhe=binhe,
        official=make_user("official", political_legal, RoleCode.LEADER, full_name="程立新"),
        safety_officer=make_user(
            "safety_officer", pulv_safety_office, RoleCode.COORDINATOR, full_name="林晓梅"
        ),
        police=make_user("police", pulv_police, RoleCode.POLICE, full_name="赵警官"),
        centre_officer=make_user("centre_officer", pulv_centre, RoleCode.COORDINATOR, full_name="孙主任"),
        qingsong_lead=make_user(
            "qingsong_lead", qingsong.organisation, RoleCode.SAFETY_LEAD, full_name="罗志强"
        ),
        mingde_lead=make_user("mingde_lead", mingde.organisation, RoleCode.SAFETY_LEAD, full_name="王海"),
        observer=make_user("observer", pulv_office, RoleCode.OBSERVER, full_name="吴观察"),
        sysadmin=make_user("sysadmin", education_bureau, RoleCode.SYSADMIN, full_name="系统管理员"),
        auditor=make_user("auditor", education_bureau, RoleCode.AUDITOR, full_name="安全审计员"),
        secadmin=make_user("secadmin", education_bureau, RoleCode.SECADMIN, full_name="安全管理员"),
        outsider=make_user("outsider", bachuan_safety_office, RoleCode.COORDINATOR, full_name="巴川平安办"),
    )


class HuxiaoTestCase(TestCase):
    """A TestCase with the cast built once per class: `self.police`, `self.qingsong`, … and
    `self.cast` (Django copies them afresh for every test)."""

    @classmethod
    def setUpTestData(cls):
        cls.cast = build_cast()
        for name, value in vars(cls.cast).items():
            setattr(cls, name, value)

    def login(self, user: User) -> None:
        """Log `user` in on `self.client` (no password check, no lockout counting)."""
        self.client.force_login(user)


# --- Form data ------------------------------------------------------------------------------


def school_form_data(school: School | None = None, **changes: Any) -> dict[str, Any]:
    """POST data for the school form: the school's current values (or a new school's) plus changes."""
    data: dict[str, Any] = {
        "name": "",
        "code": "",
        "school_type": "primary",
        "ownership": "public",
        "students": 300,
        "boarders": 0,
        "staff": 30,
        "principal_name": "",
        "principal_phone": "",
        "safety_lead_name": "",
        "safety_lead_phone": "",
        "address": "",
        "latitude": "",
        "longitude": "",
        "region": "",
        "police_station": "",
        "school_district": "",
    }
    if school is not None:
        for key in data:
            value = getattr(
                school, f"{key}_id" if key in ("region", "police_station", "school_district") else key
            )
            data[key] = "" if value is None else value
        if school.is_boarding:
            data["is_boarding"] = "on"
        data["version"] = school.version
    for key, value in changes.items():
        if key == "is_boarding":
            if value:
                data["is_boarding"] = "on"
            else:
                data.pop("is_boarding", None)
        elif isinstance(value, School | Region | Organisation):
            data[key] = value.pk
        else:
            data[key] = value
    return data


def profile_form_data(base_version: int | None = None, **changes: Any) -> dict[str, Any]:
    """POST data for the 三防 profile form: a plausible filing based on `base_version`."""
    data: dict[str, Any] = {
        "base_version": "" if base_version is None else base_version,
        "change_note": "",
        "fulltime_guards": 2,
        "licensed_guards": 2,
        "guard_equipment": ["helmet", "stab_vest"],
        "gatehouse_staffed_hours": 24,
        "night_guards": "",
        "closed_management": "true",
        "perimeter_barrier": "wall",
        "perimeter_height_m": "2.00",
        "anti_climb": "false",
        "gate_anti_ram": ["bollard_block"],
        "ped_vehicle_separated": "",
        "camera_areas": ["gate_outside", "gatehouse"],
        "camera_reported": "on",
        "cctv_retention_days": 30,
        "cctv_linked_to_police": "true",
        "one_key_alarm": "true",
        "alarm_linked_to_police": "true",
        "intrusion_alarm": "",
        "visitor_register": "true",
        "visitor_id_check": "true",
        "pickup_handover": "",
        "drills_per_semester": 2,
        "last_drill_date": "2026-03-20",
    }
    data.update(changes)
    return data


# --- Assertions shared by the view tests ----------------------------------------------------

# What every signed-in page costs before its own work: the session, the user, the user's
# memberships and their jurisdiction regions (the scope), the inbox badge's unread count, and
# saving the renewed session (savepoint, update, release). Pinned query counts are this plus
# the page's own queries, so a new per-page query is one deliberate change here.
SIGNED_IN_PAGE_QUERIES = 8


def audit_mark() -> int:
    """The current end of the audit chain; pass it to `audit_since` after the action."""
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def audit_since(mark: int) -> list:
    """The audit events appended after `mark`, oldest first."""
    return list(AuditEvent.objects.filter(seq__gt=mark).order_by("seq"))


def assert_redirects_to_login(response) -> None:
    """An anonymous request was sent to the login page (and would come back afterwards)."""
    assert response.status_code == 302, response.status_code
    assert response.url.startswith("/accounts/login/?next="), response.url
