"""Builders for the campaign tests: a campaign shaped like the seed's (four phases, the 验收 gate),
built through the services, and the frozen day (2026-11-29, in its 验收 phase)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from huxiao.campaigns import services
from huxiao.campaigns.choices import CampaignStatus
from huxiao.campaigns.models import Campaign
from huxiao.testsupport.cast import Cast

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 11, 29)
MAJOR_GATE = [{"check": "no_live_hazards", "params": {"severities": ["major"]}}]


def seed_phases(year: int) -> list[dict]:
    """The seed's steps, in `year`: 摸排 until 5/25, 整改 5/26–11/25, 验收 and 巩固提高 11/26–1/31."""
    return [
        {"name": "摸排", "start": dt.date(year, 4, 23), "end": dt.date(year, 5, 25), "start_label": "即日"},
        {"name": "整改", "start": dt.date(year, 5, 26), "end": dt.date(year, 11, 25)},
        {
            "name": "验收",
            "start": dt.date(year, 11, 26),
            "end": dt.date(year + 1, 1, 31),
            "gates": MAJOR_GATE,
        },
        {"name": "巩固提高", "start": dt.date(year, 11, 26), "end": dt.date(year + 1, 1, 31)},
    ]


def make_campaign(cast: Cast, year: int = 2026, *, region=None, phases=None, **fields) -> Campaign:
    """A campaign in 蒲吕街道 (by default) whose office sits at the 学区管理中心."""
    values = {
        "status": CampaignStatus.ACTIVE,
        "issuer": cast.pulv_office,
        "office_org": cast.pulv_centre,
        "monthly_due_day": 28,
        "summary_due": dt.date(year + 1, 1, 20),
        "summary_recipient": cast.pulv_police,
    }
    values.update(fields)
    return services.campaign_create(
        acting_user=None,
        region=region or cast.pulv,
        name=f"蒲吕街道{year}年中小学幼儿园“护校安园”专项行动",
        year=year,
        phases=phases or seed_phases(year),
        **values,
    )


def phase(campaign: Campaign, name: str):
    return campaign.phases.get(name=name)


@pytest.fixture(name="today")
def today_fixture():
    """Time stands still at 2026-11-29 10:00 in Shanghai."""
    with time_machine.travel(dt.datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI), tick=False) as traveller:
        yield traveller
