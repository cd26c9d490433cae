"""Small builders for the staff register's tests (through the services, as a user would)."""

from __future__ import annotations

import datetime as dt

from huxiao.core.validation import id_check_digit
from huxiao.staff import services
from huxiao.staff.choices import CheckKind, CheckResult, Employer, StaffRole
from huxiao.staff.models import BackgroundCheck, StaffMember

TODAY = dt.date(2026, 11, 26)


def id_number(seq: int) -> str:
    """A well-formed 身份证号 (valid check digit) numbered `seq`."""
    body = f"50015119900101{seq % 1000:03d}"
    return body + id_check_digit(body)


def member(user, school, seq: int = 1, **changes) -> StaffMember:
    values = dict(
        acting_user=user,
        school=school,
        name=f"测试人员{seq}",
        id_number=id_number(seq),
        role=StaffRole.TEACHER,
        employer=Employer.IN_HOUSE,
        started_on=dt.date(2020, 9, 1),
    )
    values.update(changes)
    return services.member_register(**values)


def guard(
    user, school, seq: int = 1, *, licensed: bool = True, trained: bool = True, **changes
) -> StaffMember:
    values = dict(
        role=StaffRole.GUARD,
        employer=Employer.COMPANY,
        company="铜梁安保公司",
        licence_number=f"渝2020{seq:04d}" if licensed else "",
        licence_authority="铜梁区公安分局" if licensed else "",
        licence_issued_on=dt.date(2020, 6, 1) if licensed else None,
        pretraining_on=dt.date(2020, 8, 1) if trained else None,
        pretraining_hours=40 if trained else None,
    )
    values.update(changes)
    return member(user, school, seq, **values)


def cleared(
    user, person, on: dt.date = dt.date(2026, 6, 1), kind: str = CheckKind.CRIMINAL
) -> BackgroundCheck:
    return services.check_record(
        acting_user=user, member=person, kind=kind, requested_on=on, result=CheckResult.CLEAR, result_on=on
    )


def adverse(user, person, on: dt.date = dt.date(2026, 11, 20)) -> BackgroundCheck:
    return services.check_record(
        acting_user=user,
        member=person,
        kind=CheckKind.CRIMINAL,
        requested_on=on,
        result=CheckResult.ADVERSE,
        result_on=on,
        finding="2015年因盗窃被判处有期徒刑六个月",
    )
