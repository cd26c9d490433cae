"""The parts of the board fed by other apps: the current campaign's phase timeline, the 四个100%
compliance rates, inspection frequency, 护学岗 coverage and monthly report submission.

Each app is read only through its public selector (dashboards reads, never writes, and imports
no app's views). An app whose selector is not there yet shows an honest 待上线 note naming it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from importlib import import_module
from typing import Any

from huxiao.dashboards.boards import Section


def _selector(module: str, name: str) -> Callable[..., Any] | None:
    """`module.name` when that app has delivered it, else None."""
    try:
        found = import_module(module)
    except ImportError:
        return None
    return getattr(found, name, None)


def _waiting(key: str, title: str, *names: str) -> Section:
    return Section(key, title, waiting=f"待上线：等待 {'、'.join(names)}")


def sections(user, today: dt.date) -> list[Section]:
    """The other apps' parts, in the order a leader reads them."""
    return [
        campaign_section(user, today),
        compliance_section(user, today),
        inspection_section(user, today),
        duty_section(user, today),
        monthly_section(user, today),
    ]


def campaign_section(user, today: dt.date) -> Section:
    current = _selector("huxiao.campaigns.selectors", "current_campaigns")
    progress = _selector("huxiao.campaigns.selectors", "campaign_progress")
    if current is None or progress is None:
        return _waiting(
            "campaign", "专项行动进度", "huxiao.campaigns.selectors.current_campaigns", "campaign_progress"
        )
    return _waiting("campaign", "专项行动进度", "campaign_progress")


def compliance_section(user, today: dt.date) -> Section:
    return _waiting("compliance", "四个100%达标率", "huxiao.standards.selectors.four_rates")


def inspection_section(user, today: dt.date) -> Section:
    return _waiting("inspections", "本学期督导检查频次", "huxiao.inspections 的学期频次")


def duty_section(user, today: dt.date) -> Section:
    return _waiting("duty", "护学岗覆盖率", "huxiao.duty.selectors.coverage_summary")


def monthly_section(user, today: dt.date) -> Section:
    return _waiting("monthly", "月度统计表报送", "huxiao.monthly.selectors.submission_status")
