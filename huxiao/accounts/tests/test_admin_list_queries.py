"""The account and organisation lists cost a fixed number of queries, however many rows."""

import pytest
from django.urls import reverse

from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES, make_org, make_user

# users, their memberships, those memberships' organisations
USER_LIST_QUERIES = SIGNED_IN_PAGE_QUERIES + 3
# regions, organisations (home region joined in), their jurisdictions
ORGANISATION_LIST_QUERIES = SIGNED_IN_PAGE_QUERIES + 3


@pytest.mark.parametrize("extra", [0, 15])
def test_the_user_and_organisation_lists_do_not_grow_with_the_rows(
    cast, client, django_assert_num_queries, extra
):
    for i in range(extra):
        make_user(
            f"extra{i}",
            make_org(f"蒲吕卫生院{i}", "health", cast.pulv, jurisdiction=[cast.pulv]),
            "inspector",
        )
    client.force_login(cast.sysadmin)
    with django_assert_num_queries(USER_LIST_QUERIES):
        assert client.get(reverse("accounts:user-list")).status_code == 200
    with django_assert_num_queries(ORGANISATION_LIST_QUERIES):
        assert client.get(reverse("directory:organisation-list")).status_code == 200
