"""hazards:hazard-list — the 隐患台账 of the user's scope: filters, counts by state, paging."""

import datetime as dt

import pytest
from django.urls import reverse

from huxiao.hazards import services
from huxiao.testsupport.cast import assert_redirects_to_login, audit_mark, audit_since
from huxiao.testsupport.hazards import bachuan_school, make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")

URL = reverse("hazards:hazard-list")
TODAY = dt.date(2026, 3, 10)  # factories.FROZEN_AT


def titles(response) -> set[str]:
    return {h.title for h in response.context["page"].object_list}


@pytest.fixture
def register(cast):
    """Six hazards at 青松/明德 in different states, categories, severities and deadlines, and
    one in 巴川 that 蒲吕 must never see."""
    return {
        "reported": make_hazard(cast, title="围墙破损", category="physical", state="reported"),
        "open_overdue": make_hazard(
            cast,
            title="监控坏了",
            category="technical",
            state="open",
            found_on=dt.date(2026, 2, 2),
            deadline=dt.date(2026, 3, 2),
        ),
        "due_soon": make_hazard(
            cast, cast.mingde, title="灭火器过期", state="rectifying", deadline=dt.date(2026, 3, 12)
        ),
        "major": make_hazard(cast, title="教学楼裂缝", category="building", severity="major", state="open"),
        "closed": make_hazard(cast, cast.mingde, title="食堂无留样", category="food", state="closed"),
        "spot": make_hazard(cast, title="门卫未登记", category="personnel", source="spot", location="北门"),
        "bachuan": make_hazard(cast, bachuan_school(cast), title="巴川的隐患"),
    }


def get(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def test_it_sends_an_anonymous_visitor_to_login(client):
    assert_redirects_to_login(client.get(URL))


def test_it_refuses_a_role_without_school_view(cast, client):
    client.force_login(cast.auditor)
    assert client.get(URL).status_code == 403


def test_the_observer_sees_pulv_and_reading_writes_no_audit(cast, client, register):
    mark = audit_mark()
    response = get(client, cast.observer)
    assert titles(response) == {
        "围墙破损",
        "监控坏了",
        "灭火器过期",
        "教学楼裂缝",
        "食堂无留样",
        "门卫未登记",
    }
    assert audit_since(mark) == []


def test_the_outsider_sees_only_bachuan(cast, client, register):
    response = get(client, cast.outsider)
    assert titles(response) == {"巴川的隐患"}
    assert "青松" not in response.content.decode()


def test_the_school_lead_sees_only_their_school(cast, client, register):
    assert titles(get(client, cast.qingsong_lead)) == {"围墙破损", "监控坏了", "教学楼裂缝", "门卫未登记"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "reported"}, {"围墙破损", "门卫未登记"}),
        ({"state": "live"}, {"围墙破损", "监控坏了", "灭火器过期", "教学楼裂缝", "门卫未登记"}),
        ({"category": "technical"}, {"监控坏了"}),
        ({"severity": "major"}, {"教学楼裂缝"}),
        ({"overdue": "on"}, {"监控坏了"}),
        ({"due_soon": "on"}, {"灭火器过期"}),
        ({"source": "spot"}, {"门卫未登记"}),
        ({"found_from": "2026-02-01", "found_to": "2026-02-28"}, {"监控坏了"}),
        ({"q": "北门"}, {"门卫未登记"}),
        ({"q": "裂缝"}, {"教学楼裂缝"}),
        ({"q": "明德"}, {"灭火器过期", "食堂无留样"}),
    ],
)
def test_each_filter_narrows_the_register(cast, client, register, params, expected):
    assert titles(get(client, cast.safety_officer, **params)) == expected


def test_the_school_and_responsible_unit_filters(cast, client, register):
    assert titles(get(client, cast.police, school=cast.mingde.pk)) == {"灭火器过期", "食堂无留样"}
    org = cast.mingde.organisation_id
    assert titles(get(client, cast.police, responsible_org=org)) == {"灭火器过期", "食堂无留样"}


