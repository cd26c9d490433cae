"""The overdue ladder 督办 → 约谈 → 挂牌督办 (DESIGN §5): working days overdue against the
region's policy decide the rung; each rung gets its own numbered record once; running the job
again changes nothing; closing the hazard lifts the ladder."""

import datetime as dt

import pytest
from django.core.management import call_command

from huxiao.hazards.choices import Escalation
from huxiao.hazards.escalation import escalate_overdue, escalation_issuer
from huxiao.hazards.models import HazardEscalation, HazardPolicy
from huxiao.notifications.models import Notification
from huxiao.testsupport.cast import audit_mark, audit_since
from huxiao.testsupport.clock import at
from huxiao.testsupport.files import photo
from huxiao.testsupport.hazards import fresh, hazard_accept, hazard_dismiss, hazard_submit, make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")

DEADLINE = dt.date(2026, 3, 6)  # a Friday
# working days overdue on each date: Sat 7 → 0, Mon 9 → 1, Thu 12 → 4, Fri 13 → 5, Thu 19 → 9, Fri 20 → 10
OVERDUE_BY = {
    dt.date(2026, 3, 6): 0,
    dt.date(2026, 3, 7): 0,
    dt.date(2026, 3, 9): 1,
    dt.date(2026, 3, 12): 4,
    dt.date(2026, 3, 13): 5,
    dt.date(2026, 3, 19): 9,
    dt.date(2026, 3, 20): 10,
}


@pytest.fixture
def hazard(cast):
    return make_hazard(cast, state="rectifying", found_on=dt.date(2026, 2, 27), deadline=DEADLINE)


def run(frozen, day):
    frozen.move_to(at(day, 2))
    return escalate_overdue()


def rungs(hazard):
    return list(HazardEscalation.objects.filter(hazard=hazard).values_list("level", flat=True))


def test_an_overdue_hazard_climbs_the_ladder_at_the_default_thresholds(cast, hazard, frozen):
    expected = {
        dt.date(2026, 3, 6): Escalation.NONE,
        dt.date(2026, 3, 7): Escalation.NONE,
        dt.date(2026, 3, 9): Escalation.SUPERVISE,
        dt.date(2026, 3, 12): Escalation.SUPERVISE,
        dt.date(2026, 3, 13): Escalation.INTERVIEW,
        dt.date(2026, 3, 19): Escalation.INTERVIEW,
        dt.date(2026, 3, 20): Escalation.LISTED,
    }
    for day, level in expected.items():
        run(frozen, day)
        assert fresh(hazard).escalation == level, day
        assert rungs(hazard) == list(range(1, level + 1)), day
    records = HazardEscalation.objects.filter(hazard=hazard).order_by("level")
    assert [(e.level, e.overdue_days) for e in records] == [(1, 1), (2, 5), (3, 10)]
    assert {e.issuer for e in records} == {cast.pulv_safety_office}
    events = fresh(hazard).events.filter(kind="escalated").order_by("pk")
    assert [e.data["level"] for e in events] == [1, 2, 3]
    assert [e.actor_org for e in events] == [cast.pulv_safety_office] * 3


def test_the_regions_policy_sets_the_thresholds(cast, hazard, frozen):
    HazardPolicy.objects.create(region=cast.pulv, supervise_after=4, interview_after=5, listed_after=9)
    for day, level in [
        (dt.date(2026, 3, 9), Escalation.NONE),
        (dt.date(2026, 3, 12), Escalation.SUPERVISE),
        (dt.date(2026, 3, 13), Escalation.INTERVIEW),
        (dt.date(2026, 3, 19), Escalation.LISTED),
    ]:
        run(frozen, day)
        assert fresh(hazard).escalation == level, day


def test_each_rung_has_its_own_number(cast, hazard, frozen):
    run(frozen, dt.date(2026, 3, 9))
    run(frozen, dt.date(2026, 3, 13))
    run(frozen, dt.date(2026, 3, 20))
    numbers = list(
        HazardEscalation.objects.filter(hazard=hazard).order_by("level").values_list("number", flat=True)
    )
    assert numbers == [
        "蒲吕街道平安办督字〔2026〕第0001号",
        "蒲吕街道平安办约谈〔2026〕第0001号",
        "蒲吕街道平安办挂牌〔2026〕第0001号",
    ]


def test_numbers_run_on_across_hazards(cast, hazard, frozen):
    second = make_hazard(cast, cast.mingde, state="open", deadline=DEADLINE)
    run(frozen, dt.date(2026, 3, 9))
    numbers = sorted(
        HazardEscalation.objects.filter(hazard__in=[hazard, second]).values_list("number", flat=True)
    )
    assert numbers == ["蒲吕街道平安办督字〔2026〕第0001号", "蒲吕街道平安办督字〔2026〕第0002号"]


