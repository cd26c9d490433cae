"""The school list costs the same number of queries for 3 schools as for 30 (no N+1)."""

import pytest
from django.urls import reverse

from huxiao.schools import services
from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES, make_school

URL = reverse("schools:school-list")
# page count, the three filter choice lists (the 区划 list in two: the schools' region paths, then
# those regions and their ancestors by path), the page of schools (buttons come from the scope)
SCHOOL_LIST_QUERIES = SIGNED_IN_PAGE_QUERIES + 6


def add_schools(cast, count):
    """`count` more schools in 蒲吕, linked every way the list shows, half with a 三防 profile."""
    for i in range(count):
        school = make_school(
            f"蒲吕测试学校{i:02d}",
            cast.shilong_village if i % 2 else cast.pulv_community,
            own_unit=i % 3 == 0,
            police_station=cast.pulv_police,
            school_district=cast.pulv_centre,
        )
        if i % 2:
            services.profile_file(acting_user=cast.safety_officer, school=school, base_version=None)


@pytest.mark.parametrize("extra", [0, 27])
def test_the_school_list_query_count_does_not_grow_with_the_schools(
    cast, client, django_assert_num_queries, extra
):
    add_schools(cast, extra)
    client.force_login(cast.safety_officer)
    with django_assert_num_queries(SCHOOL_LIST_QUERIES):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == min(3 + extra, 25)
