"""hazards:extension-request and hazards:extension-decide — the school asks for more time, the
issuing organisation (or a reviewer when no notice was issued) decides."""

import datetime as dt

import pytest
from django.urls import reverse

from huxiao.hazards import services
from huxiao.hazards.choices import ExtensionState
from huxiao.hazards.models import ExtensionRequest
from huxiao.testsupport.cast import assert_redirects_to_login, audit_mark, audit_since
from huxiao.testsupport.hazards import fresh, make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")


def request_url(hazard):
    return reverse("hazards:extension-request", args=[hazard.pk])


def decide_url(req):
    return reverse("hazards:extension-decide", args=[req.pk])


ASK = {"new_deadline": "2026-04-30", "reason": "需采购防攀爬设施，供货周期较长"}


@pytest.fixture
def noticed(cast):
    """An open hazard on a notice of 蒲吕派出所, deadline 2026-03-31."""
    hazard = make_hazard(cast, state="open")
    services.notice_issue(
        acting_user=cast.police,
        issuer=cast.pulv_police,
        school=cast.qingsong,
        hazards=[hazard],
        deadline=dt.date(2026, 3, 31),
    )
    return fresh(hazard)


@pytest.fixture
def pending(cast, noticed):
    return services.extension_request(
        acting_user=cast.qingsong_lead, hazard=noticed, new_deadline=dt.date(2026, 4, 30), reason="供货周期长"
    )


# --- request ---------------------------------------------------------------------------------


def test_request_sends_an_anonymous_visitor_to_login(client, noticed):
    assert_redirects_to_login(client.post(request_url(noticed), ASK))


def test_request_is_404_outside_the_scope(cast, client, noticed):
    client.force_login(cast.outsider)
    assert client.post(request_url(noticed), ASK).status_code == 404


def test_request_is_403_for_a_read_only_role_and_for_reviewers(cast, client, noticed):
    for member in (cast.observer, cast.police):
        client.force_login(member)
        assert client.post(request_url(noticed), ASK).status_code == 403
    assert not ExtensionRequest.objects.exists()


def test_the_school_asks_for_more_time(cast, client, noticed):
    client.force_login(cast.qingsong_lead)
    assert (
        client.get(reverse("hazards:hazard-detail", args=[noticed.pk])).context["extension_form"] is not None
    )
    mark = audit_mark()
    response = client.post(request_url(noticed), ASK)
    assert response.status_code == 302
    req = ExtensionRequest.objects.get()
    assert (req.state, req.old_deadline, req.new_deadline) == (
        ExtensionState.PENDING,
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 30),
    )
    [audit] = audit_since(mark)
    assert (audit.action, audit.actor) == ("hazard.extension_request", cast.qingsong_lead)
    page = client.get(response.url)
    assert page.context["extension_form"] is None  # one pending request at a time
    assert "待审批" in page.content.decode()


def test_an_earlier_date_is_refused_on_its_field(cast, client, noticed):
    client.force_login(cast.qingsong_lead)
    response = client.post(request_url(noticed), {**ASK, "new_deadline": "2026-03-20"})
    assert response.status_code == 200
    assert "申请延至：申请延至的日期须晚于现期限（2026年3月31日）。" in response.content.decode()
    assert not ExtensionRequest.objects.exists()


def test_a_second_request_while_one_is_pending_is_a_conflict(cast, client, pending):
    client.force_login(cast.qingsong_lead)
    response = client.post(request_url(pending.hazard), ASK)
    assert response.status_code == 409
    assert "该隐患已有待审批的延期申请。" in response.content.decode()
    assert ExtensionRequest.objects.count() == 1


# --- decide ----------------------------------------------------------------------------------


def test_decide_sends_an_anonymous_visitor_to_login(client, pending):
    assert_redirects_to_login(client.post(decide_url(pending), {"decision": "approve"}))


def test_decide_is_404_outside_the_scope(cast, client, pending):
    client.force_login(cast.outsider)
    assert client.post(decide_url(pending), {"decision": "approve"}).status_code == 404
    assert (
        client.post(reverse("hazards:extension-decide", args=[9999]), {"decision": "approve"}).status_code
        == 404
    )


def test_decide_is_403_for_a_read_only_role_the_school_and_a_unit_that_did_not_issue(cast, client, pending):
    for member in (cast.observer, cast.qingsong_lead, cast.safety_officer):
        client.force_login(member)
        assert client.post(decide_url(pending), {"decision": "approve"}).status_code == 403
    assert fresh(pending.hazard).deadline == dt.date(2026, 3, 31)


def test_only_the_issuer_sees_the_decision_buttons(cast, client, pending):
    detail = reverse("hazards:hazard-detail", args=[pending.hazard_id])
    client.force_login(cast.police)
    assert [r for r, _f in client.get(detail).context["decide_forms"]] == [pending]
    client.force_login(cast.safety_officer)
    assert client.get(detail).context["decide_forms"] == []


def test_the_issuer_approves_and_the_deadline_moves(cast, client, pending):
    client.force_login(cast.police)
    mark = audit_mark()
    response = client.post(decide_url(pending), {"decision": "approve", "note": ""})
    assert response.status_code == 302
    assert fresh(pending.hazard).deadline == dt.date(2026, 4, 30)
    assert ExtensionRequest.objects.get().state == ExtensionState.APPROVED
    [audit] = audit_since(mark)
    assert (audit.action, audit.actor) == ("hazard.extension_approve", cast.police)
    assert "已批准延期至2026年4月30日。" in client.get(response.url).content.decode()


def test_rejecting_needs_a_reason(cast, client, pending):
    client.force_login(cast.police)
    response = client.post(decide_url(pending), {"decision": "reject", "note": ""})
    assert response.status_code == 200
    assert "审批意见：驳回延期须填写理由。" in response.content.decode()
    assert ExtensionRequest.objects.get().state == ExtensionState.PENDING
    mark = audit_mark()
    client.post(decide_url(pending), {"decision": "reject", "note": "期限内可完成"})
    assert ExtensionRequest.objects.get().state == ExtensionState.REJECTED
    assert fresh(pending.hazard).deadline == dt.date(2026, 3, 31)
    assert [e.action for e in audit_since(mark)] == ["hazard.extension_reject"]


def test_a_decision_already_taken_is_a_conflict(cast, client, pending):
    services.extension_decide(acting_user=cast.police, request=pending, approve=True)
    client.force_login(cast.police)
    response = client.post(decide_url(pending), {"decision": "reject", "note": "晚了"})
    assert response.status_code == 409
    assert "该延期申请已由赵警官处理（已批准）。" in response.content.decode()
    assert ExtensionRequest.objects.get().state == ExtensionState.APPROVED


def test_without_a_notice_a_reviewer_decides(cast, client):
    hazard = make_hazard(cast, state="open")
    req = services.extension_request(
        acting_user=cast.qingsong_lead, hazard=hazard, new_deadline=dt.date(2026, 5, 1), reason="等待施工队"
    )
    client.force_login(cast.safety_officer)
    assert client.post(decide_url(req), {"decision": "approve"}).status_code == 302
    assert fresh(hazard).deadline == dt.date(2026, 5, 1)
