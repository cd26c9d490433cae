"""Importing a school's staff register from .xlsx — the school register import's machinery
(`huxiao.schools.imports`: the upload check, the header search, the cell readers, `SheetError`,
`RowError`, `ImportResult`) with the staff register's columns (`LAYOUT`).

1. `UploadForm` — the school import's upload form (size limit, a real .xlsx), all-or-nothing.
2. `open_sheet(f, max_rows=…)` — the school import's `open_sheet` with this register's `LAYOUT`:
   finds the header row among the first rows, checks the columns and yields the data rows
   (`SheetRow`).
3. `import_members(acting_user=…, rows=…)` — reads every row (the cell rules, the school the
   user keeps, the 身份证号 check digit, repeats inside the file), then registers each readable
   row through `services.member_register` inside one transaction, so the audit events, the
   duplicate rule and the facts announcement stay in the service. One error anywhere and the
   transaction is rolled back: nothing is saved, and every error is listed with its row, its
   column and the rule, as the school import lists them.

A register has a few hundred people, so the import runs inside the request (no job); the row
limit keeps it short.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from huxiao.core import crypto
from huxiao.core.forms import SubmittedForm
from huxiao.core.validation import check_id_number
from huxiao.schools import imports as school_imports
from huxiao.schools.columns import Column
from huxiao.schools.forms import ImportForm
from huxiao.schools.imports import (
    EXAMPLE_PREFIX,
    EXCEL_CELL_MAX,
    CellError,
    ImportResult,
    Layout,
    RowError,
    Sheet,
    SheetError,  # noqa: F401 — the view catches `imports.SheetError`
    SheetRow,
    as_choice,
    as_count,
    as_text,
    read_cells,
    shown,
)
from huxiao.schools.models import School
from huxiao.schools.services import IMPORT_ERRORS_KEPT
from huxiao.staff import services
from huxiao.staff.choices import Employer, StaffRole

SHEET_TITLE = "教职员工登记"
# A school has a few hundred staff. The rows are registered inside the request, each through the
# service (its audit event, and a 三防 re-evaluation after commit): 200 rows take about 4 s.
MAX_ROWS = 500
MAX_HOURS = 500  # 岗前培训学时, as the form allows
TEMPLATE_HINT = "请使用本页提供的导入模板填写。"
ERRORS_SHOWN = IMPORT_ERRORS_KEPT  # problems listed on the page, as the school import lists them

# The columns, shared with the export (which adds the read-only ones below).
COLUMNS: list[Column] = [
    Column("学校", "school", True, 16),
    Column("姓名", "name", True, 9),
    Column("身份证号", "id_number", False, 20),
    Column("岗位", "role", True, 14),
    Column("用工方式", "employer", False, 12),
    Column("保安服务公司/派遣单位", "company", False, 16),
    Column("服务合同编号", "contract", False, 12),
    Column("合同截止日期", "contract_until", False, 12),
    Column("到岗日期", "started_on", True, 12),
    Column("保安员证编号", "licence_number", False, 12),
    Column("发证机关", "licence_authority", False, 14),
    Column("发证日期", "licence_issued_on", False, 12),
    Column("证件有效期至", "licence_valid_until", False, 12),
    Column("岗前培训日期", "pretraining_on", False, 12),
    Column("岗前培训学时", "pretraining_hours", False, 7),
]
# Columns of the export that the import reads past (computed, not typed).
EXPORT_ONLY = ("人员审查", "审查有效期至", "保安员证状态", "离岗日期")

BY_FIELD = {c.field: c for c in COLUMNS}
LAYOUT = Layout(
    title=SHEET_TITLE,
    columns=COLUMNS,
    examples=("姓名", "岗位"),
    hint=TEMPLATE_HINT,
    noun="人员",
    ignored=frozenset(EXPORT_ONLY),
)
TEXT_LIMITS = {
    "name": 50,
    "company": 100,
    "contract": 60,
    "licence_number": 40,
    "licence_authority": 60,
}
DATE_FIELDS = (
    "contract_until",
    "started_on",
    "licence_issued_on",
    "licence_valid_until",
    "pretraining_on",
)
ROLE_BY_LABEL = {label: value for value, label in StaffRole.choices}
EMPLOYER_BY_LABEL = {label: value for value, label in Employer.choices}
# Shorter names people type for the same choice.
ROLE_ALIASES = {
    "其他教职工": StaffRole.WORKER.label,
    "保安员": StaffRole.GUARD.label,
    "保安": StaffRole.GUARD.label,
    "宿管": StaffRole.HOUSEPARENT.label,
    "生活管理教师": StaffRole.HOUSEPARENT.label,
}
EMPLOYER_ALIASES = {
    "自聘": Employer.IN_HOUSE.label,
    "保安服务公司": Employer.COMPANY.label,
    "劳务派遣": Employer.COMPANY.label,
    "派遣": Employer.COMPANY.label,
}
DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
DATE_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")


def max_rows() -> int:
    return min(settings.HUXIAO_IMPORT_MAX_ROWS, MAX_ROWS)


# --- 1. the upload ---------------------------------------------------------------------------


class UploadForm(SubmittedForm, ImportForm):
    """The school import's upload (size limit, a real .xlsx); always all-or-nothing. Its
    one-time token makes a double click register the file's people once (`upload_key`)."""

    skip_invalid = None  # type: ignore[assignment]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = "第一行（或标题行下方）为表头，列名与导入模板一致。"


