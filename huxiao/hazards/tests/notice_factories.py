"""Builders for the notice, escalation and document tests: a frozen day, a notice issued by
the 蒲吕 police, a hazard overdue long enough to be 挂牌督办 (with its 督办 and 约谈 rungs)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from huxiao.accounts.roles import RoleCode
from huxiao.hazards import services
from huxiao.hazards.choices import Escalation, State
from huxiao.hazards.escalation import escalate_overdue
from huxiao.hazards.models import Hazard, HazardEscalation, RectificationNotice
from huxiao.testsupport.cast import Cast, make_user
from huxiao.testsupport.files import photo
from huxiao.testsupport.hazards import make_hazard

TODAY = dt.date(2026, 11, 29)
NOW = dt.datetime(2026, 11, 29, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DEADLINE = dt.date(2026, 12, 10)


@pytest.fixture
def frozen():
    """Time stands still at 2026-11-29 10:00 (Asia/Shanghai) for the whole test."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


def issue(cast: Cast, hazards: list[Hazard], *, deadline=DEADLINE, requirements="整改完成后书面报告。"):
    """The 蒲吕 police issue a notice to the hazards' school."""
    return services.notice_issue(
        acting_user=cast.police,
        issuer=cast.pulv_police,
        school=hazards[0].school,
        hazards=hazards,
        deadline=deadline,
        requirements=requirements,
    )


def noticed(cast: Cast) -> RectificationNotice:
    """Two open hazards at 青松中学 on one notice from the 蒲吕 police (not yet signed)."""
    first = make_hazard(cast, state=State.OPEN, title="宿舍楼消防通道堆放杂物", location="3号宿舍楼一层")
    second = make_hazard(cast, state=State.REPORTED, title="校门防冲撞设施缺失", location="南校门")
    return issue(cast, [first, second])


def listed(cast: Cast, **fields) -> Hazard:
    """A 青松 hazard 25 working days overdue: the escalation run puts it on every rung
    (督办, 约谈, 挂牌督办), all issued by 蒲吕街道平安办."""
    hazard = make_hazard(
        cast,
        state=State.OPEN,
        title="专职保安员配备不足",
        location="校门、宿舍区",
        found_on=dt.date(2026, 10, 12),
        deadline=dt.date(2026, 10, 23),
        **fields,
    )
    escalate_overdue(TODAY)
    hazard.refresh_from_db()
    assert hazard.escalation == Escalation.LISTED
    return hazard


def rung(hazard: Hazard, level: int) -> HazardEscalation:
    return HazardEscalation.objects.get(hazard=hazard, level=level)


def closed_with_photos(cast: Cast) -> Hazard:
    """A 青松 hazard reported with a before-photo, rectified with an after-photo, accepted."""
    return make_hazard(cast, state=State.CLOSED, photos=[photo("before.jpg")], title="配电室门锁损坏")


def police_of_bachuan(cast: Cast):
    """A police officer of 巴川派出所: issues notices, but only to 巴川's schools."""
    return make_user("bachuan_police", cast.bachuan_police, RoleCode.POLICE, full_name="钱警官")
