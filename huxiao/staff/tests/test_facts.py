"""What the register tells the 三防 engine and the 统计表: only a licensed, trained, cleared guard
on duty counts as a 专职保安员; a school without a register gives no facts (the engine falls back
to its typed profile, marked 自报); the 统计表 columns count the register at the period's end."""

from __future__ import annotations

import datetime as dt

import pytest

from huxiao.core.registry import school_facts
from huxiao.schools.models import School
from huxiao.staff import facts, figures, services
from huxiao.staff.choices import StaffRole
from huxiao.staff.tests.builders import TODAY, adverse, cleared, guard, member

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(TODAY)]


def guards_of(school) -> dict:
    return facts.provider([school], TODAY).get(school.pk, {})


def test_a_school_without_a_register_gives_no_facts(cast):
    assert guards_of(cast.qingsong) == {}
    assert "register_guards" not in school_facts([cast.qingsong], TODAY)[cast.qingsong.pk]


def test_only_licensed_trained_cleared_guards_count(cast):
    lead, school = cast.qingsong_lead, cast.qingsong
    ok = guard(lead, school, 1)
    cleared(lead, ok)
    cleared(lead, guard(lead, school, 2, licensed=False))  # no 保安员证
    cleared(lead, guard(lead, school, 3, trained=False))  # no 岗前培训
    guard(lead, school, 4)  # never checked
    cleared(lead, guard(lead, school, 5, licence_valid_until=TODAY - dt.timedelta(days=1)))  # licence ran out
    cleared(lead, guard(lead, school, 6), on=dt.date(2025, 6, 1))  # check ran out
    troubled = guard(lead, school, 7)
    cleared(lead, troubled)
    adverse(lead, troubled)  # an open 有异常
    cleared(lead, member(lead, school, 8, role=StaffRole.HOUSEPARENT))
    assert guards_of(school) == {
        "register_guards": 1,
        "register_guards_total": 7,
        "register_guards_licensed": 5,
        "register_houseparents": 1,
    }
    assert school_facts([school], TODAY)[school.pk]["register_guards"] == 1
    assert ok.pk in set(school.staff_members.qualified_guards().values_list("pk", flat=True))


def test_a_guard_who_left_no_longer_counts(cast):
    lead, school = cast.qingsong_lead, cast.qingsong
    person = guard(lead, school, 1)
    cleared(lead, person)
    assert guards_of(school)["register_guards"] == 1
    services.member_leave(
        acting_user=lead, member=person, expected_version=person.version, left_on=TODAY, reason="合同到期"
    )
    assert guards_of(school)["register_guards"] == 0
    # as of the day before, he was still there
    assert facts.provider([school], TODAY - dt.timedelta(days=1))[school.pk]["register_guards"] == 1


def test_the_monthly_columns_count_the_register_at_the_period_end(cast):
    lead, school = cast.qingsong_lead, cast.qingsong
    cleared(lead, guard(lead, school, 1))
    cleared(lead, guard(lead, school, 2, licensed=False))
    member(lead, school, 3)  # not checked
    cleared(lead, member(lead, cast.qingsong, 4), on=dt.date(2025, 1, 1))  # expired
    adverse(lead, member(lead, school, 5))
    schools = School.objects.filter(pk=school.pk)
    values = figures.provider(schools, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert values == {"st_staff": 5, "st_checked": 2, "st_overdue": 2, "st_guards_unlicensed": 1}
    assert figures.by_school(schools, dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == {school.pk: values}
