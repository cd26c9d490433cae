"""Deadlines (DESIGN §4.6, §5): the default comes from the region's policy by severity (the
nearest region with a policy wins, else the platform default), counted in working days; overdue
and due-soon are derived from the deadline and today, never stored."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from huxiao.core.calendar import add_working_days
from huxiao.hazards.models import Hazard, HazardPolicy
from huxiao.hazards.policy import DEFAULT_POLICY, default_deadline, policy_for
from huxiao.hazards.querysets import due_soon_until
from huxiao.testsupport.clock import at
from huxiao.testsupport.files import photo
from huxiao.testsupport.hazards import bachuan_school, hazard_confirm, hazard_fix_on_spot, make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")

TUESDAY = dt.date(2026, 3, 10)


def report(cast, school=None, **fields):
    return make_hazard(cast, school, found_on=TUESDAY, **fields)


@pytest.mark.parametrize(("severity", "days"), [("general", 7), ("larger", 15), ("major", 30)])
def test_the_platform_default_by_severity(cast, severity, days):
    hazard = report(cast, severity=severity)
    assert hazard.deadline == add_working_days(TUESDAY, days)


def test_seven_working_days_from_a_tuesday_is_the_thursday_after_next(cast):
    assert report(cast).deadline == dt.date(2026, 3, 19)


def test_the_national_day_holiday_and_its_make_up_saturday_count_right(cast):
    # 28 Sept (Mon): 29, 30 Sept, [1–7 Oct off], 8, 9, 10 (Sat, make-up), 12, 13 Oct
    hazard = make_hazard(cast, found_on=dt.date(2026, 9, 28))
    assert hazard.deadline == dt.date(2026, 10, 13)


def test_a_policy_on_an_ancestor_region_applies_below_it(cast):
    HazardPolicy.objects.create(region=cast.tongliang, general_days=5, larger_days=10, major_days=20)
    assert report(cast).deadline == dt.date(2026, 3, 17)
    assert report(cast, severity="larger").deadline == add_working_days(TUESDAY, 10)
    assert report(cast, bachuan_school(cast)).deadline == dt.date(2026, 3, 17)


def test_the_nearest_policy_wins(cast):
    HazardPolicy.objects.create(region=cast.tongliang, general_days=5)
    HazardPolicy.objects.create(region=cast.pulv, general_days=10)
    assert policy_for(cast.qingsong).region == cast.pulv
    assert report(cast).deadline == add_working_days(TUESDAY, 10)
    assert policy_for(bachuan_school(cast)).region == cast.tongliang


def test_without_any_policy_the_platform_default_applies(cast):
    assert policy_for(cast.qingsong) is DEFAULT_POLICY
    assert default_deadline(cast.qingsong, "general", TUESDAY) == dt.date(2026, 3, 19)


def test_a_deadline_given_by_the_reporter_is_kept(cast):
    assert report(cast, deadline=dt.date(2026, 3, 13)).deadline == dt.date(2026, 3, 13)


def test_a_confirming_reviewer_may_set_the_deadline(cast):
    hazard = report(cast)
    hazard_confirm(
        acting_user=cast.police, hazard=hazard, expected_version=hazard.version, deadline=dt.date(2026, 3, 12)
    )
    assert Hazard.objects.get(pk=hazard.pk).deadline == dt.date(2026, 3, 12)


def test_a_policy_ladder_must_climb(cast):
    policy = HazardPolicy(region=cast.pulv, supervise_after=5, interview_after=3, listed_after=10)
    with pytest.raises(ValidationError, match="依次递增"):
        policy.full_clean()


# --- overdue and due soon -------------------------------------------------------------------


def flags(hazard):
    row = Hazard.objects.with_flags().get(pk=hazard.pk)
    return row.is_overdue, row.is_due_soon


def test_a_hazard_is_not_overdue_on_its_deadline_and_is_the_day_after(cast, frozen):
    hazard = report(cast, state="rectifying")  # deadline Thu 19 March
    frozen.move_to(at(dt.date(2026, 3, 19), 23))
    assert not Hazard.objects.overdue().filter(pk=hazard.pk).exists()
    assert flags(hazard) == (False, True)
    frozen.move_to(at(dt.date(2026, 3, 20), 0))
    assert Hazard.objects.overdue().filter(pk=hazard.pk).exists()
    assert flags(hazard) == (True, False)


def test_due_soon_means_within_three_working_days(cast, frozen):
    hazard = report(cast, state="open")  # deadline Thu 19 March
    frozen.move_to(at(dt.date(2026, 3, 13)))  # Fri: 16, 17, 18 → not yet
    assert due_soon_until(dt.date(2026, 3, 13)) == dt.date(2026, 3, 18)
    assert flags(hazard) == (False, False)
    frozen.move_to(at(dt.date(2026, 3, 16)))  # Mon: 17, 18, 19
    assert flags(hazard) == (False, True)
    assert list(Hazard.objects.due_soon()) == [hazard]


@pytest.mark.parametrize("final", ["closed", "dismissed"])
def test_a_finished_hazard_is_never_overdue(cast, frozen, final):
    hazard = report(cast, state=final)
    frozen.move_to(at(dt.date(2027, 1, 4)))
    assert not Hazard.objects.overdue().exists()
    assert not Hazard.objects.due_soon().exists()
    assert flags(hazard) == (False, False)


def test_overdue_ends_when_the_hazard_closes(cast, frozen):
    hazard = report(cast, state="open")
    frozen.move_to(at(dt.date(2026, 3, 25)))
    assert flags(hazard) == (True, False)
    hazard_fix_on_spot(
        acting_user=cast.police,
        hazard=hazard,
        expected_version=hazard.version,
        note="已清理",
        photos=[photo()],
    )
    assert flags(hazard) == (False, False)


def test_with_flags_marks_a_whole_list_in_one_query(cast, frozen, django_assert_num_queries):
    late = report(cast, state="open", deadline=dt.date(2026, 3, 11))
    soon = report(cast, state="open", deadline=dt.date(2026, 3, 13))
    later = report(cast, state="open", deadline=dt.date(2026, 4, 30))
    closed = report(cast, state="closed", deadline=dt.date(2026, 3, 11))
    frozen.move_to(at(dt.date(2026, 3, 12)))
    with django_assert_num_queries(1):
        rows = {h.pk: (h.is_overdue, h.is_due_soon) for h in Hazard.objects.with_flags()}
    assert rows == {
        late.pk: (True, False),
        soon.pk: (False, True),
        later.pk: (False, False),
        closed.pk: (False, False),
    }


def test_an_explicit_today_overrides_the_clock(cast):
    hazard = report(cast, state="open")
    assert Hazard.objects.overdue(dt.date(2026, 3, 20)).get() == hazard
    assert not Hazard.objects.overdue(dt.date(2026, 3, 19)).exists()
