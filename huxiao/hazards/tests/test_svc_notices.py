"""Rectification notices (整改通知书, DESIGN §5): the police issue one to a school for its live
hazards (reported ones become 待整改, all get the notice's deadline); the school signs for it
(签收), which starts the rectification; nobody else signs, and nobody signs twice."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huxiao.core.errors import ConflictError
from huxiao.hazards import services
from huxiao.hazards.models import DocumentCounter, RectificationNotice
from huxiao.testsupport.cast import audit_mark, audit_since
from huxiao.testsupport.hazards import bachuan_school, fresh, make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")

DEADLINE = dt.date(2026, 3, 31)


def issue(cast, hazards, *, by=None, issuer=None, school=None, deadline=DEADLINE):
    return services.notice_issue(
        acting_user=by or cast.police,
        issuer=issuer or cast.pulv_police,
        school=school or cast.qingsong,
        hazards=hazards,
        deadline=deadline,
        requirements="立即清理消防通道",
    )


def test_issuing_opens_reported_hazards_and_sets_every_deadline(cast):
    reported, opened, rectifying = (make_hazard(cast, state=s) for s in ("reported", "open", "rectifying"))
    mark = audit_mark()
    notice = issue(cast, [reported, opened, rectifying])

    assert set(notice.hazards.all()) == {reported, opened, rectifying}
    assert (notice.issuer, notice.school, notice.issued_by, notice.deadline) == (
        cast.pulv_police,
        cast.qingsong,
        cast.police,
        DEADLINE,
    )
    for before, after_state in [(reported, "open"), (opened, "open"), (rectifying, "rectifying")]:
        after = fresh(before)
        assert (after.state, after.deadline, after.version) == (after_state, DEADLINE, before.version + 1)
        event = after.events.order_by("-pk").first()
        assert (event.kind, event.from_state, event.to_state) == ("notice_issued", before.state, after_state)
        assert (event.actor, event.actor_org, event.data) == (
            cast.police,
            cast.pulv_police,
            {"notice": notice.pk},
        )
        assert notice.number in event.note
    (entry,) = audit_since(mark)
    assert (entry.action, entry.organisation) == ("notice.issue", cast.pulv_police)
    assert entry.after == {
        "number": notice.number,
        "hazards": sorted([reported.pk, opened.pk, rectifying.pk]),
        "deadline": "2026-03-31",
    }


def test_a_hazard_of_another_school_is_refused_and_nothing_is_saved(cast):
    ours, theirs = make_hazard(cast), make_hazard(cast, cast.mingde, title="明德小学门卫室无人值守")
    mark = audit_mark()
    with pytest.raises(ValidationError) as caught:
        issue(cast, [ours, theirs])
    assert "明德小学门卫室无人值守" in caught.value.message_dict["hazards"][0]
    assert "青松中学" in caught.value.message_dict["hazards"][0]
    assert not RectificationNotice.objects.exists()
    assert not DocumentCounter.objects.filter(last__gt=0).exists()
    assert (fresh(ours).state, fresh(ours).version) == ("reported", ours.version)
    assert audit_since(mark) == []


@pytest.mark.parametrize("state", ["submitted", "closed", "dismissed"])
def test_a_hazard_past_rectification_cannot_be_put_on_a_notice(cast, state):
    with pytest.raises(ValidationError) as caught:
        issue(cast, [make_hazard(cast, state=state)])
    assert list(caught.value.message_dict) == ["hazards"]
    assert not RectificationNotice.objects.exists()


def test_a_notice_needs_hazards_and_a_deadline_from_today(cast):
    with pytest.raises(ValidationError) as caught:
        issue(cast, [])
    assert list(caught.value.message_dict) == ["hazards"]
    with pytest.raises(ValidationError) as caught:
        issue(cast, [make_hazard(cast)], deadline=dt.date(2026, 3, 9))
    assert list(caught.value.message_dict) == ["deadline"]
    assert issue(cast, [make_hazard(cast)], deadline=dt.date(2026, 3, 10)).deadline == dt.date(2026, 3, 10)


@pytest.mark.parametrize(
    "member", ["safety_officer", "centre_officer", "qingsong_lead", "observer", "official", "outsider"]
)
def test_only_the_police_issue(cast, member):
    with pytest.raises(PermissionDenied):
        issue(cast, [make_hazard(cast)], by=getattr(cast, member))
    assert not RectificationNotice.objects.exists()


def test_the_police_issue_only_in_their_own_units_name(cast):
    with pytest.raises(PermissionDenied):
        issue(cast, [make_hazard(cast)], issuer=cast.pulv_safety_office)


def test_the_police_cannot_issue_to_a_school_of_another_subdistrict(cast):
    school = bachuan_school(cast)
    with pytest.raises(PermissionDenied):
        issue(cast, [make_hazard(cast, school)], school=school)


# --- signing ----------------------------------------------------------------------------------


def test_the_school_signs_and_its_open_hazards_start(cast):
    opened, rectifying = make_hazard(cast, state="open"), make_hazard(cast, state="rectifying")
    notice = issue(cast, [opened, rectifying])
    opened, rectifying = fresh(opened), fresh(rectifying)
    mark = audit_mark()
    signed = services.notice_sign(acting_user=cast.qingsong_lead, notice=notice)

    assert (signed.signed_by, signed.signed_at is not None) == (cast.qingsong_lead, True)
    after = fresh(opened)
    assert (after.state, after.version) == ("rectifying", opened.version + 1)
    assert (fresh(rectifying).state, fresh(rectifying).version) == ("rectifying", rectifying.version)
    event = after.events.order_by("-pk").first()
    assert (event.kind, event.from_state, event.to_state, event.actor_org) == (
        "notice_signed",
        "open",
        "rectifying",
        cast.qingsong.organisation,
    )
    (entry,) = audit_since(mark)
    assert (entry.action, entry.actor, entry.organisation) == (
        "notice.sign",
        cast.qingsong_lead,
        cast.qingsong.organisation,
    )


def test_signing_twice_is_a_conflict(cast):
    notice = issue(cast, [make_hazard(cast)])
    services.notice_sign(acting_user=cast.qingsong_lead, notice=notice)
    mark = audit_mark()
    with pytest.raises(ConflictError, match="罗志强"):
        services.notice_sign(acting_user=cast.qingsong_lead, notice=notice)
    assert audit_since(mark) == []


@pytest.mark.parametrize(
    "member", ["police", "safety_officer", "centre_officer", "mingde_lead", "observer", "outsider"]
)
def test_only_the_notified_school_signs(cast, member):
    hazard = make_hazard(cast)
    notice = issue(cast, [hazard])
    with pytest.raises(PermissionDenied):
        services.notice_sign(acting_user=getattr(cast, member), notice=notice)
    assert RectificationNotice.objects.get(pk=notice.pk).signed_at is None
    assert fresh(hazard).state == "open"
