"""A reviewer may not accept (or return, or close on the spot) their own organisation's
rectification (DESIGN §5): the unit that rectified cannot sign off its own work."""

import pytest
from django.core.exceptions import PermissionDenied

from huxiao.accounts.roles import RoleCode
from huxiao.hazards import services
from huxiao.hazards.models import Hazard
from huxiao.testsupport.cast import audit_mark, audit_since, make_user
from huxiao.testsupport.files import photo
from huxiao.testsupport.hazards import fresh, make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")


def act(user, hazard, action):
    return services.hazard_transition(
        acting_user=user,
        hazard=hazard,
        action=action,
        expected_version=hazard.version,
        reason="整改不到位",
        photos=[photo()] if action == "fix_on_spot" else (),
    )


@pytest.fixture
def school_reviewer(cast):
    """A coordinator inside 青松中学 itself: they hold review rights over their own school."""
    return make_user("qingsong_coordinator", cast.qingsong.organisation, RoleCode.COORDINATOR)


@pytest.mark.parametrize(
    ("action", "state"), [("accept", "submitted"), ("return", "submitted"), ("fix_on_spot", "open")]
)
def test_a_school_side_reviewer_cannot_sign_off_their_own_schools_rectification(
    cast, school_reviewer, action, state
):
    hazard = make_hazard(cast, state=state)
    mark = audit_mark()
    with pytest.raises(PermissionDenied, match="不能验收本单位的整改"):
        act(school_reviewer, hazard, action)
    assert (fresh(hazard).state, fresh(hazard).version) == (state, hazard.version)
    assert audit_since(mark) == []


def test_the_school_side_reviewer_may_still_confirm_a_hazard_at_their_school(cast, school_reviewer):
    hazard = make_hazard(cast)
    act(school_reviewer, hazard, "confirm")
    assert fresh(hazard).state == "open"


@pytest.mark.parametrize("action", ["accept", "return"])
def test_the_school_district_cannot_accept_when_it_is_itself_the_responsible_unit(cast, action):
    hazard = make_hazard(cast, state="submitted")
    # The 学区 took the rectification over (the model allows any responsible unit).
    Hazard.objects.filter(pk=hazard.pk).update(responsible_org=cast.pulv_centre)
    hazard = fresh(hazard)
    with pytest.raises(PermissionDenied, match="不能验收本单位的整改"):
        act(cast.centre_officer, hazard, action)
    assert fresh(hazard).state == "submitted"
    act(cast.police, hazard, action)  # another unit may
    assert fresh(hazard).state in ("closed", "rectifying")


def test_someone_in_two_units_acts_for_the_one_that_did_not_rectify(cast, school_reviewer):
    from huxiao.accounts import services as accounts

    accounts.membership_grant(
        acting_user=None, user=school_reviewer, organisation=cast.pulv_police, role=RoleCode.POLICE
    )
    hazard = make_hazard(cast, state="submitted")
    act(school_reviewer, hazard, "accept")
    event = fresh(hazard).events.order_by("-pk").first()
    assert (event.kind, event.actor_org_id) == ("accepted", cast.pulv_police.pk)
