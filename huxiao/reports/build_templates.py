"""Builds the built-in Word templates in `docx_templates/<kind>.docx` (python-docx).

The layout follows the spirit of GB/T 9704-2012 (党政机关公文格式): A4, margins 37/35/28/26 mm,
the issuing organisation's name centred in red (红头), the document number centred beneath it,
a red rule, a 小标宋-like bold title, 三号 仿宋 body at a fixed 28 pt line, the issuer and the
date (2026年11月29日) right-aligned, page numbers as "— 1 —". Fields are docxtpl (Jinja)
tags; `reports.samples` holds one sample context per kind, and `documents.render_docx`
fills them.

Run it after changing the layout and commit the .docx files it writes:

    .venv/bin/python -m huxiao.reports.build_templates

An administrator may replace any of these files (reports:template-list); this script keeps
the built-in layout reproducible.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

OUT_DIR = Path(__file__).parent / "docx_templates"

FANGSONG = "仿宋"  # 正文 (Word maps it to FangSong)
SONG = "宋体"  # titles: the portable stand-in for 方正小标宋
HEITI = "黑体"  # 一级标题 in the dossier
KAITI = "楷体"
LATIN = "Times New Roman"
RED = RGBColor(0xE6, 0x00, 0x12)  # the red of 红头 and the rule

ER_HAO = 22  # 二号 — titles
SAN_HAO = 16  # 三号 — body
SI_HAO = 14  # 四号 — tables, page numbers
XIAO_SI = 12  # 小四 — dense tables
LINE = 28  # fixed line pitch of the body (22 lines a page)
TEXT_WIDTH_MM = 156  # 210 − 28 − 26

CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

LEGAL_BASIS_HINT = "{{ legal_basis }}"


# --- Low-level helpers ---------------------------------------------------------------------


def _set_fonts(rpr_parent, east_asia: str) -> None:
    """Name the Latin and the East Asian font (w:rFonts ascii/hAnsi/cs and w:eastAsia)."""
    rpr = rpr_parent.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr, value in (("w:ascii", LATIN), ("w:hAnsi", LATIN), ("w:cs", LATIN), ("w:eastAsia", east_asia)):
        rfonts.set(qn(attr), value)


def run(
    p: Paragraph,
    text: str,
    *,
    font: str = FANGSONG,
    size: float = SAN_HAO,
    bold: bool = False,
    color: RGBColor | None = None,
    spacing: float | None = None,
):
    r = p.add_run(text)
    _set_fonts(r._element, font)
    r.font.size = Pt(size)
    r.font.bold = bold
    if color is not None:
        r.font.color.rgb = color
    if spacing is not None:  # character spacing, for a spaced-out 红头
        rpr = r._element.get_or_add_rPr()
        sp = OxmlElement("w:spacing")
        sp.set(qn("w:val"), str(int(spacing * 20)))
        rpr.append(sp)
    return r


def para(
    container,
    text: str = "",
    *,
    font: str = FANGSONG,
    size: float = SAN_HAO,
    bold: bool = False,
    color: RGBColor | None = None,
    align=JUSTIFY,
    indent: bool = True,
    line: float | None = LINE,
    before: float = 0,
    after: float = 0,
    right_indent_chars: float = 0,
) -> Paragraph:
    """A paragraph; `indent` gives the 2-character first-line indent of the body text."""
    p = container.add_paragraph()
    fmt = p.paragraph_format
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    p.alignment = align
    if indent:
        fmt.first_line_indent = Pt(size * 2)
        p._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    if right_indent_chars:
        fmt.right_indent = Pt(size * right_indent_chars)
    if text:
        run(p, text, font=font, size=size, bold=bold, color=color)
    return p


def tag(container, text: str) -> Paragraph:
    """A paragraph holding only a docxtpl paragraph tag ({%p … %}); docxtpl removes it."""
    return para(container, text, indent=False, size=XIAO_SI, line=None)


def rule(doc: DocumentObject, *, color: str = "E60012", size_eighths: int = 18, before: float = 4) -> None:
    """The red separating rule under the 文号: an empty paragraph with a bottom border."""
    p = para(doc, indent=False, line=None, before=before, after=0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.line_spacing = Pt(6)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, value in (
        ("w:val", "single"),
        ("w:sz", str(size_eighths)),
        ("w:space", "1"),
        ("w:color", color),
    ):
        bottom.set(qn(attr), value)
    borders.append(bottom)
    ppr.append(borders)


def cell_text(
    cell,
    text: str,
    *,
    bold: bool = False,
    align=CENTER,
    size: float = XIAO_SI,
    font: str = FANGSONG,
    first: bool = True,
) -> Paragraph:
    """Write `text` into a table cell (its first paragraph, or a new one with `first=False`)."""
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = fmt.space_after = Pt(2)
    p.alignment = align
    if text:
        run(p, text, bold=bold, size=size, font=font)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return p


def table(doc: DocumentObject, widths_mm: Sequence[float], rows: int) -> Table:
    t = doc.add_table(rows=rows, cols=len(widths_mm))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for row in t.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    # LibreOffice and WPS lay out by the grid, Word by the cells: set both.
    for col, width in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    return t


def repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def loop_table(
    doc: DocumentObject,
    widths_mm: Sequence[float],
    headers: Sequence[str],
    loop: str,
    cells: Sequence[str],
    *,
    size: float = XIAO_SI,
    aligns: Sequence | None = None,
) -> Table:
    """A table with a header row and one docxtpl row loop: `{%tr for … %}` / data / `{%tr endfor %}`."""
    t = table(doc, widths_mm, 4)
    for cell, text in zip(t.rows[0].cells, headers, strict=True):
        cell_text(cell, text, bold=True, size=size)
    repeat_header(t.rows[0])
    cell_text(t.rows[1].cells[0], "{%tr " + loop + " %}", size=size)
    for i, (cell, text) in enumerate(zip(t.rows[2].cells, cells, strict=True)):
        cell_text(cell, text, size=size, align=aligns[i] if aligns else CENTER)
    cell_text(t.rows[3].cells[0], "{%tr endfor %}", size=size)
    return t


def key_value_table(
    doc: DocumentObject, pairs: Sequence[tuple[str, str]], *, widths_mm=(34, 122), size: float = SI_HAO
) -> Table:
    """Two columns: a bold label and a value (values may hold several lines)."""
    t = table(doc, widths_mm, len(pairs))
    for row, (label, value) in zip(t.rows, pairs, strict=True):
        cell_text(row.cells[0], label, bold=True, size=size)
        cell_text(row.cells[1], value, size=size, align=LEFT)
    return t


def new_document(title: str) -> DocumentObject:
    """An empty A4 document with GB/T 9704 margins, 仿宋 三号 as the Normal style and a page number."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(18)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(SAN_HAO)
    normal.font.name = LATIN
    _set_fonts(normal.element, FANGSONG)
    # The default document opens with no paragraph; python-docx's template has none to remove.
    footer = section.footer.paragraphs[0]
    footer.alignment = CENTER
    run(footer, "— ", font=SONG, size=SI_HAO)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    field.append(r)
    footer._p.append(field)
    run(footer, " —", font=SONG, size=SI_HAO)
    props = doc.core_properties
    props.title, props.author, props.comments = title, "护校安园平台", "由护校安园平台根据模板生成"
    return doc


