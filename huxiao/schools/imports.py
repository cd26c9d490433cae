"""Reading and checking a school register spreadsheet (.xlsx) for import.

Three steps, each usable on its own:

1. `check_upload(f)` — cheap checks inside the upload request: the bytes are a real .xlsx
   (a zip holding an Excel workbook), not just a file with that extension.
2. `open_sheet(f, max_rows=…)` — finds the header row among the first rows (so a register
   made by "导出 Excel", with its title and unit rows, imports back), checks the columns and
   yields the data rows one by one (`SheetRow`), stopping at the row limit. Another register's
   import (the staff register's) passes its own `Layout`: its columns, its words.
3. `RowChecker` — turns rows into unsaved `School` objects or per-row errors
   `(Excel row number, column header, message)`. It looks things up in the database a chunk
   of rows at a time, so a 10,000-row file costs a few dozen queries, not tens of thousands.

Nothing here writes to the database; `services.school_import` does, in one transaction.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from huxiao.core.choices import OrgKind, RegionLevel
from huxiao.core.models import Organisation, Region
from huxiao.lib.spreadsheet import FORMULA_PREFIXES, looks_like_formula
from huxiao.schools.choices import Ownership, SchoolType
from huxiao.schools.columns import COLUMNS, Column
from huxiao.schools.models import School

HEADER_SEARCH_ROWS = 5  # the export puts a title and a unit/date row above the headers
CHUNK = 500  # rows checked per round of database look-ups (and per progress update)
MAX_COUNT = 1_000_000  # no school has a million pupils: a bigger number is a typing slip
MAX_UNCOMPRESSED_FACTOR = 10  # an .xlsx unpacks to a few times its size; far more is a zip bomb
EXCEL_CELL_MAX = 32_767  # characters Excel allows in one cell
EXAMPLE_PREFIX = "（示例）"  # the example row of the blank template must not be imported by mistake
TEMPLATE_HINT = "请使用本页提供的导入模板，或用“导出 Excel”导出的名录修改后导入。"

TYPE_BY_LABEL = {label: value for value, label in SchoolType.choices}
OWNERSHIP_BY_LABEL = {label: value for value, label in Ownership.choices}
SCHOOL_REGION_LEVELS = {RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE}


class SheetError(Exception):
    """The file as a whole cannot be imported (not an .xlsx, wrong columns, no data, too many
    rows). `message` is Chinese and meant for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SheetRow:
    """One data row: its row number as Excel shows it and its raw cell values by header."""

    number: int
    cells: dict[str, Any]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    """What became of the rows: schools ready to save (then saved), errors for the rest."""

    rows: int = 0
    valid: list[tuple[int, School]] = field(default_factory=list)  # (row number, unsaved school)
    errors: list[RowError] = field(default_factory=list)
    invalid_rows: int = 0
    created_ids: list[int] = field(default_factory=list)


# --- 1. the upload ---------------------------------------------------------------------------


def check_upload(f: IO[bytes], *, max_bytes: int) -> None:
    """Raise `SheetError` unless `f` is really an .xlsx workbook. Reads only the zip directory,
    so it is quick enough to run inside the upload request."""
    head = f.read(8)
    f.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(
            "文件是旧版 .xls 格式或设置了打开密码。请在 Excel 中取消密码保护，并“另存为” .xlsx 格式后再上传。"
        )
    if not head.startswith(b"PK\x03\x04"):
        raise SheetError(
            "文件内容不是 Excel 工作簿（.xlsx）。只改文件扩展名不行，请在 Excel 中“另存为” .xlsx 格式。"
        )
    try:
        with zipfile.ZipFile(f) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SheetError("文件已损坏，无法作为 Excel 工作簿（.xlsx）打开。") from exc
    finally:
        f.seek(0)
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise SheetError("文件是压缩包，但不是 Excel 工作簿（.xlsx）。请上传 Excel 文件。")
    if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED_FACTOR * max_bytes:
        raise SheetError("文件解压后过大，无法导入。请删除无关的工作表或格式后重新保存。")


# --- 2. the sheet ----------------------------------------------------------------------------


