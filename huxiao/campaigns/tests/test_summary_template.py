"""The 工作总结初稿 comes from the replaceable `campaign_summary` Word template: the built-in one
states the figures (the 验收 entries too), an administrator's upload is used instead, an upload
that cannot render the summary's fields is refused in Chinese, and LibreOffice opens the result."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from huxiao.campaigns import services
from huxiao.campaigns.choices import Document as CampaignDocument
from huxiao.campaigns.summary import summary_docx
from huxiao.campaigns.tests.factories import make_campaign, phase, seed_phases, today_fixture  # noqa: F401
from huxiao.hazards.choices import Severity, State
from huxiao.reports.documents import DOCX_CONTENT_TYPE, builtin_bytes
from huxiao.reports.models import DocumentTemplate
from huxiao.testsupport.documents import docx_text, libreoffice_pdf, open_docx
from huxiao.testsupport.hazards import make_hazard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "today")]

KIND = CampaignDocument.SUMMARY
UPLOAD = reverse("reports:template-upload", args=[KIND.value])


def _docx(*paragraphs: str) -> bytes:
    """A small Word document written from scratch, as someone might make their own template."""
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _upload(client, data: bytes):
    upload = SimpleUploadedFile("本区总结模板.docx", data, content_type=DOCX_CONTENT_TYPE)
    return client.post(UPLOAD, {"file": upload}, follow=True)


@pytest.fixture
def campaign(cast):
    """蒲吕's campaign: four hazards (one closed), and at 验收 青松 applied, 明德 passed, 石龙
    passed and was then sent back (no school is left 未申请)."""
    campaign = make_campaign(cast)
    make_hazard(cast, cast.qingsong, state=State.CLOSED, category="fire")
    make_hazard(cast, cast.qingsong, state=State.RECTIFYING, category="fire", title="灭火器过期")
    make_hazard(cast, cast.mingde, state=State.OPEN, category="physical", severity=Severity.GENERAL)
    make_hazard(cast, cast.mingde, state=State.OPEN, category="technical", title="监控损坏")
    acceptance = phase(campaign, "验收")
    services.entry_apply(
        acting_user=cast.qingsong_lead,
        phase=acceptance,
        school=cast.qingsong,
        expected_version=0,
        application="已整改完毕，申请验收",
    )
    services.entry_pass(
        acting_user=cast.centre_officer, phase=acceptance, school=cast.mingde, expected_version=0
    )
    passed = services.entry_pass(
        acting_user=cast.centre_officer, phase=acceptance, school=cast.shilong, expected_version=0
    )
    services.entry_return(
        acting_user=cast.centre_officer,
        phase=acceptance,
        school=cast.shilong,
        expected_version=passed.version,
        reason="复查发现监控仍未修复",
    )
    return campaign


def test_the_built_in_template_states_the_figures_and_the_entries(cast, client, campaign):
    client.force_login(cast.centre_officer)
    response = client.get(f"/campaigns/{campaign.pk}/summary.docx")
    assert response.status_code == 200
    text = docx_text(response.content)
    assert campaign.name in text and "工作总结（初稿）" in text
    assert "辖区共有中小学、幼儿园3所" in text
    assert "共排查登记隐患4项，已整改销号1项，整改销号率25.0%；尚未销号3项" in text
    # 验收: 3 schools — none left 未申请, 青松 已申请, 明德 验收通过, 石龙 已退回
    assert "学校申请进入验收等阶段的情况" in text
    assert "\n".join(["验收", "3", "0", "1", "1", "1"]) in text
    assert "未申请\n已申请\n验收通过\n已退回" in text
    assert "{{" not in text and "{%" not in text
    doc = open_docx(response.content)
    assert len(doc.inline_shapes) == 1  # the category chart
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 28
    assert "PAGE" in section.footer._element.xml  # page numbers


def test_without_gated_phases_or_hazards_the_optional_parts_give_way(cast):
    phases = [{k: v for k, v in p.items() if k != "gates"} for p in seed_phases(2026)]
    text = docx_text(summary_docx(make_campaign(cast, phases=phases)))
    assert "学校申请进入验收等阶段的情况" not in text and "验收通过" not in text
    assert "共排查登记隐患0项" in text
    assert "截至2026年11月29日，无未销号的重大隐患或逾期隐患。" in text
    assert "{%" not in text


def test_an_uploaded_template_is_used_instead(cast, client, campaign):
    client.force_login(cast.sysadmin)
    data = _docx(
        "{{ region_name }}护校安园工作总结",
        "排查隐患{{ hazards_found }}项，销号{{ hazards_closed }}项。",
        "{% for e in entries %}{{ e.phase }}：通过{{ e.passed }}所，退回{{ e.returned }}所。{% endfor %}",
    )
    _upload(client, data)
    assert DocumentTemplate.objects.filter(kind=KIND).exists()
    client.force_login(cast.centre_officer)
    text = docx_text(client.get(f"/campaigns/{campaign.pk}/summary.docx").content)
    assert "蒲吕街道护校安园工作总结" in text
    assert "排查隐患4项，销号1项。" in text
    assert "验收：通过1所，退回1所。" in text
    assert "工作总结（初稿）" not in text  # not the built-in layout


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("{{ campaign_name.no_such_field.again }}", "模板使用了不存在的字段"),
        ("{{ hazards_found ", "语法错误"),
        ("{% for r in by_category %}{{ r.label }}", "语法错误"),
    ],
)
def test_an_upload_that_cannot_render_the_summary_is_refused(cast, client, campaign, field, message):
    client.force_login(cast.sysadmin)
    html = _upload(client, _docx("{{ campaign_name }}工作总结", field)).content.decode()
    assert "专项行动工作总结模板未更换" in html and message in html
    assert not DocumentTemplate.objects.exists()
    client.force_login(cast.centre_officer)
    text = docx_text(client.get(f"/campaigns/{campaign.pk}/summary.docx").content)
    assert "工作总结（初稿）" in text  # still the built-in one


def test_the_built_in_template_is_the_generated_one():
    assert builtin_bytes(KIND).startswith(b"PK")
    text = docx_text(builtin_bytes(KIND))
    assert "{{ hazards_found }}" in text and "{%tr for r in by_category %}" in text


def test_libreoffice_converts_the_summary_to_pdf(cast, campaign, tmp_path):
    """LibreOffice converts the generated summary to PDF (skipped where it is not installed)."""
    pdf = libreoffice_pdf(summary_docx(campaign), "summary.docx", tmp_path)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
