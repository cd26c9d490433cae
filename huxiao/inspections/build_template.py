"""Builds the built-in Word template of the 检查报告 in `docx_templates/report.docx`.

It reuses the layout helpers of `huxiao/reports/build_templates.py` (A4, GB/T 9704 margins,
仿宋 三号 body, 宋体 title, page number "— 1 —") so the report looks like the platform's other
documents; the fields are docxtpl (Jinja) tags filled by `documents.inspection_report_docx`.
Run it after changing the layout and commit the .docx it writes:

    .venv/bin/python -m huxiao.inspections.build_template
"""

from __future__ import annotations

from pathlib import Path

from docx.document import Document as DocumentObject

from huxiao.reports.build_templates import (
    CENTER,
    ER_HAO,
    HEITI,
    LEFT,
    LINE,
    RIGHT,
    SI_HAO,
    SONG,
    XIAO_SI,
    cell_text,
    key_value_table,
    loop_table,
    new_document,
    para,
    table,
    tag,
)

OUT = Path(__file__).parent / "docx_templates" / "report.docx"


def heading(doc: DocumentObject, text: str) -> None:
    para(doc, text, font=HEITI, indent=True, before=6)


def build_report() -> DocumentObject:
    doc = new_document("检查报告")
    para(doc, indent=False, line=LINE)
    para(doc, "{{ school_name }}", font=SONG, size=ER_HAO, bold=True, align=CENTER, indent=False, line=36)
    para(
        doc,
        "{{ kind_label }}检查报告",
        font=SONG,
        size=ER_HAO,
        bold=True,
        align=CENTER,
        indent=False,
        line=36,
    )
    para(doc, "编号：{{ code }}", align=CENTER, indent=False, size=SI_HAO, after=6)
    key_value_table(
        doc,
        [
            ("被检查单位", "{{ school_name }}"),
            ("检查类型", "{{ kind_label }}"),
            ("检查日期", "{{ date }}"),
            ("牵头单位", "{{ lead_org }}"),
            ("检查组成员", "{{ team }}"),
            ("检查表", "{{ checklist }}"),
            ("核查的自查", "{{ verifies }}"),
            ("提交", "{{ submitted }}"),
        ],
    )
    heading(doc, "一、检查结果概况")
    para(
        doc,
        "本次检查共{{ total }}项，合格{{ passed }}项，不合格{{ failed_count }}项，不适用{{ na }}项"
        "{{ other_note }}。",
    )
    heading(doc, "二、逐项检查情况")
    tag(doc, "{%p for s in sections %}")
    para(doc, "（{{ s.no }}）{{ s.title }}", font=SONG, bold=True, indent=True)
    loop_table(
        doc,
        (12, 70, 22, 52),
        ("序号", "检查内容", "结论", "检查记录"),
        "for r in s.rows",
        ("{{ r.no }}", "{{ r.text }}", "{{ r.result }}", "{{ r.note }}"),
        aligns=(CENTER, LEFT, CENTER, LEFT),
    )
    tag(doc, "{%p endfor %}")
    heading(doc, "三、不合格项、依据条款及隐患登记")
    tag(doc, "{%p if failed %}")
    loop_table(
        doc,
        (12, 44, 50, 26, 24),
        ("序号", "不合格项", "依据条款", "检查记录", "隐患编号"),
        "for f in failed",
        ("{{ f.no }}", "{{ f.text }}", "{{ f.clause }}", "{{ f.note }}", "{{ f.hazard }}"),
        aligns=(CENTER, LEFT, LEFT, LEFT, CENTER),
    )
    tag(doc, "{%p else %}")
    para(doc, "本次检查未发现不合格项。")
    tag(doc, "{%p endif %}")
    heading(doc, "四、检查意见")
    para(doc, "{{ summary }}")
    heading(doc, "五、签字确认")
    tag(doc, "{%p if joint %}")
    loop_table(
        doc,
        (36, 34, 42, 22, 22),
        ("参加单位", "负责部分", "本单位意见", "签字人", "签字时间"),
        "for o in orgs",
        ("{{ o.name }}", "{{ o.part }}", "{{ o.opinion }}", "{{ o.signed_by }}", "{{ o.signed_at }}"),
        aligns=(LEFT, LEFT, LEFT, CENTER, CENTER),
    )
    tag(doc, "{%p else %}")
    t = table(doc, (40, 116), 2)
    cell_text(t.rows[0].cells[0], "检查人员（签字）", bold=True, size=SI_HAO)
    cell_text(t.rows[0].cells[1], "{{ team }}", size=SI_HAO, align=LEFT)
    cell_text(t.rows[1].cells[0], "被检查单位负责人（签字）", bold=True, size=SI_HAO)
    cell_text(t.rows[1].cells[1], "", size=XIAO_SI)
    tag(doc, "{%p endif %}")
    para(doc, indent=False)
    para(doc, "{{ lead_org }}", align=RIGHT, indent=False, right_indent_chars=2)
    para(doc, "{{ issue_date }}", align=RIGHT, indent=False, right_indent_chars=2)
    return doc


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    build_report().save(str(OUT))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
