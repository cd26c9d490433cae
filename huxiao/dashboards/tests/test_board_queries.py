"""The 数据看板 and the 大屏's data fragment cost a fixed number of queries per role, however
many schools the user oversees (every figure is an aggregate in SQL)."""

import pytest
from django.urls import reverse

from huxiao.core.testing import SIGNED_IN_PAGE_QUERIES, make_school
from huxiao.hazards.choices import Severity, State
from huxiao.hazards.tests.factories import make_hazard, media_root_fixture  # noqa: F401

# The board's own queries (boards.hazard_part and sections.sections):
#   registry aggregate 1, hazard aggregate 1, trend 1, overdue list 1, escalated list 1, risk ranking 1
HAZARD_PART = 6
#   护学岗 (duty.coverage.totals over this month): schools, set-up schools, required periods,
#   staffed periods, check-in times
DUTY = 5
BOARD = HAZARD_PART + DUTY
# The dashboard page adds the signed-in page's own queries (session, user, scope, inbox badge …);
# the fragment is rendered without context processors: session, user and scope, and the session save.
FRAGMENT_OVERHEAD = SIGNED_IN_PAGE_QUERIES - 1  # no inbox badge
MEMBERS = ["official", "safety_officer", "police", "centre_officer", "qingsong_lead", "observer"]


@pytest.fixture
def register(cast, media_root):
    make_hazard(cast, state=State.OPEN, severity=Severity.MAJOR)
    make_hazard(cast, cast.mingde, state=State.CLOSED)


@pytest.mark.parametrize("extra", [0, 30])
@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize(
    ("name", "overhead"),
    [("dashboards:overview", SIGNED_IN_PAGE_QUERIES), ("dashboards:screen-data", FRAGMENT_OVERHEAD)],
    ids=["overview", "screen-data"],
)
def test_the_board_query_count_is_fixed(
    cast, register, client, django_assert_num_queries, member, extra, name, overhead
):
    for i in range(extra):
        make_school(f"蒲吕测试学校{i:02d}", cast.pulv_community, police_station=cast.pulv_police)
    client.force_login(getattr(cast, member))
    with django_assert_num_queries(overhead + BOARD):
        assert client.get(reverse(name)).status_code == 200
