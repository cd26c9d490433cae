"""Small helpers for reading and writing spreadsheets safely (no app imports here)."""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Make a cell value safe for export: text that a spreadsheet would run as a formula
    (starting with = + - @) is prefixed with an apostrophe so it stays text (DESIGN §4.5)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def looks_like_formula(value: Any) -> bool:
    """True for an imported cell that holds a formula rather than a value."""
    return isinstance(value, str) and value.startswith("=")
