"""The demo's campaign in progress tells the 验收 story: 明德 验收通过, 青松 已申请, 小橡树 退回, and
石龙村小学 blocked by its open 重大 hazard (the 围墙) — and loading twice changes nothing."""

from __future__ import annotations

import pytest

from huxiao.campaigns import gates
from huxiao.campaigns.choices import CampaignStatus, EntryStatus
from huxiao.campaigns.models import Campaign, PhaseEntry
from huxiao.core.models import AuditEvent
from huxiao.schools.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    from huxiao.demo.loader import load_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    return load_demo()


def _standing() -> dict[str, tuple[str, int]]:
    return {
        e.school.name: (e.status, e.version)
        for e in PhaseEntry.objects.filter(phase__campaign__status=CampaignStatus.ACTIVE).select_related(
            "school"
        )
    }


def test_the_acceptance_phase_tells_the_story(demo):
    acceptance = Campaign.objects.get(status=CampaignStatus.ACTIVE).phases.get(name="验收")
    assert {name: status for name, (status, _v) in _standing().items()} == {
        "蒲吕明德小学": EntryStatus.PASSED,
        "蒲吕青松中学": EntryStatus.APPLIED,
        "蒲吕小橡树幼儿园": EntryStatus.RETURNED,
    }
    shilong = School.objects.get(name="蒲吕石龙村小学")
    (blocker,) = gates.blockers(acceptance, shilong)
    assert blocker.gate == "无未销号的重大隐患"
    assert [h.title for h in blocker.hazards] == ["围墙高度不足且无防攀爬设施"]


def test_loading_twice_changes_nothing(demo):
    from huxiao.demo.loader import load_demo

    entry_events = AuditEvent.objects.filter(action__startswith="campaign.entry_")
    before, events = _standing(), entry_events.count()
    load_demo()
    assert _standing() == before and entry_events.count() == events == 5  # 3 applications, 1 pass, 1 return
