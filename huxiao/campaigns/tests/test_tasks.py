"""Tasks: the owning unit (or a manager) records completion with evidence — text and checked
attachments; a stale form is refused; a manager may send a task back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huxiao.campaigns import services
from huxiao.campaigns.choices import TaskStatus
from huxiao.campaigns.models import Task, TaskAttachment
from huxiao.campaigns.tests.factories import make_campaign
from huxiao.notifications.models import Notification
from huxiao.testsupport.cast import audit_mark, audit_since
from huxiao.testsupport.files import jpeg_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def task(cast, django_capture_on_commit_callbacks):
    campaign = make_campaign(cast)
    with django_capture_on_commit_callbacks(execute=True):
        return services.task_create(
            acting_user=cast.safety_officer,
            campaign=campaign,
            title="建立问题清单",
            organisation=cast.pulv_police,
            due=dt.date(2026, 5, 25),
        )


def test_the_owner_is_told(cast, task):
    assert list(
        Notification.objects.filter(kind=services.KIND_TASK).values_list("user__username", flat=True)
    ) == ["police"]


def test_the_owner_completes_with_text_and_a_photo(cast, client, task):
    client.force_login(cast.police)
    mark = audit_mark()
    response = client.post(
        f"/campaigns/tasks/{task.pk}/",
        {
            "version": task.version,
            "evidence": "问题清单已建立，共12项",
            "done": "on",
            "attachments": [SimpleUploadedFile("清单.jpg", jpeg_bytes())],
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.evidence, task.completed_by) == (
        TaskStatus.DONE,
        "问题清单已建立，共12项",
        cast.police,
    )
    assert TaskAttachment.objects.filter(task=task).count() == 1
    (event,) = audit_since(mark)
    assert event.action == "campaign.task_complete" and event.after["attachments_added"] == 1


def test_done_needs_evidence_and_bad_files_save_nothing(cast, client, task):
    client.force_login(cast.police)
    response = client.post(
        f"/campaigns/tasks/{task.pk}/", {"version": task.version, "evidence": "", "done": "on"}
    )
    assert "标记完成时须填写完成情况" in response.content.decode()
    response = client.post(
        f"/campaigns/tasks/{task.pk}/",
        {
            "version": task.version,
            "evidence": "完成",
            "done": "on",
            "attachments": [SimpleUploadedFile("a.pdf", b"nope")],
        },
    )
    assert "不是有效的 PDF 文件" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.TODO and not TaskAttachment.objects.exists()


def test_other_units_may_not_complete(cast, client, task):
    client.force_login(cast.qingsong_lead)  # sees the campaign, but is not the owner
    assert client.get(f"/campaigns/tasks/{task.pk}/").status_code == 200
    assert (
        client.post(
            f"/campaigns/tasks/{task.pk}/", {"version": task.version, "evidence": "x", "done": "on"}
        ).status_code
        == 403
    )
    client.force_login(cast.outsider)
    assert client.get(f"/campaigns/tasks/{task.pk}/").status_code == 404
    assert Task.objects.get(pk=task.pk).status == TaskStatus.TODO


def test_a_stale_form_is_refused(cast, client, task):
    services.task_complete(
        acting_user=cast.police, task=task, expected_version=task.version, evidence="第一次"
    )
    client.force_login(cast.centre_officer)  # the office, with the page opened before
    response = client.post(
        f"/campaigns/tasks/{task.pk}/", {"version": task.version, "evidence": "第二次", "done": "on"}
    )
    assert response.status_code == 409 and "已被" in response.content.decode()
    assert Task.objects.get(pk=task.pk).evidence == "第一次"


def test_a_manager_sends_it_back(cast, client, task):
    task = services.task_complete(
        acting_user=cast.police, task=task, expected_version=task.version, evidence="完成"
    )
    client.force_login(cast.centre_officer)
    client.post(f"/campaigns/tasks/{task.pk}/reopen/", {"version": task.version, "reason": "缺少照片"})
    task.refresh_from_db()
    assert task.status == TaskStatus.DOING and task.evidence == "完成" and task.completed_at is None
