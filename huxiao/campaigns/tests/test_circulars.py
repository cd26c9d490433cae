"""Circulars: attachments are checked by content and type (a bad one → a Chinese message naming
the file and the rule, nothing saved), recipients get them, reading leaves a receipt."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from huxiao.campaigns import services
from huxiao.campaigns.models import Circular, CircularAttachment, CircularReceipt
from huxiao.campaigns.tests.factories import make_campaign
from huxiao.testsupport.cast import audit_mark, audit_since
from huxiao.testsupport.files import jpeg_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def _files(media_root) -> list[Path]:
    return [p for p in Path(media_root).rglob("*") if p.is_file()]


def _issue(cast, campaign, files):
    return services.circular_issue(
        acting_user=cast.centre_officer,
        campaign=campaign,
        number="蒲吕护校办〔2026〕3号",
        title="整改阶段工作情况通报",
        body="……",
        recipients=[cast.pulv_police, cast.pulv_safety_office],
        files=files,
    )


def test_a_circular_with_a_pdf_a_docx_and_a_photo(cast, media_root):
    campaign = make_campaign(cast)
    mark = audit_mark()
    circular = _issue(
        cast,
        campaign,
        [
            SimpleUploadedFile("通报.pdf", PDF),
            SimpleUploadedFile("附表.docx", docx_bytes()),
            SimpleUploadedFile("现场.jpg", jpeg_bytes()),
        ],
    )
    assert list(circular.attachments.order_by("pk").values_list("name", "kind")) == [
        ("通报.pdf", "pdf"),
        ("附表.docx", "docx"),
        ("现场.jpg", "jpg"),
    ]
    assert len(_files(media_root)) == 3
    (event,) = audit_since(mark)
    assert event.action == "campaign.circular_issue" and event.after["attachments"] == 3


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("病毒.exe", b"MZ\x90\x00", "只接受 PDF、Word（.docx）、Excel（.xlsx）或 JPG/PNG/WebP 图片"),
        ("假的.pdf", b"this is not a pdf", "不是有效的 PDF 文件"),
        ("假的.docx", PDF, "不是有效的 Word（.docx） 文件"),
        ("表格.xlsx", docx_bytes(), "不是有效的 Excel（.xlsx） 文件"),
        ("照片.png", b"not an image", "文件不是有效的图片"),
        ("空.pdf", b"", "文件为空"),
    ],
)
def test_a_bad_attachment_saves_nothing(cast, media_root, name, data, message):
    campaign = make_campaign(cast)
    with pytest.raises(ValidationError) as caught:
        _issue(cast, campaign, [SimpleUploadedFile("好的.pdf", PDF), SimpleUploadedFile(name, data)])
    assert message in caught.value.messages[0] and name in caught.value.messages[0]
    assert Circular.objects.count() == 0 and CircularAttachment.objects.count() == 0
    assert _files(media_root) == []


def test_a_zip_bomb_dressed_as_docx_is_refused(cast, media_root):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<x/>")
        zf.writestr("word/document.xml", b"0" * (101 * 1024 * 1024))
    with pytest.raises(ValidationError, match="不是有效的 Word"):
        _issue(cast, make_campaign(cast), [SimpleUploadedFile("炸弹.docx", out.getvalue())])


def test_the_form_shows_the_chinese_message(cast, client, media_root):
    campaign = make_campaign(cast)
    client.force_login(cast.centre_officer)
    response = client.post(
        f"/campaigns/{campaign.pk}/circulars/new/",
        {
            "title": "通报",
            "body": "正文",
            "recipients": [cast.pulv_police.pk],
            "attachments": [SimpleUploadedFile("宏.docm", b"PK\x03\x04")],
        },
    )
    assert response.status_code == 200
    assert "只接受 PDF、Word（.docx）、Excel（.xlsx）或 JPG/PNG/WebP 图片" in response.content.decode()
    assert Circular.objects.count() == 0


def test_reading_leaves_one_receipt_per_recipient_unit(cast, client):
    circular = _issue(cast, make_campaign(cast), [])
    client.force_login(cast.police)
    assert client.get(f"/campaigns/circulars/{circular.pk}/").status_code == 200
    client.get(f"/campaigns/circulars/{circular.pk}/")
    assert list(CircularReceipt.objects.values_list("organisation_id", "user_id")) == [
        (cast.pulv_police.pk, cast.police.pk)
    ]
    client.force_login(cast.official)  # sees it, but is not a recipient: no receipt
    client.get(f"/campaigns/circulars/{circular.pk}/")
    assert CircularReceipt.objects.count() == 1
    client.force_login(cast.outsider)
    assert client.get(f"/campaigns/circulars/{circular.pk}/").status_code == 404


def test_attachments_are_served_only_within_scope(cast, client):
    circular = _issue(cast, make_campaign(cast), [SimpleUploadedFile("通报.pdf", PDF)])
    (attachment,) = circular.attachments.all()
    client.force_login(cast.police)
    response = client.get(f"/campaigns/circular-files/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(cast.outsider)
    assert client.get(f"/campaigns/circular-files/{attachment.pk}/").status_code == 404
