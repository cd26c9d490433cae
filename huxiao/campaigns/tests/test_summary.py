"""The summary .docx opens with python-docx and states the figures counted independently here
from the fixed data; it carries the chart, the remaining problems and the 【请编辑】 paragraphs."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from PIL import Image

from huxiao.campaigns import services
from huxiao.campaigns.summary import category_chart
from huxiao.campaigns.tests.factories import make_campaign, today_fixture  # noqa: F401
from huxiao.hazards.choices import Severity, State
from huxiao.hazards.models import Hazard
from huxiao.testsupport.hazards import make_hazard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def _text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append("|".join(c.text for c in row.cells))
    return "\n".join(parts)


def test_the_summary_states_the_figures(cast, client, today):
    campaign = make_campaign(cast)
    fire_closed = make_hazard(cast, cast.qingsong, state=State.CLOSED, category="fire")
    make_hazard(cast, cast.qingsong, state=State.RECTIFYING, category="fire", title="灭火器过期")
    major = make_hazard(
        cast,
        cast.mingde,
        state=State.OPEN,
        category="physical",
        severity=Severity.MAJOR,
        title="围墙倒塌风险",
    )
    late = make_hazard(cast, cast.mingde, state=State.OPEN, category="technical", title="监控损坏")
    make_hazard(cast, cast.mingde, state=State.DISMISSED, category="other", title="不予立案的一项")
    Hazard.objects.filter(pk=late.pk).update(deadline=dt.date(2026, 11, 20))
    t = services.task_create(
        acting_user=None,
        campaign=campaign,
        title="核查",
        organisation=cast.pulv_police,
        due=dt.date(2026, 6, 1),
    )
    services.task_complete(acting_user=None, task=t, expected_version=t.version, evidence="已核查")
    services.task_create(
        acting_user=None,
        campaign=campaign,
        title="方案",
        organisation=cast.pulv_centre,
        due=dt.date(2026, 11, 1),
    )
    services.meeting_record(
        acting_user=cast.centre_officer,
        campaign=campaign,
        held_on=dt.date(2026, 10, 28),
        title="月度会商",
        topics="整改收尾",
        attendee_orgs=[cast.pulv_police],
        decisions=[{"title": "督促整改", "organisation": cast.pulv_centre, "due": dt.date(2026, 12, 15)}],
    )

    # independent counts over the same data (不予立案 excluded)
    counted = Hazard.objects.exclude(state=State.DISMISSED).filter(
        school__region__path__startswith=cast.pulv.path
    )
    found, closed = counted.count(), counted.filter(state=State.CLOSED).count()
    overdue = counted.exclude(state=State.CLOSED).filter(deadline__lt=dt.date(2026, 11, 29)).count()
    assert (found, closed, overdue) == (4, 1, 1)
    schools = 3  # 青松, 明德, 石龙 in 蒲吕

    client.force_login(cast.centre_officer)
    response = client.get(f"/campaigns/{campaign.pk}/summary.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    doc = Document(io.BytesIO(response.content))
    text = _text(doc)
    assert f"辖区共有中小学、幼儿园{schools}所" in text
    assert f"共排查登记隐患{found}项，已整改销号{closed}项，整改销号率25.0%" in text
    assert f"其中逾期未整改{overdue}项" in text
    assert "消防|2|1|1|0" in text and "物防|1|0|1|0" in text and "技防|1|0|1|1" in text
    assert f"合计|{found}|{closed}|3|{overdue}" in text
    assert "重大|1|0|1|0" in text
    assert "共部署工作任务3项，已完成1项，逾期未完成1项" in text
    assert "召开联席会议（月度会商）1次，议定事项1项" in text
    # problems remaining: the live 重大 and the overdue one, by name
    assert f"蒲吕明德小学|{major.title}|重大" in text and f"蒲吕明德小学|{late.title}|一般" in text
    assert fire_closed.title not in text.split("三、存在的问题")[1]
    assert text.count("【请编辑】") >= 4
    assert len(doc.inline_shapes) == 1  # the chart
    assert "2026年11月|" in text  # the month-by-month table reaches this month
    # official layout: A4 and GB/T 9704 margins
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.top_margin.mm) == 37


def test_the_chart_is_a_png_with_bars(cast):
    data = category_chart(
        [{"label": "消防", "found": 4, "closed": 1}, {"label": "物防", "found": 2, "closed": 2}]
    )
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG" and img.size == (1400, 760)
    found_blue = (29, 79, 145)
    assert any(img.getpixel((x, 500)) == found_blue for x in range(0, 1400, 2))
