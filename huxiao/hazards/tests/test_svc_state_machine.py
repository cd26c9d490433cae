"""Property test of the hazard loop: random walks of random cast members taking random actions
(transitions, evidence, plans, notices, signing, extensions — some with a stale version) never
leave the state machine of DESIGN §5.

After every step: the state is one of `State`; a state change is one of the pairs TRANSITIONS
allows, made by a successful action whose rule it is; a successful transition raises the
version and a refused action changes nothing; a closed hazard changes only through "reopen".
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings, target
from hypothesis import strategies as st

from huxiao.core.errors import ConflictError
from huxiao.hazards import services
from huxiao.hazards.choices import ExtensionState, Severity, State
from huxiao.hazards.models import ExtensionRequest, Hazard, RectificationNotice
from huxiao.hazards.services import TRANSITIONS
from huxiao.testsupport.files import photo
from huxiao.testsupport.hazards import CAST_MEMBERS, fresh, make_hazard

pytestmark = pytest.mark.usefixtures("media_root")

SIDE_ACTIONS = ["evidence", "temp_measures", "plan", "notice", "sign", "extension", "approve"]
ACTIONS = list(TRANSITIONS) + SIDE_ACTIONS
# Every (from, to) pair a transition allows; notices move reported → open and signing open →
# rectifying, which are the pairs of "confirm" and "start".
ALLOWED_PAIRS = {(source, rule.target) for rule in TRANSITIONS.values() for source in rule.sources}
ROW = ("state", "version", "deadline", "temp_measures", "escalation", "closed_at", "responsible_org_id")


def snapshot(hazard: Hazard) -> tuple:
    return tuple(getattr(hazard, f) for f in ROW)


def run(cast, user, action: str, hazard: Hazard, stale: bool) -> None:
    """Take one action through the services (raising when the service refuses)."""
    today = timezone.localdate()
    if action in TRANSITIONS:
        services.hazard_transition(
            acting_user=user,
            hazard=hazard,
            action=action,
            expected_version=hazard.version - 1 if stale else hazard.version,
            reason="随机理由" if TRANSITIONS[action].needs_reason else "",
            photos=[photo()] if action in ("submit", "fix_on_spot") else (),
        )
    elif action == "evidence":
        services.hazard_add_evidence(acting_user=user, hazard=hazard, phase="after", photos=[photo()])
    elif action == "temp_measures":
        services.hazard_record_temp_measures(acting_user=user, hazard=hazard, text="设置警戒线")
    elif action == "plan":
        services.plan_record(
            acting_user=user, hazard=hazard, summary="整改方案", tasks=[("整改", "总务处", today)]
        )
    elif action == "notice":
        services.notice_issue(
            acting_user=user,
            issuer=cast.pulv_police,
            school=hazard.school,
            hazards=[hazard],
            deadline=today + dt.timedelta(days=10),
        )
    elif action == "sign":
        notice = RectificationNotice.objects.filter(hazards=hazard, signed_at=None).first()
        if notice is None:
            raise ValidationError("没有待签收的通知书")
        services.notice_sign(acting_user=user, notice=notice)
    elif action == "extension":
        services.extension_request(
            acting_user=user,
            hazard=hazard,
            new_deadline=(hazard.deadline or today) + dt.timedelta(days=5),
            reason="工程量大",
        )
    elif action == "approve":
        request = ExtensionRequest.objects.filter(hazard=hazard, state=ExtensionState.PENDING).first()
        if request is None:
            raise ValidationError("没有待审批的延期申请")
        services.extension_decide(acting_user=user, request=request, approve=True)


# Mostly people who can act on 青松中学 (so walks get far), sometimes anyone; mostly fresh versions.
ACTORS = ["police", "qingsong_lead", "centre_officer", "safety_officer"]
member = st.one_of(st.sampled_from(ACTORS), st.sampled_from(CAST_MEMBERS))
action = st.one_of(st.sampled_from(list(TRANSITIONS)), st.sampled_from(ACTIONS))
step = st.tuples(member, action, st.integers(0, 5).map(lambda n: n == 0))


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(severity=st.sampled_from(Severity.values), steps=st.lists(step, min_size=5, max_size=40))
def test_random_walks_never_leave_the_state_machine(cast, severity, steps):
    with transaction.atomic():
        hazard = make_hazard(cast, severity=severity)
        for member, action, stale in steps:
            before = fresh(hazard)
            events_before = before.events.count()
            try:
                run(cast, getattr(cast, member), action, before, stale)
                done = True
            except (PermissionDenied, ValidationError, ConflictError):
                done = False
            after = fresh(hazard)
            where = f"{member} {action} stale={stale}: {before.state} → {after.state}"

            assert after.state in State.values, where
            assert after.version >= before.version, where
            if not done:
                assert snapshot(after) == snapshot(before), where
                assert after.events.count() == events_before, where
            if after.state != before.state:
                assert done and (before.state, after.state) in ALLOWED_PAIRS, where
                assert after.version > before.version, where
                if action in TRANSITIONS:
                    assert before.state in TRANSITIONS[action].sources, where
                    assert after.state == TRANSITIONS[action].target, where
                else:
                    assert (action, before.state, after.state) in {
                        ("notice", State.REPORTED, State.OPEN),
                        ("sign", State.OPEN, State.RECTIFYING),
                    }, where
            if done and action in TRANSITIONS:
                assert not stale, where
                assert after.state == TRANSITIONS[action].target, where
                assert after.version == before.version + 1, where
                event = after.events.order_by("-pk").first()
                assert (event.from_state, event.to_state) == (before.state, after.state), where
            if before.state == State.CLOSED and action != "reopen":
                assert snapshot(after) == snapshot(before), where
            if before.state == State.DISMISSED:
                assert snapshot(after) == snapshot(before), where
        # Steer generation towards long walks through the loop (closing, reopening …).
        target(float(fresh(hazard).version), label="successful steps")
        transaction.set_rollback(True)