def red_head(doc: DocumentObject) -> None:
    """红头: the issuer's name in red, the 文号 centred under it, then the red rule."""
    para(
        doc,
        "{{ issuer_name }}",
        font=SONG,
        size=30,
        bold=True,
        color=RED,
        align=CENTER,
        indent=False,
        line=None,
        before=12,
        after=18,
    )
    para(doc, "{{ number }}", align=CENTER, indent=False)
    rule(doc)


def title(doc: DocumentObject, text: str) -> None:
    para(doc, indent=False, line=LINE)
    para(doc, text, font=SONG, size=ER_HAO, bold=True, align=CENTER, indent=False, line=36, after=6)
    para(doc, indent=False, line=LINE)


def signature(
    doc: DocumentObject, *, issuer: str = "{{ issuer_name }}", date: str = "{{ issue_date }}"
) -> None:
    """发文机关署名 and 成文日期, right-aligned two characters in from the margin."""
    para(doc, indent=False)
    para(doc, issuer, align=RIGHT, indent=False, right_indent_chars=2)
    para(doc, date, align=RIGHT, indent=False, right_indent_chars=2)


def receipt(doc: DocumentObject) -> None:
    """签收栏: who at the school signed for the document, and when."""
    para(doc, indent=False)
    p = para(doc, "签  收  回  执", font=HEITI, size=SI_HAO, align=CENTER, indent=False, line=None, before=6)
    p.paragraph_format.keep_with_next = True
    t = table(doc, (26, 48, 26, 56), 2)
    cell_text(t.rows[0].cells[0], "签收单位", bold=True, size=SI_HAO)
    merged = t.rows[0].cells[1].merge(t.rows[0].cells[3])
    cell_text(merged, "{{ school_name }}", size=SI_HAO, align=LEFT)
    cell_text(t.rows[1].cells[0], "签收人", bold=True, size=SI_HAO)
    cell_text(t.rows[1].cells[1], "{{ signed_by }}", size=SI_HAO)
    cell_text(t.rows[1].cells[2], "签收时间", bold=True, size=SI_HAO)
    cell_text(t.rows[1].cells[3], "{{ signed_at }}", size=SI_HAO)
    for row in t.rows:
        row.height = Mm(12)


