"""The home page cards: the 派出所 and the 学区 see how many of their schools lack a 法治辅导员 or
a visit this semester; a school sees the next dated occasion and whether it has recorded an
activity for it; each card is one query, and the others get none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from huxiao.accounts.scope import scope_of
from huxiao.education import services
from huxiao.education.choices import Occasion
from huxiao.education.selectors import home_panels
from huxiao.education.tests.builders import NOW, activity, appoint

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]


def test_the_station_and_the_district_count_the_schools_needing_attention(cast, django_assert_num_queries):
    appointment = appoint(cast)
    services.visit_record(
        acting_user=cast.police, appointment=appointment, visited_on=dt.date(2026, 11, 2), content="进校"
    )
    appoint(cast, cast.mingde, number="2号")
    for user in (cast.police, cast.centre_officer):
        scope_of(user)  # read once per request before the page's own queries
        with django_assert_num_queries(1):
            (card,) = home_panels(user)
        assert card.title == "法治辅导员" and card.text == "未配备0所，本学期未进校1所" and card.warn
        assert card.url == reverse("education:counsellor-list")


def test_a_school_sees_the_next_occasion(cast, django_assert_num_queries):
    scope_of(cast.qingsong_lead)
    with django_assert_num_queries(1):
        (card,) = home_panels(cast.qingsong_lead)
    assert card.text == "12·2全国交通安全日（12月2日）：尚未记录活动" and card.value == "6天" and card.warn
    activity(cast.qingsong_lead, cast.qingsong, occasion=Occasion.TRAFFIC_DAY, held_on=dt.date(2026, 11, 25))
    (card,) = home_panels(cast.qingsong_lead)
    assert card.text.endswith("已记录活动") and not card.warn


@pytest.mark.parametrize("who", ["official", "safety_officer", "observer", "sysadmin", "auditor", "outsider"])
def test_the_others_get_no_card(cast, django_assert_num_queries, who):
    scope_of(getattr(cast, who))
    with django_assert_num_queries(0):
        assert home_panels(getattr(cast, who)) == []
