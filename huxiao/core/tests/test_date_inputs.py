"""A saved date shows in an edit form: `<input type="date">` needs ISO (2026-11-29)."""

import datetime as dt

from django import forms


class _Form(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


def test_date_and_datetime_inputs_render_iso():
    html = str(_Form(initial={"day": dt.date(2026, 11, 29), "at": dt.datetime(2026, 11, 29, 7, 35)}))
    assert 'value="2026-11-29"' in html
    assert 'value="2026-11-29T07:35"' in html


def test_the_chinese_forms_are_still_accepted():
    for text in ("2026-11-29", "2026/11/29", "2026年11月29日"):
        form = _Form(data={"day": text, "at": "2026-11-29T07:35"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == dt.date(2026, 11, 29)