def test_the_school_filter_offers_only_visible_schools(cast, client, register):
    form = get(client, cast.police).context["form"]
    assert set(form.fields["school"].queryset) == {cast.qingsong, cast.mingde}
    assert titles(get(client, cast.police, school=cast.binhe.pk)) >= {"围墙破损"}  # invalid choice: ignored
    assert "school" in get(client, cast.police, school=cast.binhe.pk).context["form"].errors


def test_the_escalation_filter(cast, client, register):
    from huxiao.hazards.escalation import escalate_overdue

    escalate_overdue(TODAY)  # 监控坏了: 6 working days overdue → 约谈
    assert titles(get(client, cast.safety_officer, escalation=2)) == {"监控坏了"}
    assert len(titles(get(client, cast.safety_officer, escalation=0))) == 5
    assert "约谈" in get(client, cast.safety_officer).content.decode()


def test_the_code_finds_one_hazard(cast, client, register):
    code = register["major"].code
    assert titles(get(client, cast.safety_officer, q=code)) == {"教学楼裂缝"}


def test_a_reversed_date_range_is_an_error_in_chinese(cast, client, register):
    response = get(client, cast.safety_officer, found_from="2026-03-01", found_to="2026-02-01")
    assert "截止日期不能早于起始日期。" in response.content.decode()


def test_counts_by_state_are_chips_that_keep_the_other_filters(cast, client, register):
    response = get(client, cast.safety_officer, category="physical")
    chips = {c["label"]: c for c in response.context["chips"]}
    assert chips["全部"]["count"] == 1 and chips["全部"]["active"]
    assert chips["待核实"]["count"] == 1
    response = get(client, cast.safety_officer, state="open")
    chips = {c["label"]: c for c in response.context["chips"]}
    counts = {label: c["count"] for label, c in chips.items()}
    assert counts == {
        "全部": 6,
        "待核实": 2,
        "待整改": 2,
        "整改中": 1,
        "待验收": 0,
        "已销号": 1,
        "不予立案": 0,
    }
    assert chips["待整改"]["active"]
    assert chips["整改中"]["url"] == "?state=rectifying"
    page = response.content.decode()
    assert 'href="?state=rectifying"' in page


def test_rows_show_overdue_and_due_soon_tags(cast, client, register):
    page = get(client, cast.safety_officer).content.decode()
    assert page.count('<span class="tag bad">逾期</span>') == 1
    assert page.count('<span class="tag warn">临期</span>') == 1
    assert register["major"].code in page
    assert 'data-label="整改期限"' in page  # the phone layout labels every cell


def test_it_pages_by_25(cast, client):
    for i in range(27):
        services.hazard_report(
            acting_user=cast.police,
            school=cast.qingsong,
            title=f"隐患{i:02d}",
            category="other",
            description="—",
        )
    response = get(client, cast.police)
    assert len(response.context["page"].object_list) == 25
    assert len(titles(get(client, cast.police, page=2))) == 2


def test_links_to_export_with_the_same_query_and_to_the_listed_page(cast, client, register):
    page = get(client, cast.safety_officer, category="fire", overdue="on").content.decode()
    assert reverse("hazards:hazard-export") + "?category=fire&amp;overdue=on" in page
    assert reverse("hazards:listed-list") in page


def test_only_reviewers_get_the_bulk_confirm_checkboxes(cast, client, register):
    page = get(client, cast.police).content.decode()
    assert f'name="ids" value="{register["reported"].pk}"' in page
    assert f'name="ids" value="{register["major"].pk}"' not in page  # not 待核实
    assert 'name="ids"' not in get(client, cast.observer).content.decode()
    assert 'name="ids"' not in get(client, cast.qingsong_lead).content.decode()


def test_the_navigation_offers_the_register(cast, client):
    page = get(client, cast.observer).content.decode()
    assert f'<a href="{URL}" class="active" aria-current="page">隐患台账</a>' in page
