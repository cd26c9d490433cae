"""The school page costs the same with one 三防 version as with twelve."""

import pytest
from django.urls import reverse

from huxiao.schools import services
from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES

# the school, its profile history (filers joined in), can_edit, can_edit_profile
SCHOOL_DETAIL_QUERIES = SIGNED_IN_PAGE_QUERIES + 4


@pytest.mark.parametrize("versions", [1, 12])
def test_the_school_page_query_count_does_not_grow_with_the_versions(
    cast, client, django_assert_num_queries, versions
):
    base = None
    for _ in range(versions):
        base = services.profile_file(
            acting_user=cast.qingsong_lead, school=cast.qingsong, base_version=base
        ).version
    client.force_login(cast.safety_officer)
    with django_assert_num_queries(SCHOOL_DETAIL_QUERIES):
        response = client.get(reverse("schools:school-detail", args=[cast.qingsong.pk]))
    assert len(response.context["history"]) == versions
