"""The register costs the same number of queries for 3 hazards as for 30 (no N+1)."""

import datetime as dt

import pytest
from django.urls import reverse

from huxiao.hazards.escalation import escalate_overdue
from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES
from huxiao.testsupport.hazards import make_hazard

pytestmark = pytest.mark.usefixtures("frozen")

URL = reverse("hazards:hazard-list")
# the page of hazards, its count, the counts by state, the school and responsible-unit choices
HAZARD_LIST_QUERIES = SIGNED_IN_PAGE_QUERIES + 5


def add_hazards(cast, count):
    """`count` hazards across both schools in several states, a third overdue and escalated."""
    states = ["reported", "open", "rectifying", "dismissed"]
    for i in range(count):
        make_hazard(
            cast,
            cast.qingsong if i % 2 else cast.mingde,
            title=f"隐患{i:02d}",
            state=states[i % len(states)],
            found_on=dt.date(2026, 1, 5),
            deadline=dt.date(2026, 2, 1) if i % 3 == 0 else None,
        )
    escalate_overdue()


@pytest.mark.parametrize(
    ("count", "user"), [(3, "police"), (30, "police"), (3, "safety_officer"), (30, "safety_officer")]
)
def test_the_register_query_count_does_not_grow_with_the_hazards(
    cast, client, django_assert_num_queries, count, user
):
    add_hazards(cast, count)
    client.force_login(getattr(cast, user))
    with django_assert_num_queries(HAZARD_LIST_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 25)
    assert sum(c["count"] for c in response.context["chips"][1:]) == count


def test_filtering_adds_only_the_choice_checks(cast, client, django_assert_num_queries):
    add_hazards(cast, 3)
    client.force_login(cast.police)
    # a chosen school and unit are each looked up once to validate the choice
    with django_assert_num_queries(HAZARD_LIST_QUERIES + 2):
        client.get(URL, {"school": cast.qingsong.pk, "responsible_org": cast.qingsong.organisation_id})