def upload_key(token: str, f: IO[bytes]) -> str:
    """The form's one-time token bound to the file's content: the same upload sent twice gives
    the same key (and so each row the same `submission`), another file another key."""
    digest = hashlib.sha256(token.encode())
    for block in iter(lambda: f.read(1 << 16), b""):
        digest.update(block)
    f.seek(0)
    return digest.hexdigest() if token else ""


def row_submission(key: str, number: int) -> str:
    """The `submission` of row `number` of an upload (36 characters, as the model keeps)."""
    return f"{key[:28]}-{number}" if key else ""  # a row number has at most 7 digits


# --- 2. the sheet ----------------------------------------------------------------------------


def open_sheet(f: IO[bytes], *, max_rows: int) -> AbstractContextManager[Sheet]:
    """Open the register sheet of workbook `f` and check its header row against `LAYOUT`
    (formulas are kept as formulas so the rows can refuse them, as the school import does)."""
    return school_imports.open_sheet(f, max_rows=max_rows, layout=LAYOUT)


# --- 3. the rows -----------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_date(value: Any) -> dt.date | None:
    """A date cell, or a date typed as text: 2020-09-01, 2020/9/1, 2020.9.1, 2020年9月1日,
    20200901."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = as_text(value, max_length=EXCEL_CELL_MAX)
    match = DATE_TEXT.fullmatch(text) or DATE_DIGITS.fullmatch(text)
    if match is None:
        raise CellError(f"须为日期，如 2020-09-01；当前为“{shown(text)}”")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(f"不是有效的日期：“{shown(text)}”") from None


def as_id_number(value: Any) -> str:
    """The 身份证号 as typed, checked with the register's own rule (`check_id_number`)."""
    if isinstance(value, float) and value >= 1e15:
        raise CellError(
            "身份证号被 Excel 存成了数字，只保留了前15位，后几位已经丢失。请把该列设为“文本”格式，"
            "重新输入完整的18位号码"
        )
    text = as_text(value, max_length=30)
    if "*" in text:
        raise CellError("这是打码显示的号码（如导出文件中的），请填写完整的18位身份证号")
    if text.upper() == EXAMPLE_ID:
        raise CellError("这是模板示例中的号码，请填写本人的身份证号")
    try:
        return check_id_number(text)
    except ValidationError as exc:
        raise CellError(_rule(exc.messages[0])) from None


def _choice(value: Any, options: dict[str, str], aliases: dict[str, str]) -> str:
    text = as_text(value, max_length=EXCEL_CELL_MAX).replace("(", "（").replace(")", "）")
    return as_choice(aliases.get(text, text), options)


def _rule(message: str) -> str:
    """A service message without its field label ("身份证号：校验位不正确" → "校验位不正确"): the
    report names the column already."""
    head, sep, rest = message.partition("：")
    return rest if sep and len(head) <= 12 and not any(p in head for p in "，。；") else message


