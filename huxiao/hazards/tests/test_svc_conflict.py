"""Two reviewers act on the same hazard at once (DESIGN §4.4): the first wins, the second is
told in Chinese who got there first, and the timeline holds exactly one transition."""

import pytest

from huxiao.accounts.models import User
from huxiao.core.errors import ConflictError
from huxiao.hazards import services
from huxiao.hazards.models import Hazard
from huxiao.testsupport.cast import audit_mark, audit_since
from huxiao.testsupport.concurrency import race, skip_unless_parallel_connections
from huxiao.testsupport.hazards import fresh, hazard_accept, hazard_confirm, hazard_return, make_hazard

pytestmark = pytest.mark.usefixtures("media_root")


def test_the_second_reviewer_with_the_same_version_gets_a_conflict(cast):
    hazard = make_hazard(cast, state="submitted")
    seen_by_both = hazard.version
    events, mark = hazard.events.count(), audit_mark()

    hazard_accept(acting_user=cast.police, hazard=hazard, expected_version=seen_by_both)
    with pytest.raises(ConflictError) as caught:
        hazard_return(
            acting_user=cast.centre_officer, hazard=hazard, expected_version=seen_by_both, reason="照片不清楚"
        )

    message = caught.value.message
    assert "赵警官" in message  # who acted first
    assert "已销号" in message  # what the hazard is now
    assert "您的操作未执行" in message and "请刷新页面" in message
    saved = fresh(hazard)
    assert (saved.state, saved.version) == ("closed", seen_by_both + 1)
    assert [e.kind for e in saved.events.all()[events:]] == ["accepted"]
    assert [e.action for e in audit_since(mark)] == ["hazard.accept"]


def test_a_stale_version_is_refused_even_for_the_same_action(cast):
    hazard = make_hazard(cast, state="reported")
    hazard_confirm(acting_user=cast.police, hazard=hazard, expected_version=hazard.version)
    with pytest.raises(ConflictError, match="待整改"):
        hazard_confirm(acting_user=cast.safety_officer, hazard=hazard, expected_version=hazard.version)
    assert fresh(hazard).events.filter(kind="confirmed").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_racing_in_parallel_transactions_one_wins(cast):
    skip_unless_parallel_connections()
    hazard = make_hazard(cast, state="submitted")
    version = hazard.version

    def reviewer(username, action):
        user = User.objects.get(username=username)
        return lambda: services.hazard_transition(
            acting_user=user,
            hazard=Hazard.objects.get(pk=hazard.pk),
            action=action,
            expected_version=version,
            reason="照片不清楚",
        )

    results = race(reviewer("police", "accept"), reviewer("centre_officer", "return"))

    winners = [r for r in results if isinstance(r, Hazard)]
    losers = [r for r in results if isinstance(r, ConflictError)]
    assert (len(winners), len(losers)) == (1, 1), results
    assert "您的操作未执行" in losers[0].message
    saved = fresh(hazard)
    assert saved.version == version + 1
    assert saved.events.filter(from_state="submitted").count() == 1
