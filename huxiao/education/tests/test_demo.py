"""The demo step tells its story on any day: 明德小学 (a 法治辅导员, no visit this semester) and
石龙村小学 (none) are the schools minjing and xuequ must look at; 青松中学 held its 119 activity
with photos and minjing's 宪法日 lecture; on the story day the 12·2 and 12·4 reminders are in the
schools' inboxes. Loading twice adds nothing and reports the same counts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from huxiao.accounts.models import User
from huxiao.demo.loader import load_demo
from huxiao.education.choices import NotifyKind, Occasion
from huxiao.education.models import CounsellorVisit, EducationActivity
from huxiao.education.selectors import counsellor_rows
from huxiao.notifications.models import Notification
from huxiao.testsupport.clock import SHANGHAI

pytestmark = pytest.mark.django_db
STORY = dt.datetime(2026, 11, 29, 9, 0, tzinfo=SHANGHAI)


def _attention(username: str, today: dt.date) -> dict[str, str]:
    rows = counsellor_rows(User.objects.get(username=username), today)
    return {r.school.name: "未配备" if r.missing else "未进校" for r in rows if r.attention}


def test_the_story_day(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(STORY, tick=False):
        with django_capture_on_commit_callbacks(execute=True):  # the inbox is filled on commit
            first = load_demo()
        today = timezone.localdate()
        for username in ("minjing", "xuequ"):
            assert _attention(username, today) == {"蒲吕明德小学": "未进校", "蒲吕石龙村小学": "未配备"}
        qingsong = EducationActivity.objects.filter(school__name="蒲吕青松中学")
        fire = qingsong.get(occasion=Occasion.FIRE_DAY)
        assert fire.held_on == dt.date(2026, 11, 9) and fire.photos.count() == 2
        lecture = qingsong.get(occasion=Occasion.CONSTITUTION_DAY)
        assert lecture.held_on == dt.date(2025, 12, 4) and lecture.counsellor.officer.username == "minjing"
        assert CounsellorVisit.objects.filter(activity=lecture).exists()
        titles = set(
            Notification.objects.filter(kind=NotifyKind.REMIND, user__username="anquan").values_list(
                "title", flat=True
            )
        )
        assert {t.partition("（")[0] for t in titles} == {"12·2全国交通安全日", "12·4国家宪法日"}
        assert first["education_activities"] == 4 and first["counsellor_appointments"] == 11
        notes = Notification.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            second = load_demo()
        assert {k: second[k] for k in first if k.startswith(("education", "counsellor"))} == {
            k: first[k] for k in first if k.startswith(("education", "counsellor"))
        }
        assert Notification.objects.count() == notes


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2027, 10, 20, 9, 0, tzinfo=SHANGHAI),  # autumn, a year ahead
        dt.datetime(2028, 3, 15, 9, 0, tzinfo=SHANGHAI),  # spring, another year
    ],
    ids=["a-year-ahead", "spring"],
)
def test_another_day_tells_the_same_story(settings, tmp_path, moment):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(moment, tick=False):
        load_demo()
        today = timezone.localdate()
        for username in ("minjing", "xuequ"):
            assert _attention(username, today) == {"蒲吕明德小学": "未进校", "蒲吕石龙村小学": "未配备"}
        assert all(a.held_on <= today for a in EducationActivity.objects.all())
        assert all(v.visited_on <= today for v in CounsellorVisit.objects.all())
