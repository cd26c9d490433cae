"""The education pages' main path in headless Debian chromium on a 375 px phone (time runs on):
青松中学's safety lead records a 119消防宣传日 activity with a photo (a day in the future is refused
first, nothing saved); the 派出所's officer appoints himself 法治辅导员 of 明德小学, finds it under
需关注的学校 (本学期未进校), records a visit, and 明德小学 leaves the list. Screenshots:
test-artifacts/screenshots/education-*.png. Every page: no console error, no request to another
host, no sideways scroll."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from huxiao.education.models import ActivityPhoto, CounsellorAppointment, CounsellorVisit, EducationActivity
from huxiao.testsupport.browser import PHONE, no_sideways_scroll, phone_session, shot
from huxiao.testsupport.cast import PASSWORD
from huxiao.testsupport.clock import SHANGHAI
from huxiao.testsupport.files import jpeg_bytes

MOMENT = dt.datetime(2026, 11, 26, 17, 30, tzinfo=SHANGHAI)
pytestmark = [pytest.mark.browser, pytest.mark.frozen(MOMENT, tick=True)]

phone = partial(phone_session, password=PASSWORD)


@pytest.fixture
def world(transactional_db, cast, one_request_at_a_time, media_root):
    return cast


def fits(page, where: str, name: str) -> None:
    no_sideways_scroll(page, where)
    shot(page, "education", name, PHONE)


def test_an_activity_and_a_counsellors_visit_on_a_phone(browser, live_server, world, tmp_path):
    base = live_server.url
    picture = tmp_path / "fire.jpg"
    picture.write_bytes(jpeg_bytes((640, 480)))

    # 1. The school's safety lead records its 119 activity with a photo.
    with phone(browser, base, "qingsong_lead") as page:
        page.goto(f"{base}/education/")
        page.get_by_role("link", name="记录活动").click()
        page.wait_for_url(f"{base}/education/new/")
        assert page.input_value("#id_school") == str(world.qingsong.pk), "her only school is not preselected"
        page.fill("#id_held_on", "2026-11-27")  # tomorrow: refused
        page.select_option("#id_occasion", "fire_day")
        page.fill("#id_title", "消防疏散演练与灭火器使用讲座")
        page.check("input[name=topics][value=fire]")
        page.check("input[name=audiences][value=students]")
        page.fill("#id_head_count", "1380")
        page.fill("#id_speaker", "区消防救援支队 李峰")
        page.set_input_files("#id_photos", str(picture))
        page.get_by_role("button", name="保存").click()
        page.wait_for_selector("text=日期：不能晚于今天")
        assert not EducationActivity.objects.exists()
        fits(page, "refused activity", "refused")
        page.fill("#id_held_on", "2026-11-09")
        page.set_input_files("#id_photos", str(picture))
        page.get_by_role("button", name="保存").click()
        page.wait_for_selector(".messages >> text=已记录蒲吕青松中学")
        page.wait_for_selector("img[alt=活动照片1]")
        fits(page, "activity page", "activity")
    assert ActivityPhoto.objects.filter(activity__school=world.qingsong).count() == 1

    # 2. The police appoint, find the school without a visit, and visit it.
    with phone(browser, base, "police") as page:
        page.goto(f"{base}/education/counsellors/")
        page.get_by_role("link", name="聘任法治辅导员").click()
        page.select_option("#id_school", str(world.mingde.pk))
        page.select_option("#id_officer", str(world.police.pk))
        page.fill("#id_starts_on", "2026-09-01")
        page.fill("#id_ends_on", "2028-08-31")
        page.get_by_role("button", name="聘任").click()
        page.wait_for_selector(".messages >> text=为蒲吕明德小学法治辅导员")
        page.wait_for_selector('h2:has-text("需关注的学校（2）")')
        assert page.locator("li", has_text="蒲吕明德小学").filter(has_text="本学期未进校").count() == 1
        fits(page, "counsellors", "counsellors")
        page.get_by_role("link", name="记录进校").click()
        page.fill("#id_visited_on", "2026-11-26")
        page.fill("#id_content", "为五、六年级开展预防校园欺凌法治讲座。")
        page.fill("#id_head_count", "320")
        page.get_by_role("button", name="保存").click()
        page.wait_for_selector('h2:has-text("需关注的学校（1）")')
        fits(page, "after the visit", "visited")
    assert CounsellorAppointment.objects.get().school == world.mingde
    assert CounsellorVisit.objects.get().head_count == 320
