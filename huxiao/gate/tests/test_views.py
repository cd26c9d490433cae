"""The gate pages as each role meets them: the scope matrix (every page × every role), the 门卫
registering and tapping 离校 through the pages (database and audit event), a double click, a bad
身份证号, the counts page with no name on it, the police's search, the 门卫's way in from the
工作台, and pinned query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huxiao.core.models import AuditEvent
from huxiao.gate import services
from huxiao.gate.models import PickupException, VehicleEntry, VisitorEntry
from huxiao.gate.tests.builders import (
    NOW,
    TODAY,
    at,
    bad_id_number,
    gatekeeper,
    id_number,
    pickup,
    vehicle,
    visitor,
)
from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES, make_school

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]

PAGES = {
    "log": reverse("gate:log"),
    "visitor": reverse("gate:visitor-create"),
    "vehicle": reverse("gate:vehicle-create"),
    "pickup": reverse("gate:pickup-create"),
    "overview": reverse("gate:overview"),
}
KEEPER = {"log": 200, "visitor": 200, "vehicle": 200, "pickup": 200}
# who: {page: status}; pages not named answer 404
MATRIX = {
    "guard": KEEPER,
    "qingsong_lead": KEEPER,
    "mingde_lead": KEEPER,
    "centre_officer": {"overview": 200},
    "police": {"overview": 200},
    "official": {},
    "safety_officer": {},
    "observer": {},
    "sysadmin": {},
    "auditor": {},
    "secadmin": {},
    "outsider": {},
}


@pytest.fixture
def guard(cast):
    return gatekeeper(cast)


def user(cast, guard, who: str):
    return guard if who == "guard" else getattr(cast, who)


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_every_page_answers_each_role_as_its_duty_says(cast, client, guard, who):
    client.force_login(user(cast, guard, who))
    got = {name: client.get(url).status_code for name, url in PAGES.items()}
    assert got == {name: MATRIX[who].get(name, 404) for name in PAGES}


@pytest.mark.parametrize("who", sorted(set(MATRIX) - {"guard", "qingsong_lead"}))
def test_no_one_else_marks_a_departure(cast, client, guard, who):
    entry = visitor(guard, cast.qingsong)
    client.force_login(user(cast, guard, who))
    response = client.post(reverse("gate:visitor-leave", args=[entry.pk]), {"version": entry.version})
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.left_at is None


def test_the_gatekeeper_registers_a_visitor_through_the_form(cast, client, guard):
    client.force_login(guard)
    form = client.get(PAGES["visitor"]).context["form"]
    assert form["school"].field.widget.is_hidden and form["screened"].initial is True
    data = {
        "submission": form["submission"].initial,
        "school": cast.qingsong.pk,
        "name": "陈快递",
        "id_number": id_number(3),
        "reason": "送快递",
        "host": "总务处",
        "screened": "on",
        "screening_note": "",
    }
    response = client.post(PAGES["visitor"], data)
    assert response.status_code == 302 and response["Location"] == PAGES["log"]
    saved = VisitorEntry.objects.get()
    assert (saved.name, saved.reason, saved.host, saved.screened, saved.entered_at) == (
        "陈快递",
        "送快递",
        "总务处",
        True,
        NOW,
    )
    assert AuditEvent.objects.filter(action="gate.visitor", actor=guard).count() == 1
    client.post(PAGES["visitor"], data)  # the double tap on a slow phone
    assert VisitorEntry.objects.count() == 1
    html = client.get(PAGES["log"]).content.decode()
    assert "陈快递" in html and id_number(3) not in html and id_number(3)[-4:] in html


def test_the_gatekeeper_registers_a_vehicle_with_the_province_prefilled(cast, client, guard):
    client.force_login(guard)
    form = client.get(PAGES["vehicle"]).context["form"]
    assert form["plate"].value() == "渝"
    response = client.post(
        PAGES["vehicle"],
        {
            "submission": form["submission"].initial,
            "school": cast.qingsong.pk,
            "plate": "渝ad 12345",
            "driver": "王师傅",
            "reason": "维修",
        },
    )
    assert response.status_code == 302
    car = VehicleEntry.objects.get()
    assert car.plate == "渝AD12345" and car.screened is False  # the box was unticked


def test_a_bad_id_number_names_the_field_and_saves_nothing(cast, client, guard):
    client.force_login(guard)
    response = client.post(
        PAGES["visitor"],
        {
            "school": cast.qingsong.pk,
            "name": "李四",
            "id_number": bad_id_number(),
            "reason": "家长来访",
            "host": "教务处",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "身份证号：校验位不正确" in html
    assert "李四" in html  # what was typed is kept
    assert not VisitorEntry.objects.exists() and not AuditEvent.objects.filter(action="gate.visitor").exists()


def test_a_bad_plate_names_the_field(cast, client, guard):
    client.force_login(guard)
    response = client.post(
        PAGES["vehicle"], {"school": cast.qingsong.pk, "plate": "渝A1", "driver": "王", "reason": "送货"}
    )
    assert response.status_code == 200 and "车牌号：格式不正确" in response.content.decode()
    assert not VehicleEntry.objects.exists()


def test_a_pickup_exception_is_recorded_and_listed_masked(cast, client, guard):
    client.force_login(guard)
    form = client.get(PAGES["pickup"]).context["form"]
    response = client.post(
        PAGES["pickup"],
        {
            "submission": form["submission"].initial,
            "school": cast.qingsong.pk,
            "child_class": "初一（3）班",
            "child_name": "王小明",
            "picked_up_by": "王建国",
            "relation": "grandparent",
            "id_number": "",
            "approved_by": "班主任李老师",
            "note": "",
        },
    )
    assert response.status_code == 302 and PickupException.objects.count() == 1
    html = client.get(PAGES["log"]).content.decode()
    assert "王*明" in html and "王小明" not in html and "班主任李老师" in html


def test_one_tap_marks_the_departure_and_a_second_says_so(cast, client, guard):
    entry = visitor(guard, cast.qingsong, entered_at=at(9, 0))
    client.force_login(guard)
    url = reverse("gate:visitor-leave", args=[entry.pk])
    response = client.post(url, {"version": entry.version}, follow=True)
    assert "已登记离校：来访人1" in response.content.decode()
    entry.refresh_from_db()
    assert entry.left_at == NOW
    assert AuditEvent.objects.filter(action="gate.leave", actor=guard).count() == 1
    again = client.post(url, {"version": entry.version - 1}, follow=True).content.decode()
    assert "已于10:00登记离校，无需重复登记" in again
    assert AuditEvent.objects.filter(action="gate.leave").count() == 1


def test_a_departure_link_opened_by_get_goes_back_to_the_page(cast, client, guard):
    car = vehicle(guard, cast.qingsong)
    client.force_login(guard)
    response = client.get(reverse("gate:vehicle-leave", args=[car.pk]))
    assert response.status_code == 302 and response["Location"] == PAGES["log"]
    car.refresh_from_db()
    assert car.left_at is None


def test_the_log_lists_who_is_in_who_left_and_the_totals(cast, client, guard):
    inside = visitor(guard, cast.qingsong, 1, name="在校甲", entered_at=at(9, 0))
    gone = visitor(guard, cast.qingsong, 2, name="离校乙", entered_at=at(8, 0))
    yesterday = vehicle(guard, cast.qingsong, "渝B11111", entered_at=at(16, 0, TODAY.replace(day=25)))
    services.entry_leave(acting_user=guard, entry=gone, expected_version=None)
    client.force_login(guard)
    response = client.get(PAGES["log"])
    day = response.context["day"]
    assert day.inside == [inside, yesterday] and day.left == [gone]
    assert (day.today.visitors, day.today.vehicles) == (2, 0)
    totals = response.context["month_totals"]
    assert (totals.visitors, totals.vehicles, totals.screened) == (2, 1, 3)
    html = response.content.decode()
    assert "11月25日 16:00" in html  # an entry still open from yesterday shows its day
    assert response.context["filters"] is None  # the 门卫 has today's page only


def test_the_safety_lead_picks_a_month(cast, client, guard):
    october = at(9, 0, TODAY.replace(month=10, day=20))
    gone = visitor(guard, cast.qingsong, 1, name="十月访客", entered_at=october)
    services.entry_leave(
        acting_user=guard, entry=gone, expected_version=None, left_at=october + dt.timedelta(hours=1)
    )
    visitor(guard, cast.qingsong, 2, name="十一月访客")
    client.force_login(cast.qingsong_lead)
    response = client.get(PAGES["log"], {"month": "2026-10", "kind": "visitor"})
    html = response.content.decode()
    assert "十月访客" in html and "十一月访客" not in html
    assert response.context["month_totals"].visitors == 1
    # the 门卫 is not offered the filter, and the parameter changes nothing for him
    client.force_login(guard)
    html = client.get(PAGES["log"], {"month": "2026-10"}).content.decode()
    assert "十一月访客" in html and "十月访客" not in html


def test_the_counts_page_shows_numbers_never_a_name(cast, client, guard):
    visitor(guard, cast.qingsong, 1, name="张三丰", screening_note="发现管制刀具已暂存")
    vehicle(guard, cast.qingsong, "渝C67890", driver="李师傅")
    pickup(guard, cast.qingsong)
    for who in ("police", "centre_officer"):
        client.force_login(getattr(cast, who))
        response = client.get(PAGES["overview"])
        html = response.content.decode()
        row = next(r for r in response.context["rows"] if r.school == cast.qingsong)
        assert (row.today.visitors, row.today.vehicles, row.today.pickups) == (1, 1, 1)
        assert (row.month.visitors, row.month.vehicles, row.month.screened, row.month.pickups) == (1, 1, 2, 1)
        for secret in (
            "张三丰",
            "张*丰",
            "李师傅",
            "渝C67890",
            "张小明",
            "张*明",
            "张国华",
            "管制刀具",
            id_number(1)[-4:],
        ):
            assert secret not in html, (who, secret)
        assert {r.school for r in response.context["rows"]} == {cast.qingsong, cast.mingde}


def test_the_police_search_shows_masked_matches_and_is_audited(cast, client, guard):
    vehicle(guard, cast.qingsong, "渝A12345", driver="李师傅", reason="食堂配送")
    client.force_login(cast.police)
    response = client.post(PAGES["overview"], {"key": "渝A12345"})
    html = response.content.decode()
    assert response.status_code == 200 and "蒲吕青松中学" in html and "食堂配送" in html and "李*傅" in html
    assert "李师傅" not in html
    event = AuditEvent.objects.get(action="gate.search")
    assert event.actor == cast.police and event.after["key"] == "渝A***45"


def test_a_bad_search_key_names_the_field(cast, client):
    client.force_login(cast.police)
    html = client.post(PAGES["overview"], {"key": bad_id_number()}).content.decode()
    assert "车牌号或身份证号：校验位不正确" in html
    assert not AuditEvent.objects.filter(action="gate.search").exists()


def test_the_school_district_has_no_search(cast, client, guard):
    client.force_login(cast.centre_officer)
    assert client.get(PAGES["overview"]).context["search"] is None
    assert client.post(PAGES["overview"], {"key": "渝A12345"}).status_code == 403
    assert not AuditEvent.objects.filter(action="gate.search").exists()


def test_the_gatekeeper_lands_on_a_home_page_that_leads_to_the_gate(cast, client, guard):
    visitor(guard, cast.qingsong)
    client.force_login(guard)
    html = client.get(reverse("dashboards:home")).content.decode()
    assert f'href="{PAGES["log"]}"' in html and "今日登记访客1人次" in html
    nav = [item["label"] for item in client.get(PAGES["log"]).context["nav_items"]]
    assert "门卫登记" in nav and "学校名录" not in nav and "隐患台账" not in nav


def test_the_safety_lead_and_the_police_find_it_in_the_menu(cast, client):
    for who, url in (
        ("qingsong_lead", PAGES["log"]),
        ("police", PAGES["overview"]),
        ("centre_officer", PAGES["overview"]),
    ):
        client.force_login(getattr(cast, who))
        items = {i["label"]: i["url"] for i in client.get(reverse("dashboards:home")).context["nav_items"]}
        assert items.get("门卫登记") == url, who
    client.force_login(cast.sysadmin)
    assert "门卫登记" not in {i["label"] for i in client.get(reverse("dashboards:home")).context["nav_items"]}


# --- Pinned query counts ---------------------------------------------------------------------------

# The page's own queries: the log — the user's schools, the reviewer check needs none (the scope
# is read once), the day's visitors, vehicles and 接送异常 (3), the month's totals (3); the counts
# page — the schools, today's three grouped counts, the month's three.
LOG_QUERIES = 7
OVERVIEW_QUERIES = 7


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["guard", "qingsong_lead"])
def test_the_log_page_queries_are_pinned_and_do_not_grow_with_the_rows(cast, client, guard, who):
    client.force_login(user(cast, guard, who))
    visitor(guard, cast.qingsong, 1)
    few = _count(client, PAGES["log"])
    for i in range(2, 12):
        visitor(guard, cast.qingsong, i)
        vehicle(guard, cast.qingsong, f"渝A{10000 + i}")
        pickup(guard, cast.qingsong)
    assert _count(client, PAGES["log"]) == few == SIGNED_IN_PAGE_QUERIES + LOG_QUERIES


def test_the_month_view_queries_are_pinned(cast, client, guard):
    client.force_login(cast.qingsong_lead)
    url = f"{PAGES['log']}?month=2026-11&kind=pickup"
    pickup(guard, cast.qingsong)
    few = _count(client, url)
    for _ in range(10):
        pickup(guard, cast.qingsong)
    # the month's rows and their count replace the day's three lists
    assert _count(client, url) == few == SIGNED_IN_PAGE_QUERIES + LOG_QUERIES - 1


@pytest.mark.parametrize("who", ["police", "centre_officer"])
def test_the_counts_page_queries_are_pinned_and_do_not_grow_with_the_schools(cast, client, guard, who):
    client.force_login(getattr(cast, who))
    visitor(guard, cast.qingsong)
    few = _count(client, PAGES["overview"])
    for i in range(10):
        make_school(
            f"蒲吕测试学校{i}",
            cast.pulv_community,
            police_station=cast.pulv_police,
            school_district=cast.pulv_centre,
        )
    assert _count(client, PAGES["overview"]) == few == SIGNED_IN_PAGE_QUERIES + OVERVIEW_QUERIES
