"""The input rules every form field of the project obeys, installed once (`install()`, from
`CoreConfig.ready()`) on Django's form field classes — so a form written tomorrow is covered
without anyone remembering to (a per-form check is what gets forgotten):

- **text** (every `forms.CharField` and its subclasses, model-form fields included): no control
  characters except tab and line breaks, no bidirectional overrides (a right-to-left override
  turns "gpj.exe" into "exe.jpg" on screen) — a Chinese message; the page puts the field's label
  before it (`includes/form_fields.html`), so the user is told which field;
- **dates** (every `forms.DateField`, `DateTimeField`): between 2000-01-01 and 2100-12-31 — the
  platform's records are campaign work, not history; a year 9999 deadline or a 0001 start
  takes down every page that adds a day to it;
- **choices of records** (every `ModelChoiceField` / `ModelMultipleChoiceField` over an integer
  key): a submitted key that is not a database integer (2⁶⁴, "²") is "选择无效", never an
  overflow in the database driver (a 500);
- **whole numbers** (every `forms.IntegerField`, the hidden ones that carry a record's key or
  version included): within the database's 64-bit integer, so 2⁶⁴ is a form error, never an
  overflow when the number reaches a query.

Query parameters a view parses itself go through `month_param`/`int_param` below. Exports strip
what XML forbids as a second line of defence (`lib.spreadsheet.neutralise`).
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models

from huxiao.core import crypto

# C0 controls except \t \n \r, DEL, C1 controls; the bidi embeddings/overrides/isolates. NUL is
# Django's own validator's (its message is set to this one), so it is not reported twice.
FORBIDDEN = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CONTROL_MESSAGE = "不能包含控制字符或文字方向控制符（常见于从其他软件粘贴的文本），请删除后重新输入。"
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
INT64_MAX = 2**63 - 1


def no_control_characters(value) -> None:
    if isinstance(value, str) and FORBIDDEN.search(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")


def sane_date(value) -> None:
    day = value.date() if isinstance(value, dt.datetime) else value
    if isinstance(day, dt.date) and not EARLIEST <= day <= LATEST:
        raise ValidationError(f"日期须在{EARLIEST.year}年至{LATEST.year}年之间。", code="date_range")


def db_integer_range(value) -> None:
    if isinstance(value, int) and not -INT64_MAX - 1 <= value <= INT64_MAX:
        raise ValidationError("数值超出允许的范围，请检查后重新输入。", code="integer_range")


def is_db_integer(value) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) <= INT64_MAX


def _integer_key(field: forms.ModelChoiceField) -> bool:
    if field.queryset is None:
        return False
    key = field.to_field_name or "pk"
    meta = field.queryset.model._meta
    model_field = meta.pk if key == "pk" else meta.get_field(key)
    return isinstance(model_field, models.IntegerField | models.AutoField)


_installed = False


def install() -> None:
    """Put the rules on Django's form fields (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    forms.CharField.default_validators = [no_control_characters]
    forms.DateField.default_validators = [sane_date]
    forms.DateTimeField.default_validators = [sane_date]
    forms.IntegerField.default_validators = [db_integer_range]  # its Float/Decimal subclasses: not ints
    validators.ProhibitNullCharactersValidator.message = CONTROL_MESSAGE

    single_to_python = forms.ModelChoiceField.to_python

    def to_python(self, value):
        if (
            value not in self.empty_values
            and not isinstance(value, models.Model)
            and _integer_key(self)
            and not is_db_integer(value)
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return single_to_python(self, value)

    forms.ModelChoiceField.to_python = to_python  # type: ignore[method-assign]

    check_values = forms.ModelMultipleChoiceField._check_values  # type: ignore[attr-defined]

    def _check_values(self, value):
        if _integer_key(self):
            for pk in value or ():
                if not isinstance(pk, models.Model) and not is_db_integer(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return check_values(self, value)

    forms.ModelMultipleChoiceField._check_values = _check_values  # type: ignore[attr-defined]


# --- Query parameters a view parses itself -----------------------------------------------------


def int_param(value: str | None) -> int | None:
    """A database key from the query string, or None (ignored) when it is not one."""
    return int(value) if value is not None and is_db_integer(value.strip()) else None


def month_param(value: str | None, default: dt.date) -> dt.date:
    """`YYYY-MM` → its first day, inside 2000–2100; anything else → `default`."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", (value or "").strip())
    if match:
        year, month = int(match[1]), int(match[2])
        if EARLIEST.year <= year <= LATEST.year and 1 <= month <= 12:
            return dt.date(year, month, 1)
    return default


ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check_digit(body: str) -> str:
    """The GB 11643-1999 check digit (0–9 or X) of a 身份证号's first 17 digits."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def check_id_number(value: str) -> str:
    """A 居民身份证号码 (GB 11643-1999): 17 digits and a check digit or X; "" when not given."""
    number = crypto.normalise(value)
    if not number:
        return ""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError({"id_number": "身份证号：须为18位，前17位为数字，最后一位为数字或X。"})
    if number[-1] != id_check_digit(number[:17]):
        raise ValidationError({"id_number": "身份证号：校验位不正确，请核对后重新输入。"})
    return number
