"""The incident register's main path in headless Debian chromium on a 375 px phone (time runs
on): 青松中学's safety lead reports a 较大 incident at the gate (a time in the future is refused
first, nothing saved); the police find it under 待本单位签收, sign, log their 联动处置, register
the injured pupil (shown masked) and close it with the cause analysis, whose measure becomes a
hazard; the 学区 sees the incident and no person. Screenshots: test-artifacts/screenshots/incident-*.png.
Every page: no console error, no request to another host, no sideways scroll."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from huxiao.hazards.models import Hazard
from huxiao.incidents.models import Incident, IncidentPerson, Notice
from huxiao.testsupport.browser import PHONE, no_sideways_scroll, phone_session, shot
from huxiao.testsupport.cast import PASSWORD
from huxiao.testsupport.clock import SHANGHAI

MOMENT = dt.datetime(2026, 11, 26, 17, 30, tzinfo=SHANGHAI)
pytestmark = [pytest.mark.browser, pytest.mark.frozen(MOMENT, tick=True)]

phone = partial(phone_session, password=PASSWORD)


@pytest.fixture
def world(transactional_db, cast, one_request_at_a_time):
    return cast


def fits(page, where: str, name: str) -> None:
    no_sideways_scroll(page, where)
    shot(page, "incident", name, PHONE)


def test_a_gate_incident_is_reported_signed_handled_and_closed_on_a_phone(browser, live_server, world):
    base = live_server.url

    # 1. The school's safety lead reports it.
    with phone(browser, base, "qingsong_lead") as page:
        page.goto(f"{base}/incidents/")
        page.get_by_role("link", name="报告案事件").click()
        page.wait_for_url(f"{base}/incidents/new/")
        assert page.input_value("#id_school") == str(world.qingsong.pk), "her only school is not preselected"
        page.fill("#id_occurred_at", "2026-11-27T16:40")  # tomorrow: refused
        page.select_option("#id_place", "gate")
        page.select_option("#id_kind", "assault")
        page.select_option("#id_grade", "larger")
        page.fill("#id_title", "校门口外来人员持械伤害学生")
        page.fill("#id_summary", "放学时一名外来人员在校门口持木棍击伤一名学生，保安员当场制止。")
        page.fill("#id_injured", "1")
        page.get_by_role("button", name="报告").click()
        page.wait_for_selector("text=不能晚于现在")
        assert not Incident.objects.exists()
        fits(page, "refused report", "refused")
        page.fill("#id_occurred_at", "2026-11-26T16:40")
        page.get_by_role("button", name="报告").click()
        page.wait_for_selector("text=待签收")
        fits(page, "reported incident", "reported")
    incident = Incident.objects.get()
    assert incident.notices.count() == 5

    # 2. The police sign, log, register the pupil and close it.
    with phone(browser, base, "police") as page:
        page.goto(f"{base}/incidents/")
        page.wait_for_selector('h2:has-text("待本单位签收（1）")')
        fits(page, "police list", "to-sign")
        page.get_by_role("link", name=f"{incident.code} 蒲吕青松中学 校门口外来人员持械伤害学生").click()
        page.get_by_role("button", name="签收（蒲吕派出所）").click()
        page.wait_for_selector(".messages >> text=蒲吕派出所已签收")
        page.select_option("#id_track", "linkage")
        page.fill("#id_at", "2026-11-26T16:46")
        page.fill("#id_text", "民警到场控制嫌疑人，伤者送医。")
        page.get_by_role("button", name="记录处置情况").click()
        page.wait_for_selector(".messages >> text=已记录处置情况")
        page.locator("summary", has_text="登记当事人").click()
        page.select_option("#id_role", "victim")
        page.fill("#id_name", "王小明")
        page.check("#id_minor")
        page.get_by_role("button", name="保存（加密）").click()
        page.wait_for_selector(".messages >> text=已登记当事人")
        assert page.locator("text=王*明").count() == 1 and page.locator("text=王小明").count() == 0
        page.fill("#id_causes", "放学时段校门口保安力量不足。")
        page.fill("#id_measures", "放学时段增派保安员到校门口")
        fits(page, "incident page", "page")
        page.get_by_role("button", name="结案").click()
        page.wait_for_selector(".messages >> text=已结案")
        fits(page, "closed incident", "closed")
    assert Notice.objects.get(organisation=world.pulv_police).acknowledged_at is not None
    assert IncidentPerson.objects.get().minor
    assert Hazard.objects.filter(source="incident", school=world.qingsong).count() == 1

    # 3. The 学区 sees the incident and no person.
    with phone(browser, base, "centre_officer") as page:
        page.goto(f"{base}/incidents/{incident.pk}/")
        page.wait_for_selector('h2:has-text("三同步")')
        assert page.locator('h2:has-text("当事人")').count() == 0
        fits(page, "学区's view", "centre")
