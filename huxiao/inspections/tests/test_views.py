"""Pages: the login wall, scope, pinned query counts of the lists, starting an inspection from
the form, the checklist editor (修订 → new draft → 发布) and plans by their owner only."""

from __future__ import annotations

import pytest

from huxiao.inspections.choices import Kind
from huxiao.inspections.models import ChecklistVersion, Inspection, InspectionPlan
from huxiao.inspections.tests.helpers import answer_all, start, submit
from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES, assert_redirects_to_login, audit_mark, audit_since

PAGES = ["/inspections/", "/inspections/frequency/", "/inspections/plans/", "/inspections/templates/"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_need_a_login(url, client, db):
    assert_redirects_to_login(client.get(url))


def test_the_list_shows_only_the_users_schools_in_pinned_queries(
    cast, seeded, client, django_assert_max_num_queries
):
    for school in (cast.qingsong, cast.mingde):
        inspection = start(cast.police, school, Kind.VERIFY, seeded["消防安全"])
        answer_all(inspection, cast.police)
        submit(inspection, cast.police)
    start(cast.outsider, cast.binhe, Kind.SPOT, seeded["消防安全"])
    client.force_login(cast.police)
    with django_assert_max_num_queries(SIGNED_IN_PAGE_QUERIES + 4):
        page = client.get("/inspections/").content.decode()
    assert "蒲吕青松中学" in page and "蒲吕明德小学" in page and "巴川滨河小学" not in page
    client.force_login(cast.outsider)
    page = client.get("/inspections/").content.decode()
    assert "巴川滨河小学" in page and "蒲吕青松中学" not in page
    # from a school's page: its inspections only; another district's school finds nothing
    client.force_login(cast.police)
    page = client.get(f"/inspections/?school={cast.mingde.pk}").content.decode()
    assert "蒲吕明德小学" in page and "蒲吕青松中学" not in page
    page = client.get(f"/inspections/?school={cast.binhe.pk}").content.decode()
    assert "巴川滨河小学" not in page and "蒲吕明德小学" not in page


def test_an_officer_starts_a_verification_from_the_form(cast, seeded, client):
    client.force_login(cast.police)
    assert "蒲吕青松中学" in client.get("/inspections/new/").content.decode()
    form = client.get(f"/inspections/new/?school={cast.qingsong.pk}").content.decode()
    assert 'value="verify"' in form and 'value="self"' not in form
    mark = audit_mark()
    response = client.post(
        "/inspections/new/",
        {
            "school": cast.qingsong.pk,
            "kind": "verify",
            "date": "2026-11-29",
            "template": seeded["校园三防"].pk,
        },
    )
    inspection = Inspection.objects.get()
    assert response.url == f"/inspections/{inspection.pk}/"
    assert inspection.lead_org == cast.pulv_police and list(inspection.team.all()) == [cast.police]
    assert [e.action for e in audit_since(mark)] == ["inspection.create"]
    assert ChecklistVersion.objects.get(pk=inspection.checklist_id).frozen
    # out of scope: 404; without the capability: 403
    assert client.get(f"/inspections/new/?school={cast.binhe.pk}").status_code == 404
    client.force_login(cast.observer)
    assert client.get("/inspections/new/").status_code == 403


def test_the_editor_revises_publishes_and_reorders(cast, seeded, client):
    template = seeded["周边环境"]
    client.force_login(cast.police)  # no STANDARDS_MANAGE
    assert client.post(f"/inspections/templates/{template.pk}/edit/", {"revise": "1"}).status_code == 403
    client.force_login(cast.safety_officer)
    response = client.post(f"/inspections/templates/{template.pk}/edit/", {"revise": "1"})
    draft = ChecklistVersion.objects.get(template=template, number=2)
    assert response.url == f"/inspections/versions/{draft.pk}/"
    first, second = draft.items.order_by("section__order", "order")[:2]
    client.post(f"/inspections/items/{second.pk}/move/up/")
    assert list(draft.items.filter(section=first.section).order_by("order")[:2]) == [second, first]
    data = {
        "section": first.section_id,
        "text": "校门口设置护学岗标志牌",
        "clause": "方案 四（四）一",
        "guidance": "",
        "answer_type": "pass_fail",
        "min_value": "5",
        "unit": "",
        "required": "on",
        "hazard_on_fail": "auto",
        "hazard_title": "",
        "hazard_category": "traffic",
        "hazard_severity": "general",
    }
    bad = client.post(f"/inspections/versions/{draft.pk}/items/new/", data)
    assert "只有数值题可以设置最低值。" in bad.content.decode()
    data["min_value"] = ""
    client.post(f"/inspections/versions/{draft.pk}/items/new/", data)
    assert draft.items.filter(text="校门口设置护学岗标志牌").exists()
    client.post(f"/inspections/versions/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.published_at is not None
    refused = client.post(f"/inspections/versions/{draft.pk}/items/new/", data)
    assert "已发布，不能直接修改" in refused.content.decode()


def test_only_the_owner_changes_a_plan(cast, seeded, client):
    client.force_login(cast.safety_officer)
    client.post("/inspections/plans/new/", {"title": "秋季督导", "owner_org": cast.pulv_safety_office.pk})
    plan = InspectionPlan.objects.get()
    day = plan.semester_start.isoformat()
    entry = {
        "school": cast.mingde.pk,
        "planned_on": day,
        "kind": "spot",
        "inspecting_org": cast.pulv_police.pk,
    }
    client.post(f"/inspections/plans/{plan.pk}/", entry)
    assert plan.entries.count() == 1
    self_entry = client.post(f"/inspections/plans/{plan.pk}/", {**entry, "kind": "self"})
    assert "学校自查由学校自行安排" in self_entry.content.decode()
    client.force_login(cast.police)  # sees the plan (its school), may not change it
    assert client.get(f"/inspections/plans/{plan.pk}/").status_code == 200
    assert client.post(f"/inspections/plans/{plan.pk}/", entry).status_code == 403
    assert plan.entries.count() == 1
