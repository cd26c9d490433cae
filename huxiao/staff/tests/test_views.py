"""The staff register's pages as each role meets them: the scope matrix (every page × every role),
registering through the form (database and audit event), the police's licence-only page, the
system administrator's nothing, and pinned query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huxiao.core.models import AuditEvent
from huxiao.staff.models import StaffMember
from huxiao.staff.tests.builders import TODAY, adverse, cleared, guard, id_number, member
from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(TODAY)]
FINDING = "2015年因盗窃被判处有期徒刑六个月"


@pytest.fixture
def records(cast):
    person = member(cast.qingsong_lead, cast.qingsong, 1)
    check = adverse(cast.qingsong_lead, person)
    keeper = guard(cast.qingsong_lead, cast.qingsong, 2)
    cleared(cast.qingsong_lead, keeper)
    return person, check, keeper


def pages(person, check):
    return {
        "list": reverse("staff:member-list"),
        "checks": reverse("staff:checks"),
        "detail": reverse("staff:member-detail", args=[person.pk]),
        "edit": reverse("staff:member-edit", args=[person.pk]),
        "decide": reverse("staff:check-decide", args=[check.pk]),
        "result": reverse("staff:check-result", args=[check.pk]),
        "guards": reverse("staff:guards"),
    }


# who: {page: status}; pages not named answer 404
MATRIX = {
    "qingsong_lead": {
        "list": 200,
        "checks": 200,
        "detail": 200,
        "edit": 200,
        "decide": 403,
        "result": 200,
        "guards": 200,
    },
    "centre_officer": {
        "list": 200,
        "checks": 200,
        "detail": 200,
        "edit": 403,
        "decide": 200,
        "result": 403,
        "guards": 200,
    },
    "mingde_lead": {"list": 200, "checks": 200, "guards": 200},
    "police": {"guards": 200},
    "official": {},
    "safety_officer": {},
    "observer": {},
    "sysadmin": {},
    "auditor": {},
    "outsider": {},
}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_every_page_answers_each_role_as_its_duty_says(cast, client, records, who):
    person, check, _keeper = records
    client.force_login(getattr(cast, who))
    got = {name: client.get(url).status_code for name, url in pages(person, check).items()}
    expected = {name: MATRIX[who].get(name, 404) for name in got}
    assert got == expected


def test_anonymous_is_sent_to_sign_in(client, records):
    person, check, _ = records
    for url in pages(person, check).values():
        assert client.get(url).status_code == 302


def test_the_police_see_licences_but_no_check_and_no_id_number(cast, client, records):
    _person, _check, keeper = records
    client.force_login(cast.police)
    html = client.get(reverse("staff:guards")).content.decode()
    assert keeper.name in html and "持证上岗" in html
    assert FINDING not in html and "有异常" not in html and id_number(2) not in html


def test_the_finding_shows_only_after_reveal_with_a_reason(cast, client, records):
    person, _check, _ = records
    client.force_login(cast.centre_officer)
    url = reverse("staff:member-detail", args=[person.pk])
    html = client.get(url).content.decode()
    assert FINDING not in html and id_number(1) not in html
    html = client.post(url, {"reason": "核查入职材料"}).content.decode()
    assert FINDING in html and id_number(1) in html
    assert AuditEvent.objects.filter(action="staff.reveal", actor=cast.centre_officer).count() == 1


def test_a_safety_lead_registers_a_guard_through_the_form(cast, client):
    client.force_login(cast.qingsong_lead)
    form = client.get(reverse("staff:member-create")).context["form"]
    data = {
        "submission": form["submission"].initial,
        "school": cast.qingsong.pk,
        "name": "王保安",
        "id_number": id_number(9),
        "role": "guard",
        "employer": "company",
        "company": "铜梁安保公司",
        "started_on": "2026-09-01",
        "licence_number": "渝20200009",
        "licence_authority": "铜梁区公安分局",
        "licence_issued_on": "2020-06-01",
        "pretraining_on": "2020-08-01",
        "pretraining_hours": "40",
    }
    response = client.post(reverse("staff:member-create"), data)
    saved = StaffMember.objects.get(name="王保安")
    assert response.status_code == 302 and response["Location"] == reverse(
        "staff:member-detail", args=[saved.pk]
    )
    assert saved.licence_number == "渝20200009" and saved.started_on == dt.date(2026, 9, 1)
    assert AuditEvent.objects.filter(action="staff.register", actor=cast.qingsong_lead).count() == 1
    client.post(reverse("staff:member-create"), data)  # the double click
    assert StaffMember.objects.filter(name="王保安").count() == 1


def test_a_bad_form_names_the_field_and_saves_nothing(cast, client):
    client.force_login(cast.qingsong_lead)
    response = client.post(
        reverse("staff:member-create"),
        {
            "school": cast.qingsong.pk,
            "name": "李四",
            "id_number": "500151199001011230",
            "role": "teacher",
            "employer": "in_house",
            "started_on": "2026-09-01",
        },
    )
    assert response.status_code == 200 and "校验位不正确" in response.content.decode()
    assert not StaffMember.objects.exists()


LIST_QUERIES = {"staff:member-list": 4, "staff:guards": 2, "staff:checks": 4}


@pytest.mark.parametrize("page", sorted(LIST_QUERIES))
def test_list_queries_are_pinned_and_do_not_grow_with_the_rows(cast, client, page):
    client.force_login(cast.centre_officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(page)).status_code == 200
        return len(ctx.captured_queries)

    adverse(cast.qingsong_lead, guard(cast.qingsong_lead, cast.qingsong, 1))
    few = count()
    for i in range(2, 8):
        adverse(cast.qingsong_lead, guard(cast.qingsong_lead, cast.qingsong, i))
        cleared(cast.mingde_lead, member(cast.mingde_lead, cast.mingde, 100 + i))
    assert count() == few == SIGNED_IN_PAGE_QUERIES + LIST_QUERIES[page]


def test_the_school_records_a_leaving_through_the_form(cast, client, records):
    person, _check, _ = records
    client.force_login(cast.qingsong_lead)
    url = reverse("staff:member-leave", args=[person.pk])
    response = client.post(
        url, {"version": person.version, "left_on": "2026-11-25", "left_reason": "调往城区学校"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.left_on == dt.date(2026, 11, 25) and person.left_reason == "调往城区学校"
    assert AuditEvent.objects.filter(action="staff.leave", actor=cast.qingsong_lead).count() == 1
    stale = client.post(url, {"version": 1, "left_on": "2026-11-25", "left_reason": "again"})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
