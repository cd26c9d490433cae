"""The register's filter form: a scope small enough to list gets the school and unit selects; a
larger one (a province: 12,000 schools) gets text inputs instead of 24,000 <option>s, and links
that filter by a school's id keep working."""

import pytest
from django.urls import reverse

from huxiao.hazards.forms import HazardFilterForm
from huxiao.hazards.tests.test_views_list_queries import HAZARD_LIST_QUERIES
from huxiao.testsupport.hazards import bachuan_school, make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")

URL = reverse("hazards:hazard-list")


@pytest.fixture
def register(cast):
    return {
        "qingsong": make_hazard(cast, title="围墙破损", state="open"),
        "mingde": make_hazard(cast, cast.mingde, title="监控坏了", state="open"),
        "bachuan": make_hazard(
            cast, bachuan_school(cast), by=cast.outsider, title="巴川独有隐患", state="open"
        ),
    }


@pytest.fixture
def large(monkeypatch):
    """蒲吕's police station sees two schools: more than a limit of one."""
    monkeypatch.setattr(HazardFilterForm, "SELECT_LIMIT", 1)


def titles(response) -> set[str]:
    return {h.title for h in response.context["page"].object_list}


def test_a_small_scope_chooses_the_school_from_a_list(cast, client, register, django_assert_num_queries):
    client.force_login(cast.police)
    with django_assert_num_queries(HAZARD_LIST_QUERIES):
        page = client.get(URL).content.decode()
    assert '<select name="school"' in page and '<select name="responsible_org"' in page
    assert f'<option value="{cast.qingsong.pk}">{cast.qingsong.name}</option>' in page
    assert 'name="school_name"' not in page and 'name="org_name"' not in page
    assert titles(client.get(URL, {"school": cast.mingde.pk})) == {"监控坏了"}


def test_a_large_scope_types_the_school_name_instead(
    cast, client, register, large, django_assert_num_queries
):
    client.force_login(cast.police)
    # one query fewer: no list of responsible units
    with django_assert_num_queries(HAZARD_LIST_QUERIES - 1):
        page = client.get(URL).content.decode()
    assert '<select name="school"' not in page and '<select name="responsible_org"' not in page
    assert cast.qingsong.name not in page.split('id="hazard-results"')[0]  # no school listed in the form
    assert 'type="search" name="school_name"' in page and 'type="search" name="org_name"' in page
    assert titles(client.get(URL, {"school_name": "明德"})) == {"监控坏了"}
    assert titles(client.get(URL, {"org_name": cast.qingsong.organisation.name})) == {"围墙破损"}
    assert titles(client.get(URL, {"school_name": "巴川"})) == set()  # out of scope stays out


def test_a_large_scope_still_filters_by_a_school_id_from_a_link(cast, client, register, large):
    client.force_login(cast.police)
    response = client.get(URL, {"school": cast.mingde.pk, "state": "live"})
    assert titles(response) == {"监控坏了"}
    assert f'<input type="hidden" name="school" value="{cast.mingde.pk}"' in response.content.decode()
    # a school outside the scope is not a valid choice: the register is not narrowed to it
    outside = client.get(URL, {"school": register["bachuan"].school_id})
    assert outside.context["form"].errors["school"]
    assert "巴川独有隐患" not in titles(outside)
