"""Scope: an officer of 巴川派出所 sees nothing of 蒲吕 — no posts, no records, no patrols, no
coverage — and guessed ids answer 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from huxiao.duty import selectors, services
from huxiao.duty.tests.factories import bachuan_officer, make_post, make_record


@pytest.fixture
def pulv(cast):
    post = make_post(cast.qingsong)
    record = make_record(post, "morning", dt.date(2026, 11, 25), by=cast.police)
    group = services.patrol_group_create(acting_user=cast.police, name="蒲吕一组", station=cast.pulv_police)
    start = dt.datetime(2026, 11, 25, 16, 40, tzinfo=dt.UTC)
    log = services.patrol_log_create(
        acting_user=cast.police,
        group=group,
        started_at=start,
        ended_at=start + dt.timedelta(hours=1),
        route="青松路",
        schools=[cast.qingsong],
    )
    return {"post": post, "record": record, "group": group, "log": log}


@pytest.mark.django_db
def test_the_bachuan_officer_sees_nothing_of_pulv(cast, client, pulv):
    officer = bachuan_officer(cast)
    make_post(cast.binhe)
    client.force_login(officer)
    post = pulv["post"]
    for url in [
        reverse("duty:post-detail", args=[post.pk]),
        reverse("duty:post-edit", args=[post.pk]),
        reverse("duty:post-card", args=[post.pk]),
        reverse("duty:post-qr", args=[post.pk]),
        reverse("duty:post-backfill", args=[post.pk]),
        reverse("duty:checkin", args=[post.token]),
        reverse("duty:patrol-detail", args=[pulv["log"].pk]),
        reverse("duty:group-edit", args=[pulv["group"].pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("duty:post-token", args=[post.pk])).status_code == 404
    for url in [
        reverse("duty:station"),
        reverse("duty:post-list"),
        reverse("duty:patrol-list"),
        reverse("duty:coverage"),
    ]:
        page = client.get(url).content.decode()
        assert "青松" not in page and "蒲吕" not in page, url
    from huxiao.duty.models import DutyPost, DutyRecord, PatrolLog

    assert [p.school.name for p in DutyPost.objects.visible_to(officer)] == ["巴川滨河小学"]
    assert not DutyRecord.objects.visible_to(officer).exists()
    assert not PatrolLog.objects.visible_to(officer).exists()
    assert selectors.posts_for_map(officer) == []  # 滨河小学 has no coordinates in the cast
    assert selectors.coverage_summary(officer, dt.date(2026, 11, 1), dt.date(2026, 11, 27)).schools == 1


@pytest.mark.django_db
def test_anonymous_users_go_to_the_login_page(client, pulv):
    for url in [
        reverse("duty:station"),
        reverse("duty:coverage"),
        reverse("duty:checkin", args=[pulv["post"].token]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.django_db
def test_read_only_and_unrelated_roles(cast, client, pulv):
    post = pulv["post"]
    client.force_login(cast.observer)  # 只读观察员 of 蒲吕: sees, never writes
    assert client.get(reverse("duty:post-detail", args=[post.pk])).status_code == 200
    assert client.get(reverse("duty:post-edit", args=[post.pk])).status_code == 403
    assert client.get(reverse("duty:post-create")).status_code == 403
    assert client.get(reverse("duty:station")).status_code == 403  # no DUTY_LOG
    client.force_login(cast.auditor)
    assert client.get(reverse("duty:post-detail", args=[post.pk])).status_code == 404
    assert client.get(reverse("duty:coverage")).status_code == 403


@pytest.mark.django_db
def test_the_map_contract(cast, pulv):
    """Posts with their own position; else their school's (approximate); else left out."""
    from decimal import Decimal

    from huxiao.schools.models import School

    School.objects.filter(pk=cast.qingsong.pk).update(latitude=Decimal("29.9"), longitude=Decimal("106.1"))
    south = make_post(cast.qingsong, "南门", latitude=Decimal("29.901"), longitude=Decimal("106.102"))
    make_post(cast.mingde)  # neither the post nor the school has a position
    rows = sorted(selectors.posts_for_map(cast.police), key=lambda r: r["id"])
    assert rows == [
        {
            "id": pulv["post"].pk,
            "name": "正门",
            "school": "蒲吕青松中学",
            "school_id": cast.qingsong.pk,
            "lat": 29.9,
            "lng": 106.1,
            "approximate": True,
            "url": f"/duty/posts/{pulv['post'].pk}/",
        },
        {
            "id": south.pk,
            "name": "南门",
            "school": "蒲吕青松中学",
            "school_id": cast.qingsong.pk,
            "lat": 29.901,
            "lng": 106.102,
            "approximate": False,
            "url": f"/duty/posts/{south.pk}/",
        },
    ]
