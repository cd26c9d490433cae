"""Where a hazard came from, as a link: `source_ref` is `<app>.<record>:<id>` (or
`standards:<rule code>`), and the app that made the record registers how to reach it.

Apps register in their `AppConfig.ready()`; the hazard page shows 「来源记录」 with the link.
A ref no app claims is shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Resolver = Callable[[object, str], str | None]  # (hazard, the part after the colon) -> url or None


@dataclass(frozen=True)
class SourceLink:
    label: str
    url: str


_RESOLVERS: dict[str, tuple[str, Resolver]] = {}


def register_source(prefix: str, label: str, resolver: Resolver) -> None:
    """`prefix` is what comes before the colon in `source_ref`, e.g. "inspections.answer"."""
    _RESOLVERS[prefix] = (label, resolver)


def source_link(hazard) -> SourceLink | None:
    prefix, sep, rest = (hazard.source_ref or "").partition(":")
    if not sep or prefix not in _RESOLVERS:
        return None
    label, resolver = _RESOLVERS[prefix]
    url = resolver(hazard, rest)
    return SourceLink(label, url) if url else None
