"""The staff register's main path in headless Debian chromium on a 375 px phone, on Monday 14
September 2026 (time runs on): 青松中学's safety lead registers a 专职保安员 from a 保安服务公司
(a wrong 身份证 check digit is refused first, nothing saved) and records a 有异常 background check;
the 学区 finds it on 人员审查台账 and decides 调离; the police see the guard on 保卫力量 as
持证上岗 and nothing of the check; the safety lead carries the decision out and the guard is
已离岗 — and gone from the police's roster. Screenshots: test-artifacts/screenshots/staff-*.png.
Every page: no console error, no request to another host, no sideways scroll."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from huxiao.core.models import AuditEvent
from huxiao.core.validation import id_check_digit
from huxiao.staff.models import BackgroundCheck, StaffMember
from huxiao.testsupport.browser import (
    PHONE,
    no_sideways_scroll,
    phone_session,
    shot,
)
from huxiao.testsupport.cast import PASSWORD

TODAY = dt.date(2026, 9, 14)
pytestmark = [pytest.mark.browser, pytest.mark.frozen(TODAY, tick=True)]

FINDING = "2019年因盗窃被行政拘留十日"
COMPANY = "重庆铜梁平安保安服务有限公司"


def id_number(first17: str) -> str:
    """A 身份证号 with the right GB 11643 check digit."""
    return first17 + id_check_digit(first17)


GOOD_ID = id_number("50015119850312123")
BAD_ID = GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1")


@pytest.fixture
def world(transactional_db, cast, one_request_at_a_time):
    return cast


phone = partial(phone_session, password=PASSWORD)


def fits(page, where: str, name: str) -> None:
    no_sideways_scroll(page, where)
    shot(page, "staff", name, PHONE)


def test_a_guard_is_registered_checked_removed_and_the_police_see_only_his_licence(
    browser, live_server, world
):
    base = live_server.url
    school = world.qingsong

    # 1. The safety lead registers the guard and records a 有异常 check.
    with phone(browser, base, "qingsong_lead") as page:
        page.goto(f"{base}/staff/")
        page.wait_for_selector('h1:has-text("教职员工与保卫人员登记")')
        fits(page, "empty register", "list-empty")
        page.get_by_role("link", name="登记人员", exact=True).click()
        page.wait_for_url(f"{base}/staff/new/")
        page.wait_for_selector('h1:has-text("登记教职员工或保卫人员")')
        assert page.input_value("#id_school") == str(school.pk), "her only school is not preselected"
        page.fill("#id_name", "刘大勇")
        page.fill("#id_id_number", BAD_ID)
        page.select_option("#id_role", "guard")
        page.select_option("#id_employer", "company")
        page.fill("#id_company", COMPANY)
        page.fill("#id_started_on", "2026-09-01")
        page.fill("#id_licence_number", "渝公保证字2025000123")
        page.fill("#id_licence_authority", "重庆市公安局")
        page.fill("#id_licence_issued_on", "2025-06-10")
        page.fill("#id_pretraining_on", "2026-08-20")
        page.fill("#id_pretraining_hours", "40")
        fits(page, "register form", "register")
        page.get_by_role("button", name="保存", exact=True).click()
        page.locator(".field.has-error small.error", has_text="身份证号：校验位不正确").wait_for()
        assert page.locator(".field.has-error").count() == 1, "another field was refused too"
        assert page.url == f"{base}/staff/new/"
        assert not StaffMember.objects.exists(), "a wrong check digit saved a person"
        # what was typed is kept: only the number is corrected
        assert page.input_value("#id_company") == COMPANY
        assert page.input_value("#id_pretraining_on") == "2026-08-20"
        fits(page, "register form with the error", "register-error")

        page.fill("#id_id_number", GOOD_ID)
        page.get_by_role("button", name="保存", exact=True).click()
        page.wait_for_selector("text=已登记 刘大勇")
        member = StaffMember.objects.get()
        assert page.url == f"{base}/staff/{member.pk}/"
        main = page.inner_text("main")
        assert "刘大勇" in page.inner_text("h1") and COMPANY in main and "持证上岗" in main
        assert GOOD_ID not in main and GOOD_ID[-4:] in main  # masked
        assert "未审查" in main
        fits(page, "person page", "person")

        check_form = page.locator("form#check")
        page.get_by_role("link", name="登记人员审查", exact=True).click()
        check_form.locator("select[name=result]").select_option("adverse")
        check_form.locator("input[name=requested_on]").fill("2026-09-07")
        check_form.locator("input[name=result_on]").fill("2026-09-11")
        check_form.locator("textarea[name=finding]").fill(FINDING)
        check_form.get_by_role("button", name="保存审查").click()
        page.wait_for_selector("text=已登记人员审查")
        assert page.url == f"{base}/staff/{member.pk}/"
        row = page.locator("tr", has_text="无犯罪记录查询")
        assert "有异常" in row.inner_text() and "待学区决定" in row.inner_text()
        assert FINDING not in page.inner_text("main"), "the finding shows without 查看完整信息"
        fits(page, "person page with the check", "person-adverse")

    check = BackgroundCheck.objects.get(member=member)
    assert check.result == "adverse" and check.result_on == dt.date(2026, 9, 11)
    assert check.plain("finding") == FINDING

    # 2. The 学区 decides 调离.
    with phone(browser, base, "centre_officer") as page:
        page.goto(f"{base}/staff/checks/")
        page.wait_for_selector('h1:has-text("人员审查台账")')
        row = page.locator("tr", has_text=school.name)
        assert row.locator("td[data-label=在岗人员]").inner_text().strip() == "1"
        assert row.locator("td[data-label=有异常待处理]").inner_text().strip() == "1"
        entry = page.locator("li", has_text="刘大勇")
        assert "待学区决定" in entry.inner_text() and "无犯罪记录查询" in entry.inner_text()
        assert FINDING not in page.inner_text("main")
        fits(page, "checks ledger", "checks")
        entry.get_by_role("link", name="作出处理决定", exact=True).click()
        page.wait_for_url(f"{base}/staff/checks/{check.pk}/decide/")
        page.select_option("#id_decision", "remove")
        page.fill("#id_reason", "有违法记录，不宜从事学校安全保卫工作，请保安公司调离并另派人员")
        fits(page, "decision form", "decide")
        page.get_by_role("button", name="提交", exact=True).click()
        page.wait_for_url(f"{base}/staff/{member.pk}/")
        page.wait_for_selector("text=已作出处理决定")
        row = page.locator("tr", has_text="无犯罪记录查询")
        assert "调离" in row.inner_text() and "待学校落实" in row.inner_text()
        fits(page, "person page after the decision", "decided")

    # 4 (before the guard leaves). The police: no register, the guard's licence only.
    with phone(browser, base, "police", {f"{base}/staff/": 404}) as page:
        assert page.goto(f"{base}/staff/").status == 404
        page.wait_for_selector('h1:has-text("页面或记录不存在")')
        assert "刘大勇" not in page.inner_text("main")
        no_sideways_scroll(page, "the register's 404 for the police")
        page.goto(f"{base}/staff/guards/")
        page.wait_for_selector('h1:has-text("保卫力量")')
        row = page.locator("tr", has_text="刘大勇")
        assert "持证上岗" in row.locator("td[data-label=状态]").inner_text()
        assert "渝公保证字2025000123" in row.inner_text()
        body = page.inner_text("body")
        assert FINDING not in body and "有异常" not in body and "调离" not in body
        assert GOOD_ID not in body and GOOD_ID[-4:] not in body
        fits(page, "guards for the police", "guards-police")

    # 3. The safety lead carries the decision out.
    with phone(browser, base, "qingsong_lead") as page:
        page.goto(f"{base}/staff/{member.pk}/")
        page.get_by_role("link", name="登记落实", exact=True).click()
        page.wait_for_url(f"{base}/staff/checks/{check.pk}/complete/")
        assert page.input_value("#id_completed_on") == TODAY.isoformat()
        page.fill("#id_note", "已通知保安公司调离，9月14日起不再到岗")
        fits(page, "completion form", "complete")
        page.get_by_role("button", name="提交", exact=True).click()
        page.wait_for_url(f"{base}/staff/{member.pk}/")
        page.wait_for_selector("text=已落实处理决定")
        assert "已离岗" in page.inner_text("h1")
        row = page.locator("tr", has_text="无犯罪记录查询")
        assert "已于2026年9月14日落实" in row.inner_text() and "待学校落实" not in row.inner_text()
        assert "人员审查处理决定：调离" in page.inner_text("main")
        fits(page, "person page after leaving", "left")

    check.refresh_from_db()
    member.refresh_from_db()
    assert check.decision == "remove" and check.completed_on == TODAY
    assert member.left_on == TODAY and "调离" in member.left_reason
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"staff.register", "staff.check", "staff.decide", "staff.complete"} <= actions
    assert not any(FINDING in str(e.after) for e in AuditEvent.objects.filter(action__startswith="staff."))

    # The police's roster now has no one: the guard has left.
    with phone(browser, base, "police") as page:
        page.goto(f"{base}/staff/guards/")
        page.wait_for_selector("text=没有登记的保安员和门卫")
        assert "刘大勇" not in page.inner_text("main")
        fits(page, "empty guards for the police", "guards-police-empty")
