"""Demo data of this app, loaded by `huxiao.demo.loader` after the district, schools, accounts
and hazards exist. Must be idempotent: a second run creates nothing."""

from __future__ import annotations


def load(ctx) -> dict[str, int]:
    """Create what is missing; return counts of what exists (for the load_demo summary)."""
    return {}
