"""A stored upload gone from disk answers 404 with a Chinese message — never a 500 — on every
scoped download (hazard photos and thumbnails, inspection photos, surroundings check photos,
campaign task and circular attachments), all served through `core.files.serve_stored`; with the
file in place the same address answers 200 with the file.

Each app's object is made through that app's own services, as a user would make it."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from docx import Document

from huxiao.campaigns import services as campaign_services
from huxiao.campaigns.tests.factories import make_campaign
from huxiao.inspections import services as inspection_services
from huxiao.inspections.choices import Kind
from huxiao.inspections.models import ChecklistTemplate
from huxiao.inspections.seeds import seed_checklists
from huxiao.surroundings import services as surroundings_services
from huxiao.surroundings.tests.factories import build_world, make_venue
from huxiao.testsupport.cast import Cast
from huxiao.testsupport.files import photo
from huxiao.testsupport.hazards import make_hazard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

MISSING = "文件缺失，请联系上传人重新上传。"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Download:
    """Who may fetch which stored file at which address, and how it should come back."""

    user: object
    url: str
    stored: FieldFile
    content_type: str
    inline: bool = True


def docx_bytes() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def hazard_photo(cast: Cast, size: str) -> Download:
    hazard = make_hazard(cast, photos=[photo("before.jpg")])
    picture = hazard.attachments.get()
    return Download(
        user=cast.police,
        url=reverse("hazards:attachment", args=[picture.pk, size]),
        stored=picture.image if size == "full" else picture.thumbnail,
        content_type="image/jpeg",
    )


def inspection_photo(cast: Cast) -> Download:
    seed_checklists()
    inspection = inspection_services.inspection_create(
        acting_user=cast.police,
        school=cast.qingsong,
        kind=Kind.VERIFY,
        date=timezone.localdate(),
        template=ChecklistTemplate.objects.get(name="校园三防"),
    )
    item = inspection_services.numbered_items(inspection.checklist)[0]
    taken, _ = inspection_services.photo_add(
        acting_user=cast.police, inspection=inspection, item_id=item.pk, upload=photo()
    )
    return Download(
        user=cast.police,
        url=reverse("inspections:photo", args=[taken.pk, "full"]),
        stored=taken.image,
        content_type="image/jpeg",
    )


def surroundings_check_photo(cast: Cast) -> Download:
    world = build_world(cast)
    venue = make_venue(world.qingsong, 120, 40)
    check = surroundings_services.venue_check_record(
        acting_user=world.police,
        venue=venue,
        checked_on=timezone.localdate(),
        result="ok",
        photos=[photo("a.jpg")],
    )
    taken = check.photos.get()
    return Download(
        user=world.police,
        url=reverse("surroundings:check-photo", args=[taken.pk, "full"]),
        stored=taken.image,
        content_type="image/jpeg",
    )


def campaign_task_file(cast: Cast) -> Download:
    task = campaign_services.task_create(
        acting_user=cast.safety_officer,
        campaign=make_campaign(cast),
        title="建立问题清单",
        organisation=cast.pulv_police,
        due=dt.date(2026, 5, 25),
    )
    campaign_services.task_complete(
        acting_user=cast.police,
        task=task,
        expected_version=task.version,
        evidence="问题清单已建立",
        files=[SimpleUploadedFile("问题清单.docx", docx_bytes())],
        done=False,
    )
    attachment = task.attachments.get()
    return Download(
        user=cast.police,
        url=reverse("campaigns:task-file", args=[attachment.pk]),
        stored=attachment.file,
        content_type=DOCX,
        inline=False,
    )


def campaign_circular_file(cast: Cast) -> Download:
    circular = campaign_services.circular_issue(
        acting_user=cast.centre_officer,
        campaign=make_campaign(cast),
        number="蒲吕护校办〔2026〕3号",
        title="整改阶段工作情况通报",
        body="……",
        recipients=[cast.pulv_police, cast.pulv_safety_office],
        files=[SimpleUploadedFile("通报.pdf", PDF)],
    )
    attachment = circular.attachments.get()
    return Download(
        user=cast.police,
        url=reverse("campaigns:circular-file", args=[attachment.pk]),
        stored=attachment.file,
        content_type="application/pdf",
    )


DOWNLOADS: dict[str, Callable[[Cast], Download]] = {
    "hazards-photo-full": lambda cast: hazard_photo(cast, "full"),
    "hazards-photo-thumb": lambda cast: hazard_photo(cast, "thumb"),
    "inspections-answer-photo": inspection_photo,
    "surroundings-check-photo": surroundings_check_photo,
    "campaigns-task-attachment": campaign_task_file,
    "campaigns-circular-attachment": campaign_circular_file,
}


@pytest.fixture(params=DOWNLOADS, name="download")
def download_fixture(request, cast) -> Download:
    return DOWNLOADS[request.param](cast)


def test_the_file_in_place_is_served_to_a_permitted_user(client, download):
    client.force_login(download.user)
    response = client.get(download.url)
    assert response.status_code == 200
    assert response["Content-Type"] == download.content_type
    assert response["Content-Disposition"].startswith("inline" if download.inline else "attachment")
    with download.stored.storage.open(download.stored.name, "rb") as original:
        assert b"".join(response.streaming_content) == original.read()


def test_a_file_gone_from_storage_answers_404_in_chinese(client, download):
    download.stored.storage.delete(download.stored.name)
    client.force_login(download.user)
    response = client.get(download.url)
    assert response.status_code == 404
    assert MISSING in response.content.decode()


def test_an_outsider_gets_the_plain_404_and_learns_nothing_of_the_file(cast, client, download):
    download.stored.storage.delete(download.stored.name)
    client.force_login(cast.outsider)
    response = client.get(download.url)
    assert response.status_code == 404
    assert MISSING not in response.content.decode()