# --- The documents -------------------------------------------------------------------------


def build_notice() -> DocumentObject:
    """限期整改通知书: to one school, for its hazards, with a deadline; signed for by the school."""
    doc = new_document("限期整改通知书")
    red_head(doc)
    title(doc, "限期整改通知书")
    para(doc, "{{ school_name }}：", indent=False)
    para(doc, "经检查，你单位存在下列安全隐患（共{{ hazard_count }}项）：")
    loop_table(
        doc,
        (12, 46, 28, 46, 24),
        ("序号", "隐患", "位置", "整改要求", "期限"),
        "for h in hazards",
        ("{{ h.no }}", "{{ h.title }}", "{{ h.location }}", "{{ h.requirement }}", "{{ h.deadline }}"),
        aligns=(CENTER, LEFT, LEFT, LEFT, CENTER),
    )
    para(doc, indent=False, line=12)
    tag(doc, "{%p if requirements %}")
    para(doc, "整改要求：{{ requirements }}")
    tag(doc, "{%p endif %}")
    para(
        doc,
        "请你单位高度重视，落实整改责任，于{{ deadline }}前整改完毕，并将整改情况书面报告{{ issuer_name }}。"
        "整改期间须采取有效的临时防护措施，确保师生安全。逾期未整改的，将依照有关规定予以督办、约谈直至挂牌督办。",
    )
    para(doc, "依据" + LEGAL_BASIS_HINT + "等有关规定，特此通知。")
    signature(doc)
    receipt(doc)
    return doc


def _hazard_facts(doc: DocumentObject) -> None:
    key_value_table(
        doc,
        [
            ("隐患名称", "{{ hazard_title }}"),
            ("隐患编号", "{{ hazard_code }}"),
            ("校内位置", "{{ location }}"),
            ("隐患等级", "{{ severity }}"),
            ("发现日期", "{{ found_on }}"),
            ("整改通知书", "{{ notice_numbers }}"),
            ("原整改期限", "{{ original_deadline }}"),
            ("逾期情况", "截至{{ issue_date }}逾期{{ overdue_days }}个工作日"),
        ],
    )


def build_supervision() -> DocumentObject:
    """督办通知书: the first rung of the overdue ladder."""
    doc = new_document("督办通知书")
    red_head(doc)
    title(doc, "督办通知书")
    para(doc, "{{ school_name }}：", indent=False)
    para(
        doc,
        "你单位“{{ hazard_title }}”隐患（编号{{ hazard_code }}）应于{{ original_deadline }}前整改完毕，"
        "截至{{ issue_date }}已逾期{{ overdue_days }}个工作日，仍未整改销号。"
        "依据" + LEGAL_BASIS_HINT + "等有关规定，现对该隐患予以督办。",
    )
    para(
        doc,
        "请你单位接到本通知后立即落实整改责任，采取有效的临时防护措施，尽快整改完毕，"
        "并将整改情况书面报送{{ issuer_name }}。逾期仍未整改的，将约谈你单位主要负责人。",
    )
    para(doc, "隐患情况如下：")
    _hazard_facts(doc)
    signature(doc)
    receipt(doc)
    return doc


