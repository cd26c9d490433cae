"""The issue's walk in headless Debian chromium on a 375 px phone: the 民警 registers a key person
near 蒲吕青松中学, records a visit finding him gone (失控); the 平安办 finds the message in her
inbox and the count on 涉校稳定态势 — never the name; the school's page shows the 学区 the count
of high-risk persons nearby. Screenshots: test-artifacts/screenshots/people-*.png. Every page: no
console error, no request to another host, no sideways scroll."""

from __future__ import annotations

from functools import partial

import pytest

from huxiao.testsupport.browser import (
    PHONE,
    no_sideways_scroll,
    phone_session,
    shot,
)
from huxiao.testsupport.cast import PASSWORD, build_cast

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, one_request_at_a_time):
    return build_cast()


phone = partial(phone_session, password=PASSWORD)


def test_the_officer_registers_a_person_and_reports_him_lost_on_a_phone(browser, live_server, world):
    base = live_server.url
    with phone(browser, base, "police") as page:
        page.goto(f"{base}/people/new/")
        page.fill("#id_name", "王五")
        page.fill("#id_id_number", "500151199001011233")
        page.fill("#id_phone", "13812345678")
        page.fill("#id_address", "青松路9号")
        page.select_option("#id_category", label="严重精神障碍患者（易肇事肇祸）")
        page.select_option("#id_risk", "high")
        page.select_option("#id_region", str(world.pulv_community.pk))
        page.select_option("#id_schools", str(world.qingsong.pk))
        no_sideways_scroll(page, "register form")
        shot(page, "people", "register", PHONE)
        page.get_by_role("button", name="保存").click()
        page.wait_for_selector("text=已登记重点人员")
        body = page.inner_text("main")
        assert "王*" in body and "王五" not in body and "5001**********1233" in body
        no_sideways_scroll(page, "person page")
        shot(page, "people", "person", PHONE)

        page.check("input[name=found][value=lost]")
        page.fill("#visit textarea[name=dynamics]", "家中无人，电话关机")
        page.get_by_role("button", name="保存走访核查").click()
        page.wait_for_selector("text=已登记走访核查")
        assert "失控" in page.inner_text("h1")

        page.fill("input[name=reason]", "入户核对身份")
        page.get_by_role("button", name="查看完整信息").click()
        page.wait_for_selector("text=正在查看完整信息")
        assert "王五" in page.inner_text("main") and "家中无人" in page.inner_text("main")
        shot(page, "people", "person-full", PHONE)

    with phone(browser, base, "safety_officer", {f"{base}/people/": 404}) as page:
        page.goto(f"{base}/inbox/")
        page.wait_for_selector("text=重点人员失控")
        assert "王" not in page.inner_text("main").replace("王海", "")
        page.goto(f"{base}/people/overview/")
        page.wait_for_selector('h1:has-text("涉校稳定态势")')
        row = page.locator("tr", has_text="蒲吕青松中学")
        assert row.locator("td[data-label=失控]").inner_text().strip() == "1"
        no_sideways_scroll(page, "overview")
        shot(page, "people", "overview", PHONE)
        assert page.goto(f"{base}/people/").status == 404

    with phone(browser, base, "centre_officer") as page:
        page.goto(f"{base}/schools/{world.qingsong.pk}/")
        page.wait_for_selector("text=周边高风险重点人员")
        assert "王五" not in page.inner_text("main")
        shot(page, "people", "school-count", PHONE)
