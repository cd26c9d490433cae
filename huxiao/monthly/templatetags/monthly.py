"""Template filters of the monthly pages: a cell's value, and the change against last month."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def cell(value, column=None):
    """A figure for display: rates as 66.7%, unknown as —."""
    if value is None or value == "":
        return "—"
    if column is not None and getattr(column, "ratio", None) is not None:
        return f"{value:.1f}%"
    return value


@register.filter
def change(value, column=None):
    """+3 / −2 / 0; a rate's change in 个百分点."""
    if value is None:
        return ""
    suffix = "个百分点" if column is not None and getattr(column, "ratio", None) is not None else ""
    if value > 0:
        return f"+{value}{suffix}"
    if value < 0:
        return f"−{abs(value)}{suffix}"
    return "0"


@register.filter
def sign_class(value):
    if not value:
        return ""
    return "up" if value > 0 else "down"
