"""The 通报 of a closed incident: numbered once with the unit's 通报 pattern, official layout,
no person's name, and LibreOffice prints it on A4."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from huxiao.core.models import AuditEvent
from huxiao.incidents import services
from huxiao.incidents.choices import Grade, PersonRole, Track
from huxiao.incidents.tests.builders import NOW, incident
from huxiao.testsupport.documents import docx_text, libreoffice_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]


@pytest.fixture
def closed(cast):
    case = incident(cast.qingsong_lead, cast.qingsong, grade=Grade.MAJOR)
    services.person_add(
        acting_user=cast.police, incident=case, role=PersonRole.VICTIM, name="王小明", minor=True
    )
    services.response_log(
        acting_user=cast.police,
        incident=case,
        track=Track.LINKAGE,
        at=NOW - dt.timedelta(minutes=40),
        text="民警到场控制嫌疑人",
    )
    case, _hazards = services.incident_close(
        acting_user=cast.police,
        incident=case,
        expected_version=case.version,
        causes="放学时段校门口保安力量不足。",
        measures="放学时段增派保安员到校门口\n校门口设置硬质隔离设施",
        accountability="学校门卫值守不到位，负有直接责任。",
        decision="对学校分管安全副校长诫勉谈话。",
    )
    return case


def test_the_circular_is_numbered_once_and_names_no_person(cast, closed):
    first, data = services.circular_issue(acting_user=cast.police, incident=closed)
    assert first.circular_number == "蒲吕派出所通报〔2026〕第0001号" or first.circular_number.endswith(
        "通报〔2026〕第0001号"
    )
    text = docx_text(data)
    for expected in (
        first.circular_number,
        "关于蒲吕青松中学“校门口外来人员持械伤害学生”的通报",
        "民警到场控制嫌疑人",
        "放学时段校门口保安力量不足",
        "1. 放学时段增派保安员到校门口",
        "五、责任倒查",
        "诫勉谈话",
    ):
        assert expected in text, expected
    assert "王小明" not in text and "{{" not in text
    again, _ = services.circular_issue(acting_user=cast.police, incident=closed)
    assert again.circular_number == first.circular_number
    assert AuditEvent.objects.filter(action="incidents.circular").count() == 2


def test_an_open_incident_or_a_school_gets_no_circular(cast):
    case = incident(cast.qingsong_lead, cast.qingsong)
    with pytest.raises(ValidationError):
        services.circular_issue(acting_user=cast.police, incident=case)
    with pytest.raises(PermissionDenied):
        services.circular_issue(acting_user=cast.qingsong_lead, incident=case)


def test_the_circular_downloads_and_prints_on_a4(cast, client, closed, tmp_path):
    client.force_login(cast.police)
    response = client.get(reverse("incidents:incident-circular", args=[closed.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    pdf = libreoffice_pdf(b"".join(response.streaming_content), "circular.docx", tmp_path)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        (tmp_path / "circular.pdf").write_bytes(pdf)
        info = subprocess.run(
            ["pdfinfo", str(tmp_path / "circular.pdf")], capture_output=True, text=True, check=True
        ).stdout
        assert "(A4)" in info
        shot = tmp_path / "page"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(tmp_path / "circular.pdf"), str(shot)],
            check=True,
        )
        artifacts = Path("test-artifacts/documents")
        artifacts.mkdir(parents=True, exist_ok=True)
        shutil.copy(next(tmp_path.glob("page*.png")), artifacts / "incident-circular-page1.png")