def build_listing() -> DocumentObject:
    """挂牌督办通知: the top rung; the hazard stays listed until accepted and closed."""
    doc = new_document("挂牌督办通知")
    red_head(doc)
    title(doc, "挂牌督办通知")
    para(doc, "{{ school_name }}：", indent=False)
    para(
        doc,
        "你单位“{{ hazard_title }}”隐患（编号{{ hazard_code }}）应于{{ original_deadline }}前整改完毕，"
        "截至{{ issue_date }}已逾期{{ overdue_days }}个工作日{{ prior_steps }}，仍未整改销号。"
        "依据" + LEGAL_BASIS_HINT + "等有关规定，决定对该隐患实行挂牌督办。",
    )
    para(
        doc,
        "挂牌督办期间，你单位主要负责人为整改第一责任人，须制定整改方案，明确责任人、措施、资金和时限，"
        "落实临时防护措施；整改完成后向{{ issuer_name }}申请验收，经验收合格销号后摘牌。"
        "整改进展情况每周书面报送一次。",
    )
    para(doc, "隐患情况如下：")
    _hazard_facts(doc)
    signature(doc)
    receipt(doc)
    return doc


def build_interview() -> DocumentObject:
    """约谈记录: who attended and what was said (blank lines until recorded)."""
    doc = new_document("约谈记录")
    para(doc, indent=False)
    para(doc, "约谈记录", font=SONG, size=ER_HAO, bold=True, align=CENTER, indent=False, line=36)
    para(doc, "{{ number }}", align=CENTER, indent=False)
    para(doc, indent=False, line=14)
    key_value_table(
        doc,
        [
            ("约谈单位", "{{ issuer_name }}"),
            ("被约谈单位", "{{ school_name }}"),
            (
                "约谈事由",
                "“{{ hazard_title }}”隐患（编号{{ hazard_code }}，{{ location }}）逾期{{ overdue_days }}个工作日未整改销号{{ prior_steps }}",
            ),
            ("约谈时间", "{{ interview_date }}"),
            ("参加人员", "{{ attendees }}"),
            ("约谈内容", "{{ minutes }}"),
            ("记录人", "{{ recorded_by }}"),
        ],
    )
    para(doc, indent=False)
    para(doc, "约谈人（签字）：________________", align=LEFT, indent=False)
    para(doc, "被约谈人（签字）：________________", align=LEFT, indent=False)
    signature(doc, date="{{ issue_date }}")
    return doc


def heading(doc: DocumentObject, text: str) -> None:
    """一级标题 of the dossier (黑体), kept on the page of what follows it."""
    p = para(doc, text, font=HEITI, indent=False, before=6)
    p.paragraph_format.keep_with_next = True


