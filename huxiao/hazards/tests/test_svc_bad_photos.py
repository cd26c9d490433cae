"""One bad photo among several stops the whole action: no attachment, no timeline entry, no
audit event, no file left in storage — and the error names which photo was wrong."""

import pytest
from django.core.exceptions import ValidationError

from huxiao.hazards import services
from huxiao.hazards.models import Hazard, HazardAttachment, HazardEvent
from huxiao.testsupport.cast import audit_mark, audit_since
from huxiao.testsupport.files import image_bytes, photo, upload
from huxiao.testsupport.hazards import fresh, hazard_submit, make_hazard

pytestmark = pytest.mark.usefixtures("frozen")


def bad():
    return upload(image_bytes("GIF"), "second.jpg")


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_evidence_with_one_bad_photo_saves_nothing(cast, media_root):
    hazard = make_hazard(cast, state="rectifying")
    files, events, mark = stored_files(media_root), HazardEvent.objects.count(), audit_mark()
    with pytest.raises(ValidationError) as caught:
        services.hazard_add_evidence(
            acting_user=cast.qingsong_lead, hazard=hazard, phase="after", photos=[photo(), bad(), photo()]
        )
    assert caught.value.messages[0].startswith("第2张照片：只接受 JPG、PNG、WebP")
    assert not HazardAttachment.objects.filter(hazard=hazard, phase="after").exists()
    assert HazardEvent.objects.count() == events
    assert audit_since(mark) == []
    assert stored_files(media_root) == files


def test_submitting_with_one_bad_photo_leaves_the_hazard_as_it_was(cast, media_root):
    hazard = make_hazard(cast, state="rectifying")
    files, mark = stored_files(media_root), audit_mark()
    with pytest.raises(ValidationError, match="第2张照片"):
        hazard_submit(
            acting_user=cast.qingsong_lead,
            hazard=hazard,
            expected_version=hazard.version,
            note="已整改",
            photos=[photo(), bad()],
        )
    after = fresh(hazard)
    assert (after.state, after.version) == ("rectifying", hazard.version)
    assert not after.attachments.exists()
    assert audit_since(mark) == []
    assert stored_files(media_root) == files


def test_reporting_with_one_bad_photo_registers_nothing(cast, media_root):
    with pytest.raises(ValidationError, match="第2张照片"):
        make_hazard(cast, photos=[photo("before.jpg"), upload(b"plain text", "before2.jpg")])
    assert not Hazard.objects.exists()
    assert stored_files(media_root) == []


def test_good_photos_are_stored_with_thumbnails(cast, media_root):
    hazard = make_hazard(cast, state="rectifying")
    services.hazard_add_evidence(
        acting_user=cast.qingsong_lead, hazard=hazard, phase="before", photos=[photo(size=(1200, 900))]
    )
    (attachment,) = HazardAttachment.objects.filter(hazard=hazard)
    assert (attachment.phase, attachment.width, attachment.height) == ("before", 1200, 900)
    assert attachment.image.path.startswith(str(media_root))
    assert attachment.thumbnail.path.startswith(str(media_root))
    assert len(stored_files(media_root)) == 2
