"""The station page: today's periods with the running one highlighted (a gap while it runs in
red), the last school day's gaps with a 补录 link, the month's rates; query count pinned."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from huxiao.duty.tests.factories import at, make_post, make_record
from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES


@pytest.mark.django_db
@time_machine.travel(at(2026, 11, 26, 7, 40), tick=False)  # Thursday, 早高峰 running
def test_today_and_the_last_school_day(cast, client):
    qingsong, mingde = make_post(cast.qingsong), make_post(cast.mingde)
    make_record(qingsong, "morning", dt.date(2026, 11, 26), by=cast.police)
    # yesterday (Wed 25th): qingsong fully staffed; mingde missed noon, afternoon without a guard
    for kind in ("morning", "noon", "afternoon"):
        make_record(qingsong, kind, dt.date(2026, 11, 25), by=cast.police)
    make_record(mingde, "morning", dt.date(2026, 11, 25), by=cast.police)
    make_record(mingde, "afternoon", dt.date(2026, 11, 25), by=cast.police, police=1, guards=0)
    client.force_login(cast.police)
    page = client.get(reverse("duty:station")).content.decode()
    assert "蒲吕派出所" in page
    today = page[page.index('id="today"') : page.index('id="yesterday"')]
    assert today.count("slot-running") == 2  # both posts' 早高峰
    assert today.count("slot-staffed slot-running") == 1  # qingsong
    assert today.count("slot-missing slot-running") == 1  # mingde: red while it runs
    assert today.count("slot-upcoming") == 4  # 午间 and 晚高峰 of both
    yesterday = page[page.index('id="yesterday"') : page.index('id="month"')]
    assert "2026年11月25日" in yesterday
    assert "缺岗或力量不足 2" in yesterday
    assert "保安 0/1" in yesterday
    assert yesterday.count("补录</a>") == 1  # the missed noon; the short afternoon has a record
    month = page[page.index('id="month"') :]
    # Nov 1–25: 18 school days × 3 periods × 2 posts = 108 required; 4 staffed
    assert "4/108 个时段" in month


@pytest.mark.django_db
@time_machine.travel(at(2026, 11, 29, 10, 0), tick=False)  # Sunday
def test_on_a_sunday_yesterday_is_friday(cast, client):
    post = make_post(cast.qingsong)
    make_record(post, "morning", dt.date(2026, 11, 27), by=cast.police)
    client.force_login(cast.police)
    page = client.get(reverse("duty:station")).content.decode()
    assert "今天不是上学日" in page
    assert "2026年11月27日" in page and "缺岗或力量不足 2" in page


@pytest.mark.django_db
@time_machine.travel(at(2026, 11, 26, 7, 40), tick=False)
def test_the_station_page_query_count_does_not_grow_with_posts(cast, client, django_assert_max_num_queries):
    client.force_login(cast.police)
    for school in (cast.qingsong, cast.mingde):
        for gate in ("正门", "南门", "东门"):
            post = make_post(school, gate)
            make_record(post, "morning", dt.date(2026, 11, 25), by=cast.police)
    # the page's own: posts, periods, standards, today+yesterday records, stations, and the
    # month: schools, set-up, required, staffed, 人次
    with django_assert_max_num_queries(SIGNED_IN_PAGE_QUERIES + 11):
        response = client.get(reverse("duty:station"))
    assert response.status_code == 200


@pytest.mark.django_db
@time_machine.travel(at(2026, 11, 26, 9, 0), tick=False)
def test_the_coverage_page_drills_down_with_pinned_queries(cast, client, django_assert_max_num_queries):
    for school in (cast.qingsong, cast.mingde, cast.binhe):
        make_post(school)
    client.force_login(cast.official)  # district: 铜梁区
    with django_assert_max_num_queries(SIGNED_IN_PAGE_QUERIES + 10):
        page = client.get(reverse("duty:coverage")).content.decode()
    assert "铜梁区" in page and "蒲吕街道" in page and "巴川街道" in page
    assert "75.0%" in page  # set-up: 3 of the 4 schools
    client.force_login(cast.safety_officer)  # 蒲吕平安办: 蒲吕 only
    page = client.get(reverse("duty:coverage")).content.decode()
    assert "巴川" not in page and "66.7%" in page
    assert client.get(reverse("duty:coverage") + f"?region={cast.bachuan.pk}").status_code == 404
