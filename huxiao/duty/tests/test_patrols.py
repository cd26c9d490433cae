"""Patrol groups and patrol logs; a finding becomes a hazard linked back to the patrol."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from huxiao.duty.models import PatrolGroup, PatrolLog
from huxiao.hazards.models import Hazard
from huxiao.hazards.sources import source_link
from huxiao.testsupport.cast import audit_mark, audit_since


@pytest.mark.django_db
def test_group_patrol_and_a_finding_turned_into_a_hazard(cast, client):
    client.force_login(cast.police)
    response = client.post(
        reverse("duty:group-create"),
        {"name": "蒲吕平安守护一组", "station": cast.pulv_police.pk, "members": [cast.police.pk], "guards": 4,
         "parents": 6, "teachers": 3, "volunteers": 5},
    )  # fmt: skip
    assert response.status_code == 302
    group = PatrolGroup.objects.get()
    assert list(group.members.all()) == [cast.police] and group.parents == 6
    response = client.post(
        reverse("duty:patrol-create"),
        {"group": group.pk, "started_at": "2026-11-25T16:40", "ended_at": "2026-11-25T17:40", "route": "青松路—明德街",
         "schools": [cast.qingsong.pk, cast.mingde.pk], "participants": 8, "findings": "南门外流动摊贩占道"},
    )  # fmt: skip
    log = PatrolLog.objects.get()
    assert response.url == reverse("duty:patrol-detail", args=[log.pk])
    mark = audit_mark()
    response = client.post(
        reverse("duty:patrol-detail", args=[log.pk]),
        {"school": cast.qingsong.pk, "title": "南门外流动摊贩占道", "category": "surroundings", "severity": "general",
         "description": "放学时段学生绕行机动车道"},
    )  # fmt: skip
    assert response.status_code == 302
    hazard = Hazard.objects.get()
    assert (hazard.school, hazard.source, hazard.source_ref) == (
        cast.qingsong,
        "other",
        f"duty.patrol:{log.pk}",
    )
    assert hazard.found_on == dt.date(2026, 11, 25)
    assert "hazard.report" in [e.action for e in audit_since(mark)]
    link = source_link(hazard)
    assert link is not None and link.url == reverse("duty:patrol-detail", args=[log.pk])
    page = client.get(reverse("duty:patrol-detail", args=[log.pk])).content.decode()
    assert hazard.code in page


@pytest.mark.django_db
def test_a_patrol_cannot_cover_schools_outside_scope(cast, client):
    client.force_login(cast.police)
    from huxiao.duty import services

    group = services.patrol_group_create(acting_user=cast.police, name="一组", station=cast.pulv_police)
    response = client.post(
        reverse("duty:patrol-create"),
        {"group": group.pk, "started_at": "2026-11-25T16:40", "ended_at": "2026-11-25T16:00", "route": "滨河路",
         "schools": [cast.binhe.pk], "participants": 3},
    )  # fmt: skip
    page = response.content.decode()
    assert "选择一个有效的选项" in page and "结束时间须晚于开始时间" in page
    assert not PatrolLog.objects.exists()


@pytest.mark.django_db
def test_groups_are_seen_by_their_station_and_its_subdistrict_only(cast):
    from huxiao.duty import services

    group = services.patrol_group_create(acting_user=cast.police, name="一组", station=cast.pulv_police)
    assert list(PatrolGroup.objects.visible_to(cast.safety_officer)) == [group]
    assert list(PatrolGroup.objects.visible_to(cast.official)) == [group]
    assert not PatrolGroup.objects.visible_to(cast.outsider).exists()
    assert not PatrolGroup.objects.visible_to(cast.qingsong_lead).exists()
    with pytest.raises(services.PermissionDenied):
        services.patrol_group_create(acting_user=cast.outsider, name="二组", station=cast.pulv_police)
