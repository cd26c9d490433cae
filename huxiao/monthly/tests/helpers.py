"""Shared builders for the monthly tests: a small history of hazards across October and
November 2026 at 青松 and 明德, built through the hazard services with the clock moved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine

from huxiao.hazards import services as hazard_services
from huxiao.hazards.choices import Severity, State
from huxiao.hazards.models import Hazard
from huxiao.testsupport.cast import Cast
from huxiao.testsupport.clock import SHANGHAI
from huxiao.testsupport.hazards import drive, make_hazard

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)  # a Friday in the month being reported
# The month is over (its report may be submitted) and due by 2026-12-28.
AFTER = dt.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), SHANGHAI)


@pytest.fixture(name="clock")
def clock_fixture():
    """Time stands still at NOW; move it with `clock.move_to(at(day))`."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class History:
    open_fire: Hazard  # 青松, found 10-05, still open (overdue by the end of October), closed 11-05
    major_wall: Hazard  # 明德, 重大, found 10-10, still open
    dismissed: Hazard  # 青松, found 10-12, dismissed 10-13
    closed_in_october: Hazard  # 青松, found 10-20, closed 10-26
    november: Hazard  # 明德, 技防, found 11-03, open, on a notice issued 11-04


def build_history(cast: Cast, clock) -> History:
    """The hazards, each step on its own day; the clock ends back at NOW."""
    clock.move_to(at(dt.date(2026, 10, 5)))
    open_fire = make_hazard(cast, state=State.OPEN)
    clock.move_to(at(dt.date(2026, 10, 10)))
    major_wall = make_hazard(
        cast,
        cast.mingde,
        state=State.OPEN,
        severity=Severity.MAJOR,
        title="围墙高度不足",
        category="physical",
    )
    clock.move_to(at(dt.date(2026, 10, 12)))
    dismissed = make_hazard(cast, title="误报", category="other")
    clock.move_to(at(dt.date(2026, 10, 13)))
    dismissed = drive(cast, dismissed, State.DISMISSED)
    clock.move_to(at(dt.date(2026, 10, 20)))
    closed = make_hazard(cast, state=State.RECTIFYING, title="灭火器过期", category="fire")
    clock.move_to(at(dt.date(2026, 10, 26)))
    closed = drive(cast, closed, State.CLOSED)
    clock.move_to(at(dt.date(2026, 11, 3)))
    november = make_hazard(cast, cast.mingde, state=State.OPEN, title="监控损坏", category="technical")
    clock.move_to(at(dt.date(2026, 11, 4)))
    hazard_services.notice_issue(
        acting_user=cast.police,
        issuer=cast.pulv_police,
        school=cast.mingde,
        hazards=[november],
        deadline=dt.date(2026, 11, 30),
    )
    clock.move_to(at(dt.date(2026, 11, 5)))
    open_fire = drive(cast, Hazard.objects.get(pk=open_fire.pk), State.CLOSED)
    clock.move_to(NOW)
    return History(open_fire, major_wall, dismissed, closed, november)
