"""Dismissing, returning and reopening need a reason: without one the service answers with a
Chinese error on the `reason` field and saves nothing."""

import pytest
from django.core.exceptions import ValidationError

from huxiao.hazards import services
from huxiao.hazards.services import TRANSITIONS
from huxiao.testsupport.cast import audit_mark, audit_since
from huxiao.testsupport.hazards import fresh, make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")

NEEDS_REASON = {"dismiss": "reported", "return": "submitted", "reopen": "closed"}


def test_exactly_dismiss_return_and_reopen_need_a_reason():
    assert {a for a, rule in TRANSITIONS.items() if rule.needs_reason} == set(NEEDS_REASON)


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
@pytest.mark.parametrize(("action", "state"), NEEDS_REASON.items())
def test_it_refuses_a_blank_reason_and_saves_nothing(cast, action, state, blank):
    hazard = make_hazard(cast, state=state)
    events, mark = hazard.events.count(), audit_mark()
    with pytest.raises(ValidationError) as caught:
        services.hazard_transition(
            acting_user=cast.police,
            hazard=hazard,
            action=action,
            expected_version=hazard.version,
            reason=blank,
            note="备注不能代替理由",
        )
    assert list(caught.value.message_dict) == ["reason"]
    assert "须填写理由" in caught.value.message_dict["reason"][0]
    after = fresh(hazard)
    assert (after.state, after.version, after.events.count()) == (state, hazard.version, events)
    assert audit_since(mark) == []


@pytest.mark.parametrize(("action", "state"), NEEDS_REASON.items())
def test_the_reason_is_kept_on_the_timeline_and_in_the_audit(cast, action, state):
    hazard = make_hazard(cast, state=state)
    mark = audit_mark()
    services.hazard_transition(
        acting_user=cast.police,
        hazard=hazard,
        action=action,
        expected_version=hazard.version,
        reason="  照片显示杂物仍未清理  ",
    )
    event = fresh(hazard).events.order_by("-pk").first()
    assert event.note == "照片显示杂物仍未清理"
    (entry,) = audit_since(mark)
    assert entry.after["reason"] == "照片显示杂物仍未清理"
