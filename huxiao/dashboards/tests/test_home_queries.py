"""The home page costs a fixed number of queries, however many schools the user oversees."""

import pytest
from django.urls import reverse

from huxiao.core.testing import make_school

URL = reverse("dashboards:home")
# session, user, memberships, their regions, the registry aggregate, the audit count (领导 only),
# the memberships line, and the session save (savepoint, update, release)
EXPECTED = {"official": 10, "safety_officer": 9, "qingsong_lead": 10, "sysadmin": 9, "auditor": 9}


@pytest.mark.parametrize("extra", [0, 30])
@pytest.mark.parametrize("member", sorted(EXPECTED))
def test_the_home_page_query_count_is_fixed(cast, client, django_assert_num_queries, member, extra):
    for i in range(extra):
        make_school(f"蒲吕测试学校{i:02d}", cast.pulv_community, police_station=cast.pulv_police)
    client.force_login(getattr(cast, member))
    with django_assert_num_queries(EXPECTED[member]):
        assert client.get(URL).status_code == 200
