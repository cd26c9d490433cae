"""Shared form helpers."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

from huxiao.core.errors import ConflictError

T = TypeVar("T")


def apply_validation_error(
    form: forms.BaseForm, exc: ValidationError, default_field: str | None = None
) -> None:
    """Put a service's ValidationError onto the form: per field where it names fields the form
    has, otherwise on `default_field` (or the form as a whole)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            if field in form.fields:
                # the page shows "label：message" — a service message that already starts with
                # the label (for use without a form) is not labelled twice
                prefix = f"{form.fields[field].label}："
                messages = [m.removeprefix(prefix) for e in errors for m in e.messages]
                form.add_error(field, messages)
            else:
                form.add_error(default_field, errors)
    else:
        form.add_error(default_field, exc)


# A date-and-time field as the phone's own picker.
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def run_on_form(form: forms.BaseForm, call: Callable[[], T]) -> tuple[T | None, int]:
    """(result, 200) from the service `call`; a ValidationError lands on the form's fields
    (None, 200), a conflict with another user's change on the form as a whole (None, 409)."""
    try:
        return call(), 200
    except ConflictError as exc:
        form.add_error(None, exc.message)
        return None, 409
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None, 200


class SubmittedForm(forms.Form):
    """A form that creates a record: its one-time token (`core.models.Submitted`) makes a double
    click or a resent request return the first request's record instead of a second one."""

    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=36)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = uuid.uuid4().hex
