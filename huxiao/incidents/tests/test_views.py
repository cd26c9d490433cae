"""The incident pages as each role meets them: out of scope is a 404, the 系统管理员 reaches
nothing, a school reports through the form (once, however often it is sent), bad input gets a
Chinese message naming the field and saves nothing, the police sign, log and close through the
page, the people are masked until 查看完整信息, and the list's queries are pinned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huxiao.core.models import AuditEvent
from huxiao.incidents import services
from huxiao.incidents.choices import Grade, PersonRole, State
from huxiao.incidents.models import Incident, Notice, ResponseEntry
from huxiao.incidents.tests.builders import NOW, incident
from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]
MASKED = "王*明"  # lib.masks.mask_name("王小明")


@pytest.fixture
def case(cast):
    record = incident(cast.qingsong_lead, cast.qingsong)
    services.person_add(
        acting_user=cast.qingsong_lead, incident=record, role=PersonRole.VICTIM, name="王小明", minor=True
    )
    return record


def form(**changes) -> dict:
    data = {
        "school": "",
        "occurred_at": "2026-11-26T08:30",
        "place": "gate",
        "kind": "assault",
        "grade": "larger",
        "title": "校门口外来人员持械伤害学生",
        "summary": "早上入校时外来人员持刀威胁学生，保安员制止，民警到场。",
        "injured": "0",
        "dead": "0",
        "submission": "t-1",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("who", ["outsider", "mingde_lead", "sysadmin", "auditor", "secadmin"])
def test_an_incident_out_of_reach_is_a_404(cast, client, case, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("incidents:incident-detail", args=[case.pk])).status_code == 404
    assert client.post(reverse("incidents:incident-acknowledge", args=[case.pk])).status_code == 404


@pytest.mark.parametrize("who", ["sysadmin", "auditor", "secadmin"])
def test_the_three_administrators_have_no_incident_register(cast, client, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("incidents:incident-list")).status_code == 404
    assert client.get(reverse("incidents:incident-create")).status_code == 404


def test_a_school_reports_through_the_form_once_however_often_it_is_sent(cast, client):
    client.force_login(cast.qingsong_lead)
    page = client.get(reverse("incidents:incident-create")).content.decode()
    assert "不写当事人姓名" in page and cast.mingde.name not in page
    data = form(school=cast.qingsong.pk)
    first = client.post(reverse("incidents:incident-create"), data)
    second = client.post(reverse("incidents:incident-create"), data)
    record = Incident.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("incidents:incident-detail", args=[record.pk])
    assert record.notices.count() == 5 and AuditEvent.objects.filter(action="incidents.report").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"occurred_at": "2026-11-28T08:30"}, "occurred_at", "不能晚于现在"),
        ({"occurred_at": "9999-12-31T23:59"}, "occurred_at", "发生时间"),
        ({"title": "消防\x0b通道"}, "title", "事由"),
        ({"injured": str(2**64)}, "injured", "受伤人数"),
        ({"grade": "huge"}, "grade", "等级"),
    ],
)
def test_bad_input_is_named_in_chinese_and_saves_nothing(cast, client, changes, field, words):
    client.force_login(cast.qingsong_lead)
    response = client.post(reverse("incidents:incident-create"), form(school=cast.qingsong.pk, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words in str(response.content.decode()) or words in str(errors)
    assert not Incident.objects.exists()


def test_the_police_sign_log_and_close_through_the_page(cast, client, case):
    client.force_login(cast.police)
    listing = client.get(reverse("incidents:incident-list")).content.decode()
    assert "待本单位签收（1）" in listing and case.title in listing
    detail = reverse("incidents:incident-detail", args=[case.pk])
    assert "签收（蒲吕派出所）" in client.get(detail).content.decode()
    assert client.post(reverse("incidents:incident-acknowledge", args=[case.pk])).status_code == 302
    assert Notice.objects.get(organisation=cast.pulv_police).acknowledged_by == cast.police
    response = client.post(
        reverse("incidents:entry-create", args=[case.pk]),
        {"track": "linkage", "at": "2026-11-26T09:20", "text": "民警到场控制嫌疑人"},
    )
    assert response.status_code == 302 and ResponseEntry.objects.get().text == "民警到场控制嫌疑人"
    refused = client.post(
        reverse("incidents:incident-close", args=[case.pk]),
        {"version": case.version, "causes": "", "measures": ""},
    )
    assert refused.status_code == 400 and "原因分析" in refused.content.decode()
    closed = client.post(
        reverse("incidents:incident-close", args=[case.pk]),
        {"version": case.version, "causes": "门口无人值守", "measures": "放学时段保安员到门口值守"},
    )
    assert closed.status_code == 302
    assert Incident.objects.get(pk=case.pk).state == State.CLOSED
    page = client.get(detail).content.decode()
    assert "放学时段保安员到门口值守" in page and "已登记为隐患" in page


def test_a_stale_close_is_told_not_saved(cast, client, case):
    client.force_login(cast.police)
    response = client.post(
        reverse("incidents:incident-close", args=[case.pk]),
        {"version": case.version + 1, "causes": "原因", "measures": "措施"},
    )
    assert response.status_code == 409 and "已被他人修改" in response.content.decode()
    assert Incident.objects.get(pk=case.pk).state == State.OPEN


def test_the_people_are_masked_until_revealed_with_a_reason(cast, client, case):
    detail = reverse("incidents:incident-detail", args=[case.pk])
    client.force_login(cast.centre_officer)  # the 学区 reads the incident, not the people
    page = client.get(detail).content.decode()
    assert "当事人" not in page.split("时间线")[1] and "王小明" not in page
    client.force_login(cast.police)
    page = client.get(detail).content.decode()
    assert "王小明" not in page and MASKED in page
    revealed = client.post(reverse("incidents:persons-reveal", args=[case.pk]), {"reason": "侦办需要"})
    assert revealed.status_code == 200 and "王小明" in revealed.content.decode()
    assert AuditEvent.objects.filter(action="incidents.reveal", actor=cast.police).count() == 1


def test_the_list_queries_are_pinned_and_do_not_grow_with_the_rows(cast, client):
    client.force_login(cast.police)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("incidents:incident-list")).status_code == 200
        return len(ctx.captured_queries)

    incident(cast.qingsong_lead, cast.qingsong)
    few = count()
    for n in range(4):
        incident(
            cast.mingde_lead, cast.mingde, grade=Grade.GENERAL, occurred_at=NOW - dt.timedelta(hours=n + 2)
        )
    assert count() == few == SIGNED_IN_PAGE_QUERIES + 2
