"""Kinds that apps declare for themselves: a code (stored as a plain string) and its Chinese label.

A registry belongs to the app that stores the kinds — the inbox's message kinds, the Word
documents, the hazard sources, the audit actions — and every app registers its own kinds in its
`AppConfig.ready()`. The column is a plain `CharField` validated against the registry, so a new
app adds kinds without a migration in the app that stores them, and a label is one lookup.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models


@dataclass
class Registry:
    """code → label, in registration order. `what` names the kind in messages (e.g. 消息类型)."""

    what: str
    max_length: int = 30
    _labels: dict[str, str] = field(default_factory=dict)

    def register(self, code: str, label: str) -> str:
        """Declare one kind; declaring it again with the same label is harmless (ready() may run
        twice in tests), with another label is a programming error."""
        if not code or len(code) > self.max_length:
            raise ImproperlyConfigured(f"{self.what} code {code!r} must be 1–{self.max_length} characters")
        if self._labels.get(code, label) != label:
            raise ImproperlyConfigured(
                f"{self.what} {code!r} registered twice: {self._labels[code]} / {label}"
            )
        self._labels[code] = label
        return code

    def register_choices(self, choices: type[models.TextChoices]) -> None:
        """Declare every member of an app's TextChoices (its code constants and labels)."""
        for member in choices:
            self.register(member.value, str(member.label))

    def label(self, code: str) -> str:
        """The Chinese label; an unknown code (from a removed app) is shown as it is."""
        return self._labels.get(code, code)

    def validate(self, code: str) -> None:
        if code not in self._labels:
            raise ValidationError(f"{self.what}：未知的类型“{code}”。")

    def choices(self) -> list[tuple[str, str]]:
        return list(self._labels.items())

    def __contains__(self, code: object) -> bool:
        return code in self._labels

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)
