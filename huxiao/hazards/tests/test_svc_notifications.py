"""Inbox messages of the hazard loop: each step reaches the people who must act next — the
school for assignments, notices, returns, acceptances and reminders; the reviewers for
submissions; school, 学区 and supervising office for escalations — and nobody outside."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from huxiao.hazards import services
from huxiao.hazards.escalation import escalate_overdue, remind_due
from huxiao.notifications.models import Notification
from huxiao.testsupport.clock import at
from huxiao.testsupport.hazards import (
    CAST_MEMBERS,
    drive,
    fresh,
    hazard_accept,
    hazard_confirm,
    hazard_return,
    make_hazard,
)

pytestmark = pytest.mark.usefixtures("media_root", "frozen")


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """`with sent(): …` runs the block and delivers what it queued for after the commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def inboxes(cast, kind=None) -> dict[str, list[str]]:
    """Cast member → kinds in their inbox (only members with something)."""
    result = {}
    for name in CAST_MEMBERS:
        qs = Notification.objects.filter(user=getattr(cast, name)).order_by("pk")
        if kind:
            qs = qs.filter(kind=kind)
        if kinds := list(qs.values_list("kind", flat=True)):
            result[name] = kinds
    return result


def test_confirming_assigns_the_hazard_to_the_school(cast, sent):
    hazard = make_hazard(cast)
    with sent():
        hazard_confirm(acting_user=cast.police, hazard=hazard, expected_version=hazard.version)
    assert inboxes(cast) == {"qingsong_lead": ["assigned"]}
    (message,) = Notification.objects.all()
    assert "消防通道堆放杂物" in message.title and message.url.endswith(f"/{hazard.pk}/")


def test_a_hazard_registered_and_confirmed_at_once_is_assigned_too(cast, sent):
    with sent():
        services.hazard_report(
            acting_user=cast.police,
            school=cast.mingde,
            title="校门口减速带缺失",
            category="traffic",
            description="校门口道路无减速带",
            confirm=True,
        )
    assert inboxes(cast) == {"mingde_lead": ["assigned"]}


def test_a_report_waiting_for_confirmation_tells_nobody(cast, sent):
    with sent():
        make_hazard(cast)
    assert inboxes(cast) == {}


def test_a_notice_reaches_the_school(cast, sent):
    hazard = make_hazard(cast, state="open")
    Notification.objects.all().delete()
    with sent():
        notice = services.notice_issue(
            acting_user=cast.police,
            issuer=cast.pulv_police,
            school=cast.qingsong,
            hazards=[hazard],
            deadline=dt.date(2026, 3, 31),
        )
    assert inboxes(cast) == {"qingsong_lead": ["notice_issued"]}
    assert notice.number in Notification.objects.get().title


def test_a_submission_reaches_the_reviewers_not_the_school(cast, sent):
    hazard = make_hazard(cast, state="rectifying")
    with sent():
        drive(cast, hazard, "submitted")
    # found by the police; the school's 派出所 and 学区 review it
    assert inboxes(cast) == {"police": ["submitted"], "centre_officer": ["submitted"]}


def test_a_submission_also_reaches_the_unit_that_found_it(cast, sent):
    hazard = make_hazard(cast, state="rectifying", by=cast.safety_officer)
    with sent():
        drive(cast, hazard, "submitted")
    assert set(inboxes(cast)) == {"police", "centre_officer", "safety_officer"}


def test_a_return_reaches_the_school(cast, sent):
    hazard = make_hazard(cast, state="submitted")
    with sent():
        hazard_return(
            acting_user=cast.police, hazard=hazard, expected_version=hazard.version, reason="照片不清楚"
        )
    assert inboxes(cast) == {"qingsong_lead": ["returned"]}


def test_an_acceptance_reaches_the_school(cast, sent):
    hazard = make_hazard(cast, state="submitted")
    with sent():
        hazard_accept(acting_user=cast.centre_officer, hazard=hazard, expected_version=hazard.version)
    assert inboxes(cast) == {"qingsong_lead": ["accepted"]}


def test_a_refused_action_sends_nothing(cast, sent):
    hazard = make_hazard(cast, state="submitted")
    with sent(), pytest.raises(ValidationError):
        hazard_return(acting_user=cast.police, hazard=hazard, expected_version=hazard.version, reason="")
    assert inboxes(cast) == {}


def test_an_escalation_reaches_the_school_the_school_district_and_the_supervising_office(cast, sent, frozen):
    make_hazard(cast, state="rectifying", deadline=dt.date(2026, 3, 6))
    Notification.objects.all().delete()
    frozen.move_to(at(dt.date(2026, 3, 9), 2))
    with sent():
        escalate_overdue()
    assert inboxes(cast) == {
        "safety_officer": ["escalated"],
        "centre_officer": ["escalated"],
        "qingsong_lead": ["escalated"],
    }


def test_reminders_reach_only_the_school_once_a_day(cast, frozen):
    due_soon = make_hazard(cast, state="rectifying", deadline=dt.date(2026, 3, 12))
    overdue = make_hazard(cast, cast.mingde, state="open", deadline=dt.date(2026, 3, 9))
    make_hazard(cast, state="closed", deadline=dt.date(2026, 3, 9))
    make_hazard(cast, state="open", deadline=dt.date(2026, 4, 30))
    Notification.objects.all().delete()

    assert remind_due() == 2
    assert inboxes(cast) == {"qingsong_lead": ["due_soon"], "mingde_lead": ["overdue"]}
    assert remind_due() == 0  # same day: nothing new
    assert Notification.objects.count() == 2

    frozen.move_to(at(dt.date(2026, 3, 11)))
    remind_due()
    assert inboxes(cast) == {"qingsong_lead": ["due_soon", "due_soon"], "mingde_lead": ["overdue", "overdue"]}
    titles = set(Notification.objects.values_list("title", flat=True))
    assert any("即将到期" in t and due_soon.title in t for t in titles)
    assert any("已逾期" in t and "2026年03月09日" in t for t in titles)
    assert fresh(overdue).state == "open"


def test_an_inactive_account_gets_nothing(cast, sent):
    from huxiao.accounts import services as accounts

    accounts.account_set_active(acting_user=None, user=cast.qingsong_lead, active=False)
    hazard = make_hazard(cast)
    with sent():
        hazard_confirm(acting_user=cast.police, hazard=hazard, expected_version=hazard.version)
    assert inboxes(cast) == {}
