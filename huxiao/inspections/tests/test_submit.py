"""Submitting: validation names the item; failed `auto` items become exactly one hazard each,
even when submitted twice; one-click items on request, once; the hazard links back."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from huxiao.core.errors import ConflictError
from huxiao.hazards.models import Hazard
from huxiao.inspections import services
from huxiao.inspections.access import InspectionLocked
from huxiao.inspections.choices import HazardMode, Kind, State
from huxiao.inspections.models import Answer
from huxiao.inspections.tests.helpers import answer_all, start, submit


def test_unanswered_and_photoless_failed_items_are_named(cast, seeded, client):
    inspection = start(cast.police, cast.qingsong, Kind.VERIFY, seeded["校园三防"])
    items = services.numbered_items(inspection.checklist)
    services.answer_save(acting_user=cast.police, inspection=inspection, item_id=items[2].pk, result="fail")
    client.force_login(cast.police)
    response = client.post(f"/inspections/{inspection.pk}/submit/", {"version": inspection.version})
    assert response.status_code == 400
    body = response.content.decode()
    assert f"第1项“{items[0].text}”尚未作答。" in body
    assert f"第3项“{items[2].text}”判为不合格，须拍照上传。" in body
    inspection.refresh_from_db()
    assert inspection.state == State.DRAFT


def test_failed_items_become_exactly_one_hazard_each_even_on_double_submit(cast, seeded, client):
    inspection = start(cast.police, cast.qingsong, Kind.VERIFY, seeded["校园三防"])
    answer_all(inspection, cast.police, fail=(3, 12))
    client.force_login(cast.police)
    first = client.post(f"/inspections/{inspection.pk}/submit/", {"version": inspection.version})
    second = client.post(
        f"/inspections/{inspection.pk}/submit/", {"version": inspection.version}, follow=True
    )
    assert first.status_code == 302
    assert "不能再修改" in second.content.decode()
    hazards = Hazard.objects.filter(source_ref__startswith="inspections.answer:")
    assert hazards.count() == 2
    for answer in Answer.objects.filter(inspection=inspection, result="fail"):
        assert answer.hazard.source_ref == f"inspections.answer:{answer.pk}"
        assert answer.hazard.attachments.count() == 1  # the photo travelled with it
    with pytest.raises(InspectionLocked):
        submit(inspection, cast.police)
    # the service is idempotent too: raising again finds the same hazard
    answer = Answer.objects.filter(inspection=inspection, result="fail").first()
    assert services._raise_hazard(cast.police, answer) == answer.hazard
    assert hazards.count() == 2


def test_a_stale_page_cannot_submit(cast, seeded):
    inspection = start(cast.police, cast.qingsong, Kind.VERIFY, seeded["消防安全"])
    answer_all(inspection, cast.police)
    with pytest.raises(ConflictError):
        services.inspection_submit(acting_user=cast.police, inspection=inspection, expected_version=99)


def test_one_click_items_become_a_hazard_on_request_once(cast, seeded, client):
    inspection = start(cast.police, cast.qingsong, Kind.VERIFY, seeded["校园三防"])
    one_click = next(
        i for i in services.numbered_items(inspection.checklist) if i.hazard_on_fail == HazardMode.ONE_CLICK
    )
    answer_all(inspection, cast.police, fail=(one_click.no,))
    assert submit(inspection, cast.police) == []
    answer = Answer.objects.get(inspection=inspection, item=one_click)
    client.force_login(cast.police)
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "转为隐患" in page
    for _ in range(2):  # a double tap
        client.post(f"/inspections/answers/{answer.pk}/hazard/")
    assert Hazard.objects.filter(source_ref=f"inspections.answer:{answer.pk}").count() == 1
    answer.refresh_from_db()
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert f"/hazards/{answer.hazard_id}/" in page and "转为隐患</button>" not in page


def test_the_hazard_page_links_back_to_the_item(cast, seeded, client):
    inspection = start(cast.police, cast.qingsong, Kind.VERIFY, seeded["校园三防"])
    answer_all(inspection, cast.police, fail=(3,))
    (hazard,) = submit(inspection, cast.police)
    answer = Answer.objects.get(hazard=hazard)
    client.force_login(cast.police)
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert f"/inspections/answers/{answer.pk}/" in page
    response = client.get(f"/inspections/answers/{answer.pk}/")
    assert response.url == f"/inspections/{inspection.pk}/#item-{answer.item_id}"
    client.force_login(cast.outsider)
    assert client.get(f"/inspections/answers/{answer.pk}/").status_code == 404


def test_school_staff_may_only_self_inspect(cast, seeded):
    with pytest.raises(ValidationError) as err:
        start(cast.qingsong_lead, cast.qingsong, Kind.SPOT, seeded["校园三防"])
    assert "自查" in str(err.value)
    own = start(cast.qingsong_lead, cast.qingsong, Kind.SELF, seeded["校园三防"])
    assert own.lead_org_id == cast.qingsong.organisation_id
    with pytest.raises(ValidationError):
        start(cast.police, cast.qingsong, Kind.SELF, seeded["校园三防"])


def test_a_running_inspection_keeps_its_version_when_the_checklist_is_revised(cast, seeded):
    from huxiao.inspections import checklists

    template = seeded["消防安全"]
    running = start(cast.police, cast.qingsong, Kind.VERIFY, template)
    draft = checklists.version_revise(acting_user=cast.safety_officer, template=template)
    assert draft.number == 2
    item = draft.items.first()
    checklists.item_save(
        acting_user=cast.safety_officer, version=draft, section=item.section, item=item, text="改过的检查内容"
    )
    checklists.version_publish(acting_user=cast.safety_officer, version=draft)
    running.refresh_from_db()
    assert running.checklist.number == 1
    assert "改过的检查内容" not in [i.text for i in running.checklist.items.all()]
    newer = start(cast.police, cast.mingde, Kind.VERIFY, template)
    assert newer.checklist.number == 2
    with pytest.raises(ValidationError):
        checklists.item_save(
            acting_user=cast.safety_officer,
            version=running.checklist,
            section=item.section,
            item=item,
            text="x",
        )