def build_dossier() -> DocumentObject:
    """隐患整改档案: the facts, the notices and rungs, before/after photos, acceptance, the timeline."""
    doc = new_document("隐患整改档案")
    para(doc, indent=False)
    para(doc, "隐患整改档案", font=SONG, size=ER_HAO, bold=True, align=CENTER, indent=False, line=36)
    para(doc, "{{ hazard_code }}", align=CENTER, indent=False)
    rule(doc, color="000000", size_eighths=8)
    heading(doc, "一、隐患基本情况")
    t = table(doc, (26, 52, 26, 52), 8)
    rows = [
        ("学校", "{{ school_name }}", "隐患编号", "{{ hazard_code }}"),
        ("隐患名称", "{{ hazard_title }}", "校内位置", "{{ location }}"),
        ("类别", "{{ category }}", "等级", "{{ severity }}"),
        ("来源", "{{ source }}", "发现日期", "{{ found_on }}"),
        ("发现单位", "{{ found_by_org }}", "发现人", "{{ found_by }}"),
        ("责任单位", "{{ responsible_org }}", "责任人", "{{ responsible_person }}"),
        ("整改期限", "{{ deadline }}", "当前状态", "{{ state }}（{{ escalation }}）"),
    ]
    for row, values in zip(t.rows, rows, strict=False):
        for i, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            cell_text(cell, text, bold=i % 2 == 0, align=CENTER if i % 2 == 0 else LEFT)
    last = t.rows[7]
    cell_text(last.cells[0], "隐患描述", bold=True)
    merged = last.cells[1].merge(last.cells[3])
    cell_text(merged, "{{ description }}", align=LEFT)
    para(doc, indent=False, line=12)
    tag(doc, "{%p if temp_measures %}")
    para(doc, "临时防护措施：{{ temp_measures }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if measures %}")
    para(doc, "整改措施：{{ measures }}")
    tag(doc, "{%p endif %}")

    heading(doc, "二、整改通知与督办")
    tag(doc, "{%p if documents %}")
    loop_table(
        doc,
        (36, 56, 32, 32),
        ("文书", "文号", "日期", "签收 / 摘牌"),
        "for d in documents",
        ("{{ d.kind }}", "{{ d.number }}", "{{ d.date }}", "{{ d.state }}"),
    )
    tag(doc, "{%p else %}")
    para(doc, "未下发整改通知书，未经督办。")
    tag(doc, "{%p endif %}")

    heading(doc, "三、整改前后照片")
    tag(doc, "{%p if photo_rows %}")
    loop_table(
        doc,
        (78, 78),
        ("整改前", "整改后"),
        "for row in photo_rows",
        ("{{ row.before }}", "{{ row.after }}"),
    )
    # a caption line under each photo, in the same cells
    data_row = doc.tables[-1].rows[2]
    cell_text(data_row.cells[0], "{{ row.before_caption }}", size=10.5, first=False)
    cell_text(data_row.cells[1], "{{ row.after_caption }}", size=10.5, first=False)
    tag(doc, "{%p else %}")
    para(doc, "未上传照片。")
    tag(doc, "{%p endif %}")

    heading(doc, "四、验收销号")
    para(doc, "{{ acceptance }}")

    heading(doc, "五、处理过程")
    loop_table(
        doc,
        (32, 26, 34, 64),
        ("时间", "事项", "操作人（单位）", "说明"),
        "for e in events",
        ("{{ e.at }}", "{{ e.kind }}", "{{ e.actor }}", "{{ e.note }}"),
        size=10.5,
        aligns=(CENTER, CENTER, CENTER, LEFT),
    )
    para(doc, indent=False, line=12)
    para(
        doc,
        "本档案由护校安园平台于{{ generated_at }}生成，内容以平台记录为准。",
        size=XIAO_SI,
        align=RIGHT,
        indent=False,
        line=None,
    )
    return doc


