"""hazards:hazard-plan — the 学区管理中心 records the plan of a 重大 hazard: a summary and rows
of task, owner and deadline."""

import datetime as dt

import pytest
from django.urls import reverse

from huxiao.hazards.models import PlanTask, RectificationPlan
from huxiao.testsupport.cast import assert_redirects_to_login, audit_mark, audit_since
from huxiao.testsupport.hazards import make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")


def url(hazard):
    return reverse("hazards:hazard-plan", args=[hazard.pk])


def plan_data(rows, summary="分两期加高围墙", initial=0, **extra):
    data = {
        "summary": summary,
        "tasks-TOTAL_FORMS": len(rows),
        "tasks-INITIAL_FORMS": initial,
        "tasks-MIN_NUM_FORMS": 0,
        "tasks-MAX_NUM_FORMS": 50,
    }
    for i, (task, owner, deadline) in enumerate(rows):
        data.update({f"tasks-{i}-task": task, f"tasks-{i}-owner": owner, f"tasks-{i}-deadline": deadline})
    data.update(extra)
    return data


ROWS = [
    ("加高东侧围墙至2.5米", "学校总务处", "2026-04-30"),
    ("加装防攀爬刺网", "蒲吕学区管理中心", "2026-05-15"),
    ("", "", ""),
]


@pytest.fixture
def major(cast):
    return make_hazard(cast, state="open", severity="major", title="围墙过低")


def test_it_sends_an_anonymous_visitor_to_login(client, major):
    assert_redirects_to_login(client.get(url(major)))
    assert_redirects_to_login(client.post(url(major), plan_data(ROWS)))


def test_it_is_404_outside_the_scope(cast, client, major):
    client.force_login(cast.outsider)
    assert client.get(url(major)).status_code == 404
    assert client.post(url(major), plan_data(ROWS)).status_code == 404


def test_it_is_403_for_a_read_only_role_the_school_and_a_unit_that_is_not_the_centre(cast, client, major):
    for member in (cast.observer, cast.qingsong_lead, cast.police, cast.safety_officer):
        client.force_login(member)
        assert client.get(url(major)).status_code == 403
        assert client.post(url(major), plan_data(ROWS)).status_code == 403
    assert not RectificationPlan.objects.exists()


def test_only_live_major_hazards_have_a_plan(cast, client):
    client.force_login(cast.centre_officer)
    assert client.get(url(make_hazard(cast, state="open"))).status_code == 403
    assert client.get(url(make_hazard(cast, state="dismissed", severity="major"))).status_code == 403


def test_a_new_plan_starts_with_three_blank_rows(cast, client, major):
    client.force_login(cast.centre_officer)
    response = client.get(url(major))
    assert response.status_code == 200
    assert response.context["tasks"].total_form_count() == 3


def test_the_centre_records_the_plan_ignoring_blank_rows(cast, client, major):
    client.force_login(cast.centre_officer)
    mark = audit_mark()
    response = client.post(url(major), plan_data(ROWS))
    assert response.status_code == 302 and response.url == reverse("hazards:hazard-detail", args=[major.pk])
    plan = RectificationPlan.objects.get(hazard=major)
    assert (plan.lead_org, plan.summary) == (cast.pulv_centre, "分两期加高围墙")
    assert list(PlanTask.objects.filter(plan=plan).values_list("task", "owner", "deadline")) == [
        ("加高东侧围墙至2.5米", "学校总务处", dt.date(2026, 4, 30)),
        ("加装防攀爬刺网", "蒲吕学区管理中心", dt.date(2026, 5, 15)),
    ]
    [audit] = audit_since(mark)
    assert (audit.action, audit.actor) == ("hazard.plan", cast.centre_officer)


def test_editing_shows_the_tasks_and_replaces_them(cast, client, major):
    client.force_login(cast.centre_officer)
    client.post(url(major), plan_data(ROWS))
    form = client.get(url(major))
    assert form.context["tasks"].total_form_count() == 5  # two tasks plus three blank rows
    assert "加装防攀爬刺网" in form.content.decode()
    client.post(url(major), plan_data([("只剩一项", "总务处", "2026-04-01")], summary="改"))
    assert list(PlanTask.objects.values_list("task", flat=True)) == ["只剩一项"]


def test_a_half_filled_row_names_the_missing_cells(cast, client, major):
    client.force_login(cast.centre_officer)
    response = client.post(url(major), plan_data([("加高围墙", "", "")]))
    assert response.status_code == 200
    assert response.content.decode().count("本行已填写，请补全任务、责任人和完成时限。") == 2
    assert not RectificationPlan.objects.exists()


def test_no_task_at_all_is_refused_in_chinese(cast, client, major):
    client.force_login(cast.centre_officer)
    response = client.post(url(major), plan_data([("", "", "")]))
    assert response.status_code == 200
    assert "请至少列出一项任务（任务、责任人、时限）。" in response.content.decode()
    assert not RectificationPlan.objects.exists()


def test_add_row_gives_one_more_blank_row_and_keeps_what_was_typed(cast, client, major):
    client.force_login(cast.centre_officer)
    response = client.post(url(major), plan_data(ROWS, summary="草稿", add_row="1"))
    assert response.status_code == 200
    assert response.context["tasks"].total_form_count() == 4
    page = response.content.decode()
    assert "加高东侧围墙至2.5米" in page and "草稿" in page
    assert not RectificationPlan.objects.exists()


def test_a_forged_row_count_builds_no_more_than_the_fifty_rows_allowed(cast, client, major):
    """tasks-TOTAL_FORMS=2⁶⁴ built Django's default 1,050 rows before refusing; now at most 50."""
    client.force_login(cast.centre_officer)
    response = client.post(url(major), {**plan_data(ROWS), "tasks-TOTAL_FORMS": 2**64})
    page = response.content.decode()
    assert response.status_code == 200 and "50" in page and 'name="tasks-50-task"' not in page
    assert not RectificationPlan.objects.exists()
