"""The staff register as .xlsx, for the school that keeps it and its 学区 — the people and hazard
registers' export path: written in streaming mode, every text cell neutralised
(`lib.spreadsheet.neutralise`: no formula, no control character), A4 landscape fitted to the
page width with the header row repeated on every printed page and the exporter named in the
footer, then one audit event (`core.audit.record_export`).

The 身份证号 is masked (`lib.masks.mask_id`) — the file never carries it in clear — and no
check's finding is written: the 人员审查 column is the standing only (审查有效 / 即将到期 / 审查过期
/ 待反馈 / 有异常 / 未审查) with the day the clearing check runs out.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from typing import IO

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.audit import record_export
from huxiao.core.models import Organisation
from huxiao.lib.dates import cn_date, cn_datetime
from huxiao.lib.masks import mask_id
from huxiao.lib.spreadsheet import neutralise
from huxiao.schools.imports import common_region_path
from huxiao.schools.scope import DISTRICT_KINDS, SCHOOL_KINDS
from huxiao.staff import access
from huxiao.staff.choices import GUARD_ROLES, Standing
from huxiao.staff.imports import COLUMNS, SHEET_TITLE
from huxiao.staff.models import StaffMember
from huxiao.staff.selectors import licence_status

EXPORT_ACTION = "staff.export"
# Registered here, beside the only code that records it (read by the register's readers and
# the auditor, like the app's other actions).

# (header, width) after the importable columns: computed, the import reads past them.
EXTRA = (("人员审查", 9), ("审查有效期至", 12), ("保安员证状态", 14), ("离岗日期", 12))
HEADERS = [c.header for c in COLUMNS] + [h for h, _w in EXTRA]
WIDTHS = [c.width for c in COLUMNS] + [w for _h, w in EXTRA]
HEADER_ROW = 3  # below the title and the stamp
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STANDING_LABELS = dict(Standing.choices)
WRAP = Alignment(vertical="top", wrap_text=True)  # a long company name wraps in its column
LINE_HEIGHT = 15  # points, one line of the default 11pt font
WIDE = ("W", "F")  # East Asian wide characters take about 1.75 column units


def _lines(value, width: float) -> int:
    """How many lines `value` wraps to in a column `width` units wide (an estimate on the safe
    side: LibreOffice does not fit row heights when it opens an .xlsx, so the file says them)."""
    text = "" if value is None else str(value)
    used = sum(1.75 if unicodedata.east_asian_width(ch) in WIDE else 1.0 for ch in text)
    return max(1, math.ceil(used / (width - 0.7)))


def _fit_height(ws, row: int, values: list) -> None:
    lines = max(_lines(v, w) for v, w in zip(values, WIDTHS, strict=True))
    if lines > 1:
        ws.row_dimensions[row].height = LINE_HEIGHT * lines


def _row(member: StaffMember, today: dt.date) -> list:
    """One person of a queryset annotated `with_standing`; dates as the pages show them."""
    guard = member.role in GUARD_ROLES
    return [
        member.school.name,
        member.name,
        mask_id(member.plain("id_number")),
        member.get_role_display(),
        member.get_employer_display(),
        member.company,
        member.contract,
        cn_date(member.contract_until),
        cn_date(member.started_on),
        member.licence_number if guard else "",
        member.licence_authority if guard else "",
        cn_date(member.licence_issued_on) if guard else "",
        (cn_date(member.licence_valid_until) or "长期") if guard and member.licence_number else "",
        cn_date(member.pretraining_on) if guard else "",
        member.pretraining_hours if guard else None,
        STANDING_LABELS.get(member.standing, ""),  # type: ignore[attr-defined]
        cn_date(member.check_until),  # type: ignore[attr-defined]
        licence_status(member, today)[0] if guard else "",
        cn_date(member.left_on),
    ]


def write_register(
    members, out: IO[bytes], *, stamp: str, today: dt.date, places: set[str] | None = None
) -> int:
    """Write `members` (`selectors.register`'s queryset) to `out`: a title row, the stamp row
    (who and when), the header row, one row per person; returns the number of people and adds
    their schools' region paths to `places`."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_TITLE)
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    # A streaming sheet writes its properties, panes and columns with the first row: set first.
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.left.text = neutralise(stamp)[:120]
    ws.oddFooter.right.text = "第 &P 页 共 &N 页"
    title = WriteOnlyCell(ws, value="教职员工与保卫人员登记表")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append([WriteOnlyCell(ws, value=neutralise(stamp))])
    headers = []
    for header in HEADERS:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        headers.append(cell)
    _fit_height(ws, HEADER_ROW, HEADERS)
    ws.append(headers)
    count = 0
    for member in members.select_related("school__region").iterator(chunk_size=500):
        values = [neutralise(value) for value in _row(member, today)]
        _fit_height(ws, HEADER_ROW + count + 1, values)  # before the row is written
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws, value=value)
            cell.alignment = WRAP
            cells.append(cell)
        ws.append(cells)
        count += 1
        if places is not None:
            places.add(member.school.region.path)
    wb.save(out)
    return count


def _unit(user) -> Organisation | None:
    """The unit the export is made for: the school the user keeps, else their 学区."""
    scope = scope_of(user)
    ids = scope.org_ids(Cap.STAFF_MANAGE, kinds=SCHOOL_KINDS) or scope.org_ids(
        Cap.STAFF_DECIDE, kinds=DISTRICT_KINDS
    )
    return Organisation.objects.select_related("region").filter(pk__in=ids).order_by("pk").first()


def export_register(*, acting_user, members, out: IO[bytes]) -> int:
    """Write the register the user reads (`members`, already filtered by the page) to `out`
    and record the export once the file exists. Only the school and its 学区 may."""
    if not access.sees_register(acting_user):
        raise PermissionDenied("只有学校和学区可以导出教职员工登记。")
    unit = _unit(acting_user)
    now = timezone.localtime()
    who = acting_user.get_full_name() or acting_user.username
    stamp = (
        f"导出单位：{unit.name if unit else who}    导出人：{who}    导出时间：{cn_datetime(now)}    "
        "身份证号已打码；本表含个人信息，仅限工作使用，严禁外传。"
    )
    places: set[str] = set()
    rows = write_register(members, out, stamp=stamp, today=now.date(), places=places)
    region_path = common_region_path(places) if places else (unit.region.path if unit else "")
    record_export(
        actor=acting_user,
        action=EXPORT_ACTION,
        object_repr=f"教职员工登记导出 {rows} 人",
        rows=rows,
        organisation=unit,
        region_path=region_path,
    )
    return rows


def filename(today: dt.date) -> str:
    return f"教职员工登记_{today:%Y%m%d}.xlsx"
