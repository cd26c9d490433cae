"""The monthly 统计表 as .xlsx in the official table layout.

Sheet 「统计表」: the title 「××护校安园工作月度统计表」, 填报单位 and 统计期间, section headers
merged over their columns, column headers (manual columns marked ※, rates formatted as %),
the unit's row, last month's row and the change, the free-text items below, the signature line
(单位负责人 / 填表人 / 联系电话 / 填报日期). Sheet 「下级单位明细」 (roll-up units): a row per child
unit and the total. Print setup: landscape A4, fit to width, header rows repeated. Every text
cell is neutralised (`lib.spreadsheet.neutralise`).

The workbook is built in memory in openpyxl's normal mode (merged cells and print titles need
it); the widest roll-up — a 区's 街道, or a 学区's schools — is a few hundred rows, not a register.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from huxiao.core import audit
from huxiao.core.models import Organisation
from huxiao.core.registry import Column
from huxiao.lib.dates import cn_date
from huxiao.lib.spreadsheet import neutralise
from huxiao.monthly import selectors
from huxiao.monthly import units as unit_rules
from huxiao.monthly.choices import UnitLevel
from huxiao.monthly.due import month_bounds

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
HEAD_FILL = PatternFill("solid", fgColor="EDEDED")
MANUAL_FILL = PatternFill("solid", fgColor="FFF5D6")
TITLE_FONT = Font(name="宋体", size=16, bold=True)
BOLD = Font(name="宋体", size=10, bold=True)
BODY = Font(name="宋体", size=10)
MANUAL_MARK = "※"
SIGNATURE = (
    "单位负责人：　　　　　　填表人：　　　　　　联系电话：　　　　　　填报日期：　　　　年　　月　　日"
)


def title_of(unit: Organisation) -> str:
    """「蒲吕街道护校安园工作月度统计表」: the unit's area for 街道 and 区 bodies, else the unit."""
    level = unit_rules.level_of(unit)
    name = unit.region.name if level in (UnitLevel.STREET, UnitLevel.DISTRICT) else unit.name
    return f"{name}护校安园工作月度统计表"


def period_text(year: int, month: int) -> str:
    start, end = month_bounds(year, month)
    return f"{cn_date(start)}—{cn_date(end)}"


def header_label(c: Column) -> str:
    unit = f"（{c.unit}）" if c.unit and c.unit != "%" else ""
    return f"{MANUAL_MARK}{c.label}{unit}" if c.manual else f"{c.label}{'（%）' if c.ratio else unit}"


def _cell(
    ws: Worksheet, row: int, col: int, value: Any, *, font=BODY, align=CENTER, fill=None, box=True, fmt=None
):
    cell = ws.cell(row=row, column=col, value=neutralise(value))
    cell.font, cell.alignment = font, align
    if box:
        cell.border = BOX
    if fill is not None:
        cell.fill = fill
    if fmt:
        cell.number_format = fmt
    return cell


def _value(c: Column, v: Any) -> Any:
    if c.ratio is not None:
        return None if v is None else round(v / 100.0, 4)  # shown with the % format
    return v


