"""Small builders for the incident register's tests (through the services, as a user would)."""

from __future__ import annotations

import datetime as dt

from huxiao.incidents import services
from huxiao.incidents.choices import Grade, Kind, Place
from huxiao.incidents.models import Incident
from huxiao.testsupport.clock import SHANGHAI

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)
CHILD_ID = "500151201203050011"  # a well-formed 身份证号 of a child born 2012


def incident(user, school, *, grade: str = Grade.LARGER, **changes) -> Incident:
    values = dict(
        acting_user=user,
        school=school,
        occurred_at=NOW - dt.timedelta(hours=1),
        place=Place.GATE,
        kind=Kind.ASSAULT,
        grade=grade,
        title="校门口外来人员持械伤害学生",
        summary="放学时一名外来人员在校门口持木棍击伤一名学生，保安员当场制止，民警到场控制。",
        injured=1,
    )
    values.update(changes)
    return services.incident_report(**values)
