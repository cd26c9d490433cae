"""Moments in Asia/Shanghai for frozen clocks (`pytest.mark.frozen`, `time_machine.travel`)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """`day` at `hour` o'clock in Shanghai."""
    return dt.datetime.combine(day, dt.time(hour), SHANGHAI)
