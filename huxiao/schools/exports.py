"""The school register as .xlsx, written in streaming mode (constant memory)."""

from __future__ import annotations

from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from huxiao.lib.dates import cn_date
from huxiao.lib.spreadsheet import neutralise
from huxiao.schools.columns import COLUMNS
from huxiao.schools.models import School


def _value(school: School, field: str):
    if field == "school_type":
        return school.get_school_type_display()
    if field == "ownership":
        return school.get_ownership_display()
    if field == "is_boarding":
        return "是" if school.is_boarding else "否"
    if field == "region":
        return school.region.code
    if field in ("police_station", "school_district"):
        org = getattr(school, field)
        return org.name if org else ""
    if field in ("latitude", "longitude"):
        value = getattr(school, field)
        return float(value) if value is not None else None
    return getattr(school, field)


def write_register(schools, out: IO[bytes], *, unit: str, today) -> int:
    """Write the register of `schools` (a queryset) to `out`; returns the number of rows.

    Layout: a title row, a unit/date row, then the header row and one row per school — the
    header row is what the importer reads, so an exported file can be imported back.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("学校名录")
    for i, col in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + i)].width = col.width
    title = WriteOnlyCell(ws, value="中小学幼儿园名录")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append([WriteOnlyCell(ws, value=f"填报单位：{unit}    导出日期：{cn_date(today)}")])
    headers = []
    for col in COLUMNS:
        cell = WriteOnlyCell(ws, value=col.header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        headers.append(cell)
    ws.append(headers)
    count = 0
    qs = schools.select_related("region", "police_station", "school_district").order_by(
        "region__path", "name"
    )
    for school in qs.iterator(chunk_size=1000):
        ws.append([neutralise(_value(school, c.field)) for c in COLUMNS])
        count += 1
    wb.save(out)
    return count
