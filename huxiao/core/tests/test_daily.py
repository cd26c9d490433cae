"""`manage.py daily` runs every daily step, and a second run sends nothing new."""

import io

import pytest
from django.core.management import call_command

from huxiao.core.management.commands.daily import STEPS
from huxiao.notifications.models import Notification


@pytest.mark.django_db
def test_daily_runs_every_step_and_is_idempotent(cast):
    out = io.StringIO()
    call_command("daily", stdout=out)
    text = out.getvalue()
    assert all(f"（{step[0]}）" in text for step in STEPS)
    assert "每日任务全部完成" in text
    sent = Notification.objects.count()
    call_command("daily", stdout=io.StringIO())
    assert Notification.objects.count() == sent


def test_daily_writes_the_audit_anchor(cast, settings, tmp_path):
    settings.HUXIAO_AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.log")
    out = io.StringIO()
    call_command("daily", stdout=out)
    lines = (tmp_path / "anchors.log").read_text().splitlines()
    assert len(lines) == 1 and "已写入锚点" in out.getvalue()
    call_command("daily", stdout=out)
    assert len((tmp_path / "anchors.log").read_text().splitlines()) == 2
    assert "与此前写下的 1 个锚点一致" in out.getvalue()
