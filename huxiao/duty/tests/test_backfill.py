"""补录: only the responsible police station, only with a reason, only a past school-day period
without a record; marked 补录 on the post page and counted separately."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from huxiao.duty.models import DutyRecord
from huxiao.duty.tests.factories import at, make_post, make_record, period
from huxiao.testsupport.cast import audit_mark, audit_since

NOW = at(2026, 11, 26, 9, 0)


def _data(post, **changes):
    data = {
        "date": "2026-11-25",
        "period": period(post, "afternoon").pk,
        "reason": "手机故障未能扫码，据执勤记录本补录",
        "police": 1,
        "aux_police": 0,
        "guards": 1,
        "teachers": 0,
        "volunteers": 0,
        "cars": 0,
    }
    data.update(changes)
    return data


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_station_backfills_with_a_reason(cast, client):
    post = make_post(cast.qingsong)
    client.force_login(cast.police)
    mark = audit_mark()
    response = client.post(reverse("duty:post-backfill", args=[post.pk]), _data(post))
    assert response.status_code == 302
    record = DutyRecord.objects.get()
    assert record.is_backfilled and record.backfill_reason.startswith("手机故障")
    assert record.created_by == cast.police and record.date == dt.date(2026, 11, 25)
    assert [e.action for e in audit_since(mark)] == ["duty.backfill"]
    page = client.get(reverse("duty:post-detail", args=[post.pk])).content.decode()
    assert "补录" in page and "手机故障未能扫码" in page


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_backfill_refusals_name_the_rule(cast, client):
    post = make_post(cast.qingsong)
    make_record(post, "morning", dt.date(2026, 11, 25), by=cast.police)
    client.force_login(cast.police)
    url = reverse("duty:post-backfill", args=[post.pk])
    cases = [
        (_data(post, reason="  "), "补录原因"),
        (_data(post, period=period(post, "morning").pk), "已有执勤记录，无需补录"),
        (_data(post, date="2026-11-22"), "不是上学日，无需补录"),  # a Sunday
        (_data(post, date="2026-11-26"), "只能补录已经结束的时段"),  # this afternoon
        (_data(post, date="2026-11-27"), "只能补录已经结束的时段"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode(), message
    assert DutyRecord.objects.count() == 1


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_only_the_station_may_backfill(cast, client):
    post = make_post(cast.qingsong)
    url = reverse("duty:post-backfill", args=[post.pk])
    # 平安办 manages posts but is not the station; the school's lead logs duty but does not manage
    for user in (cast.safety_officer, cast.qingsong_lead, cast.observer):
        client.force_login(user)
        assert client.post(url, _data(post)).status_code == 403, user
    client.force_login(cast.outsider)
    assert client.post(url, _data(post)).status_code == 404
    assert not DutyRecord.objects.exists()
