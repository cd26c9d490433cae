"""Hardening finding 8: a write URL checks the role before the form — an empty POST by a read-only
observer answered with a form error instead of 403 (the QR record save, an inspection's 签字, a
task's 退回)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from huxiao.campaigns import services as campaign_services
from huxiao.campaigns.tests.factories import make_campaign, phase
from huxiao.duty import services
from huxiao.duty.tests.factories import at, make_post, period
from huxiao.inspections.choices import Kind
from huxiao.inspections.models import ChecklistTemplate
from huxiao.inspections.seeds import seed_checklists
from huxiao.inspections.tests.helpers import start

pytestmark = pytest.mark.django_db


@time_machine.travel(at(2026, 11, 26, 7, 30), tick=False)
def test_an_observer_gets_403_before_any_form_is_read(cast, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    post = make_post(cast.qingsong)
    record = services.duty_check_in(acting_user=cast.police, post=post, period=period(post, "morning"))
    seed_checklists()
    inspection = start(
        cast.police, cast.qingsong, Kind.VERIFY, ChecklistTemplate.objects.get(name="校园三防")
    )
    campaign = make_campaign(cast)
    task = campaign_services.task_create(
        acting_user=None,
        campaign=campaign,
        phase=phase(campaign, "验收"),
        title="配合验收",
        organisation=cast.qingsong.organisation,
        due=dt.date(2027, 1, 15),
        notify_owner=False,
    )
    client.force_login(cast.observer)
    for url in (
        reverse("duty:checkin-record", args=[post.token, record.pk]),
        reverse("inspections:inspection-sign", args=[inspection.pk]),
        reverse("campaigns:task-reopen", args=[task.pk]),
    ):
        assert client.post(url, {}).status_code == 403, url
