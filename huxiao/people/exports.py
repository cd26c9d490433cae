"""The station's own register as .xlsx — only for the responsible 派出所, audited, and the file
names who took it and when on every printed page (a copy found on a desk says whose it was)."""

from __future__ import annotations

from typing import IO

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.properties import PageSetupProperties

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.audit import record_export
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organisation
from huxiao.lib.dates import cn_date, cn_datetime
from huxiao.lib.spreadsheet import neutralise

COLUMNS = (
    ("编号", 14),
    ("姓名", 10),
    ("身份证号", 21),
    ("联系电话", 14),
    ("住址", 30),
    ("类别", 20),
    ("风险等级", 8),
    ("状态", 8),
    ("责任民警", 10),
    ("监护人/帮扶责任人", 22),
    ("列管日期", 13),
    ("下次走访核查", 13),
)


def export_persons(*, acting_user, rows, out: IO[bytes]) -> int:
    """Write the live persons of the user's own stations among `rows` to `out`; audited once the
    file exists. Only PEOPLE_MANAGE in a 派出所 may export."""
    own = scope_of(acting_user).org_ids(Cap.PEOPLE_MANAGE, kind=OrgKind.POLICE_STATION)
    if not own:
        raise PermissionDenied("只有派出所可以导出本所的重点人员登记。")
    now = timezone.localtime()
    who = acting_user.get_full_name() or acting_user.username
    stamp = (
        f"导出人：{who}    导出时间：{cn_datetime(now)}    本表含敏感个人信息，仅限本所工作使用，严禁外传。"
    )
    wb = Workbook()
    ws = wb.active
    ws.title = "重点人员登记"
    ws.append(["重点人员登记表"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([stamp])
    ws.append([c for c, _w in COLUMNS])
    for i, (_c, width) in enumerate(COLUMNS):
        letter = chr(ord("A") + i)
        ws.column_dimensions[letter].width = width
        ws[f"{letter}3"].font = Font(bold=True)
        ws[f"{letter}3"].alignment = Alignment(horizontal="center", wrap_text=True)
    count = 0
    qs = rows.filter(station__in=own)
    for person in qs.order_by("review_due", "pk").iterator(chunk_size=200):
        ws.append(
            [
                neutralise(v)
                for v in (
                    person.code,
                    person.plain("name"),
                    person.plain("id_number"),
                    person.plain("phone"),
                    person.plain("address"),
                    person.category.name,
                    person.get_risk_display(),
                    person.get_status_display(),
                    person.officer.get_full_name() or person.officer.username,
                    person.plain("guardian"),
                    cn_date(person.listed_on),
                    cn_date(person.review_due),
                )
            ]
        )
        count += 1
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "3:3"
    ws.oddFooter.left.text = stamp[:120]
    ws.oddFooter.right.text = "第 &P 页 共 &N 页"
    wb.save(out)
    record_export(
        actor=acting_user,
        action="people.export",
        object_repr=f"重点人员登记（{count}人）",
        rows=count,
        organisation=Organisation.objects.get(pk=own[0]),
    )
    return count


def filename() -> str:
    return f"重点人员登记_{timezone.localdate():%Y%m%d}.xlsx"
