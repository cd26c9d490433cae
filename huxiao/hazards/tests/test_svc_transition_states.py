"""A transition from a state it does not start from is a conflict (the page was stale), told in
Chinese and changing nothing; closed hazards move only by "reopen", dismissed ones not at all."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from huxiao.core.errors import ConflictError
from huxiao.hazards import services
from huxiao.hazards.choices import State
from huxiao.hazards.services import ACTION_LABELS, TRANSITIONS
from huxiao.testsupport.cast import audit_mark, audit_since
from huxiao.testsupport.files import photo
from huxiao.testsupport.hazards import fresh, hazard_reopen, make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")


def permitted(cast, action):
    return cast.qingsong_lead if action in ("start", "submit") else cast.police


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_it_refuses_every_action_from_a_state_it_does_not_start_from(cast, action):
    wrong = [s for s in State if s not in TRANSITIONS[action].sources]
    assert wrong
    for state in wrong:
        hazard = make_hazard(cast, state=state)
        events, photos, mark = hazard.events.count(), hazard.attachments.count(), audit_mark()
        with pytest.raises(ConflictError) as caught:
            services.hazard_transition(
                acting_user=permitted(cast, action),
                hazard=hazard,
                action=action,
                expected_version=hazard.version,
                reason="理由",
                photos=[photo()],
            )
        assert State(state).label in caught.value.message, state
        assert ACTION_LABELS[action] in caught.value.message
        after = fresh(hazard)
        assert (after.state, after.version) == (state, hazard.version), state
        assert (after.events.count(), after.attachments.count()) == (events, photos), state
        assert audit_since(mark) == []


def test_reopen_is_the_only_way_out_of_closed(cast):
    leaving_closed = {a for a, rule in TRANSITIONS.items() if State.CLOSED in rule.sources}
    assert leaving_closed == {"reopen"}


def test_nothing_leads_out_of_dismissed(cast):
    assert not [a for a, rule in TRANSITIONS.items() if State.DISMISSED in rule.sources]


def test_reopen_clears_the_closure_and_sets_a_new_deadline(cast, frozen):
    hazard = make_hazard(cast, state="closed")
    assert fresh(hazard).closed_at is not None
    hazard_reopen(
        acting_user=cast.safety_officer, hazard=hazard, expected_version=hazard.version, reason="复查发现反弹"
    )
    reopened = fresh(hazard)
    assert (reopened.state, reopened.closed_at) == ("open", None)
    # 2026-03-10 + 7 working days (the platform default for 一般): 11,12,13,16,17,18,19 March
    assert reopened.deadline == dt.date(2026, 3, 19)
    event = reopened.events.order_by("-pk").first()
    assert (event.kind, event.note) == ("reopened", "复查发现反弹")


def test_reopen_takes_a_deadline_given_by_the_reviewer(cast):
    hazard = make_hazard(cast, state="closed")
    hazard_reopen(
        acting_user=cast.police,
        hazard=hazard,
        expected_version=hazard.version,
        reason="复查发现反弹",
        deadline=dt.date(2026, 4, 1),
    )
    assert fresh(hazard).deadline == dt.date(2026, 4, 1)


@pytest.mark.parametrize(
    ("service", "kwargs"),
    [
        ("hazard_add_evidence", {"phase": "after", "photos": "PHOTO"}),
        ("hazard_record_temp_measures", {"text": "设置警戒线"}),
        ("plan_record", {"summary": "方案", "tasks": [("加高围墙", "总务处", dt.date(2026, 6, 1))]}),
        ("extension_request", {"new_deadline": dt.date(2026, 6, 1), "reason": "工程量大"}),
    ],
)
@pytest.mark.parametrize("state", ["closed", "dismissed"])
def test_a_finished_hazard_cannot_be_changed_by_the_side_services(cast, service, kwargs, state):
    hazard = make_hazard(cast, state=state)
    before = fresh(hazard)
    user = cast.centre_officer if service == "plan_record" else cast.qingsong_lead
    kwargs = {k: [photo()] if v == "PHOTO" else v for k, v in kwargs.items()}
    mark = audit_mark()
    with pytest.raises(ValidationError):
        getattr(services, service)(acting_user=user, hazard=hazard, **kwargs)
    after = fresh(hazard)
    assert (after.version, after.temp_measures, after.deadline) == (
        before.version,
        before.temp_measures,
        before.deadline,
    )
    assert after.events.count() == before.events.count()
    assert audit_since(mark) == []


def test_a_notice_cannot_list_a_closed_hazard(cast):
    hazard = make_hazard(cast, state="closed")
    with pytest.raises(ValidationError, match="已销号"):
        services.notice_issue(
            acting_user=cast.police,
            issuer=cast.pulv_police,
            school=cast.qingsong,
            hazards=[hazard],
            deadline=dt.date(2026, 4, 1),
        )
