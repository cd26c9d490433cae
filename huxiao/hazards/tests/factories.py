"""The hazard tests' day: an ordinary term-time Tuesday (the `frozen` fixture, hazards/tests/conftest.py)."""

from __future__ import annotations

import datetime as dt

from huxiao.testsupport.clock import SHANGHAI

FROZEN_AT = dt.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)