def build_campaign_summary() -> DocumentObject:
    """专项行动工作总结（初稿）: the campaign's figures (`campaigns.summary`), its tables as row
    loops, the category chart as an image, and 【请编辑】 paragraphs for the office's own text."""
    doc = new_document("专项行动工作总结")
    para(doc, indent=False)
    para(doc, "{{ campaign_name }}", font=SONG, size=ER_HAO, align=CENTER, indent=False, line=36)
    para(doc, "工作总结（初稿）", font=SONG, size=ER_HAO, align=CENTER, indent=False, line=36, after=16)
    para(
        doc,
        "按照《{{ campaign_name }}工作方案》{{ plan_number }}部署，{{ region_name }}自{{ start }}至{{ end }}"
        "组织开展专项行动。现将工作情况总结如下（数据截至{{ as_of }}，由护校安园平台根据登记数据生成，【请编辑】）。",
    )

    para(doc, "一、组织领导", font=HEITI)
    para(doc, "成立专项工作领导小组，{{ leaders }}。{{ office }}具体负责专项工作的组织实施。")
    tag(doc, "{%p if participants %}")
    para(doc, "成员单位共{{ participants_count }}个：{{ participants }}。")
    tag(doc, "{%p endif %}")

    para(doc, "二、主要工作及成效", font=HEITI)
    para(doc, "（一）各阶段推进情况", font=KAITI)
    loop_table(
        doc,
        (30, 66, 30, 30),
        ("阶段", "时间", "任务数", "已完成"),
        "for p in phases",
        ("{{ p.label }}", "{{ p.dates }}", "{{ p.total }}", "{{ p.done }}"),
    )
    para(
        doc,
        "专项行动共部署工作任务{{ tasks_total }}项，已完成{{ tasks_done }}项，逾期未完成{{ tasks_overdue }}项。",
    )
    tag(doc, "{%p if entries %}")
    para(doc, "学校申请进入验收等阶段的情况（截至{{ as_of }}）：")
    loop_table(
        doc,
        (36, 24, 24, 24, 24, 24),
        ("阶段", "学校数", "未申请", "已申请", "验收通过", "已退回"),
        "for e in entries",
        (
            "{{ e.phase }}",
            "{{ e.schools }}",
            "{{ e.not_applied }}",
            "{{ e.applied }}",
            "{{ e.passed }}",
            "{{ e.returned }}",
        ),
    )
    tag(doc, "{%p endif %}")

    para(doc, "（二）隐患排查整改", font=KAITI)
    para(
        doc,
        "辖区共有中小学、幼儿园{{ schools }}所。专项行动期间共排查登记隐患{{ hazards_found }}项，"
        "已整改销号{{ hazards_closed }}项，整改销号率{{ closure_rate }}；尚未销号{{ hazards_live }}项，"
        "其中逾期未整改{{ hazards_overdue }}项。",
    )
    figures = ("{{ r.found }}", "{{ r.closed }}", "{{ r.live }}", "{{ r.overdue }}")
    t = loop_table(
        doc,
        (44, 28, 28, 28, 28),
        ("类别", "发现", "已销号", "未销号", "逾期"),
        "for r in by_category",
        ("{{ r.label }}", *figures),
    )
    total = t.add_row()
    for cell, text in zip(
        total.cells,
        (
            "合计",
            "{{ hazards_found }}",
            "{{ hazards_closed }}",
            "{{ hazards_live }}",
            "{{ hazards_overdue }}",
        ),
        strict=True,
    ):
        cell_text(cell, text)
    para(doc, "按隐患等级：")
    loop_table(
        doc,
        (44, 28, 28, 28, 28),
        ("等级", "发现", "已销号", "未销号", "逾期"),
        "for r in by_severity",
        ("{{ r.label }}", *figures),
    )
    para(doc, "{{ chart }}", align=CENTER, indent=False, line=None)
    para(doc, "图1  各类别隐患发现与销号数", size=XIAO_SI, align=CENTER, indent=False, line=None)

    para(doc, "（三）分月情况", font=KAITI)
    tag(doc, "{%p if monthly_rows %}")
    para(doc, "以下数据与各月“护校安园”行动统计表口径一致：")
    loop_table(
        doc,
        (31, 25, 25, 25, 25, 25),
        (
            "月份",
            "{{ monthly_labels.found }}",
            "{{ monthly_labels.notices }}",
            "{{ monthly_labels.closed }}",
            "{{ monthly_labels.live }}",
            "{{ monthly_labels.overdue }}",
        ),
        "for m in monthly_rows",
        (
            "{{ m.label }}",
            "{{ m.found }}",
            "{{ m.notices }}",
            "{{ m.closed }}",
            "{{ m.live }}",
            "{{ m.overdue }}",
        ),
    )
    tag(doc, "{%p else %}")
    loop_table(
        doc,
        (60, 48, 48),
        ("月份", "发现隐患", "整改销号"),
        "for m in by_month",
        ("{{ m.label }}", "{{ m.found }}", "{{ m.closed }}"),
    )
    tag(doc, "{%p endif %}")

    para(doc, "（四）联动机制运行", font=KAITI)
    para(
        doc,
        "召开联席会议（月度会商）{{ meetings }}次，议定事项{{ decisions }}项；发布风险提示{{ alerts }}期，"
        "推送学校{{ alerts_schools }}校次，已反馈{{ alerts_responded }}校次，逾期未反馈报学区督促"
        "{{ alerts_escalated }}校次；印发通报{{ circulars }}期。",
    )
    para(doc, "【请编辑】典型经验做法、创新试点及成效。")

    para(doc, "三、存在的问题", font=HEITI)
    tag(doc, "{%p if remaining %}")
    para(doc, "截至{{ as_of }}，仍有以下重大或逾期隐患未销号：")
    loop_table(
        doc,
        (38, 52, 18, 28, 20),
        ("学校", "隐患", "等级", "整改期限", "状态"),
        "for h in remaining",
        ("{{ h.school }}", "{{ h.title }}", "{{ h.severity }}", "{{ h.deadline }}", "{{ h.state }}"),
        aligns=(CENTER, LEFT, CENTER, CENTER, CENTER),
    )
    tag(doc, "{%p else %}")
    para(doc, "截至{{ as_of }}，无未销号的重大隐患或逾期隐患。")
    tag(doc, "{%p endif %}")
    para(doc, "【请编辑】分析短板和薄弱环节。")

    para(doc, "四、下一步工作打算", font=HEITI)
    for text in ("健全完善校园安全稳定工作长效联动机制", "推进剩余隐患整改销号", "巩固提高专项行动成效"):
        para(doc, f"【请编辑】{text}。")
    signature(doc, issuer="{{ signed_by }}", date="{{ as_of }}")
    return doc


