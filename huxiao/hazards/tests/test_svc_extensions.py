"""Extensions (DESIGN §5): the school asks for more time with a reason; the organisation that
issued the notice decides (the reviewers when there is no notice); approval moves the deadline,
rejection needs a reason; one pending request per hazard."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huxiao.core.errors import ConflictError
from huxiao.hazards import services
from huxiao.hazards.models import ExtensionRequest
from huxiao.testsupport.cast import audit_mark, audit_since
from huxiao.testsupport.files import photo
from huxiao.testsupport.hazards import fresh, hazard_accept, hazard_submit, make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")

NOTICE_DEADLINE = dt.date(2026, 3, 31)
LATER = dt.date(2026, 4, 15)


@pytest.fixture
def noticed(cast):
    """A hazard at 青松 on a notice from 蒲吕派出所, signed (so 整改中)."""
    hazard = make_hazard(cast, state="open")
    notice = services.notice_issue(
        acting_user=cast.police,
        issuer=cast.pulv_police,
        school=cast.qingsong,
        hazards=[hazard],
        deadline=NOTICE_DEADLINE,
    )
    services.notice_sign(acting_user=cast.qingsong_lead, notice=notice)
    return fresh(hazard)


def ask(cast, hazard, new_deadline=LATER, reason="围墙加高需要等待施工队进场"):
    return services.extension_request(
        acting_user=cast.qingsong_lead, hazard=hazard, new_deadline=new_deadline, reason=reason
    )


def test_the_school_asks_and_the_issuer_approves_and_the_deadline_moves(cast, noticed):
    mark = audit_mark()
    request = ask(cast, noticed)
    assert (request.state, request.old_deadline, request.new_deadline) == ("pending", NOTICE_DEADLINE, LATER)
    services.extension_decide(acting_user=cast.police, request=request, approve=True)
    hazard = fresh(noticed)
    assert hazard.deadline == LATER
    assert hazard.version == noticed.version + 1
    decided = ExtensionRequest.objects.get(pk=request.pk)
    assert (decided.state, decided.decided_by) == ("approved", cast.police)
    assert [e.kind for e in hazard.events.order_by("pk")][-2:] == [
        "extension_requested",
        "extension_approved",
    ]
    assert [e.action for e in audit_since(mark)] == ["hazard.extension_request", "hazard.extension_approve"]
    assert audit_since(mark)[1].after == {"deadline": "2026-04-15"}


def test_a_rejection_needs_a_reason_and_keeps_the_deadline(cast, noticed):
    request = ask(cast, noticed)
    with pytest.raises(ValidationError) as caught:
        services.extension_decide(acting_user=cast.police, request=request, approve=False, note="  ")
    assert list(caught.value.message_dict) == ["note"]
    assert ExtensionRequest.objects.get(pk=request.pk).state == "pending"
    services.extension_decide(
        acting_user=cast.police, request=request, approve=False, note="工程量不大，按期完成"
    )
    assert ExtensionRequest.objects.get(pk=request.pk).state == "rejected"
    assert fresh(noticed).deadline == NOTICE_DEADLINE


@pytest.mark.parametrize(
    "member",
    ["safety_officer", "centre_officer", "qingsong_lead", "mingde_lead", "observer", "outsider", "official"],
)
def test_only_the_notice_issuer_decides(cast, noticed, member):
    request = ask(cast, noticed)
    with pytest.raises(PermissionDenied):
        services.extension_decide(acting_user=getattr(cast, member), request=request, approve=True)
    assert ExtensionRequest.objects.get(pk=request.pk).state == "pending"
    assert fresh(noticed).deadline == NOTICE_DEADLINE


@pytest.mark.parametrize("member", ["police", "safety_officer", "centre_officer"])
def test_without_a_notice_the_reviewers_decide(cast, member):
    hazard = make_hazard(cast, state="rectifying")
    request = ask(cast, hazard, new_deadline=hazard.deadline + dt.timedelta(days=14))
    services.extension_decide(acting_user=getattr(cast, member), request=request, approve=True)
    assert fresh(hazard).deadline == request.new_deadline


def test_without_a_notice_the_school_still_cannot_decide_its_own(cast):
    hazard = make_hazard(cast, state="rectifying")
    request = ask(cast, hazard, new_deadline=hazard.deadline + dt.timedelta(days=14))
    with pytest.raises(PermissionDenied):
        services.extension_decide(acting_user=cast.qingsong_lead, request=request, approve=True)


def test_one_pending_request_at_a_time(cast, noticed):
    first = ask(cast, noticed)
    with pytest.raises(ConflictError, match="待审批的延期申请"):
        ask(cast, noticed, new_deadline=dt.date(2026, 4, 30))
    assert ExtensionRequest.objects.filter(hazard=noticed).count() == 1
    services.extension_decide(acting_user=cast.police, request=first, approve=False, note="请按期完成")
    ask(cast, fresh(noticed), new_deadline=dt.date(2026, 4, 30))  # a new one after the decision
    assert ExtensionRequest.objects.filter(hazard=noticed, state="pending").count() == 1


def test_a_request_is_decided_once(cast, noticed):
    request = ask(cast, noticed)
    services.extension_decide(acting_user=cast.police, request=request, approve=True)
    with pytest.raises(ConflictError, match="已由赵警官处理"):
        services.extension_decide(acting_user=cast.police, request=request, approve=False, note="改变主意")
    assert fresh(noticed).deadline == LATER


@pytest.mark.parametrize(
    ("new_deadline", "reason", "field"),
    [
        (NOTICE_DEADLINE, "理由", "new_deadline"),
        (dt.date(2026, 3, 20), "理由", "new_deadline"),
        (LATER, " ", "reason"),
    ],
)
def test_a_request_needs_a_later_date_and_a_reason(cast, noticed, new_deadline, reason, field):
    with pytest.raises(ValidationError) as caught:
        ask(cast, noticed, new_deadline=new_deadline, reason=reason)
    assert list(caught.value.message_dict) == [field]
    assert not ExtensionRequest.objects.exists()


@pytest.mark.parametrize("member", ["police", "centre_officer", "mingde_lead", "outsider"])
def test_only_the_school_asks(cast, noticed, member):
    with pytest.raises(PermissionDenied):
        services.extension_request(
            acting_user=getattr(cast, member), hazard=noticed, new_deadline=LATER, reason="理由"
        )


@pytest.mark.parametrize("state", ["reported", "submitted", "closed", "dismissed"])
def test_only_open_or_rectifying_hazards_can_be_extended(cast, state):
    hazard = make_hazard(cast, state=state)
    with pytest.raises(ValidationError):
        ask(cast, hazard, new_deadline=dt.date(2026, 12, 31))


def test_a_pending_request_cannot_move_the_deadline_of_a_hazard_closed_since(cast, noticed):
    request = ask(cast, noticed)
    hazard = hazard_submit(
        acting_user=cast.qingsong_lead,
        hazard=noticed,
        expected_version=noticed.version,
        note="已整改",
        photos=[photo()],
    )
    closed = hazard_accept(acting_user=cast.police, hazard=hazard, expected_version=hazard.version)
    with pytest.raises(ValidationError):
        services.extension_decide(acting_user=cast.police, request=request, approve=True)
    after = fresh(noticed)
    assert (after.deadline, after.version) == (closed.deadline, closed.version)
