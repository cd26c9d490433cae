"""Small helpers for reading and writing spreadsheets safely (no app imports here)."""

from __future__ import annotations

import re
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# What XML 1.0 (and so .xlsx) forbids: a stored vertical tab would make the whole export fail.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: Any) -> Any:
    """Make a cell value safe for export: characters XML forbids are dropped (the forms refuse
    them — `core.validation` — this is the second line for rows stored before), and text that a
    spreadsheet would run as a formula (starting with = + - @) is prefixed with an apostrophe so
    it stays text (DESIGN §4.5)."""
    if not isinstance(value, str):
        return value
    value = XML_ILLEGAL.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def looks_like_formula(value: Any) -> bool:
    """True for an imported cell that holds a formula rather than a value."""
    return isinstance(value, str) and value.startswith("=")