class RowReader:
    """Turns sheet rows into the keyword arguments of `services.member_register`, or errors.
    `schools` are the schools the user keeps the register of, found by their full name."""

    def __init__(self, schools: Iterable[School]):
        self.schools: dict[str, list[School]] = {}
        for school in schools:
            self.schools.setdefault(school.name, []).append(school)
        self.ids_seen: dict[tuple[int, str], int] = {}  # (school, 身份证号) → first row

    def read(self, row: SheetRow) -> tuple[dict[str, Any] | None, list[RowError]]:
        values, errors = read_cells(row, COLUMNS, self._cell)
        school, number = values.get("school"), values.get("id_number")
        if school is not None and number:
            key = (school.pk, crypto.normalise(number))
            if key in self.ids_seen:
                errors.append(
                    RowError(
                        row.number,
                        "身份证号",
                        f"与第{self.ids_seen[key]}行的身份证号重复（同一人在同一学校只登记一次）",
                    )
                )
            else:
                self.ids_seen[key] = row.number
        if errors:
            return None, errors
        values["employer"] = values.get("employer") or Employer.IN_HOUSE
        return values, []

    def _cell(self, name: str, raw: Any) -> Any:
        if name == "school":
            return self._school(as_text(raw, max_length=EXCEL_CELL_MAX))
        if name == "id_number":
            return as_id_number(raw)
        if name == "role":
            return _choice(raw, ROLE_BY_LABEL, ROLE_ALIASES)
        if name == "employer":
            return None if _blank(raw) else _choice(raw, EMPLOYER_BY_LABEL, EMPLOYER_ALIASES)
        if name in DATE_FIELDS:
            return as_date(raw)
        if name == "pretraining_hours":
            hours = as_count(raw)
            if hours is not None and not 1 <= hours <= MAX_HOURS:
                raise CellError(f"须为1至{MAX_HOURS}之间的整数，当前为{hours}")
            return hours
        text = as_text(raw, max_length=TEXT_LIMITS[name])
        if name == "name" and text.startswith(EXAMPLE_PREFIX):
            raise CellError("这是模板里的示例行，请删除本行或改为真实的人员")
        return text

    def _school(self, name: str) -> School:
        found = self.schools.get(name, [])
        if not found:
            raise CellError(
                f"“{shown(name)}”不是您维护教职员工登记的学校：只能导入本校（园）的人员，学校名称须与系统中的全称一致"
            )
        if len(found) > 1:
            raise CellError(f"您维护登记的学校中有{len(found)}所名为“{shown(name)}”，请分别在各校的页面登记")
        return found[0]


def import_members(
    *, acting_user, rows: Iterable[SheetRow], schools: Iterable[School], key: str = ""
) -> ImportResult:
    """Register every person of `rows` in one transaction, each through
    `services.member_register`, or nobody: any error rolls the whole file back. `schools` are
    the schools `acting_user` keeps; `key` (`upload_key`) makes the same upload sent twice
    register its people once. Raises `SheetError` for the file as a whole."""
    reader = RowReader(schools)
    result = ImportResult()
    readable: list[tuple[int, dict[str, Any]]] = []
    for row in rows:
        result.rows += 1
        values, errors = reader.read(row)
        if values is None:
            result.errors.extend(errors)
            result.invalid_rows += 1
        else:
            readable.append((row.number, values))
    with transaction.atomic():
        for number, values in readable:
            try:
                with transaction.atomic():
                    member = services.member_register(
                        acting_user=acting_user, submission=row_submission(key, number), **values
                    )
            except ValidationError as exc:
                result.invalid_rows += 1
                result.errors += _service_errors(number, exc)
            except PermissionDenied as exc:
                result.invalid_rows += 1
                result.errors.append(RowError(number, "学校", str(exc)))
            else:
                result.created_ids.append(member.pk)
        if result.errors:
            transaction.set_rollback(True)  # all or nothing: the events and messages go too
            result.created_ids = []
    result.errors.sort(key=lambda e: e.row)
    return result


def _service_errors(number: int, exc: ValidationError) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        return [RowError(number, "（整行）", _rule(m)) for m in exc.messages]
    errors = []
    for name, messages in exc.message_dict.items():
        column = BY_FIELD.get(name)
        errors += [RowError(number, column.header if column else "（整行）", _rule(m)) for m in messages]
    return errors


# --- the blank template ----------------------------------------------------------------------

