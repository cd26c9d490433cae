"""The 三防达标表 of a school: `.docx` (official layout: A4 landscape, 宋体 title, 仿宋 body,
a bordered table, signature lines) and `.xlsx` (openpyxl, every text cell neutralised).

Built here with python-docx rather than through `reports.render_docx`: the reports app sits
above the domain apps (DESIGN §3) and its builder knows only the notice family of documents.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from huxiao.core import audit
from huxiao.lib.dates import cn_date
from huxiao.lib.spreadsheet import neutralise
from huxiao.standards.choices import Severity, Status
from huxiao.standards.engine import actual_text, citation_text

TITLE = "学校（幼儿园）三防建设达标情况表"
HEADERS = ["序号", "类别", "项目", "要求", "实际情况", "达标情况", "依据"]
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FANGSONG, SONG, HEITI, LATIN = "仿宋", "宋体", "黑体", "Times New Roman"


def verdict(row: dict[str, Any]) -> str:
    """达标 / 未达标 / 建议改进（宜） / 无法判定（缺数据）."""
    if row["status"] == Status.PASS:
        return "达标"
    if row["status"] == Status.UNKNOWN:
        return "无法判定（数据缺失）"
    return "未达标" if row["severity"] == Severity.SHALL else "建议改进（宜）"


def _fonts(run, east_asia: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = LATIN
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _para(doc_or_cell, text: str, *, font=FANGSONG, size=12.0, bold=False, align=None, after=0.0):
    p = doc_or_cell.add_paragraph()
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(after)
    _fonts(p.add_run(text), font, size, bold)
    return p


def _cell(cell, text: str, *, bold: bool = False, size: float = 10.5, center: bool = False) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(p.add_run(text), HEITI if bold else FANGSONG, size, bold)


def _summary(rows) -> str:
    shall = [r for r in rows if r["severity"] == Severity.SHALL]
    passed = sum(r["status"] == Status.PASS for r in shall)
    failed = sum(r["status"] == Status.FAIL for r in shall)
    unknown = sum(r["status"] == Status.UNKNOWN for r in shall)
    advice = sum(r["status"] == Status.FAIL for r in rows if r["severity"] == Severity.SHOULD)
    return f"应达标项目{len(shall)}项：达标{passed}项，未达标{failed}项，无法判定{unknown}项；建议改进（宜）{advice}项。"


def _profile_label(evaluation) -> str:
    return f"第{evaluation.profile_version}版" if evaluation.profile_version else "未填报"


def school_docx(school, evaluation) -> bytes:
    rows = evaluation.results
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(20)
    doc.core_properties.title = f"{school.name}{TITLE}"
    doc.core_properties.author = "护校安园平台"
    _para(doc, TITLE, font=SONG, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    _para(
        doc,
        f"学校（幼儿园）：{school.name}（{school.get_school_type_display()}"
        f"{'，寄宿制' if school.is_boarding else ''}；学生{school.students}人，教职工{school.staff}人）",
        size=14,
    )
    _para(
        doc,
        f"评估日期：{cn_date(evaluation.as_of)}　　三防档案：{_profile_label(evaluation)}",
        size=14,
        after=6,
    )
    table = doc.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Mm(12), Mm(16), Mm(38), Mm(55), Mm(48), Mm(24), Mm(64)]
    for i, title in enumerate(HEADERS):
        _cell(table.rows[0].cells[i], title, bold=True, center=True)
    for n, row in enumerate(rows, 1):
        cells = table.add_row().cells
        values = [
            str(n),
            row["category_label"],
            f"{row['title']}（{'应' if row['severity'] == Severity.SHALL else '宜'}）",
            row["expected"],
            actual_text(row),
            verdict(row),
            citation_text(row) + ("（待核实原文）" if row.get("confidence") == "low" else ""),
        ]
        for i, value in enumerate(values):
            _cell(cells[i], value, center=i in (0, 1, 5))
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            cell.width = widths[i]
    _para(doc, "", after=0)
    _para(doc, "汇总：" + _summary(rows), size=12, after=12)
    _para(
        doc,
        "学校负责人（签字）：＿＿＿＿＿＿　　　填表人（签字）：＿＿＿＿＿＿　　　检查人员（签字）：＿＿＿＿＿＿",
        size=14,
        after=12,
    )
    _para(doc, "（学校盖章）　　　　　　　　　　年　　月　　日", size=14, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def school_xlsx(school, evaluation) -> bytes:
    rows = evaluation.results
    wb = Workbook()
    ws = wb.active
    ws.title = "三防达标表"
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(
        [
            neutralise(f"学校（幼儿园）：{school.name}"),
            None,
            None,
            neutralise(f"评估日期：{cn_date(evaluation.as_of)}"),
        ]
    )
    ws.append(HEADERS)
    for cell in ws[3]:
        cell.font = Font(name="黑体", bold=True)
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for n, row in enumerate(rows, 1):
        ws.append(
            [
                n,
                neutralise(row["category_label"]),
                neutralise(f"{row['title']}（{'应' if row['severity'] == Severity.SHALL else '宜'}）"),
                neutralise(row["expected"]),
                neutralise(actual_text(row)),
                neutralise(verdict(row)),
                neutralise(citation_text(row) + ("（待核实原文）" if row.get("confidence") == "low" else "")),
            ]
        )
        for cell in ws[ws.max_row]:
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.append([])
    ws.append([neutralise("汇总：" + _summary(rows))])
    ws.append(
        [
            neutralise("学校负责人（签字）："),
            None,
            neutralise("填表人（签字）："),
            None,
            neutralise("检查人员（签字）："),
        ]
    )
    for i, width in enumerate([6, 8, 22, 36, 30, 14, 50], 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "3:3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_school_table(acting_user, school, evaluation, fmt: str) -> tuple[bytes, str, str]:
    """The 三防达标表 of `school` as of `evaluation` in `fmt` ("docx" or "xlsx"), its content type
    and file name — recorded in the audit log once it is produced."""
    if fmt == "docx":
        data, ctype = school_docx(school, evaluation), DOCX_CONTENT_TYPE
    else:
        data, ctype = school_xlsx(school, evaluation), XLSX_CONTENT_TYPE
    audit.record_export(
        actor=acting_user,
        action="standards.export",
        obj=school,
        after={"format": fmt, "evaluation": evaluation.pk},
        region_path=school.region.path,
        object_repr=f"{school.name} 三防达标表（{fmt}）",
    )
    name = f"{school.name}三防达标表{cn_date(evaluation.as_of)}.{fmt}".replace("/", "-")
    return data, ctype, name
