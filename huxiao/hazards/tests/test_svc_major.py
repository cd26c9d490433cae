"""A 重大 hazard closes only with a plan led by the 学区管理中心 and a record of temporary
protective measures (DESIGN §5) — whether by acceptance or by 立行立改."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huxiao.hazards import services
from huxiao.hazards.models import RectificationPlan
from huxiao.testsupport.cast import audit_mark, audit_since
from huxiao.testsupport.files import photo
from huxiao.testsupport.hazards import fresh, hazard_accept, hazard_fix_on_spot, make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")

TASKS = [
    ("加高东侧围墙至2.5米", "学校总务处", dt.date(2026, 6, 30)),
    ("加装防攀爬刺", "施工单位", dt.date(2026, 7, 15)),
]


def record_plan(cast, hazard, user=None):
    return services.plan_record(
        acting_user=user or cast.centre_officer, hazard=hazard, summary="分两期加高围墙", tasks=TASKS
    )


def record_temp(cast, hazard):
    services.hazard_record_temp_measures(
        acting_user=cast.qingsong_lead, hazard=hazard, text="设置警戒线，专人值守"
    )


def accept(cast, hazard):
    return hazard_accept(acting_user=cast.police, hazard=hazard, expected_version=fresh(hazard).version)


@pytest.mark.parametrize(
    ("plan", "temp", "missing"),
    [
        (False, False, ["整改方案", "临时防护措施"]),
        (True, False, ["临时防护措施"]),
        (False, True, ["整改方案"]),
    ],
)
def test_it_refuses_to_accept_a_major_hazard_without_plan_and_temporary_measures(cast, plan, temp, missing):
    hazard = make_hazard(cast, state="submitted", severity="major")
    if plan:
        record_plan(cast, hazard)
    if temp:
        record_temp(cast, hazard)
    mark = audit_mark()
    with pytest.raises(ValidationError) as caught:
        accept(cast, hazard)
    message = caught.value.messages[0]
    assert message.startswith("重大隐患验收前须完成")
    for word in ["整改方案", "临时防护措施"]:
        assert (word in message) == (word in missing)
    assert fresh(hazard).state == "submitted"
    assert audit_since(mark) == []


def test_it_accepts_a_major_hazard_with_both(cast):
    hazard = make_hazard(cast, state="submitted", severity="major")
    record_plan(cast, hazard)
    record_temp(cast, hazard)
    accept(cast, hazard)
    assert fresh(hazard).state == "closed"


def test_a_major_hazard_cannot_be_closed_on_the_spot_without_them(cast):
    hazard = make_hazard(cast, state="open", severity="major")
    with pytest.raises(ValidationError, match="重大隐患验收前须完成"):
        hazard_fix_on_spot(
            acting_user=cast.police,
            hazard=hazard,
            expected_version=hazard.version,
            note="已清理",
            photos=[photo()],
        )
    assert fresh(hazard).state == "open"


def test_a_general_hazard_needs_neither(cast):
    hazard = make_hazard(cast, state="submitted")
    accept(cast, hazard)
    assert fresh(hazard).state == "closed"


@pytest.mark.parametrize(
    "member", ["police", "safety_officer", "qingsong_lead", "mingde_lead", "observer", "outsider"]
)
def test_only_the_school_district_records_the_plan(cast, member):
    hazard = make_hazard(cast, state="open", severity="major")
    with pytest.raises(PermissionDenied, match="学区管理中心"):
        record_plan(cast, hazard, getattr(cast, member))
    assert not RectificationPlan.objects.filter(hazard=hazard).exists()


def test_the_school_district_records_the_plan_with_its_tasks(cast):
    hazard = make_hazard(cast, state="open", severity="major")
    mark = audit_mark()
    plan = record_plan(cast, hazard)
    assert (plan.lead_org, plan.created_by) == (cast.pulv_centre, cast.centre_officer)
    assert [(t.task, t.owner, t.deadline) for t in plan.tasks.all()] == TASKS
    event = fresh(hazard).events.order_by("-pk").first()
    assert (event.kind, event.actor_org_id) == ("plan", cast.pulv_centre.pk)
    assert [e.action for e in audit_since(mark)] == ["hazard.plan"]


@pytest.mark.parametrize(("summary", "tasks", "field"), [("  ", TASKS, "summary"), ("分两期", [], "tasks")])
def test_a_plan_needs_a_summary_and_tasks(cast, summary, tasks, field):
    hazard = make_hazard(cast, state="open", severity="major")
    with pytest.raises(ValidationError) as caught:
        services.plan_record(acting_user=cast.centre_officer, hazard=hazard, summary=summary, tasks=tasks)
    assert list(caught.value.message_dict) == [field]
    assert not RectificationPlan.objects.filter(hazard=hazard).exists()


def test_temporary_measures_cannot_be_blank(cast):
    hazard = make_hazard(cast, state="open", severity="major")
    with pytest.raises(ValidationError) as caught:
        services.hazard_record_temp_measures(acting_user=cast.qingsong_lead, hazard=hazard, text="  ")
    assert list(caught.value.message_dict) == ["text"]


def test_the_police_cannot_record_temporary_measures(cast):
    hazard = make_hazard(cast, state="open", severity="major")
    with pytest.raises(PermissionDenied):
        services.hazard_record_temp_measures(acting_user=cast.police, hazard=hazard, text="设置警戒线")
