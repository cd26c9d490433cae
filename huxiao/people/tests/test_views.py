"""The registers' pages as each role meets them: the scope matrix (every URL × every role), the
station's daily work through the forms, 查看完整信息 with its access history, the counts others
see, the station-only export, pinned query counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from huxiao.accounts.roles import RoleCode
from huxiao.core.models import AuditEvent
from huxiao.notifications.models import Notification
from huxiao.people import services
from huxiao.people.choices import PersonStatus, Risk
from huxiao.people.models import Category, Dispute, KeyPerson
from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES, make_user

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]
NAME, ID = "张小明", "500151199001011233"


def person(cast, **changes) -> KeyPerson:
    values = dict(
        acting_user=cast.police,
        station=cast.pulv_police,
        officer=cast.police,
        region=cast.pulv_community,
        category=Category.objects.get(name="严重精神障碍患者（易肇事肇祸）"),
        risk=Risk.HIGH,
        name=NAME,
        id_number=ID,
        phone="13812345678",
        address="青松路8号",
        schools=[cast.qingsong],
    )
    values.update(changes)
    return services.person_register(**values)


def dispute(cast, **changes) -> Dispute:
    values = dict(
        acting_user=cast.police,
        station=cast.pulv_police,
        region=cast.pulv_community,
        category="casualty",
        source="school",
        found_on=dt.date(2026, 11, 25),
        parties="李大勇 13900002222 家长",
        summary="学生受伤，家长要求赔偿。",
        schools=[cast.qingsong],
    )
    values.update(changes)
    return services.dispute_register(**values)


def urls(p: KeyPerson, d: Dispute) -> dict[str, str]:
    return {
        "list": reverse("people:person-list"),
        "new": reverse("people:person-create"),
        "export": reverse("people:person-export"),
        "intervals": reverse("people:intervals"),
        "detail": reverse("people:person-detail", args=[p.pk]),
        "edit": reverse("people:person-edit", args=[p.pk]),
        "visit": reverse("people:person-visit", args=[p.pk]),
        "measure": reverse("people:person-measure", args=[p.pk]),
        "lost": reverse("people:person-lost", args=[p.pk]),
        "delist": reverse("people:person-delist", args=[p.pk]),
        "disputes": reverse("people:dispute-list"),
        "dispute-new": reverse("people:dispute-create"),
        "dispute": reverse("people:dispute-detail", args=[d.pk]),
        "mediation": reverse("people:dispute-mediation", args=[d.pk]),
        "stabilise": reverse("people:dispute-stabilise", args=[d.pk]),
        "close": reverse("people:dispute-close", args=[d.pk]),
        "hazard": reverse("people:dispute-hazard", args=[d.pk]),
    }


READS = {"list", "intervals", "detail", "disputes", "dispute"}


def test_the_scope_matrix_every_url_for_every_role(cast, client):
    """The station works everything; the 区委政法委 reads (and may reveal) but writes nothing; every
    other role — 平安办, 学区, 街道 observer, school, another 街道, the administrator and the
    auditor — gets 404 on every register URL, as if it did not exist."""
    p, d = person(cast), dispute(cast)
    table = urls(p, d)
    expected = {
        "police": dict.fromkeys(table, 200) | {"delist": 403},
        "official": {k: 200 if k in READS else 403 for k in table},
    }
    for name in (
        "safety_officer",
        "centre_officer",
        "observer",
        "qingsong_lead",
        "mingde_lead",
        "sysadmin",
        "auditor",
        "outsider",
    ):
        expected[name] = dict.fromkeys(table, 404)
    for name, codes in expected.items():
        client.force_login(getattr(cast, name))
        got = {key: client.get(url).status_code for key, url in table.items()}
        assert got == codes, name
        post = client.post(reverse("people:dispute-threat", args=[d.pk]), {"version": d.version})
        assert post.status_code == {"police": 302, "official": 403}.get(name, 404), name
    bachuan_police = make_user("bachuan_police", cast.bachuan_police, RoleCode.POLICE)
    client.force_login(bachuan_police)
    assert client.get(table["list"]).status_code == 200  # its own (empty) register …
    assert client.get(table["detail"]).status_code == 404  # … never another station's record
    assert NAME[0] + "*" not in client.get(table["list"]).content.decode()


def test_overview_shows_counts_to_the_subdistrict_and_the_centre_never_names(cast, client):
    p = person(cast)
    services.visit_record(acting_user=cast.police, person=p, visited_on=None, found="lost")
    dispute(cast, threat=True)
    for name, code in (
        ("safety_officer", 200),
        ("centre_officer", 200),
        ("observer", 200),
        ("official", 200),
        ("police", 200),
        ("qingsong_lead", 404),
        ("sysadmin", 404),
        ("auditor", 404),
    ):
        client.force_login(getattr(cast, name))
        response = client.get(reverse("people:overview"))
        assert response.status_code == code, name
        if code == 200:
            page = response.content.decode()
            assert "蒲吕青松中学" in page and NAME not in page and "张*" not in page and "李大勇" not in page
    client.force_login(cast.outsider)  # another 街道: its own schools only
    assert "蒲吕青松中学" not in client.get(reverse("people:overview")).content.decode()
    client.force_login(cast.safety_officer)  # the 工作台 card: counts only
    home = client.get(reverse("dashboards:home")).content.decode()
    assert "失控重点人员 1 人，扬言报复矛盾纠纷 1 件" in home and NAME not in home
    client.force_login(cast.qingsong_lead)
    assert "涉校稳定" not in client.get(reverse("dashboards:home")).content.decode()


def test_the_school_page_shows_the_count_to_the_station_the_centre_and_the_school(cast, client):
    person(cast)
    url = reverse("schools:school-detail", args=[cast.qingsong.pk])
    for name, shown in (
        ("police", True),
        ("centre_officer", True),
        ("qingsong_lead", True),
        ("sysadmin", False),
    ):
        client.force_login(getattr(cast, name))
        page = client.get(url).content.decode()
        assert ("周边高风险重点人员" in page) is shown, name
        assert NAME not in page and "张*" not in page


def test_the_police_register_record_a_visit_and_report_him_lost_through_the_pages(
    cast, client, django_capture_on_commit_callbacks
):
    client.force_login(cast.police)
    form = client.get(reverse("people:person-create")).context["form"]
    data = {
        "submission": form["submission"].initial,
        "station": cast.pulv_police.pk,
        "name": "王五",
        "id_number": ID,
        "phone": "13812345678",
        "address": "青松路9号",
        "latitude": "",
        "longitude": "",
        "category": Category.objects.get(name="吸毒人员").pk,
        "risk": "high",
        "officer": cast.police.pk,
        "region": cast.pulv_community.pk,
        "schools": [cast.qingsong.pk],
        "listed_on": "2026-11-26",
    }
    first = client.post(reverse("people:person-create"), data)
    again = client.post(reverse("people:person-create"), data)  # the double click
    assert first.status_code == again.status_code == 302 and first.url == again.url
    p = KeyPerson.objects.get()
    page = client.get(first.url).content.decode()
    assert "王*" in page and "王五" not in page and "5001**********1233" in page
    bad = client.post(
        reverse("people:person-visit", args=[p.pk]), {"visited_on": "9999-12-31", "found": "lost"}
    )
    assert "走访日期" in bad.content.decode() and not p.visits.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:person-lost", args=[p.pk]), {"version": p.version, "note": "电话关机"})
    p.refresh_from_db()
    assert p.status == PersonStatus.LOST
    told = set(Notification.objects.filter(kind="people_lost").values_list("user__username", flat=True))
    assert {"safety_officer", "official"} <= told and "centre_officer" not in told
    stale = client.post(reverse("people:person-lost", args=[p.pk]), {"version": 1, "note": "再次报告"})
    assert stale.status_code == 409 and "请刷新页面" in stale.content.decode()


def test_seeing_in_full_needs_a_reason_and_is_listed_on_the_page(cast, client):
    p = person(cast)
    client.force_login(cast.official)
    url = reverse("people:person-detail", args=[p.pk])
    refused = client.post(url, {"reason": ""})
    assert (
        NAME not in refused.content.decode()
        and not AuditEvent.objects.filter(action="people.reveal").exists()
    )
    shown = client.post(url, {"reason": "核实上访线索"}).content.decode()
    assert NAME in shown and ID in shown
    event = AuditEvent.objects.get(action="people.reveal")
    assert event.actor == cast.official and event.after["reason"] == "核实上访线索"
    page = client.get(url).content.decode()
    assert NAME not in page and "核实上访线索" in page and "程立新" in page  # the access history


def test_a_flagged_dispute_tells_the_subdistrict_at_once_and_is_overdue_without_stabilisation(
    cast, client, django_capture_on_commit_callbacks
):
    d = dispute(cast)
    client.force_login(cast.police)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:dispute-threat", args=[d.pk]), {"version": d.version})
    told = set(Notification.objects.filter(kind="dispute_threat").values_list("user__username", flat=True))
    assert {"safety_officer", "official", "observer"} <= told and "qingsong_lead" not in told
    assert not Notification.objects.filter(title__contains="李大勇").exists()
    d.refresh_from_db()
    late = d.stabilise_due + dt.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_stabilise(late) == 1
    assert Notification.objects.filter(kind="dispute_stabilise", user=cast.official).exists()


def test_only_the_station_exports_and_the_file_names_the_exporter(cast, client):
    person(cast)
    client.force_login(cast.official)
    assert client.get(reverse("people:person-export")).status_code == 403
    client.force_login(cast.police)
    response = client.get(reverse("people:person-export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "导出人：赵警官" in cells[1] and NAME in cells
    assert AuditEvent.objects.filter(action="people.export", actor=cast.police).count() == 1


# The lists' own queries: the filter form's choices (persons: 类别, 派出所; disputes: 派出所), the
# total and the page of 50 (disputes: + their schools), the four count cards (2).
LIST_QUERIES = {"people:person-list": 6, "people:dispute-list": 6}


@pytest.mark.parametrize("page", sorted(LIST_QUERIES))
def test_list_queries_are_pinned_and_do_not_grow_with_the_rows(cast, client, page):
    client.force_login(cast.police)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(page)).status_code == 200
        return len(ctx.captured_queries)

    person(cast, id_number="", name="甲一")
    dispute(cast)
    few = count()
    for i in range(6):
        person(cast, id_number="", name=f"乙{i}")
        dispute(cast)
    assert count() == few == SIGNED_IN_PAGE_QUERIES + LIST_QUERIES[page]


def test_a_lost_key_shows_a_clear_page_not_garbage(cast, client, settings):
    from cryptography.fernet import Fernet

    p = person(cast)
    settings.HUXIAO_PEOPLE_KEYS = [Fernet.generate_key().decode()]
    client.force_login(cast.police)
    response = client.get(reverse("people:person-detail", args=[p.pk]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "密钥" in page and "联系系统管理员" in page and "HUXIAO" not in page  # no setting names for users


def test_the_registers_audit_events_are_for_the_registers_readers_and_the_auditor(cast, client):
    """A 查看完整信息 reason may name the person: a 街道 leader (audit.view over the 街道) does not
    read these events; the 政法委 and the 安全审计员 do."""
    p = person(cast)
    services.person_reveal(acting_user=cast.official, person=p, reason=f"核对{NAME}的住址")
    street_leader = make_user("jiedao", cast.pulv_office, RoleCode.LEADER)
    for user, sees in ((street_leader, False), (cast.official, True), (cast.auditor, True)):
        client.force_login(user)
        page = client.get(reverse("audit:list")).content.decode()
        assert (NAME in page) is sees, user.username
        assert ("查看敏感完整信息" in page) is sees, user.username


def test_opening_the_edit_form_is_an_audited_full_view(cast, client):
    p = person(cast)
    client.force_login(cast.police)
    assert NAME in client.get(reverse("people:person-edit", args=[p.pk])).content.decode()
    event = AuditEvent.objects.get(action="people.reveal")
    assert event.actor == cast.police and event.after["reason"] == services.EDIT_REASON


def test_hostile_input_is_refused_without_a_500(cast, client):
    p, d = person(cast), dispute(cast)
    client.force_login(cast.police)
    huge = str(2**64)
    for url, data in (
        (reverse("people:dispute-threat", args=[d.pk]), {"version": "²"}),
        (reverse("people:person-create"), {"schools": [huge], "name": "x"}),
        (reverse("people:dispute-create"), {"schools": [huge], "mediators": [huge]}),
        (reverse("people:person-visit", args=[p.pk]), {"visited_on": "0001-01-01", "found": "lost"}),
        (reverse("people:person-measure", args=[p.pk]), {"kind": "x" * 500, "taken_on": "9999-12-31"}),
    ):
        assert client.post(url, data).status_code in (200, 302, 409), url
    listed = client.get(reverse("people:person-list") + "?school=青松").content.decode()
    assert (
        p.code in listed
        and p.code not in client.get(reverse("people:person-list") + "?school=明德").content.decode()
    )
    for query in (f"?school={huge}", f"?station={huge}", f"?category={huge}", "?page=99999999999999999999"):
        assert client.get(reverse("people:person-list") + query).status_code == 200, query


def test_a_dispute_raises_one_hazard_and_a_closed_one_takes_no_more_records(cast, client):
    d = dispute(cast)
    client.force_login(cast.police)
    data = {
        "school": cast.qingsong.pk,
        "title": "校门口缺少隔离设施",
        "category": "physical",
        "description": "见纠纷",
    }
    url = reverse("people:dispute-hazard", args=[d.pk])
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200 and "已转为隐患" in again.content.decode()
    d.refresh_from_db()
    services.dispute_close(
        acting_user=cast.police, dispute=d, expected_version=d.version, outcome="resolved", closed_on=None
    )
    late = client.post(
        reverse("people:dispute-mediation", args=[d.pk]),
        {"held_on": "2026-11-26", "organisation": cast.pulv_office.pk, "note": "补记"},
    )
    assert "已结案" in late.content.decode() and not d.mediations.exists()