def test_a_hazard_found_far_overdue_gets_every_skipped_rung_at_once(cast, hazard, frozen):
    mark = audit_mark()
    result = run(frozen, dt.date(2026, 3, 20))
    assert [e.level for e in result.created] == [1, 2, 3]
    assert fresh(hazard).escalation == Escalation.LISTED
    assert len({e.number for e in result.created}) == 3
    assert fresh(hazard).events.filter(kind="escalated").count() == 3
    (entry,) = audit_since(mark)
    assert (entry.action, entry.after["escalation"], entry.after["overdue_days"]) == (
        "hazard.escalate",
        3,
        10,
    )
    assert entry.after["numbers"] == [e.number for e in result.created]


def test_running_twice_on_the_same_day_creates_nothing_new(
    cast, hazard, frozen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = run(frozen, dt.date(2026, 3, 13))
    state = (
        fresh(hazard).version,
        HazardEscalation.objects.count(),
        Notification.objects.count(),
        audit_mark(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = run(frozen, dt.date(2026, 3, 13))
    assert len(first.created) == 2
    assert (second.checked, second.created) == (1, [])
    assert (
        fresh(hazard).version,
        HazardEscalation.objects.count(),
        Notification.objects.count(),
        audit_mark(),
    ) == state


def test_the_management_command_is_idempotent(cast, hazard, frozen, capsys):
    frozen.move_to(at(dt.date(2026, 3, 20), 2))
    call_command("escalate")
    first = capsys.readouterr().out
    assert "新增督办记录 3 条" in first and "蒲吕街道平安办挂牌〔2026〕第0001号" in first
    call_command("escalate")
    assert "新增督办记录 0 条" in capsys.readouterr().out
    assert HazardEscalation.objects.count() == 3


def test_the_command_takes_a_date(cast, hazard, capsys):
    call_command("escalate", "--date", "2026-03-09")
    assert "新增督办记录 1 条" in capsys.readouterr().out
    assert rungs(hazard) == [1]


def test_escalation_notifications_are_sent_once_per_rung(
    cast, hazard, frozen, django_capture_on_commit_callbacks
):
    for day in [
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 12),
        dt.date(2026, 3, 13),
        dt.date(2026, 3, 13),
    ]:
        with django_capture_on_commit_callbacks(execute=True):
            run(frozen, day)
    sent = Notification.objects.filter(user=cast.qingsong_lead, kind="escalated")
    assert sorted(sent.values_list("dedupe_key", flat=True)) == [f"esc:{hazard.pk}:1", f"esc:{hazard.pk}:2"]


@pytest.mark.parametrize("state", ["closed", "dismissed"])
def test_finished_hazards_do_not_escalate(cast, frozen, state):
    make_hazard(cast, state=state, deadline=DEADLINE)
    assert run(frozen, dt.date(2026, 3, 20)).checked == 0
    assert not HazardEscalation.objects.exists()


def test_closing_the_hazard_lifts_the_ladder(cast, hazard, frozen):
    run(frozen, dt.date(2026, 3, 20))
    assert not HazardEscalation.objects.filter(hazard=hazard, lifted_at__isnull=False).exists()
    frozen.move_to(at(dt.date(2026, 3, 23)))
    hazard = fresh(hazard)
    hazard_submit(
        acting_user=cast.qingsong_lead,
        hazard=hazard,
        expected_version=hazard.version,
        note="已整改",
        photos=[photo()],
    )
    closed = hazard_accept(acting_user=cast.police, hazard=hazard, expected_version=hazard.version + 1)
    lifted = set(HazardEscalation.objects.filter(hazard=hazard).values_list("lifted_at", flat=True))
    assert lifted == {closed.closed_at}


def test_dismissing_an_escalated_report_lifts_the_ladder_too(cast, frozen):
    reported = make_hazard(cast, state="reported", deadline=DEADLINE)
    run(frozen, dt.date(2026, 3, 13))
    assert rungs(reported) == [1, 2]
    hazard_dismiss(
        acting_user=cast.police,
        hazard=reported,
        expected_version=fresh(reported).version,
        reason="经核查不属实",
    )
    assert not HazardEscalation.objects.filter(hazard=reported, lifted_at=None).exists()


def test_the_supervising_unit_is_the_subdistrict_safety_office(cast):
    assert escalation_issuer(cast.qingsong) == cast.pulv_safety_office
    assert escalation_issuer(cast.binhe) == cast.bachuan_safety_office


def test_overdue_days_are_counted_in_working_days(cast, hazard, frozen):
    for day, days in OVERDUE_BY.items():
        if days:
            hazard_copy = make_hazard(cast, state="open", deadline=DEADLINE)
            run(frozen, day)
            assert HazardEscalation.objects.filter(hazard=hazard_copy).first().overdue_days == days, day
