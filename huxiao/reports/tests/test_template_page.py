"""reports:template-* — system administrators download a Word template, upload a replacement
(only a real .docx that renders the sample is taken) and go back to the built-in one."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from huxiao.reports.documents import builtin_bytes, render_docx
from huxiao.reports.kinds import TYPES, sample_context
from huxiao.reports.models import DocumentTemplate
from huxiao.testsupport.cast import assert_redirects_to_login, audit_mark, audit_since
from huxiao.testsupport.documents import docx_text, docx_with, open_docx

LIST = reverse("reports:template-list")


def url(name, kind="notice"):
    return reverse(f"reports:template-{name}", args=[kind])


def docx_upload(data: bytes, name="我的模板.docx"):
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_it_sends_an_anonymous_visitor_to_login(db, client):
    assert_redirects_to_login(client.get(LIST))
    assert_redirects_to_login(client.get(url("download")))
    assert_redirects_to_login(client.post(url("upload")))


@pytest.mark.parametrize("member", ["police", "observer", "auditor", "official", "qingsong_lead"])
def test_only_system_administrators_manage_templates(cast, client, member):
    client.force_login(getattr(cast, member))
    mark = audit_mark()
    assert client.get(LIST).status_code == 403
    assert client.get(url("download")).status_code == 403
    upload = docx_upload(docx_with("notice", "MARKER"))
    assert client.post(url("upload"), {"file": upload}).status_code == 403
    assert client.post(url("reset")).status_code == 403
    assert not DocumentTemplate.objects.exists()
    assert audit_since(mark) == []


def test_the_page_lists_every_kind_on_its_built_in_template(cast, client):
    client.force_login(cast.sysadmin)
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    # every app's registered document: the hazard loop's five, the campaign summary, the incident 通报,
    # the 法治辅导员聘书
    assert list(TYPES) == [
        "notice",
        "supervision",
        "interview",
        "listing",
        "dossier",
        "campaign_summary",
        "incident_circular",
        "counsellor_letter",
    ]
    for _code, label in TYPES.choices():
        assert label in html
    assert html.count("当前使用<strong>内置模板</strong>") == len(TYPES.choices())


def test_an_unknown_kind_is_not_found(cast, client):
    client.force_login(cast.sysadmin)
    assert client.get(url("download", "receipt")).status_code == 404


def test_the_built_in_template_downloads_as_a_word_file_with_its_fields(cast, client):
    client.force_login(cast.sysadmin)
    response = client.get(url("download"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = docx_text(b"".join(response.streaming_content))
    assert "{{ number }}" in text
    assert "限期整改通知书" in text


def test_an_uploaded_template_is_used_from_then_on_and_recorded(cast, client):
    client.force_login(cast.sysadmin)
    mark = audit_mark()
    data = docx_with("notice", "MARKER-定制模板 {{ number }} {{ school_name }}")
    response = client.post(url("upload"), {"file": docx_upload(data)}, follow=True)
    assert "已更换限期整改通知书模板" in response.content.decode()
    template = DocumentTemplate.objects.get(kind="notice")
    assert template.uploaded_by == cast.sysadmin
    assert template.original_name == "我的模板.docx"
    [event] = audit_since(mark)
    assert event.action == "document_template.replace"
    assert event.actor == cast.sysadmin
    assert event.after["original_name"] == "我的模板.docx"
    assert "MARKER-定制模板 蒲吕派整字〔2026〕第0007号 蒲吕青松中学" in docx_text(
        render_docx("notice", sample_context("notice"))
    )
    # the download now hands out the uploaded file, and the page says so
    downloaded = b"".join(client.get(url("download")).streaming_content)
    assert "MARKER-定制模板" in docx_text(downloaded)
    assert "我的模板.docx" in client.get(LIST).content.decode()


def test_uploading_again_replaces_the_previous_upload(cast, client):
    client.force_login(cast.sysadmin)
    client.post(url("upload"), {"file": docx_upload(docx_with("notice", "FIRST"))})
    mark = audit_mark()
    client.post(url("upload"), {"file": docx_upload(docx_with("notice", "SECOND"), "二稿.docx")})
    assert DocumentTemplate.objects.count() == 1
    text = docx_text(render_docx("notice", sample_context("notice")))
    assert "SECOND" in text and "FIRST" not in text
    [event] = audit_since(mark)
    assert event.before["original_name"] == "我的模板.docx"


def test_going_back_to_the_built_in_template(cast, client):
    client.force_login(cast.sysadmin)
    client.post(url("upload"), {"file": docx_upload(docx_with("notice", "MARKER"))})
    mark = audit_mark()
    response = client.post(url("reset"), follow=True)
    assert "已恢复使用内置模板" in response.content.decode()
    assert not DocumentTemplate.objects.exists()
    assert [e.action for e in audit_since(mark)] == ["document_template.reset"]
    assert "MARKER" not in docx_text(render_docx("notice", sample_context("notice")))
    # resetting again changes nothing and records nothing
    mark = audit_mark()
    client.post(url("reset"))
    assert audit_since(mark) == []


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


INVALID = {
    "plain text": (b"just some text", "文件不是有效的 Word（.docx）文档"),
    "a zip that is not a document": (_zip({"readme.txt": b"hi"}), "文件不是有效的 Word（.docx）文档"),
    "a broken field": (docx_with("notice", "{{ number "), "语法错误"),
    "an unclosed loop": (docx_with("notice", "{% for h in hazards %}"), "语法错误"),
    "a sandbox escape": (docx_with("notice", "{{ number.__class__.__mro__[1].__subclasses__() }}"), "不允许"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_it_refuses_what_is_not_a_working_template(cast, client, case):
    data, message = INVALID[case]
    client.force_login(cast.sysadmin)
    mark = audit_mark()
    response = client.post(url("upload"), {"file": docx_upload(data)}, follow=True)
    html = response.content.decode()
    assert "限期整改通知书模板未更换" in html
    assert message in html
    assert not DocumentTemplate.objects.exists()
    assert audit_since(mark) == []


def test_it_asks_for_a_file_when_none_is_sent(cast, client):
    client.force_login(cast.sysadmin)
    response = client.post(url("upload"), {}, follow=True)
    assert "请选择要上传的 .docx 文件" in response.content.decode()


def test_a_template_of_one_kind_is_checked_against_that_kinds_fields(cast, client):
    """The dossier's sample has photos; a dossier template that loops over them renders."""
    client.force_login(cast.sysadmin)
    data = docx_with("dossier", "{% for r in photo_rows %}{{ r.before_caption }}{% endfor %}")
    client.post(url("upload", "dossier"), {"file": docx_upload(data)})
    assert DocumentTemplate.objects.filter(kind="dossier").exists()
    doc = open_docx(render_docx("dossier", sample_context("dossier")))
    assert len(doc.inline_shapes) == 2


def test_a_lost_upload_falls_back_to_the_built_in_template(cast, client):
    client.force_login(cast.sysadmin)
    client.post(url("upload"), {"file": docx_upload(docx_with("notice", "MARKER"))})
    template = DocumentTemplate.objects.get()
    template.file.storage.delete(template.file.name)
    text = docx_text(render_docx("notice", sample_context("notice")))
    assert "MARKER" not in text
    assert "蒲吕派整字〔2026〕第0007号" in text


def test_every_built_in_template_renders_its_sample(db):
    for kind in TYPES:
        text = docx_text(render_docx(kind, sample_context(kind)))
        assert "{{" not in text and "{%" not in text, kind
        assert builtin_bytes(kind)
