"""The main menu, built from what each app registers in its AppConfig.ready(): a label, a URL
name, the capability a user needs to see it (None: everyone signed in) and a place in the menu.
An entry appears only for users whose roles carry its capability; a label registered twice goes
to the first entry the user qualifies for (the police's 护学岗 is their station page)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    cap: str | None
    order: int
    visible: Callable[[object], bool] | None = None  # a finer rule than the capability (the user)

    def shown_to(self, user, scope) -> bool:
        if self.cap is not None and not scope.has(self.cap):
            return False
        return self.visible is None or self.visible(user)


_ENTRIES: dict[str, Entry] = {}


def register_nav(
    label: str, url_name: str, cap: str | None, *, order: int, visible: Callable[[object], bool] | None = None
) -> None:
    """Add one menu entry (registering the same URL again replaces it). `visible(user)`, when
    given, must also hold (the sensitive registers: only police and 政法 units)."""
    _ENTRIES[url_name] = Entry(label, url_name, cap, order, visible)


def entries() -> list[Entry]:
    return sorted(_ENTRIES.values(), key=lambda e: (e.order, e.url_name))
