"""Region paths (`500000/500151/500151104/`) and the one rule for settings made per region
(deadline policies, staffing standards, inspection frequencies): the setting of a region or of
its nearest ancestor applies; none — the platform default."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models

T = TypeVar("T")


def ancestors_and_self(path: str) -> list[str]:
    """`500000/500151/` → [`500000/`, `500000/500151/`]."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def nearest(by_path: Mapping[str, T], path: str) -> tuple[str, T] | None:
    """(region path, setting) of the region at `path` or its nearest ancestor holding one."""
    best = max((p for p in by_path if path.startswith(p)), key=len, default=None)
    return (best, by_path[best]) if best is not None else None


def nearest_setting(settings: models.QuerySet, path: str, *, region_path: str = "region__path") -> Any | None:
    """The row of `settings` (keyed by a region) for the region at `path` or its nearest ancestor,
    in one query; None when no region above holds one."""
    rows = {
        getattr_path(r, region_path): r
        for r in settings.filter(**{f"{region_path}__in": ancestors_and_self(path)})
    }
    found = nearest(rows, path)
    return found[1] if found else None


def getattr_path(obj: Any, lookup: str) -> Any:
    """`region__path` of a model instance (the select_related chain is loaded by the caller)."""
    for name in lookup.split("__"):
        obj = getattr(obj, name)
    return obj
