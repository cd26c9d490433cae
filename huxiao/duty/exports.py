"""护学岗执勤记录表 (.xlsx): a region's duty records of one month, for the 派出所, 学区 and 平安办 to
file or hand on — written in streaming mode (openpyxl write-only), every text cell neutralised,
one audit event per export. Up to `ROW_LIMIT` rows a file: a larger region is exported one
sub-region at a time (the coverage page drills down)."""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.db.models import Case, Count, Max, Min, QuerySet, Value, When
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from huxiao.core import audit
from huxiao.core.models import Region
from huxiao.duty.models import DutyRecord
from huxiao.duty.staffing import annotate_minimums, meets_q, minimums_by_region
from huxiao.lib.dates import cn_date
from huxiao.lib.spreadsheet import neutralise
from huxiao.schools.models import School

ROW_LIMIT = 20_000
WEEKDAYS = "一二三四五六日"
COLUMNS = [
    ("日期", 14),
    ("星期", 6),
    ("学校", 24),
    ("岗位", 10),
    ("时段", 8),
    ("责任派出所", 18),
    ("民警", 6),
    ("辅警", 6),
    ("保安", 6),
    ("教师", 6),
    ("家长志愿者", 10),
    ("警车台次", 8),
    ("签到人数", 8),
    ("首次签到", 8),
    ("最后签退", 8),
    ("是否达标", 8),
    ("补录", 6),
    ("补录原因", 24),
    ("执勤情况", 30),
    ("发现的问题、处置的警情", 30),
]


def records(schools: QuerySet[School], start: dt.date, end: dt.date) -> QuerySet[DutyRecord]:
    """The records dated in [start, end] at `schools` (already scoped), with whether each met
    its resolved minimums and its check-ins' count and times, in date, school, post, period order."""
    qs = DutyRecord.objects.filter(post__school__in=schools, date__gte=start, date__lte=end)
    qs = annotate_minimums(qs, minimums_by_region(schools))
    return (
        qs.annotate(
            meets=Case(When(meets_q(), then=Value(True)), default=Value(False)),
            people=Count("checkins"),
            first_in=Min("checkins__checked_in_at"),
            last_out=Max("checkins__checked_out_at"),
        )
        .select_related("post__school", "post__police_station", "period")
        .order_by("date", "post__school__name", "post__name", "period__start", "pk")
    )


def _time(value) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%H:%M") if value else ""


def _row(r) -> list:
    return [
        cn_date(r.date),
        WEEKDAYS[r.date.weekday()],
        r.post.school.name,
        r.post.name,
        r.period.get_kind_display(),
        r.post.police_station.name if r.post.police_station else "",
        r.police,
        r.aux_police,
        r.guards,
        r.teachers,
        r.volunteers,
        r.cars,
        r.people,
        _time(r.first_in),
        _time(r.last_out),
        "达标" if r.meets else "不足",
        "是" if r.is_backfilled else "",
        r.backfill_reason,
        r.notes,
        r.incidents,
    ]


def write_records(
    rows: QuerySet, out: IO[bytes], *, region: Region, start: dt.date, end: dt.date, unit: str
) -> int:
    """Title, region/period/unit line, header, one row per record; returns the number of rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("护学岗执勤记录")
    for i, (_header, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    title = WriteOnlyCell(ws, value="护学岗执勤记录表")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    line = f"区划：{region.name}    期间：{cn_date(start)}至{cn_date(end)}    导出单位：{unit}"
    ws.append([WriteOnlyCell(ws, value=neutralise(line))])
    headers = []
    for header, _width in COLUMNS:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        headers.append(cell)
    ws.append(headers)
    n = 0
    for record in rows.iterator(chunk_size=2000):
        ws.append([neutralise(v) for v in _row(record)])
        n += 1
    ws.append([])
    ws.append([neutralise("填表人：              审核人：              （单位盖章）")])
    wb.save(out)
    return n


def record_export(
    user, *, region: Region, start: dt.date, end: dt.date, rows: QuerySet, out: IO[bytes], unit: str
) -> int:
    """Write the file and record who exported how many rows of which region and month."""
    n = write_records(rows, out, region=region, start=start, end=end, unit=unit)
    audit.record_export(
        actor=user,
        action="duty.export",
        rows=n,
        after={"region": region.path, "start": start.isoformat(), "end": end.isoformat()},
        region_path=region.path,
        object_repr=f"护学岗执勤记录导出 {region.name} {start:%Y年%m月} {n} 条",
    )
    return n
