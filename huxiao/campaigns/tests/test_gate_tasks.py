"""A school's task in a gated phase (验收) is work in that phase: it cannot be marked done while
the school fails the phase's gates — refused by the service, with the blocking hazards linked."""

from __future__ import annotations

import datetime as dt

import pytest

from huxiao.campaigns import services
from huxiao.campaigns.choices import TaskStatus
from huxiao.campaigns.gates import GateBlocked
from huxiao.campaigns.models import Task
from huxiao.campaigns.tests.factories import make_campaign, phase, today_fixture  # noqa: F401
from huxiao.hazards.choices import Severity, State
from huxiao.testsupport.cast import audit_mark, audit_since
from huxiao.testsupport.hazards import drive, make_hazard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "today")]


@pytest.fixture
def campaign(cast):
    return make_campaign(cast)


def _task(campaign, org, phase_name: str = "验收", title: str = "配合联合检查组开展验收检查") -> Task:
    return services.task_create(
        acting_user=None,
        campaign=campaign,
        phase=phase(campaign, phase_name),
        title=title,
        organisation=org,
        due=dt.date(2027, 1, 15),
        notify_owner=False,
    )


def test_a_failing_school_cannot_complete_its_acceptance_task(cast, client, campaign):
    task = _task(campaign, cast.qingsong.organisation)
    wall = make_hazard(cast, cast.qingsong, severity=Severity.MAJOR, state=State.OPEN, title="围墙高度不足")
    client.force_login(cast.qingsong_lead)
    mark = audit_mark()
    response = client.post(
        f"/campaigns/tasks/{task.pk}/", {"version": task.version, "evidence": "已配合检查", "done": "on"}
    )
    page = response.content.decode()
    assert "蒲吕青松中学不能完成任务“配合联合检查组开展验收检查”" in page
    assert "“无未销号的重大隐患”" in page and f'href="/hazards/{wall.pk}/"' in page
    task.refresh_from_db()
    assert task.status == TaskStatus.TODO and task.evidence == "" and audit_since(mark) == []


def test_a_manager_cannot_complete_it_for_the_school_either(cast, campaign):
    task = _task(campaign, cast.qingsong.organisation)
    make_hazard(cast, cast.qingsong, severity=Severity.MAJOR, state=State.REPORTED)
    with pytest.raises(GateBlocked):
        services.task_complete(
            acting_user=cast.centre_officer, task=task, expected_version=task.version, evidence="代为填报"
        )
    assert Task.objects.get(pk=task.pk).status == TaskStatus.TODO


def test_progress_may_be_recorded_and_completion_follows_the_closure(cast, campaign):
    task = _task(campaign, cast.qingsong.organisation)
    wall = make_hazard(cast, cast.qingsong, severity=Severity.MAJOR, state=State.RECTIFYING)
    task = services.task_complete(
        acting_user=cast.qingsong_lead,
        task=task,
        expected_version=task.version,
        evidence="整改中",
        done=False,
    )
    assert task.status == TaskStatus.DOING  # 进行中 is not entering the phase
    drive(cast, wall, State.CLOSED)
    mark = audit_mark()
    task = services.task_complete(
        acting_user=cast.qingsong_lead, task=task, expected_version=task.version, evidence="已配合检查"
    )
    assert task.status == TaskStatus.DONE
    assert [e.action for e in audit_since(mark)] == ["campaign.task_complete"]


def test_other_units_and_ungated_phases_are_not_held_back(cast, campaign):
    make_hazard(cast, cast.qingsong, severity=Severity.MAJOR, state=State.OPEN)
    office_task = _task(campaign, cast.pulv_office, title="组成联合检查组")  # not a school's task
    school_task = _task(campaign, cast.qingsong.organisation, phase_name="巩固提高", title="总结")  # no gates
    other_school = _task(campaign, cast.mingde.organisation)  # 明德 has no 重大 hazard
    for task in (office_task, school_task, other_school):
        done = services.task_complete(
            acting_user=None, task=task, expected_version=task.version, evidence="已完成"
        )
        assert done.status == TaskStatus.DONE, task.title
