"""The hazard register (隐患台账) as .xlsx, written in streaming mode, and its download with audit
(the same pattern as schools/exports.py + downloads.py)."""

from __future__ import annotations

import tempfile
from typing import IO, Any

from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from huxiao.core import audit
from huxiao.hazards.models import RectificationNotice
from huxiao.lib.dates import cn_date, cn_datetime
from huxiao.lib.spreadsheet import neutralise

# (header, column width)
COLUMNS = [
    ("编号", 15),
    ("学校", 22),
    ("隐患名称", 30),
    ("类别", 10),
    ("等级", 8),
    ("来源", 10),
    ("发现日期", 14),
    ("发现单位", 20),
    ("责任单位", 20),
    ("整改期限", 14),
    ("状态", 10),
    ("是否逾期", 9),
    ("督办等级", 10),
    ("通知书文号", 28),
    ("销号时间", 18),
]
HEADERS = [header for header, _ in COLUMNS]
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _row(hazard: Any) -> list:
    """One register row of a hazard annotated by `write_register` (flags, prefetched notices)."""
    notices = "、".join(n.number for n in hazard.notice_list)
    return [
        hazard.code,
        hazard.school.name,
        hazard.title,
        hazard.get_category_display(),
        hazard.get_severity_display(),
        hazard.get_source_display(),
        cn_date(hazard.found_on),
        hazard.found_by_org.name if hazard.found_by_org else "",
        hazard.responsible_org.name,
        cn_date(hazard.deadline),
        hazard.get_state_display(),
        "是" if hazard.is_overdue else "否",
        hazard.get_escalation_display(),
        notices,
        cn_datetime(hazard.closed_at),
    ]


def write_register(hazards, out: IO[bytes], *, unit: str, today) -> int:
    """Write `hazards` (a queryset) to `out`: a title row, a unit/date row, the header row, one
    row per hazard with every text cell neutralised; returns the number of hazard rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("隐患台账")
    for i, (_header, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    title = WriteOnlyCell(ws, value="安全隐患排查整治台账")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append([WriteOnlyCell(ws, value=neutralise(f"填报单位：{unit}    导出日期：{cn_date(today)}"))])
    headers = []
    for header in HEADERS:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        headers.append(cell)
    ws.append(headers)
    qs = (
        hazards.with_flags(today)
        .select_related("school", "found_by_org", "responsible_org")
        .prefetch_related(
            Prefetch(
                "notices", queryset=RectificationNotice.objects.order_by("issued_at"), to_attr="notice_list"
            )
        )
        .order_by("school__name", "found_on", "pk")
    )
    count = 0
    for hazard in qs.iterator(chunk_size=1000):
        ws.append([neutralise(value) for value in _row(hazard)])
        count += 1
    wb.save(out)
    return count


def register_download(user, hazards) -> FileResponse:
    """Stream the register as an attachment and record who exported how many rows."""
    today = timezone.localdate()
    unit = "、".join(
        sorted({m.organisation.name for m in user.memberships.active().select_related("organisation")})
    )
    tmp = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (closed by FileResponse)
    rows = write_register(hazards, tmp, unit=unit or str(user), today=today)
    with transaction.atomic():
        audit.record(
            actor=user, action="hazard.export", after={"rows": rows}, object_repr=f"隐患台账导出 {rows} 条"
        )
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=f"隐患台账_{today:%Y%m%d}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
