"""The November 统计表 of 蒲吕派出所: the key-person and dispute columns are computed from the
registers (no ※ hand-typed column left for them), and no name leaves the registers — not in
the page, not in the .xlsx."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from huxiao.people import services
from huxiao.people.choices import Outcome, Risk
from huxiao.people.models import Category

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]
NOVEMBER = "/monthly/{pk}/2026/11/"


def _register(cast, name, category, listed_on, **extra):
    return services.person_register(
        acting_user=cast.police,
        station=cast.pulv_police,
        officer=cast.police,
        region=cast.pulv_community,
        category=Category.objects.get(name=category),
        risk=Risk.HIGH,
        name=name,
        listed_on=listed_on,
        schools=[cast.qingsong],
        **extra,
    )


def test_the_station_report_counts_the_registers_and_names_nobody(
    cast, client, django_capture_on_commit_callbacks
):
    mental = _register(cast, "钱多多", "严重精神障碍患者（易肇事肇祸）", dt.date(2026, 10, 3))
    _register(cast, "孙悟能", "吸毒人员", dt.date(2026, 11, 12))
    services.visit_record(
        acting_user=cast.police, person=mental, visited_on=dt.date(2026, 11, 5), found="in_control"
    )
    with time_machine.travel(dt.datetime(2026, 11, 25, 16, 0, tzinfo=NOW.tzinfo), tick=False):
        # 失控 counts from the day it is reported (the event's time), as the station knew it
        services.visit_record(acting_user=cast.police, person=mental, visited_on=None, found="lost")
    kwargs = dict(
        acting_user=cast.police,
        station=cast.pulv_police,
        region=cast.pulv_community,
        category="enrolment",
        source="public",
        parties="周扒皮 13900003333 家长",
        summary="入学纠纷",
        schools=[cast.qingsong],
    )
    resolved = services.dispute_register(found_on=dt.date(2026, 11, 3), **kwargs)
    services.dispute_close(
        acting_user=cast.police,
        dispute=resolved,
        expected_version=resolved.version,
        outcome=Outcome.RESOLVED,
        closed_on=dt.date(2026, 11, 10),
    )
    services.dispute_register(found_on=dt.date(2026, 11, 28), threat=True, **kwargs)

    client.force_login(cast.police)
    page = client.get(NOVEMBER.format(pk=cast.pulv_police.pk)).content.decode()
    assert "钱多多" not in page and "周扒皮" not in page
    response = client.get(NOVEMBER.format(pk=cast.pulv_police.pk) + "xlsx/")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["统计表"]
    headers = [c.value for c in ws[5]]
    row = {h: ws.cell(row=6, column=i + 1).value for i, h in enumerate(headers) if h}

    def value(title: str):
        (key,) = [h for h in row if h.startswith(title)]
        assert not key.startswith("※"), key  # computed, not typed by hand
        return row[key]

    assert value("涉校重点人员在册数") == 2
    assert value("涉校重点人员：肇事肇祸精神障碍") == 1 and value("涉校重点人员：吸毒") == 1
    assert value("涉校重点人员本月新增") == 1
    assert value("重点人员走访核查数") == 2
    assert value("重点人员失控数") == 1
    assert value("涉校矛盾纠纷排查数") == 2 and value("涉校矛盾纠纷化解数") == 1
    assert value("涉校矛盾纠纷在调数") == 1 and value("其中扬言报复数") == 1
    text = " ".join(str(c.value) for sheet in wb for r in sheet.iter_rows() for c in r if c.value is not None)
    for name in ("钱多多", "孙悟能", "周扒皮", "13900003333"):
        assert name not in text


def test_a_school_own_table_leaves_the_register_columns_out(cast, client):
    _register(cast, "钱多多", "吸毒人员", dt.date(2026, 11, 3))
    client.force_login(cast.qingsong_lead)
    unit = cast.qingsong.organisation
    page = client.get(NOVEMBER.format(pk=unit.pk)).content.decode()
    assert "涉校重点人员" not in page and "矛盾纠纷" not in page
    xlsx = client.get(NOVEMBER.format(pk=unit.pk) + "xlsx/")
    wb = load_workbook(io.BytesIO(xlsx.content))
    text = " ".join(str(c.value) for sheet in wb for r in sheet.iter_rows() for c in r if c.value is not None)
    assert "涉校重点人员" not in text
    client.force_login(cast.centre_officer)  # the 学区 above it still counts them
    page = client.get(NOVEMBER.format(pk=cast.pulv_centre.pk)).content.decode()
    assert "涉校重点人员：吸毒" in page
