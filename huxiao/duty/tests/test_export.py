"""护学岗执勤记录表 (.xlsx) from the coverage page: the region's records of the month, scoped,
with whether each met its minimums; a region too large is refused with a Chinese message."""

import datetime as dt
import io
from urllib.parse import unquote

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from huxiao.duty import exports
from huxiao.duty.tests.factories import make_post, make_record
from huxiao.testsupport.cast import audit_mark, audit_since

pytestmark = pytest.mark.django_db

URL = reverse("duty:coverage-export")
NOW = dt.datetime(2026, 11, 29, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def on_the_29th():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def month(cast):
    qingsong, mingde = make_post(cast.qingsong), make_post(cast.mingde)
    make_record(qingsong, "morning", dt.date(2026, 11, 2), by=cast.police)  # 民警1 保安1: meets
    make_record(
        qingsong, "afternoon", dt.date(2026, 11, 2), by=cast.police, teachers=2
    )  # no police, no guard
    backfilled = make_record(mingde, "morning", dt.date(2026, 11, 3), by=cast.police, police=1, guards=1)
    backfilled.is_backfilled, backfilled.backfill_reason = True, "=HYPERLINK(手机没电)"
    backfilled.save()
    make_record(qingsong, "morning", dt.date(2026, 10, 30), by=cast.police)  # October: not in November's file
    outside = make_post(_bachuan_school(cast))
    make_record(outside, "morning", dt.date(2026, 11, 2), by=cast.police)


def _bachuan_school(cast):
    from huxiao.testsupport.hazards import bachuan_school

    return bachuan_school(cast)


def _rows(response) -> list[list]:
    body = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(body)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_the_subdistricts_november_records_with_whether_each_met_its_minimums(cast, client, month):
    client.force_login(cast.safety_officer)
    mark = audit_mark()
    response = client.get(URL, {"region": cast.pulv.pk, "month": "2026-11"})
    assert response.status_code == 200
    assert "护学岗执勤记录_蒲吕街道_202611.xlsx" in unquote(response["Content-Disposition"])
    rows = _rows(response)
    assert rows[0][0] == "护学岗执勤记录表"
    assert "蒲吕街道" in rows[1][0] and "2026年11月1日至2026年11月29日" in rows[1][0]
    header, body = rows[2], [r for r in rows[3:] if r[0] and r[0].startswith("2026年")]
    assert header[:5] == ["日期", "星期", "学校", "岗位", "时段"]
    assert len(body) == 3  # 巴川's record and October's are not in it
    met = {(r[0], r[2], r[4]): r[header.index("是否达标")] for r in body}
    assert met[("2026年11月2日", cast.qingsong.name, "早高峰")] == "达标"
    assert met[("2026年11月2日", cast.qingsong.name, "晚高峰")] == "不足"
    (late,) = [r for r in body if r[header.index("补录")] == "是"]
    assert late[header.index("补录原因")] == "'=HYPERLINK(手机没电)"  # kept as text, never a formula
    (event,) = audit_since(mark)
    assert event.action == "duty.export" and event.after["rows"] == 3


def test_a_region_outside_the_jurisdiction_is_not_found(cast, client, month):
    client.force_login(cast.outsider)
    assert client.get(URL, {"region": cast.pulv.pk, "month": "2026-11"}).status_code == 404
    own = _rows(client.get(URL, {"region": cast.bachuan.pk, "month": "2026-11"}))
    names = {r[2] for r in own[3:] if r and r[0] and str(r[0]).startswith("2026年")}
    assert cast.qingsong.name not in names and cast.mingde.name not in names and len(names) == 1


def test_too_many_records_for_one_file_are_refused_with_the_way_out(cast, client, month, monkeypatch):
    monkeypatch.setattr(exports, "ROW_LIMIT", 2)
    client.force_login(cast.safety_officer)
    mark = audit_mark()
    response = client.get(URL, {"region": cast.pulv.pk, "month": "2026-11"}, follow=True)
    text = response.content.decode()
    assert "共有执勤记录3条，超过单个文件2条的上限" in text and "下级区划" in text
    assert audit_since(mark) == []


def test_the_coverage_page_offers_the_export(cast, client, month):
    client.force_login(cast.safety_officer)
    page = client.get(reverse("duty:coverage"), {"region": cast.pulv.pk, "month": "2026-11"}).content.decode()
    assert "导出执勤记录（Excel）" in page and "coverage/records.xlsx" in page
