"""Where a hazard came from.

* `SOURCES` — the kind of source (`Hazard.source`: 自查, 核查, 标准比对 …), a code with its label.
  The hazard loop registers its own; an app that raises hazards of a new kind registers that
  kind in its `AppConfig.ready()` — no migration here.
* `register_source` — the record behind it, as a link: `source_ref` is `<app>.<record>:<id>`
  (or `standards:<rule code>`), and the app that made the record registers how to reach it; the
  hazard page shows 「来源记录」 with the link. A ref no app claims is shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from huxiao.core.kinds import Registry

SOURCES = Registry("隐患来源", max_length=20)

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
