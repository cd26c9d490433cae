"""Submitting for acceptance and closing on the spot need after-photos as evidence — uploaded
with the action or earlier as 整改后 evidence; before-photos do not count."""

import pytest
from django.core.exceptions import ValidationError

from huxiao.hazards import services
from huxiao.testsupport.cast import audit_mark, audit_since
from huxiao.testsupport.files import photo
from huxiao.testsupport.hazards import fresh, make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")

CASES = [
    ("submit", "rectifying", "qingsong_lead"),
    ("fix_on_spot", "open", "police"),
    ("fix_on_spot", "reported", "police"),
]


def act(cast, hazard, action, member, photos=()):
    return services.hazard_transition(
        acting_user=getattr(cast, member),
        hazard=hazard,
        action=action,
        expected_version=hazard.version,
        note="已清理完毕",
        photos=photos,
    )


@pytest.mark.parametrize(("action", "state", "member"), CASES)
def test_it_refuses_without_after_photos(cast, action, state, member):
    hazard = make_hazard(cast, state=state, photos=[photo("before.jpg")])
    mark = audit_mark()
    with pytest.raises(ValidationError) as caught:
        act(cast, hazard, action, member)
    assert caught.value.message_dict == {"photos": ["须上传整改后的照片作为证据。"]}
    assert fresh(hazard).state == state
    assert audit_since(mark) == []


@pytest.mark.parametrize(("action", "state", "member"), CASES)
def test_photos_sent_with_the_action_are_kept_as_after_photos_of_its_event(cast, action, state, member):
    hazard = make_hazard(cast, state=state)
    act(cast, hazard, action, member, photos=[photo("a.jpg"), photo("b.jpg", size=(900, 600))])
    saved = fresh(hazard)
    event = saved.events.order_by("-pk").first()
    attachments = list(saved.attachments.order_by("pk"))
    assert [(a.phase, a.event_id, a.uploaded_by) for a in attachments] == [
        ("after", event.pk, getattr(cast, member))
    ] * 2
    assert (attachments[1].width, attachments[1].height) == (900, 600)
    assert len(attachments[1].sha256) == 64


@pytest.mark.parametrize(("action", "state", "member"), CASES)
def test_after_photos_uploaded_earlier_are_enough(cast, action, state, member):
    hazard = make_hazard(cast, state=state)
    services.hazard_add_evidence(
        acting_user=cast.qingsong_lead, hazard=hazard, phase="after", photos=[photo()]
    )
    hazard = fresh(hazard)
    act(cast, hazard, action, member)
    assert fresh(hazard).state in ("submitted", "closed")


def test_evidence_needs_at_least_one_photo(cast):
    hazard = make_hazard(cast, state="rectifying")
    with pytest.raises(ValidationError) as caught:
        services.hazard_add_evidence(acting_user=cast.qingsong_lead, hazard=hazard, phase="after", photos=[])
    assert list(caught.value.message_dict) == ["photos"]


def test_evidence_is_one_event_and_one_audit_entry(cast):
    hazard = make_hazard(cast, state="rectifying")
    mark = audit_mark()
    count = services.hazard_add_evidence(
        acting_user=cast.qingsong_lead,
        hazard=hazard,
        phase="after",
        photos=[photo(), photo()],
        caption="清理后",
    )
    assert count == 2
    event = fresh(hazard).events.order_by("-pk").first()
    assert (event.kind, event.data) == ("evidence", {"phase": "after", "count": 2})
    assert [e.action for e in audit_since(mark)] == ["hazard.evidence"]
