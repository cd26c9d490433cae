"""Small builders for duty tests (posts through the service, records straight into the table
where a test needs history that no phone could create today)."""

from __future__ import annotations

import datetime as dt

from huxiao.duty import services
from huxiao.duty.models import DutyPeriod, DutyPost, DutyRecord

ENOUGH = {"police": 1, "guards": 1}  # meets the default standard (民警或辅警 ≥ 1, 保安 ≥ 1)


def make_post(
    school, name: str = "正门", *, active_from: dt.date = dt.date(2026, 9, 1), **fields
) -> DutyPost:
    return services.post_create(acting_user=None, school=school, name=name, active_from=active_from, **fields)


def period(post: DutyPost, kind: str) -> DutyPeriod:
    return post.periods.get(kind=kind)


def make_record(post: DutyPost, kind: str, day: dt.date, *, by, **counts) -> DutyRecord:
    values = counts or dict(ENOUGH)
    return DutyRecord.objects.create(post=post, period=period(post, kind), date=day, created_by=by, **values)


def at(year: int, month: int, day: int, hour: int, minute: int):
    """A time_machine destination in Asia/Shanghai."""
    from zoneinfo import ZoneInfo

    return dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai"))


def bachuan_officer(cast):
    """A 民警 of 巴川派出所 (the cast has the station but no officer)."""
    from huxiao.accounts.roles import RoleCode
    from huxiao.testsupport.cast import make_user

    return make_user("bachuan_police", cast.bachuan_police, RoleCode.POLICE, full_name="钱警官")
