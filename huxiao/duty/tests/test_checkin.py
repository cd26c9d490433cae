"""The QR check-in page: a post's token checks in to that post only, at the server's time, once
per person and period; who stood is recorded; check-out; every write audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from huxiao.duty import services
from huxiao.duty.models import DutyCheckIn, DutyRecord
from huxiao.duty.tests.factories import at, make_post, period
from huxiao.testsupport.cast import audit_mark, audit_since

MORNING = at(2026, 11, 26, 7, 30)  # a Thursday, a school day, during 早高峰 (07:20–08:10)


@pytest.fixture
def posts(cast):
    return make_post(cast.qingsong), make_post(cast.mingde)


def _url(post, name="checkin", *args):
    return reverse(f"duty:{name}", args=[post.token, *args])


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_the_officer_checks_in_with_a_position(cast, client, posts):
    qingsong, _ = posts
    client.force_login(cast.police)
    mark = audit_mark()
    response = client.post(
        _url(qingsong),
        {
            "period": period(qingsong, "morning").pk,
            "latitude": "29.905120",
            "longitude": "106.118430",
            "accuracy": "12",
        },
    )
    assert response.status_code == 302
    record = DutyRecord.objects.get()
    assert (record.post, record.period.kind, record.date) == (qingsong, "morning", dt.date(2026, 11, 26))
    assert record.police == 1  # the named officer counts as 民警
    checkin = DutyCheckIn.objects.get()
    assert checkin.user == cast.police and checkin.is_police
    assert checkin.checked_in_at == MORNING
    assert (checkin.in_latitude, checkin.in_longitude, checkin.in_accuracy) == (
        Decimal("29.905120"),
        Decimal("106.118430"),
        12,
    )
    assert [e.action for e in audit_since(mark)] == ["duty.check_in"]
    page = client.get(_url(qingsong)).content.decode()
    assert "签退" in page and "在岗力量" in page


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_a_token_cannot_log_at_another_post(cast, client, posts):
    qingsong, mingde = posts
    client.force_login(cast.police)
    # mingde's period posted through qingsong's QR page: the form offers only qingsong's periods.
    response = client.post(_url(qingsong), {"period": period(mingde, "morning").pk})
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    # and the service refuses it whatever the caller
    with pytest.raises(services.ValidationError, match="二维码只能在本岗位签到"):
        services.duty_check_in(acting_user=cast.police, post=qingsong, period=period(mingde, "morning"))
    assert not DutyRecord.objects.exists()


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_another_posts_record_id_is_404_through_this_token(cast, client, posts):
    qingsong, mingde = posts
    record = services.duty_check_in(acting_user=cast.police, post=mingde, period=period(mingde, "morning"))
    client.force_login(cast.police)
    data = {
        "version": record.version,
        "police": 5,
        "aux_police": 0,
        "guards": 1,
        "teachers": 0,
        "volunteers": 0,
        "cars": 0,
    }
    assert client.post(_url(qingsong, "checkin-record", record.pk), data).status_code == 404
    assert client.post(_url(qingsong, "checkout", record.pk)).status_code == 404
    record.refresh_from_db()
    assert record.police == 1
    assert DutyCheckIn.objects.get().checked_out_at is None


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_a_second_check_in_by_the_same_user_is_refused(cast, client, posts):
    qingsong, _ = posts
    client.force_login(cast.police)
    client.post(_url(qingsong), {"period": period(qingsong, "morning").pk})
    response = client.post(_url(qingsong), {"period": period(qingsong, "morning").pk})
    assert response.status_code == 200
    assert "不能重复签到" in response.content.decode()
    assert DutyCheckIn.objects.count() == 1


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_a_colleague_joins_the_same_record(cast, client, posts):
    qingsong, _ = posts
    services.duty_check_in(acting_user=cast.police, post=qingsong, period=period(qingsong, "morning"))
    record = services.duty_check_in(
        acting_user=cast.qingsong_lead, post=qingsong, period=period(qingsong, "morning")
    )
    assert DutyRecord.objects.count() == 1
    assert record.checkins.count() == 2
    assert record.police == 1  # the safety lead is not a police officer


@pytest.mark.django_db
@time_machine.travel(at(2026, 11, 26, 10, 0), tick=False)
def test_outside_the_period_the_check_in_is_refused_with_the_window(cast, posts):
    qingsong, _ = posts
    with pytest.raises(services.ValidationError, match="不在早高峰签到时间内（06:20—08:10）"):
        services.duty_check_in(acting_user=cast.police, post=qingsong, period=period(qingsong, "morning"))


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_who_stood_then_check_out(cast, client, posts):
    qingsong, _ = posts
    client.force_login(cast.police)
    client.post(_url(qingsong), {"period": period(qingsong, "morning").pk})
    record = DutyRecord.objects.get()
    data = {
        "version": record.version,
        "police": 1,
        "aux_police": 2,
        "guards": 2,
        "teachers": 3,
        "volunteers": 4,
        "cars": 1,
        "notes": "秩序良好",
        "incidents": "",
    }
    assert client.post(_url(qingsong, "checkin-record", record.pk), data).status_code == 302
    record.refresh_from_db()
    assert (record.aux_police, record.guards, record.teachers, record.volunteers, record.cars) == (
        2,
        2,
        3,
        4,
        1,
    )
    # fewer 民警 than named officers is refused, with the field and rule named
    stale = {**data, "version": record.version, "police": 0}
    response = client.post(_url(qingsong, "checkin-record", record.pk), stale, follow=True)
    assert "民警人数不能少于已实名签到的民警（1 名）" in response.content.decode()
    # someone else's save in between: a stale version is refused
    response = client.post(_url(qingsong, "checkin-record", record.pk), {**data, "version": 1}, follow=True)
    assert "已被他人修改" in response.content.decode()
    mark = audit_mark()
    with time_machine.travel(at(2026, 11, 26, 7, 58), tick=False):
        assert client.post(_url(qingsong, "checkout", record.pk), {"accuracy": "9"}).status_code == 302
    checkin = DutyCheckIn.objects.get()
    assert checkin.checked_out_at == at(2026, 11, 26, 7, 58)
    assert [e.action for e in audit_since(mark)] == ["duty.check_out"]
    response = client.post(_url(qingsong, "checkout", record.pk), follow=True)
    assert "您已于" in response.content.decode()


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_a_check_out_arriving_by_get_after_sign_in_leads_back_to_the_button(cast, client, posts):
    """The session expired at the gate: 签退 went through the login page, which returns by GET."""
    qingsong, _ = posts
    client.force_login(cast.police)
    client.post(_url(qingsong), {"period": period(qingsong, "morning").pk})
    record = DutyRecord.objects.get()
    response = client.get(_url(qingsong, "checkout", record.pk))
    assert response.status_code == 302 and response.url == _url(qingsong)
    assert not DutyCheckIn.objects.filter(checked_out_at__isnull=False).exists()  # nothing done by GET


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_who_may_open_the_qr_page(cast, client, posts):
    qingsong, _ = posts
    url = _url(qingsong)
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(cast.observer)  # sees the school, may not log duty
    assert client.get(url).status_code == 403
    client.force_login(cast.mingde_lead)  # another school's safety lead
    assert client.get(url).status_code == 404
    client.force_login(cast.qingsong_lead)  # the school's own safety lead
    assert client.get(url).status_code == 200
    assert client.get(reverse("duty:checkin", args=["not-a-token"])).status_code == 404
