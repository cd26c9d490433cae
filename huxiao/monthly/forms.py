"""Forms of the monthly 统计表: the manual columns (built from the registry), returning a
report, and the month picker."""

from __future__ import annotations

import re

from django import forms

from huxiao.monthly import selectors
from huxiao.monthly.services import MAX_NUMBER, MAX_TEXT


class ManualForm(forms.Form):
    """One field per registered manual column; numbers are whole and ≥ 0, blank means 未填."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, defaults: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = defaults or {}
        for c in selectors.columns():
            if not c.manual:
                continue
            if selectors.is_text(c):
                self.fields[c.key] = forms.CharField(
                    label=c.label,
                    required=False,
                    max_length=MAX_TEXT,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            else:
                help_text = f"下级已报送合计 {defaults[c.key]}，留空即采用" if c.key in defaults else ""
                self.fields[c.key] = forms.IntegerField(
                    label=c.label,
                    required=False,
                    min_value=0,
                    max_value=MAX_NUMBER,
                    help_text=help_text,
                    error_messages={
                        "invalid": f"{c.label}：须填写整数。",
                        "min_value": f"{c.label}：不能小于0。",
                        "max_value": f"{c.label}：不能大于{MAX_NUMBER}。",
                    },
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
                )

    def manual_values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class DecideForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="退回理由", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(text: str | None, default: tuple[int, int]) -> tuple[int, int]:
    """`2026-11` → (2026, 11); anything else (or a month out of range) → `default`."""
    m = MONTH_RE.match(text or "")
    if not m:
        return default
    year, month = int(m.group(1)), int(m.group(2))
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return default
    return year, month
