"""Every transition of the hazard loop × every member of the cast (DESIGN §5): the named roles
move the hazard on (state, version, one timeline entry, one audit event); everyone else —
read-only roles, the wrong side, and people outside the scope — is refused and nothing changes."""

import pytest
from django.core.exceptions import PermissionDenied

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.hazards import services
from huxiao.hazards.services import TRANSITIONS
from huxiao.testsupport.cast import audit_mark, audit_since
from huxiao.testsupport.files import photo
from huxiao.testsupport.hazards import (
    CAST_MEMBERS,
    QINGSONG_RECTIFIERS,
    QINGSONG_REVIEWERS,
    bachuan_school,
    fresh,
    hazard_confirm,
    hazard_start,
    make_hazard,
)

pytestmark = pytest.mark.usefixtures("media_root", "frozen")

CASES = [(action, source) for action, rule in TRANSITIONS.items() for source in rule.sources]


def allowed(action: str) -> frozenset[str]:
    """Who may take `action` on a hazard at 青松中学."""
    return {Cap.HAZARD_REVIEW: QINGSONG_REVIEWERS, Cap.HAZARD_RECTIFY: QINGSONG_RECTIFIERS}[
        TRANSITIONS[action].cap
    ]


def act(user, hazard, action):
    """Take `action` with everything it could need (a reason, an after-photo)."""
    return services.hazard_transition(
        acting_user=user,
        hazard=hazard,
        action=action,
        expected_version=hazard.version,
        reason="复查发现问题仍然存在" if TRANSITIONS[action].needs_reason else "",
        note="已整改",
        photos=[photo()] if action in ("submit", "fix_on_spot") else (),
    )


def test_every_transition_needs_a_review_or_rectify_capability():
    assert {rule.cap for rule in TRANSITIONS.values()} <= {Cap.HAZARD_REVIEW, Cap.HAZARD_RECTIFY}


@pytest.mark.parametrize("member", CAST_MEMBERS)
@pytest.mark.parametrize(("action", "source"), CASES, ids=[f"{a}-from-{s}" for a, s in CASES])
def test_only_the_named_roles_can_take_each_transition(cast, action, source, member):
    hazard = make_hazard(cast, state=source)
    user = getattr(cast, member)
    rule = TRANSITIONS[action]
    events_before = hazard.events.count()
    mark = audit_mark()

    if member not in allowed(action):
        with pytest.raises(PermissionDenied):
            act(user, hazard, action)
        unchanged = fresh(hazard)
        assert (unchanged.state, unchanged.version) == (source, hazard.version)
        assert unchanged.events.count() == events_before
        assert (
            unchanged.attachments.filter(phase="after").count()
            == hazard.attachments.filter(phase="after").count()
        )
        assert audit_since(mark) == []
        return

    act(user, hazard, action)
    saved = fresh(hazard)
    assert saved.state == rule.target
    assert saved.version == hazard.version + 1
    assert saved.events.count() == events_before + 1
    event = saved.events.order_by("-pk").first()
    assert (event.kind, event.from_state, event.to_state, event.actor) == (
        rule.event,
        source,
        rule.target,
        user,
    )
    assert event.actor_org_id in scope_of(user).org_ids()
    (entry,) = audit_since(mark)
    assert entry.action == f"hazard.{action}"
    assert (entry.actor, entry.organisation_id) == (user, event.actor_org_id)
    assert (entry.before["state"], entry.after["state"]) == (source, rule.target)
    assert entry.after["version"] == saved.version


@pytest.mark.parametrize("member", ["police", "safety_officer", "centre_officer", "qingsong_lead"])
def test_it_refuses_a_hazard_at_a_school_in_another_subdistrict(cast, member):
    hazard = make_hazard(cast, bachuan_school(cast))  # reported by 巴川平安办
    with pytest.raises(PermissionDenied):
        hazard_confirm(acting_user=getattr(cast, member), hazard=hazard, expected_version=1)
    assert fresh(hazard).state == "reported"


def test_the_subdistrict_of_the_school_may_act_on_it(cast):
    hazard = make_hazard(cast, bachuan_school(cast))
    hazard_confirm(acting_user=cast.outsider, hazard=hazard, expected_version=hazard.version)
    assert fresh(hazard).state == "open"


def test_a_school_lead_cannot_rectify_another_schools_hazard(cast):
    hazard = make_hazard(cast, cast.mingde, state="open")
    with pytest.raises(PermissionDenied):
        hazard_start(acting_user=cast.qingsong_lead, hazard=hazard, expected_version=hazard.version)
    hazard_start(acting_user=cast.mingde_lead, hazard=hazard, expected_version=hazard.version)
    assert fresh(hazard).state == "rectifying"


def test_it_answers_an_unknown_action_in_chinese(cast):
    hazard = make_hazard(cast)
    with pytest.raises(Exception, match="未知操作"):
        services.hazard_transition(
            acting_user=cast.police, hazard=hazard, action="delete", expected_version=hazard.version
        )
