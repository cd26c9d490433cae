"""Browser tests of the hazard pages on a 375 px phone (headless Debian chromium): the police
officer finds a 待核实 hazard in the register and confirms it with a tap; the school's safety
lead takes a photo (file input with camera capture) and submits the rectification, and the
photo then stands in the 整改后 column beside the 整改前 one.

Screenshots go to test-artifacts/screenshots/hazard-*.png. Every page: no console errors, no
request to another host, no CSP violation, no sideways scrolling.
"""

from __future__ import annotations

import pytest

from huxiao.accounts.models import User
from huxiao.hazards import services
from huxiao.hazards.choices import State
from huxiao.hazards.models import Hazard
from huxiao.schools.models import School
from huxiao.testsupport.browser import (
    PHONE,
    no_sideways_scroll,
    phone_session,
    shot,
)
from huxiao.testsupport.files import jpeg_bytes, photo

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, settings, tmp_path, one_request_at_a_time):
    from huxiao.demo.loader import load_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    school = School.objects.get(name="蒲吕青松中学")
    lead = User.objects.get(username="anquan")
    reported = services.hazard_report(
        acting_user=lead,
        school=school,
        title="浏览器测试：楼梯扶手松动",
        category="building",
        description="教学楼二楼楼梯扶手松动。",
        photos=[photo("before.jpg")],
    )
    rectifying = services.hazard_report(
        acting_user=User.objects.get(username="minjing"),
        school=school,
        title="浏览器测试：消防栓被遮挡",
        category="fire",
        description="操场东侧消防栓被体育器材遮挡。",
        photos=[photo("before.jpg")],
        confirm=True,
    )
    rectifying = services.hazard_transition(
        acting_user=lead, hazard=rectifying, action="start", expected_version=rectifying.version
    )
    return {"reported": reported, "rectifying": rectifying, "tmp": tmp_path}


phone = phone_session


def test_the_police_confirm_from_the_register_on_a_phone(browser, live_server, demo):
    hazard = demo["reported"]
    with phone(browser, live_server.url, "minjing") as page:
        page.get_by_role("button", name="菜单").click()
        page.locator("#mainnav a", has_text="隐患台账").click()
        page.wait_for_url(f"{live_server.url}/hazards/")
        no_sideways_scroll(page, "register")
        shot(page, "hazard", "register", PHONE)
        page.locator(".chips a", has_text="待核实").click()
        page.wait_for_url("**/hazards/?state=reported")
        page.get_by_role("link", name=hazard.title).click()
        page.wait_for_url(f"**/hazards/{hazard.pk}/")
        no_sideways_scroll(page, "reported hazard")
        page.locator("#act-confirm > summary").click()
        shot(page, "hazard", "confirm", PHONE)
        page.locator("#act-confirm button[type=submit]").click()  # POST, then back to the hazard
        page.locator(".messages", has_text="已核实立案。").wait_for()
    assert Hazard.objects.get(pk=hazard.pk).state == State.OPEN


def test_the_school_submits_with_a_camera_photo_on_a_phone(browser, live_server, demo):
    hazard = demo["rectifying"]
    with phone(browser, live_server.url, "anquan") as page:
        page.goto(f"{live_server.url}/hazards/{hazard.pk}/")
        page.locator("#act-submit > summary").click()
        file_input = page.locator("#id_submit_photos")
        assert file_input.get_attribute("capture") == "environment"
        assert file_input.get_attribute("accept") == "image/*"
        box = page.locator("#act-submit button[type=submit]").bounding_box()
        assert box is not None and box["height"] >= 44, f"the submit button is {box}: too small for a thumb"
        page.fill("#id_submit_note", "器材已移走，消防栓周围1米内无遮挡。")
        after = demo["tmp"] / "after.jpg"
        after.write_bytes(jpeg_bytes((800, 600)))
        file_input.set_input_files(str(after))
        page.locator("#act-submit button[type=submit]").click()
        page.locator(".messages", has_text="已提交验收。").wait_for()
        # before and after side by side, each thumbnail served (and decoded) through the scoped view
        columns = page.locator(".photo-compare > div")
        assert columns.count() == 2
        for column in range(2):
            img = columns.nth(column).locator("img").first
            img.scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
        left, right = (columns.nth(i).bounding_box() for i in range(2))
        assert left and right and abs(left["y"] - right["y"]) < 1 and left["x"] < right["x"]
        no_sideways_scroll(page, "submitted hazard")
        shot(page, "hazard", "submitted", PHONE)
    assert Hazard.objects.get(pk=hazard.pk).state == State.SUBMITTED
