"""Small builders for the gate log's tests (through the services, as the 门卫 would)."""

from __future__ import annotations

import datetime as dt
import itertools

from huxiao.accounts.roles import RoleCode
from huxiao.core.choices import OrgKind
from huxiao.core.validation import id_check_digit
from huxiao.gate import services
from huxiao.gate.choices import Relation
from huxiao.gate.models import PickupException, VehicleEntry, VisitorEntry
from huxiao.schools import services as school_services
from huxiao.testsupport.cast import make_org, make_user

# A Thursday in term, in the morning.
TODAY = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
_tokens = itertools.count(1)


def id_number(seq: int) -> str:
    """A well-formed 身份证号 (valid check digit) numbered `seq`."""
    body = f"50022419850312{seq % 1000:03d}"
    return body + id_check_digit(body)


def bad_id_number(seq: int = 1) -> str:
    """`id_number(seq)` with a wrong check digit."""
    good = id_number(seq)
    return good[:17] + ("0" if good[17] != "0" else "1")


def gatekeeper(cast, username: str = "guard"):
    """青松中学's 门卫: the gate log and nothing else (the cast has none)."""
    return make_user(username, cast.qingsong.organisation, RoleCode.GATEKEEPER, full_name="刘门卫")


def keeper_at(school, username: str, role: str = RoleCode.GATEKEEPER):
    """A 门卫 of a school that has no unit of its own yet (its unit is created and linked)."""
    if school.organisation_id is None:
        unit = make_org(school.name, OrgKind.SCHOOL, school.region)
        school = school_services.school_link_organisation(acting_user=None, school=school, organisation=unit)
    return make_user(username, school.organisation, role)


def at(hour: int, minute: int = 0, day: dt.date = TODAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NOW.tzinfo)


def visitor(user, school, seq: int = 1, **changes) -> VisitorEntry:
    values = dict(
        acting_user=user,
        school=school,
        name=f"来访人{seq}",
        id_number=id_number(seq),
        reason="家长来访",
        host="三年级二班班主任",
        submission=f"v{next(_tokens)}",
    )
    values.update(changes)
    return services.visitor_register(**values)


def vehicle(user, school, plate: str = "渝A12345", **changes) -> VehicleEntry:
    values = dict(
        acting_user=user,
        school=school,
        plate=plate,
        driver="王师傅",
        reason="食堂食材配送",
        submission=f"c{next(_tokens)}",
    )
    values.update(changes)
    return services.vehicle_register(**values)


def pickup(user, school, **changes) -> PickupException:
    values = dict(
        acting_user=user,
        school=school,
        child_class="三年级二班",
        child_name="张小明",
        picked_up_by="张国华",
        relation=Relation.GRANDPARENT,
        id_number=id_number(500),
        approved_by="班主任李老师",
        submission=f"p{next(_tokens)}",
    )
    values.update(changes)
    return services.pickup_record(**values)
