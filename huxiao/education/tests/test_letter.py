"""The 法治辅导员聘书: the station's red head and number, the officer and the school, the term and
the duties; every download is an audit event; LibreOffice prints it on one A4 page."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from huxiao.core.models import AuditEvent
from huxiao.education import services
from huxiao.education.tests.builders import NOW, appoint
from huxiao.testsupport.documents import docx_text, libreoffice_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]


def test_the_letter_names_the_officer_the_school_and_the_term(cast):
    appointment = appoint(cast, number="蒲吕派出所聘〔2026〕1号")
    text = docx_text(services.letter_issue(acting_user=cast.qingsong_lead, appointment=appointment))
    for expected in (
        "蒲吕派出所",
        "蒲吕派出所聘〔2026〕1号",
        "法治辅导员聘书",
        "赵警官同志：",
        "兼任蒲吕青松中学法治辅导员，聘期自2026年9月1日至2028年8月31日。",
        "1. 每学期进校开展法治宣传教育不少于一次；",
        "2026年11月26日",
        "抄送：蒲吕青松中学",
    ):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text
    event = AuditEvent.objects.get(action="education.letter")
    assert event.actor == cast.qingsong_lead and event.after == {"number": "蒲吕派出所聘〔2026〕1号"}


def test_the_letter_downloads_and_prints_on_one_a4_page(cast, client, tmp_path):
    appointment = appoint(cast)
    client.force_login(cast.police)
    response = client.get(reverse("education:appointment-letter", args=[appointment.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    pdf = libreoffice_pdf(b"".join(response.streaming_content), "letter.docx", tmp_path)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        (tmp_path / "letter.pdf").write_bytes(pdf)
        info = subprocess.run(
            ["pdfinfo", str(tmp_path / "letter.pdf")], capture_output=True, text=True, check=True
        ).stdout
        assert "(A4)" in info and re.search(r"Pages:\s+1\n", info)
        shot = tmp_path / "page"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(tmp_path / "letter.pdf"), str(shot)],
            check=True,
        )
        artifacts = Path("test-artifacts/documents")
        artifacts.mkdir(parents=True, exist_ok=True)
        shutil.copy(next(tmp_path.glob("page*.png")), artifacts / "counsellor-letter-page1.png")