def _headers(ws: Worksheet, row: int, cols: list[Column], first: str) -> int:
    """Section row (merged over each section's columns) and the column-label row; returns the
    next free row."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row + 1, end_column=1)
    _cell(ws, row, 1, first, font=BOLD, fill=HEAD_FILL)
    _cell(ws, row + 1, 1, None, fill=HEAD_FILL)
    col = 2
    i = 0
    while i < len(cols):
        section = cols[i].section
        j = i
        while j < len(cols) and cols[j].section == section:
            j += 1
        if j - i > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + (j - i) - 1)
        _cell(ws, row, col, section, font=BOLD, fill=HEAD_FILL)
        for k in range(i + 1, j):
            _cell(ws, row, col + (k - i), None, fill=HEAD_FILL)
        for k in range(i, j):
            _cell(
                ws,
                row + 1,
                col + (k - i),
                header_label(cols[k]),
                font=BOLD,
                fill=MANUAL_FILL if cols[k].manual else HEAD_FILL,
            )
        col += j - i
        i = j
    ws.row_dimensions[row + 1].height = 96
    return row + 2


def _data_row(
    ws: Worksheet, row: int, label: str, cols: list[Column], values: dict[str, Any], bold=False
) -> None:
    _cell(ws, row, 1, label, font=BOLD if bold else BODY, align=LEFT)
    for i, c in enumerate(cols, start=2):
        _cell(
            ws,
            row,
            i,
            _value(c, values.get(c.key)),
            font=BOLD if bold else BODY,
            fmt="0.0%" if c.ratio else "0",
        )


def _title(ws: Worksheet, unit: Organisation, year: int, month: int, width: int, status: str) -> int:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    _cell(ws, 1, 1, title_of(unit), font=TITLE_FONT, box=False)
    ws.row_dimensions[1].height = 30
    half = max(2, width // 2)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=half)
    _cell(ws, 2, 1, f"填报单位（盖章）：{unit.name}", align=LEFT, box=False)
    if width > half:
        ws.merge_cells(start_row=2, start_column=half + 1, end_row=2, end_column=width)
    _cell(ws, 2, half + 1, f"统计期间：{period_text(year, month)}", align=LEFT, box=False)
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width)
    _cell(ws, 3, 1, status, align=LEFT, box=False, font=Font(name="宋体", size=9, color="555555"))
    return 4


def _print_setup(ws: Worksheet, header_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.column_dimensions["A"].width = 22
    ws.freeze_panes = "B6"


def report_xlsx(unit: Organisation, year: int, month: int) -> bytes:
    """The unit's table for the month as .xlsx bytes."""
    table = selectors.unit_table(unit, year, month)
    previous = selectors.previous_table(unit, year, month)
    change = selectors.delta(table.values, previous.values)
    cols = selectors.numeric_columns(unit)
    texts = [c for c in selectors.columns_for(unit) if selectors.is_text(c)]
    width = len(cols) + 1
    if table.live:
        status = f"状态：{table.state_label}（实时数据，截至{cn_date(table.as_of)}）。带{MANUAL_MARK}的为填报单位手填项。"
    else:
        status = (
            f"状态：{table.state_label}，报送于{cn_date(table.report.submitted_at)}；"  # type: ignore[union-attr]
            f"内容哈希 SHA-256：{table.report.content_hash}。带{MANUAL_MARK}的为手填项。"  # type: ignore[union-attr]
        )

    wb = Workbook()
    ws = wb.active
    ws.title = "统计表"
    row = _title(ws, unit, year, month, width, status)
    row = _headers(ws, row, cols, "项目")
    _data_row(ws, row, f"本月（{month}月）", cols, table.values, bold=True)
    _py, pm = previous.year, previous.month
    _data_row(ws, row + 1, f"上月（{pm}月）", cols, previous.values)
    _data_row(ws, row + 2, "增减", cols, {k: (None if v is None else v) for k, v in change.items()})
    for i, c in enumerate(cols, start=2):
        if c.ratio is not None:
            ws.cell(row=row + 2, column=i).number_format = '+0.0"个百分点";-0.0"个百分点";0'
            d = change.get(c.key)
            ws.cell(row=row + 2, column=i).value = d
        ws.column_dimensions[get_column_letter(i)].width = 9
    row += 4
    label_span = min(3, width)
    for c in texts:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=label_span)
        _cell(ws, row, 1, f"{MANUAL_MARK}{c.label}", font=BOLD, align=LEFT, fill=MANUAL_FILL)
        if width > label_span:
            ws.merge_cells(start_row=row, start_column=label_span + 1, end_row=row, end_column=width)
        _cell(ws, row, label_span + 1, table.values.get(c.key) or "", align=LEFT)
        ws.row_dimensions[row].height = 48
        row += 1
    row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    _cell(ws, row, 1, SIGNATURE, align=LEFT, box=False)
    ws.row_dimensions[row].height = 28
    _print_setup(ws, "4:5")

    if unit_rules.level_of(unit) != UnitLevel.SCHOOL:
        data = selectors.rollup(unit, year, month)
        ws2 = wb.create_sheet("下级单位明细")
        row = _title(
            ws2,
            unit,
            year,
            month,
            width + 1,
            "各下级单位：已报送的取报送数据，未报送的为实时数据（注明）。合计按全部学校去重计算。",
        )
        row = _headers(ws2, row, cols, "单位")
        ws2.merge_cells(start_row=4, start_column=width + 1, end_row=5, end_column=width + 1)
        _cell(ws2, 4, width + 1, "报送状态", font=BOLD, fill=HEAD_FILL)
        _cell(ws2, 5, width + 1, None, fill=HEAD_FILL)
        for group, rows in data.groups:
            if group:
                ws2.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width + 1)
                _cell(ws2, row, 1, f"{group}（与上列学区所辖学校重叠，不计入合计）", font=BOLD, align=LEFT)
                row += 1
            for r in rows:
                _data_row(ws2, row, r.label, cols, r.values)
                _cell(ws2, row, width + 1, r.state_label)
                row += 1
        _data_row(ws2, row, "合计", cols, data.total.values, bold=True)
        _cell(ws2, row, width + 1, data.total.state_label, font=BOLD)
        row += 2
        ws2.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width + 1)
        _cell(ws2, row, 1, SIGNATURE, align=LEFT, box=False)
        _print_setup(ws2, "4:5")
        for i in range(2, width + 1):
            ws2.column_dimensions[get_column_letter(i)].width = 9
        ws2.column_dimensions[get_column_letter(width + 1)].width = 14

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_report(acting_user, unit: Organisation, year: int, month: int) -> bytes:
    """The official .xlsx of `unit`'s table for the month, recorded in the audit log once produced."""
    content = report_xlsx(unit, year, month)
    audit.record_export(
        actor=acting_user,
        action="monthly.export",
        organisation=unit,
        region_path=unit.region.path,
        object_repr=f"{unit} {year}年{month}月统计表（Excel）",
    )
    return content
