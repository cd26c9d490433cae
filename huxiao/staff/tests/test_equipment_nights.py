"""装备器械 and 夜间值守: the school records checks (a photo with one), the latest check is the stock
the 三防 engine reads (working and checked within a year); a boarding school's nights before a
school day with nobody on duty are gaps; every write is audited and only the school writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from huxiao.core.models import AuditEvent
from huxiao.staff import facts, selectors, services
from huxiao.staff.choices import StaffRole
from huxiao.staff.models import EquipmentCheck, NightDuty
from huxiao.staff.tests.builders import TODAY, guard, member

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(TODAY)]


def check(cast, kind="restraint_fork", count=2, working=2, on=TODAY, **extra) -> EquipmentCheck:
    return services.equipment_check(
        acting_user=cast.qingsong_lead,
        school=cast.qingsong,
        kind=kind,
        count=count,
        working=working,
        checked_on=on,
        **extra,
    )


def test_the_latest_working_check_within_a_year_is_the_stock(cast):
    assert "register_equipment" not in facts.provider([cast.qingsong], TODAY).get(cast.qingsong.pk, {})
    check(cast, "restraint_fork", on=TODAY - dt.timedelta(days=40))
    check(cast, "restraint_fork", count=2, working=0)  # broken since
    check(cast, "helmet", on=TODAY - dt.timedelta(days=400))  # not checked for over a year
    check(cast, "rubber_baton")
    assert facts.provider([cast.qingsong], TODAY)[cast.qingsong.pk]["register_equipment"] == ["rubber_baton"]
    # as of 40 days ago the fork worked
    earlier = facts.provider([cast.qingsong], TODAY - dt.timedelta(days=40))[cast.qingsong.pk][
        "register_equipment"
    ]
    assert earlier == ["helmet", "restraint_fork"]
    rows = {r.kind: r for r in selectors.equipment_table(cast.qingsong)}
    assert (
        rows["restraint_fork"].latest.working == 0 and rows["helmet"].stale and rows["shield"].latest is None
    )
    assert AuditEvent.objects.filter(action="staff.equipment").count() == 4


def test_bad_counts_are_refused_naming_the_field(cast):
    with pytest.raises(ValidationError) as err:
        check(cast, count=2, working=3)
    assert "完好数" in str(err.value)
    with pytest.raises(ValidationError) as err:
        check(cast, on=TODAY + dt.timedelta(days=1))
    assert "检查日期" in str(err.value)
    assert not EquipmentCheck.objects.exists()


def test_only_the_school_records_equipment(cast):
    for user in (cast.centre_officer, cast.police, cast.mingde_lead):
        with pytest.raises(PermissionDenied):
            services.equipment_check(
                acting_user=user, school=cast.qingsong, kind="helmet", count=1, working=1, checked_on=TODAY
            )


def test_the_equipment_page_records_a_check(cast, client):
    client.force_login(cast.qingsong_lead)
    url = f"{reverse('staff:equipment')}?school={cast.qingsong.pk}"
    form = client.get(url).context["form"]
    response = client.post(
        url,
        {
            "submission": form["submission"].initial,
            "kind": "shield",
            "count": "3",
            "working": "2",
            "checked_on": "2026-11-20",
        },
    )
    assert response.status_code == 302
    saved = EquipmentCheck.objects.get(kind="shield")
    assert (saved.count, saved.working, saved.checked_by) == (3, 2, cast.qingsong_lead)
    client.force_login(cast.police)
    assert client.get(url).status_code == 200  # equipment names nobody: the police may look
    assert client.post(url, {"kind": "shield"}).status_code == 403


@pytest.fixture
def boarding(cast):
    """青松中学 as a boarding school (arranged directly: the school form is not under test)."""
    type(cast.qingsong).objects.filter(pk=cast.qingsong.pk).update(is_boarding=True, boarders=300)
    cast.qingsong.refresh_from_db()
    return cast.qingsong


def test_nights_before_a_school_day_without_anyone_are_gaps(cast, boarding):
    houseparent = member(cast.qingsong_lead, boarding, 1, role=StaffRole.HOUSEPARENT)
    # Sunday 2026-11-22 to Thursday 2026-11-26: the nights before Monday to Friday
    added = services.night_assign(
        acting_user=cast.qingsong_lead,
        member=houseparent,
        first=dt.date(2026, 11, 22),
        last=dt.date(2026, 11, 26),
    )
    assert added == 5
    assert (
        services.night_assign(
            acting_user=cast.qingsong_lead,
            member=houseparent,
            first=dt.date(2026, 11, 22),
            last=dt.date(2026, 11, 23),
        )
        == 0
    )  # already on duty: nothing twice
    roster = {n.night: n for n in selectors.night_roster(cast.qingsong_lead, boarding, dt.date(2026, 11, 1))}
    assert not roster[dt.date(2026, 11, 23)].gap
    assert not roster[dt.date(2026, 11, 27)].needed  # Friday night: Saturday is no school day
    assert roster[dt.date(2026, 11, 29)].gap  # Sunday night before Monday, nobody
    assert AuditEvent.objects.filter(action="staff.night").count() == 2
    duty = NightDuty.objects.get(night=dt.date(2026, 11, 23))
    services.night_remove(acting_user=cast.qingsong_lead, duty=duty)
    assert roster[dt.date(2026, 11, 23)].needed and not NightDuty.objects.filter(pk=duty.pk).exists()


def test_only_staff_of_the_right_kind_and_a_boarding_school_take_nights(cast, boarding):
    teacher = member(cast.qingsong_lead, boarding, 1)
    with pytest.raises(ValidationError) as err:
        services.night_assign(acting_user=cast.qingsong_lead, member=teacher, first=TODAY, last=TODAY)
    assert "值守人员" in str(err.value)
    keeper = guard(cast.mingde_lead, cast.mingde, 2)
    with pytest.raises(ValidationError) as err:
        services.night_assign(acting_user=cast.mingde_lead, member=keeper, first=TODAY, last=TODAY)
    assert "寄宿制" in str(err.value)
    houseparent = member(cast.qingsong_lead, boarding, 3, role=StaffRole.HOUSEPARENT)
    with pytest.raises(ValidationError) as err:
        services.night_assign(
            acting_user=cast.qingsong_lead,
            member=houseparent,
            first=TODAY,
            last=TODAY + dt.timedelta(days=100),
        )
    assert "最多" in str(err.value)


def test_the_nights_page_is_the_registers(cast, client, boarding):
    for who, status in (("qingsong_lead", 200), ("centre_officer", 200), ("police", 404), ("sysadmin", 404)):
        client.force_login(getattr(cast, who))
        assert client.get(reverse("staff:nights")).status_code == status, who


def test_a_person_who_leaves_comes_off_the_roster(cast, boarding):
    houseparent = member(cast.qingsong_lead, boarding, 1, role=StaffRole.HOUSEPARENT)
    services.night_assign(
        acting_user=cast.qingsong_lead,
        member=houseparent,
        first=dt.date(2026, 11, 22),
        last=dt.date(2026, 11, 30),
    )
    services.member_leave(
        acting_user=cast.qingsong_lead, member=houseparent, expected_version=1, left_on=TODAY, reason="辞职"
    )
    roster = {n.night: n for n in selectors.night_roster(cast.qingsong_lead, boarding, dt.date(2026, 11, 1))}
    assert roster[dt.date(2026, 11, 25)].on_duty and not roster[dt.date(2026, 11, 26)].on_duty
    assert roster[dt.date(2026, 11, 29)].gap
    with pytest.raises(ValidationError) as err:
        services.night_assign(
            acting_user=cast.qingsong_lead,
            member=member(cast.qingsong_lead, boarding, 2, role=StaffRole.HOUSEPARENT),
            first=dt.date(2019, 1, 1),
            last=dt.date(2019, 1, 2),
        )
    assert "到岗日期" in str(err.value)
