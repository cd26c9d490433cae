"""Plan reminders go out once per entry; a submitted inspection marks its plan entry done; the
检查报告 .docx opens with python-docx and names the failed item's clause and hazard number."""

from __future__ import annotations

import datetime as dt
import io

import docx
from django.utils import timezone

from huxiao.inspections import plans
from huxiao.inspections.choices import Kind
from huxiao.inspections.models import Answer, PlanEntry
from huxiao.inspections.tests.helpers import answer_all, start, submit
from huxiao.notifications.models import Notification


def _plan(cast, templates, days: int):
    plan = plans.plan_create(
        acting_user=cast.safety_officer, title="督导检查计划", owner_org=cast.pulv_safety_office
    )
    today = timezone.localdate()
    day = min(max(today + dt.timedelta(days=days), plan.semester_start), plan.semester_end)
    return plans.plan_entry_add(
        acting_user=cast.safety_officer,
        plan=plan,
        school=cast.mingde,
        planned_on=day,
        kind=Kind.SPOT,
        inspecting_org=cast.pulv_safety_office,
        template=templates["消防安全"],
        inspectors=[cast.safety_officer],
    )


def test_reminders_go_out_once(cast, seeded):
    entry = _plan(cast, seeded, 2)
    today = entry.planned_on - dt.timedelta(days=2)
    assert plans.send_plan_reminders(today - dt.timedelta(days=5)) == 0  # too early
    assert plans.send_plan_reminders(today) == 1
    assert plans.send_plan_reminders(today) == 0
    assert (
        Notification.objects.filter(
            user=cast.safety_officer, dedupe_key=f"inspections.plan_entry:{entry.pk}"
        ).count()
        == 1
    )


def test_submitting_marks_the_plan_entry_done(cast, seeded, client):
    entry = _plan(cast, seeded, 0)
    inspection = start(cast.safety_officer, cast.mingde, Kind.SPOT, seeded["消防安全"], date=entry.planned_on)
    answer_all(inspection, cast.safety_officer)
    submit(inspection, cast.safety_officer)
    assert PlanEntry.objects.get(pk=entry.pk).done_by == inspection
    client.force_login(cast.observer)
    assert "已完成" in client.get(f"/inspections/plans/{entry.plan_id}/").content.decode()
    client.force_login(cast.outsider)
    assert client.get(f"/inspections/plans/{entry.plan_id}/").status_code == 404


def test_the_report_opens_and_cites_the_failed_items_clause(cast, seeded, client):
    inspection = start(cast.police, cast.qingsong, Kind.VERIFY, seeded["校园三防"])
    answer_all(inspection, cast.police, fail=(12,))
    (hazard,) = submit(inspection, cast.police)
    failed = Answer.objects.get(hazard=hazard).item
    client.force_login(cast.police)
    response = client.get(f"/inspections/{inspection.pk}/report.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "蒲吕青松中学" in text and "核查检查报告" in text and "不合格1项" in text
    assert failed.clause in cells and hazard.code in cells and failed.text in cells