NOTES = {
    "school": "学校（幼儿园）全称，须为您负责维护人员登记的学校",
    "name": "不超过50字",
    "id_number": "18位，末位可为X；请把本列设为“文本”格式，否则 Excel 会丢失后几位。加密保存",
    "role": "从下拉列表选择：" + "、".join(ROLE_BY_LABEL),
    "employer": "学校自聘 或 保安服务公司/劳务派遣；不填为学校自聘",
    "company": "派遣用工必填；不超过100字",
    "contract": "不超过60字",
    "contract_until": "日期，如 2027-08-31",
    "started_on": "日期，如 2020-09-01；不能晚于今天",
    "licence_number": "专职保安员、门卫填写；无证的留空。其他岗位不登记",
    "licence_authority": "填写保安员证编号时必填",
    "licence_issued_on": "日期；不能晚于今天",
    "licence_valid_until": "日期；长期有效的留空；不能早于发证日期",
    "pretraining_on": "日期；专职保安员、门卫填写；不能晚于今天",
    "pretraining_hours": f"1至{MAX_HOURS}的整数；填写岗前培训日期时必填",
}
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
EXAMPLE_ID = "11010519491231002X"  # the sample number of GB 11643-1999, nobody's


def _example(schools: list[School]) -> dict[str, Any]:
    return {
        "school": schools[0].name if schools else "",
        "name": EXAMPLE_PREFIX + "张某某",
        "id_number": EXAMPLE_ID,
        "role": StaffRole.GUARD.label,
        "employer": Employer.COMPANY.label,
        "company": "某某保安服务有限公司",
        "contract": "BA-2026-001",
        "contract_until": dt.date(2027, 8, 31),
        "started_on": dt.date(2025, 9, 1),
        "licence_number": "渝20250001",
        "licence_authority": "某某区公安分局",
        "licence_issued_on": dt.date(2025, 6, 1),
        "licence_valid_until": None,
        "pretraining_on": dt.date(2025, 8, 1),
        "pretraining_hours": 40,
    }


def write_import_template(out: IO[bytes], *, schools: list[School]) -> None:
    """A blank import file: the header row (required columns in red), one example row (refused
    until it is replaced), drop-down lists for 岗位 and 用工方式, and a sheet explaining each
    column."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    example = _example(schools)
    for i, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = column.width
        head = ws.cell(row=1, column=i, value=column.header)
        head.font = Font(bold=True, color="B3261E" if column.required else None)
        head.alignment = Alignment(horizontal="center")
        cell = ws.cell(row=2, column=i, value=example[column.field])
        if column.field in ("id_number", "contract", "licence_number"):
            # the whole column as text, so a typed 身份证号 keeps its 18 digits
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
            cell.number_format = TEXT_FORMAT
        elif column.field in DATE_FIELDS:
            cell.number_format = DATE_FORMAT
    ws.freeze_panes = "A2"
    lists = {"role": list(ROLE_BY_LABEL), "employer": list(EMPLOYER_BY_LABEL)}
    for i, column in enumerate(COLUMNS, start=1):
        if column.field in lists:
            rule = DataValidation(
                type="list", formula1='"' + ",".join(lists[column.field]) + '"', allow_blank=True
            )
            rule.error = "请从下拉列表中选择"
            ws.add_data_validation(rule)
            rule.add(f"{get_column_letter(i)}2:{get_column_letter(i)}{1 + max_rows()}")

    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "填写要求"])
    for column in COLUMNS:
        notes.append([column.header, "必填" if column.required else "", NOTES[column.field]])
    notes.append([])
    notes.append(["说明", "", "第1行为表头，请勿修改；第2行是示例，导入前请删除或改为真实人员。"])
    notes.append(["", "", "只登记新人员：本校已在岗登记的身份证号会被指出，不会被覆盖。"])
    notes.append(["", "", "全部无误才导入：只要有一行有误，就不导入任何数据，并列出每个问题所在的行和列。"])
    notes.append(["", "", "请不要使用公式；如从其他表格复制，请“选择性粘贴为数值”。"])
    notes.append(["", "", f"每次最多导入 {max_rows()} 人。"])
    for letter, width in (("A", 22), ("B", 10), ("C", 80)):
        notes.column_dimensions[letter].width = width
    for cell in notes[1]:
        cell.font = Font(bold=True)
    wb.save(out)
