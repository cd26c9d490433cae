"""The audit log page costs a fixed number of queries, however long the chain."""

import pytest
from django.urls import reverse

from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES, make_school

URL = reverse("audit:list")
# page count, the page of events (actor and organisation joined in)
AUDIT_LIST_QUERIES = SIGNED_IN_PAGE_QUERIES + 2


@pytest.mark.parametrize("extra", [0, 60])
def test_the_audit_list_query_count_does_not_grow_with_the_events(
    cast, client, django_assert_num_queries, extra
):
    for i in range(extra):
        make_school(f"蒲吕测试学校{i:02d}", cast.pulv_community)
    client.force_login(cast.auditor)
    with django_assert_num_queries(AUDIT_LIST_QUERIES):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 50
