"""Who reads the staff register (the school keeps it, its 学区 checks it), who sees only the
guards' licences (the 派出所), and who sees nothing (街道, 政法委, the system administrator, the
auditor, another subdistrict)."""

from __future__ import annotations

import pytest

from huxiao.staff.models import BackgroundCheck, StaffMember
from huxiao.staff.tests.builders import TODAY, adverse, guard, member

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(TODAY)]


@pytest.fixture
def register(cast):
    teacher = member(cast.qingsong_lead, cast.qingsong, 1)
    keeper = guard(cast.qingsong_lead, cast.qingsong, 2)
    other = member(cast.mingde_lead, cast.mingde, 3)
    adverse(cast.qingsong_lead, teacher)
    return teacher, keeper, other


def test_the_school_sees_only_its_own_register(cast, register):
    teacher, keeper, other = register
    assert set(StaffMember.objects.visible_to(cast.qingsong_lead)) == {teacher, keeper}
    assert set(StaffMember.objects.visible_to(cast.mingde_lead)) == {other}


def test_the_school_district_sees_its_schools_registers_and_checks(cast, register):
    assert set(StaffMember.objects.visible_to(cast.centre_officer)) == set(register)
    assert BackgroundCheck.objects.visible_to(cast.centre_officer).count() == 1


@pytest.mark.parametrize(
    "who",
    sorted(
        ["police", "official", "safety_officer", "observer", "sysadmin", "auditor", "secadmin", "outsider"]
    ),
)
def test_nobody_else_reads_the_register_or_a_check(cast, register, who):
    user = getattr(cast, who)
    assert not StaffMember.objects.visible_to(user).exists()
    assert not BackgroundCheck.objects.visible_to(user).exists()


def test_the_police_see_the_guards_of_their_schools_only(cast, register):
    _teacher, keeper, _other = register
    assert list(StaffMember.objects.guards_visible_to(cast.police)) == [keeper]


@pytest.mark.parametrize("who", sorted(["sysadmin", "auditor", "outsider", "official", "safety_officer"]))
def test_no_guard_is_seen_outside_the_register_and_the_police(cast, register, who):
    assert not StaffMember.objects.guards_visible_to(getattr(cast, who)).exists()
