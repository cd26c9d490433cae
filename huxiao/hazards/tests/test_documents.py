"""The Word documents, opened back with python-docx: the notice, the 督办 / 约谈 / 挂牌督办 letters
and the closure dossier carry the right numbers, names, titles and dates (2026年11月29日), the
official layout's marks (red issuer, 仿宋 body), photos in the dossier, and an administrator's
replacement template when there is one."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx.oxml.ns import qn

from huxiao.hazards.choices import Escalation, State
from huxiao.hazards.tests.notice_factories import (
    closed_with_photos,
    frozen,  # noqa: F401  (fixture)
    issue,
    listed,
    noticed,
    rung,
)
from huxiao.testsupport.documents import docx_text, docx_with, open_docx
from huxiao.testsupport.hazards import make_hazard

pytestmark = pytest.mark.usefixtures("frozen", "media_root")


def download(client, name, *args) -> bytes:
    response = client.get(reverse(f"hazards:{name}", args=args))
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def test_the_notice_carries_number_school_hazards_and_dates(cast, client):
    notice = noticed(cast)
    client.force_login(cast.qingsong_lead)
    data = download(client, "notice-docx", notice.pk)
    text = docx_text(data)
    assert "限期整改通知书" in text
    assert "蒲吕派出所整字〔2026〕第0001号" in text
    assert "蒲吕青松中学：" in text
    assert "宿舍楼消防通道堆放杂物" in text and "校门防冲撞设施缺失" in text
    assert "3号宿舍楼一层" in text and "南校门" in text
    assert "共2项" in text
    assert "于2026年12月10日前整改完毕" in text
    assert "整改要求：整改完成后书面报告。" in text
    assert "2026年11月29日" in text  # the date of issue, under the issuer
    assert "中小学幼儿园安全管理办法" in text  # the legal basis
    assert "{{" not in text and "{%" not in text
    # not signed yet: blank lines to sign on
    assert "签收人" in text and "________________" in text


def test_the_notice_has_the_official_layout_marks(cast, client):
    notice = noticed(cast)
    client.force_login(cast.police)
    doc = open_docx(download(client, "notice-docx", notice.pk))
    paragraphs = doc.paragraphs
    texts = [p.text for p in paragraphs]
    head = paragraphs[texts.index("蒲吕派出所")]
    assert head.alignment == 1  # centred
    assert str(head.runs[0].font.color.rgb) == "E60012"  # 红头
    number = paragraphs[texts.index(notice.number)]
    assert number.alignment == 1
    rule = paragraphs[texts.index(notice.number) + 1]
    assert rule._p.pPr.find(qn("w:pBdr")) is not None  # the red rule under the number
    title = paragraphs[texts.index("限期整改通知书")]
    assert title.runs[0].font.bold and title.alignment == 1
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋"
    assert doc.sections[0].page_width.mm == pytest.approx(210, abs=0.5)
    hazards_table = doc.tables[0]
    assert [c.text for c in hazards_table.rows[0].cells] == ["序号", "隐患", "位置", "整改要求", "期限"]
    assert len(hazards_table.rows) == 3  # header + two hazards
    assert hazards_table.rows[1].cells[4].text == "2026年12月10日"


def test_a_signed_notice_names_who_signed_and_when(cast, client):
    notice = noticed(cast)
    client.force_login(cast.qingsong_lead)
    client.post(reverse("hazards:notice-sign", args=[notice.pk]))
    text = docx_text(download(client, "notice-docx", notice.pk))
    assert "罗志强" in text
    assert "2026年11月29日 10:00" in text


def test_user_text_stays_text_in_the_document(cast, client):
    hazard = make_hazard(cast, state=State.OPEN, title="配电箱<未上锁> & 无警示", location="{{ 1+1 }}")
    notice = issue(cast, [hazard], requirements="A<B & C>D")
    client.force_login(cast.police)
    text = docx_text(download(client, "notice-docx", notice.pk))
    assert "配电箱<未上锁> & 无警示" in text
    assert "{{ 1+1 }}" in text
    assert "A<B & C>D" in text


def test_the_supervision_letter(cast, client):
    hazard = listed(cast)
    supervise = rung(hazard, Escalation.SUPERVISE)
    client.force_login(cast.safety_officer)
    text = docx_text(download(client, "escalation-docx", supervise.pk))
    assert "督办通知书" in text
    assert supervise.number == "蒲吕街道平安办督字〔2026〕第0001号"
    assert supervise.number in text
    assert "蒲吕街道平安办" in text and "蒲吕青松中学：" in text
    assert "专职保安员配备不足" in text and hazard.code in text
    assert "应于2026年10月23日前整改完毕" in text
    assert "截至2026年11月29日已逾期25个工作日" in text
    assert "{{" not in text


def test_the_interview_record_has_blank_lines_until_recorded(cast, client):
    hazard = listed(cast)
    interview = rung(hazard, Escalation.INTERVIEW)
    client.force_login(cast.safety_officer)
    text = docx_text(download(client, "escalation-docx", interview.pk))
    assert "约谈记录" in text and interview.number in text
    assert "经督办（蒲吕街道平安办督字〔2026〕第0001号）" in text
    assert text.count("_" * 34) >= 9  # 3 lines for attendees, 6 for the minutes
    client.post(
        reverse("hazards:escalation-record", args=[interview.pk]),
        {
            "attendees": "蒲吕街道平安办：林晓梅\n蒲吕青松中学：罗志强",
            "minutes": "学校承诺12月5日前整改完毕。",
        },
    )
    text = docx_text(download(client, "escalation-docx", interview.pk))
    assert "蒲吕街道平安办：林晓梅" in text and "蒲吕青松中学：罗志强" in text
    assert "学校承诺12月5日前整改完毕。" in text
    assert "林晓梅" in text and "2026年11月29日" in text
    assert "_" * 34 not in text


def test_the_listing_notice(cast, client):
    hazard = listed(cast)
    listing = rung(hazard, Escalation.LISTED)
    client.force_login(cast.observer)
    text = docx_text(download(client, "escalation-docx", listing.pk))
    assert "挂牌督办通知" in text
    assert listing.number == "蒲吕街道平安办挂牌〔2026〕第0001号" and listing.number in text
    assert "决定对该隐患实行挂牌督办" in text
    assert "约谈（蒲吕街道平安办约谈〔2026〕第0001号）" in text
    assert "2026年11月29日" in text


def test_the_dossier_of_a_closed_hazard_has_photos_acceptance_and_timeline(cast, client):
    hazard = closed_with_photos(cast)
    client.force_login(cast.observer)
    data = download(client, "hazard-dossier", hazard.pk)
    doc = open_docx(data)
    assert len(doc.inline_shapes) == 2  # before and after, side by side
    photos_table = next(t for t in doc.tables if t.rows[0].cells[0].text == "整改前")
    assert [c.text for c in photos_table.rows[0].cells] == ["整改前", "整改后"]
    text = docx_text(data)
    assert "隐患整改档案" in text and hazard.code in text
    assert "配电室门锁损坏" in text and "蒲吕青松中学" in text
    assert "已销号" in text
    assert "验收销号" in text and "赵警官（蒲吕派出所）" in text
    for step in ("登记隐患", "核实立案", "开始整改", "提交验收"):
        assert step in text
    assert "2026年11月29日" in text
    assert "未下发整改通知书，未经督办。" in text


def test_the_dossier_of_a_live_hazard_lists_its_notices_and_rungs(cast, client):
    hazard = listed(cast)
    notice = issue(cast, [hazard])
    client.force_login(cast.qingsong_lead)
    data = download(client, "hazard-dossier", hazard.pk)
    text = docx_text(data)
    assert notice.number in text
    for level in (Escalation.SUPERVISE, Escalation.INTERVIEW, Escalation.LISTED):
        assert rung(hazard, level).number in text
    assert "尚未验收销号（当前状态：待整改）" in text
    assert "未上传照片。" in text
    assert len(open_docx(data).inline_shapes) == 0


def test_a_replaced_template_is_used_for_the_next_notice(cast, client):
    notice = noticed(cast)
    client.force_login(cast.sysadmin)
    template = docx_with("notice", "MARKER-蒲吕定制 {{ number }}")
    upload = SimpleUploadedFile("定制.docx", template)
    response = client.post(reverse("reports:template-upload", args=["notice"]), {"file": upload})
    assert response.status_code == 302
    client.force_login(cast.qingsong_lead)
    text = docx_text(download(client, "notice-docx", notice.pk))
    assert f"MARKER-蒲吕定制 {notice.number}" in text
    # the other kinds keep their built-in templates
    hazard = closed_with_photos(cast)
    assert "MARKER" not in docx_text(download(client, "hazard-dossier", hazard.pk))
