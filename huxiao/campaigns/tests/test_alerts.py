"""Risk alerts: pushed to chosen schools, acknowledged and answered only by the school's own
staff (报送 or 整改 rights in the school's unit), escalated once to the 学区 when unanswered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from huxiao.campaigns import services
from huxiao.campaigns.models import AlertRecipient
from huxiao.campaigns.tests.factories import make_campaign, today_fixture  # noqa: F401
from huxiao.core.errors import ConflictError
from huxiao.notifications.models import Notification
from huxiao.testsupport.cast import audit_mark, audit_since

pytestmark = pytest.mark.django_db


def _alert(cast, capture, respond_by=dt.date(2026, 11, 27)):
    campaign = make_campaign(cast)
    with capture(execute=True):
        alert = services.alert_issue(
            acting_user=cast.safety_officer,
            campaign=campaign,
            title="冬季用电安全风险提示",
            text="清理宿舍违规电器。",
            level="important",
            respond_by=respond_by,
            schools=[cast.qingsong, cast.mingde],
        )
    return alert


def _recipient(alert, school) -> AlertRecipient:
    return AlertRecipient.objects.get(alert=alert, school=school)


def test_issuing_pushes_to_the_chosen_schools_staff(cast, django_capture_on_commit_callbacks):
    mark = audit_mark()
    alert = _alert(cast, django_capture_on_commit_callbacks)
    assert set(alert.recipients.values_list("school_id", flat=True)) == {cast.qingsong.pk, cast.mingde.pk}
    told = set(Notification.objects.filter(kind=services.KIND_ALERT).values_list("user__username", flat=True))
    assert told == {"qingsong_lead", "mingde_lead"}
    (event,) = audit_since(mark)[-1:]
    assert event.action == "campaign.alert_issue" and event.after["schools"] == sorted(
        [cast.qingsong.pk, cast.mingde.pk]
    )


def test_a_school_outside_the_issuers_scope_is_refused(cast):
    campaign = make_campaign(cast)
    with pytest.raises(ValidationError, match="不在本次行动区域内"):
        services.alert_issue(
            acting_user=cast.safety_officer,
            campaign=campaign,
            title="t",
            text="t",
            level="general",
            respond_by=dt.date(2026, 12, 1),
            schools=[cast.binhe],
        )


def test_the_school_acknowledges_then_responds(cast, django_capture_on_commit_callbacks):
    alert = _alert(cast, django_capture_on_commit_callbacks)
    r = _recipient(alert, cast.qingsong)
    r = services.alert_acknowledge(acting_user=cast.qingsong_lead, recipient=r)
    assert r.acknowledged_by == cast.qingsong_lead and r.responded_at is None
    mark = audit_mark()
    r = services.alert_respond(acting_user=cast.qingsong_lead, recipient=r, response="已清理宿舍电器")
    assert r.response == "已清理宿舍电器" and r.responded_by == cast.qingsong_lead
    (event,) = audit_since(mark)
    assert event.action == "campaign.alert_respond" and event.organisation == cast.qingsong.organisation
    with pytest.raises(ConflictError, match="不能重复反馈"):
        services.alert_respond(acting_user=cast.qingsong_lead, recipient=r, response="再次反馈")


@pytest.mark.parametrize("who", ["mingde_lead", "police", "centre_officer", "safety_officer", "observer"])
def test_nobody_else_answers_for_the_school(cast, django_capture_on_commit_callbacks, who):
    alert = _alert(cast, django_capture_on_commit_callbacks)
    r = _recipient(alert, cast.qingsong)
    with pytest.raises(PermissionDenied):
        services.alert_respond(acting_user=getattr(cast, who), recipient=r, response="代为反馈")
    with pytest.raises(PermissionDenied):
        services.alert_acknowledge(acting_user=getattr(cast, who), recipient=r)


def test_the_response_form_on_the_page(cast, client, django_capture_on_commit_callbacks):
    alert = _alert(cast, django_capture_on_commit_callbacks)
    r = _recipient(alert, cast.qingsong)
    client.force_login(cast.qingsong_lead)
    page = client.get(f"/campaigns/alerts/{alert.pk}/").content.decode()
    assert "蒲吕青松中学" in page and "蒲吕明德小学" not in page  # a school sees its own row only
    assert client.post(f"/campaigns/alert-recipients/{r.pk}/respond/", {"response": ""}).status_code == 302
    assert _recipient(alert, cast.qingsong).responded_at is None
    client.post(f"/campaigns/alert-recipients/{r.pk}/respond/", {"response": "已落实"})
    assert _recipient(alert, cast.qingsong).response == "已落实"
    client.force_login(cast.mingde_lead)
    assert client.post(f"/campaigns/alert-recipients/{r.pk}/respond/", {"response": "x"}).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(f"/campaigns/alert-recipients/{r.pk}/respond/", {"response": "x"}).status_code == 404
    assert client.get(f"/campaigns/alerts/{alert.pk}/").status_code == 404


def test_non_responders_escalate_to_their_district_once(cast, today, django_capture_on_commit_callbacks):
    alert = _alert(cast, django_capture_on_commit_callbacks)  # respond by 11-27; today is 11-29
    services.alert_respond(
        acting_user=cast.qingsong_lead, recipient=_recipient(alert, cast.qingsong), response="已落实"
    )
    mark = audit_mark()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("campaign_escalations")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("campaign_escalations")
    escalated = AlertRecipient.objects.filter(escalated_at__isnull=False)
    assert list(escalated.values_list("school_id", flat=True)) == [cast.mingde.pk]
    events = [e for e in audit_since(mark) if e.action == "campaign.alert_escalate"]
    assert len(events) == 1 and events[0].organisation == cast.pulv_centre
    told = list(
        Notification.objects.filter(kind=services.KIND_ALERT_OVERDUE).values_list("user__username", flat=True)
    )
    assert sorted(told) == ["centre_officer", "safety_officer"]  # the 学区 and the issuing 平安办, once each


def test_nothing_escalates_before_the_deadline(cast, today, django_capture_on_commit_callbacks):
    _alert(cast, django_capture_on_commit_callbacks, respond_by=dt.date(2026, 11, 29))
    assert services.alert_escalate_overdue() == 0
    assert services.alert_escalate_overdue(today=dt.date(2026, 11, 30)) == 2