def build_incident_circular() -> DocumentObject:
    """案事件通报: a closed incident circulated to the schools and units — what happened (no
    names), the 三同步 response, the cause analysis, the 整改 measures and the 责任倒查."""
    doc = new_document("案事件通报")
    red_head(doc)
    title(doc, "关于{{ school_name }}“{{ incident_title }}”的通报")
    para(doc, "{{ addressees }}：", indent=False)
    para(
        doc,
        "{{ occurred }}，{{ school_name }}{{ place }}发生一起{{ kind }}（{{ grade }}），"
        "造成{{ casualties }}。现将有关情况通报如下。",
    )
    heading(doc, "一、基本情况")
    para(doc, "{{ summary }}")
    heading(doc, "二、处置情况")
    tag(doc, "{%p for t in tracks %}")
    para(doc, "（{{ t.no }}）{{ t.label }}。{{ t.text }}")
    tag(doc, "{%p endfor %}")
    heading(doc, "三、原因分析")
    para(doc, "{{ causes }}")
    heading(doc, "四、整改要求")
    tag(doc, "{%p for m in measures %}")
    para(doc, "{{ m.no }}. {{ m.text }}")
    tag(doc, "{%p endfor %}")
    para(
        doc,
        "以上整改措施已登记为隐患，请{{ school_name }}按期整改到位，各学校、幼儿园举一反三，立即开展自查自纠。",
    )
    tag(doc, "{%p if accountability %}")
    heading(doc, "五、责任倒查")
    para(doc, "{{ accountability }}")
    para(doc, "{{ decision }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if lessons %}")
    para(doc, "{{ lessons }}")
    tag(doc, "{%p endif %}")
    signature(doc)
    return doc


def build_counsellor_letter() -> DocumentObject:
    """法治辅导员聘书: the 派出所 appoints one of its officers 法治辅导员 of a school, for a term,
    with the duties of seed §四（六）; a copy goes to the school."""
    doc = new_document("法治辅导员聘书")
    red_head(doc)
    title(doc, "法治辅导员聘书")
    para(doc, "{{ officer_name }}同志：", indent=False)
    para(
        doc,
        "根据“护校安园”专项工作安排，经研究，决定聘请你（{{ issuer_name }}{{ officer_title }}）"
        "兼任{{ school_name }}法治辅导员，聘期自{{ starts_on }}至{{ ends_on }}。",
    )
    para(doc, "聘期内主要职责：")
    tag(doc, "{%p for d in duties %}")
    para(doc, "{{ d.no }}. {{ d.text }}")
    tag(doc, "{%p endfor %}")
    para(doc, "请{{ school_name }}为法治辅导员进校开展工作提供便利。特发此聘书。")
    signature(doc)
    para(doc, "抄送：{{ school_name }}", indent=False)
    return doc


BUILDERS = {
    "notice": build_notice,
    "supervision": build_supervision,
    "interview": build_interview,
    "listing": build_listing,
    "dossier": build_dossier,
    "campaign_summary": build_campaign_summary,
    "incident_circular": build_incident_circular,
    "counsellor_letter": build_counsellor_letter,
}


def save_reproducibly(doc: DocumentObject, path: Path) -> None:
    """Save with fixed zip timestamps, so building twice gives the same bytes (and git sees a
    template change only when the layout changed)."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    path.write_bytes(out.getvalue())


def build_all(out_dir: Path = OUT_DIR) -> list[Path]:
    """Write every built-in template; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, build in BUILDERS.items():
        path = out_dir / f"{kind}.docx"
        save_reproducibly(build(), path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR):
        print(path)
