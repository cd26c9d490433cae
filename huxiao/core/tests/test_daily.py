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
    assert all(f"（{name}）" in text for name, _ in STEPS)
    assert "每日任务全部完成" in text
    sent = Notification.objects.count()
    call_command("daily", stdout=io.StringIO())
    assert Notification.objects.count() == sent