def shown(value: Any, limit: int = 30) -> str:
    """A cell value quoted back in a message, cut short so a huge cell cannot flood the report."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def normalise_header(value: Any) -> str:
    """Headers as people type them: stray spaces, a required-mark '*', half-width brackets."""
    text = "" if value is None else str(value)
    text = "".join(text.split()).rstrip("*＊")
    return text.replace("(", "（").replace(")", "）")


@dataclass(frozen=True)
class Layout:
    """What `open_sheet` looks for in a register workbook, and the words its errors use."""

    title: str  # the sheet read when the workbook has it (else the first sheet)
    columns: Sequence[Column]  # the headers the import reads; `required` ones must be there
    examples: tuple[str, ...]  # headers named when no header row is found
    hint: str  # what to use instead, after every error about the file as a whole
    noun: str  # what a data row registers (学校, 人员)
    ignored: frozenset[str] = frozenset()  # headers read past (the export's computed columns)

    @property
    def headers(self) -> set[str]:
        return {c.header for c in self.columns}


SCHOOL_LAYOUT = Layout(
    title="学校名录",
    columns=COLUMNS,
    examples=("学校名称", "学校类型"),
    hint=TEMPLATE_HINT,
    noun="学校",
)


@dataclass
class Sheet:
    """An open register sheet: where the headers are, which column holds which header."""

    header_row: int
    columns: dict[int, str]  # 0-based column index → header
    declared_rows: int  # data rows the file says it has, blank ones included; 0 if unknown
    _rows: Iterator[tuple]
    max_rows: int
    noun: str = "学校"  # what a data row registers, for the "no data" message

    def rows(self) -> Iterator[SheetRow]:
        """The data rows below the header, blank rows skipped; stops past `max_rows`."""
        count = 0
        for number, values in enumerate(self._rows, start=self.header_row + 1):
            cells = {h: values[i] if i < len(values) else None for i, h in self.columns.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
                continue
            count += 1
            if count > self.max_rows:
                raise SheetError(
                    f"数据超过 {self.max_rows} 行的上限，未导入任何数据。请把文件拆分成几份分别导入。"
                )
            yield SheetRow(number, cells)
        if count == 0:
            raise SheetError(f"表头下面没有数据行，没有可导入的{self.noun}。")


def _pick_sheet(wb, title: str):
    return wb[title] if title in wb.sheetnames else wb.worksheets[0]


def _find_header(top: list[tuple], layout: Layout) -> int:
    """Index in `top` of the row with the most known headers."""
    headers = layout.headers
    scores = [sum(normalise_header(v) in headers for v in row) for row in top]
    if not scores or max(scores) == 0:
        if all(all(v is None for v in row) for row in top):
            raise SheetError("文件是空的：没有表头，也没有数据。" + layout.hint)
        examples = "".join(f"“{h}”" for h in layout.examples)
        raise SheetError(f"前{HEADER_SEARCH_ROWS}行中找不到表头（如{examples}）。" + layout.hint)
    return scores.index(max(scores))


def _columns(row: tuple, row_number: int, layout: Layout) -> dict[int, str]:
    """Map column index → header (the layout's `ignored` headers left out), or raise one error
    naming every wrong column."""
    headers = layout.headers
    columns: dict[int, str] = {}
    unknown, repeated = [], []
    for i, value in enumerate(row):
        header = normalise_header(value)
        if not header or header in layout.ignored:
            continue
        if header not in headers:
            unknown.append(f"“{shown(value)}”（{get_column_letter(i + 1)}{row_number}）")
        elif header in columns.values():
            repeated.append(f"“{header}”")
        else:
            columns[i] = header
    missing = [f"“{c.header}”" for c in layout.columns if c.required and c.header not in columns.values()]
    problems = []
    if missing:
        problems.append("缺少必填列：" + "、".join(missing))
    if unknown:
        problems.append("无法识别的列：" + "、".join(unknown))
    if repeated:
        problems.append("重复的列：" + "、".join(repeated))
    if problems:
        raise SheetError("表头不符合要求，未导入任何数据。" + "；".join(problems) + "。" + layout.hint)
    return columns


@contextmanager
def open_sheet(f: IO[bytes], *, max_rows: int, layout: Layout = SCHOOL_LAYOUT) -> Iterator[Sheet]:
    """Open the register sheet of workbook `f` and check its header row against `layout` (the
    school register's unless another is given).

    Formulas are kept as formulas (`data_only=False`) so the checker can refuse them: a cached
    formula result may be stale or missing, and the user should paste values instead.
    """
    try:
        wb = load_workbook(f, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SheetError(
            "文件无法作为 Excel 工作簿（.xlsx）读取，可能已损坏。请在 Excel 中重新保存后上传。"
        ) from exc
    try:
        ws = _pick_sheet(wb, layout.title)
        size = ws.max_row or 0  # as the file declares it; some writers get it wrong, so …
        ws.reset_dimensions()  # … read every row there is, not just the declared range
        rows = ws.iter_rows(values_only=True)
        top = []
        for row in rows:
            top.append(row)
            if len(top) == HEADER_SEARCH_ROWS:
                break
        index = _find_header(top, layout)
        columns = _columns(top[index], index + 1, layout)
        # The size the file declares, for the progress bar. Excel and WPS declare it; streaming
        # writers (our own export among them) do not, and formatted blank rows can inflate it,
        # so an absent or implausible size is reported as 0: unknown.
        declared = size - (index + 1)
        if not 0 < declared <= max_rows:
            declared = 0
        leftover = iter(top[index + 1 :])
        yield Sheet(
            header_row=index + 1,
            columns=columns,
            declared_rows=declared,
            _rows=_chain(leftover, rows),
            max_rows=max_rows,
            noun=layout.noun,
        )
    finally:
        wb.close()


def _chain(*iterators):
    for it in iterators:
        yield from it


# --- 3. the rows -----------------------------------------------------------------------------


class CellError(Exception):
    """A cell that breaks a rule; the message names the rule (the column is added by the caller)."""


def unneutralise(text: str) -> str:
    """Undo the export's formula guard: `'=abc` was written for the text `=abc`."""
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def as_text(value: Any, *, max_length: int) -> str:
    """A text cell. Numbers typed into text columns (codes, phones) come back as digits."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unneutralise(str(value).strip())
    if len(text) > max_length:
        raise CellError(f"不能超过{max_length}个字（当前{len(text)}个字）")
    return text


def as_count(value: Any) -> int | None:
    """A whole number ≥ 0, or None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        try:
            number = int(value.strip())
        except ValueError:
            number = None
    if number is None or number < 0:
        raise CellError(f"须为不小于0的整数，当前为“{shown(value)}”")
    if number > MAX_COUNT:
        raise CellError(f"数值过大（{number}），请核对")
    return number


def as_decimal(value: Any, low: int, high: int) -> Decimal | None:
    """A coordinate in decimal degrees within [low, high], rounded to 6 places."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(f"须为数字（十进制度数），当前为“{shown(value)}”")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise CellError(f"须为数字（十进制度数），当前为“{shown(value)}”")
    if not low <= number <= high:
        raise CellError(f"须在 {low} 到 {high} 之间，当前为 {shown(value)}")
    return number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def as_choice(value: Any, options: dict[str, str]) -> str:
    text = as_text(value, max_length=EXCEL_CELL_MAX)
    if text not in options:
        allowed = "、".join(options)
        raise CellError(f"须为以下之一：{allowed}；当前为“{shown(text)}”")
    return options[text]


def as_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = as_text(value, max_length=EXCEL_CELL_MAX)
    if text in ("是", "否"):
        return text == "是"
    raise CellError(f"须填“是”或“否”，当前为“{shown(text)}”")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_cells(
    row: SheetRow, columns: Iterable[Column], cell: Callable[[str, Any], Any]
) -> tuple[dict[str, Any], list[RowError]]:
    """A row's values by field, each read by `cell(field, raw)`, and what is wrong with its cells
    (a formula, a required cell left empty, a `CellError`), each under its column."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}
    for column in columns:
        raw = row.cells.get(column.header)
        if looks_like_formula(raw) or isinstance(raw, ArrayFormula | DataTableFormula):
            errors.append(
                RowError(row.number, column.header, "单元格是公式，请复制后“选择性粘贴为数值”再导入")
            )
            continue
        if column.required and _blank(raw):
            errors.append(RowError(row.number, column.header, "必填，不能为空"))
            continue
        try:
            values[column.field] = cell(column.field, raw)
        except CellError as exc:
            errors.append(RowError(row.number, column.header, str(exc)))
    return values, errors


TEXT_LIMITS = {
    "name": 100,
    "code": 20,
    "principal_name": 50,
    "principal_phone": 20,
    "safety_lead_name": 50,
    "safety_lead_phone": 20,
    "address": 200,
    "region": 12,
    "police_station": 100,
    "school_district": 100,
}
ORG_KIND_OF = {"police_station": OrgKind.POLICE_STATION, "school_district": OrgKind.SCHOOL_DISTRICT}


class RowChecker:
    """Checks rows against the column rules and the database, remembering what earlier rows used
    (names per region, 学校标识码) so duplicates inside one file are caught too.

    `allowed_paths` are the subtrees the importing user holds `school.import` over; a school may
    only be put there.
    """

    def __init__(self, *, allowed_paths: Iterable[str]):
        self.allowed_paths = tuple(allowed_paths)
        self.regions: dict[str, Region | None] = {}
        self.orgs: dict[str, Organisation | None] = {}
        self.names_seen: dict[tuple[int, str], int] = {}  # (region id, name) → first row
        self.codes_seen: dict[str, int] = {}
        self.existing_names: set[tuple[int, str]] = set()
        self.existing_codes: set[str] = set()

    def check_all(
        self, rows: Iterable[SheetRow], *, progress: Callable[[int], None] | None = None
    ) -> ImportResult:
        """Check every row; `progress(rows_done)` is called after each chunk."""
        result = ImportResult()
        chunk: list[SheetRow] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK:
                self._check_chunk(chunk, result)
                chunk = []
                if progress:
                    progress(result.rows)
        if chunk:
            self._check_chunk(chunk, result)
            if progress:
                progress(result.rows)
        return result

    # -- database look-ups, one round per chunk

    def _load(self, chunk: list[SheetRow]) -> None:
        codes = {_raw_text(r.cells.get("所在区划代码")) for r in chunk} - set(self.regions)
        codes.discard("")
        found = {r.code: r for r in Region.objects.filter(code__in=codes)}
        self.regions.update({c: found.get(c) for c in codes})

        names = set()
        for header in ("责任派出所", "学区管理中心"):
            names |= {_raw_text(r.cells.get(header)) for r in chunk}
        names -= set(self.orgs)
        names.discard("")
        found_orgs = {o.name: o for o in Organisation.objects.filter(name__in=names)}
        self.orgs.update({n: found_orgs.get(n) for n in names})

        school_names = {_raw_text(r.cells.get("学校名称")) for r in chunk} - {""}
        region_ids = {r.pk for r in self.regions.values() if r is not None}
        self.existing_names |= set(
            School.objects.filter(region_id__in=region_ids, name__in=school_names).values_list(
                "region_id", "name"
            )
        )
        school_codes = {_raw_text(r.cells.get("学校标识码")) for r in chunk} - {""}
        self.existing_codes |= set(
            School.objects.filter(code__in=school_codes).values_list("code", flat=True)
        )

    def _check_chunk(self, chunk: list[SheetRow], result: ImportResult) -> None:
        self._load(chunk)
        for row in chunk:
            result.rows += 1
            school, errors = self.check(row)
            if school is None:
                result.errors.extend(errors)
                result.invalid_rows += 1
            else:
                result.valid.append((row.number, school))

    # -- one row

    def check(self, row: SheetRow) -> tuple[School | None, list[RowError]]:
        """The school this row describes, or the list of what is wrong with it."""
        values, errors = read_cells(row, COLUMNS, self._cell)
        errors += self._cross_checks(row.number, values)
        if errors:
            return None, errors
        values["boarders"] = values.get("boarders") or 0
        school = School(**values)
        # A safety net for rules the model knows (lengths, choices, digits); no queries.
        try:
            school.clean_fields(exclude=["region", "police_station", "school_district", "organisation"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                header = next((c.header for c in COLUMNS if c.field == name), "学校名称")
                errors += [RowError(row.number, header, m) for m in messages]
            return None, errors
        return school, []

    def _cell(self, name: str, raw: Any) -> Any:
        if name == "school_type":
            return as_choice(raw, TYPE_BY_LABEL)
        if name == "ownership":
            return as_choice(raw, OWNERSHIP_BY_LABEL)
        if name == "is_boarding":
            return as_yes_no(raw)
        if name in ("students", "boarders", "staff"):
            return as_count(raw)
        if name == "latitude":
            return as_decimal(raw, 3, 54)
        if name == "longitude":
            return as_decimal(raw, 73, 136)
        text = as_text(raw, max_length=TEXT_LIMITS[name])
        if name == "name" and text.startswith(EXAMPLE_PREFIX):
            raise CellError("这是模板里的示例行，请删除本行或改为真实的学校名称")
        if name == "region":
            return self._region(text)
        if name in ORG_KIND_OF:
            return self._organisation(text, ORG_KIND_OF[name]) if text else None
        return text

    def _region(self, code: str) -> Region:
        region = self.regions.get(code)
        if region is None:
            raise CellError(f"区划代码“{shown(code)}”不存在，请填写12位的社区（村）或9位的街道（乡镇）代码")
        if region.is_archived:
            raise CellError(f"区划“{code} {region.name}”已撤销，不能再登记学校")
        if not region.path.startswith(self.allowed_paths):
            raise CellError(f"区划代码“{code}”不在您可以导入的范围内")
        if region.level not in SCHOOL_REGION_LEVELS:
            raise CellError(f"区划“{code} {region.name}”层级过高，请填写区县、街道（乡镇）或社区（村）代码")
        return region

    def _organisation(self, name: str, kind: str) -> Organisation:
        label = OrgKind(kind).label
        org = self.orgs.get(name)
        if org is None:
            raise CellError(f"没有名为“{shown(name)}”的{label}，请填写单位全称")
        if org.kind != kind:
            raise CellError(f"“{shown(name)}”不是{label}（它是{org.get_kind_display()}）")
        if org.is_archived:
            raise CellError(f"“{name}”已撤销")
        return org

    def _cross_checks(self, number: int, v: dict[str, Any]) -> list[RowError]:
        """Rules across cells and rows: boarders, coordinates in pairs, duplicates."""
        errors = []
        students, boarders = v.get("students"), v.get("boarders")
        if boarders:
            if v.get("is_boarding") is False:
                errors.append(RowError(number, "寄宿生数", "非寄宿制学校的寄宿生数应为0或不填"))
            if students is not None and boarders > students:
                errors.append(
                    RowError(number, "寄宿生数", f"寄宿生数（{boarders}）不能多于在校学生数（{students}）")
                )
        if ("latitude" in v and "longitude" in v) and ((v["latitude"] is None) != (v["longitude"] is None)):
            missing = "经度" if v["longitude"] is None else "纬度"
            errors.append(RowError(number, missing, "纬度和经度须同时填写或同时不填"))
        region, name, code = v.get("region"), v.get("name"), v.get("code")
        if region is not None and name:
            key = (region.pk, name)
            if key in self.existing_names:
                errors.append(RowError(number, "学校名称", f"“{region.name}”已有名为“{name}”的学校"))
            elif key in self.names_seen:
                errors.append(
                    RowError(
                        number, "学校名称", f"与第{self.names_seen[key]}行重名（同一区划内学校名称不能重复）"
                    )
                )
            else:
                self.names_seen[key] = number
        if code:
            if code in self.existing_codes:
                errors.append(RowError(number, "学校标识码", f"学校标识码“{code}”已被名录中的其他学校使用"))
            elif code in self.codes_seen:
                errors.append(
                    RowError(number, "学校标识码", f"与第{self.codes_seen[code]}行的学校标识码重复")
                )
            else:
                self.codes_seen[code] = number
        return errors


def _raw_text(value: Any) -> str:
    """A cell as look-up text (for the per-chunk database queries); never raises."""
    try:
        return as_text(value, max_length=EXCEL_CELL_MAX)
    except CellError:
        return ""


def common_region_path(paths: Iterable[str]) -> str:
    """The deepest region path every one of `paths` lies under ('' if they share nothing)."""
    common: list[str] | None = None
    for path in paths:
        segments = path.strip("/").split("/")
        if common is None:
            common = segments
        else:
            n = 0
            while n < min(len(common), len(segments)) and common[n] == segments[n]:
                n += 1
            common = common[:n]
    return "/".join(common) + "/" if common else ""


# --- the blank template ----------------------------------------------------------------------

NOTES = {
    "name": "同一区划内不能重名；不超过100字",
    "code": "10位学校标识码，可不填；填写时不能与名录中已有学校重复",
    "school_type": "从下拉列表选择：" + "、".join(TYPE_BY_LABEL),
    "ownership": "公办 或 民办",
    "is_boarding": "是 或 否",
    "students": "不小于0的整数",
    "boarders": "寄宿制学校填写，不能多于在校学生数；非寄宿制学校填0或不填",
    "staff": "不小于0的整数",
    "principal_name": "不超过50字",
    "principal_phone": "不超过20字",
    "safety_lead_name": "不超过50字",
    "safety_lead_phone": "不超过20字",
    "region": "学校所在社区（村）或街道（乡镇）的区划代码，须在您的管辖范围内",
    "address": "不超过200字",
    "latitude": "十进制度数，如 29.905120；与经度同时填写或同时不填",
    "longitude": "十进制度数，如 106.118430；与纬度同时填写或同时不填",
    "police_station": "单位全称，须为系统中已有的派出所",
    "school_district": "单位全称，须为系统中已有的学区管理中心",
}
TEXT_FORMAT = "@"


def _example(allowed_paths: tuple[str, ...]) -> dict[str, Any]:
    """An example row that fits the user's own jurisdiction (real region code and units)."""
    under = Q()
    for path in allowed_paths:
        under |= Q(path__startswith=path)
    # "-level" happens to put village before township before county: the most specific first.
    region = (
        Region.objects.active()
        .filter(under, level__in=SCHOOL_REGION_LEVELS)
        .order_by("-level", "path")
        .first()
        if allowed_paths
        else None
    )
    orgs = (
        Organisation.objects.active().filter(region__in=Region.objects.filter(under))
        if allowed_paths
        else None
    )

    def org_name(kind: str) -> str:
        org = orgs.filter(kind=kind).order_by("name").first() if orgs is not None else None
        return org.name if org else ""

    return {
        "name": EXAMPLE_PREFIX + "某某小学",
        "code": "",
        "school_type": SchoolType.PRIMARY.label,
        "ownership": Ownership.PUBLIC.label,
        "is_boarding": "否",
        "students": 600,
        "boarders": 0,
        "staff": 45,
        "principal_name": "张某某",
        "principal_phone": "13800000000",
        "safety_lead_name": "李某某",
        "safety_lead_phone": "13800000001",
        "region": region.code if region else "",
        "address": "某某路1号",
        "latitude": 29.905120,
        "longitude": 106.118430,
        "police_station": org_name(OrgKind.POLICE_STATION),
        "school_district": org_name(OrgKind.SCHOOL_DISTRICT),
    }


def write_import_template(out: IO[bytes], *, allowed_paths: tuple[str, ...]) -> None:
    """A blank import file: the header row, one example row (which the importer refuses until it
    is replaced), drop-down lists for the choice columns, and a sheet explaining each column."""
    wb = Workbook()
    ws = wb.active
    ws.title = "学校名录"
    example = _example(allowed_paths)
    for i, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = column.width
        head = ws.cell(row=1, column=i, value=column.header)
        head.font = Font(bold=True, color="B3261E" if column.required else None)
        head.alignment = Alignment(horizontal="center")
        cell = ws.cell(row=2, column=i, value=example[column.field])
        if column.field in ("code", "region", "principal_phone", "safety_lead_phone"):
            cell.number_format = TEXT_FORMAT
    ws.freeze_panes = "A2"
    lists = {
        "school_type": list(TYPE_BY_LABEL),
        "ownership": list(OWNERSHIP_BY_LABEL),
        "is_boarding": ["是", "否"],
    }
    for i, column in enumerate(COLUMNS, start=1):
        if column.field in lists:
            rule = DataValidation(
                type="list", formula1='"' + ",".join(lists[column.field]) + '"', allow_blank=True
            )
            rule.error = "请从下拉列表中选择"
            ws.add_data_validation(rule)
            rule.add(f"{get_column_letter(i)}2:{get_column_letter(i)}{2 + 50_000}")

    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "填写要求"])
    for column in COLUMNS:
        notes.append([column.header, "必填" if column.required else "", NOTES[column.field]])
    notes.append([])
    notes.append(["说明", "", "第1行为表头，请勿修改；第2行是示例，导入前请删除或改为真实学校。"])
    notes.append(
        ["", "", "只登记新学校：名录中已有的学校（同一区划内同名，或学校标识码相同）会被指出，不会被覆盖。"]
    )
    notes.append(["", "", "请不要使用公式；如从其他表格复制，请“选择性粘贴为数值”。"])
    for letter, width in (("A", 16), ("B", 10), ("C", 70)):
        notes.column_dimensions[letter].width = width
    for cell in notes[1]:
        cell.font = Font(bold=True)
    wb.save(out)
