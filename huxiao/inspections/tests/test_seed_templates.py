"""Every seed checklist renders on the answering page, is answered and submitted; failed items
of `auto` checklists become hazards, each citing its clause."""

from __future__ import annotations

import pytest

from huxiao.hazards.models import Hazard
from huxiao.inspections import services
from huxiao.inspections.choices import HazardMode, Kind, State
from huxiao.inspections.seeds import SEED, seed_checklists
from huxiao.inspections.tests.helpers import answer_all, start, submit

NAMES = [t.name for t in SEED]


def test_there_are_eight_seed_checklists_with_8_to_20_cited_items(seeded):
    assert sorted(seeded) == sorted(
        ["校园三防", "消防安全", "食品安全", "校舍安全", "危化品", "水电燃气", "卫生防疫", "周边环境"]
    )
    for template in seeded.values():
        items = services.numbered_items(template.versions.get())
        assert 8 <= len(items) <= 20, template.name
        assert all(i.clause for i in items), template.name


def test_seeding_twice_creates_nothing(seeded):
    assert seed_checklists() == 0


@pytest.mark.parametrize("name", NAMES)
def test_each_seed_checklist_renders_is_answered_and_submitted(name, cast, seeded, client):
    inspection = start(cast.police, cast.qingsong, Kind.VERIFY, seeded[name])
    client.force_login(cast.police)
    page = client.get(f"/inspections/{inspection.pk}/")
    assert page.status_code == 200
    items = services.numbered_items(inspection.checklist)
    body = page.content.decode()
    for item in items:
        assert f'id="item-{item.pk}"' in body and item.text in body
    auto = next(i for i in items if i.hazard_on_fail == HazardMode.AUTO)
    answer_all(inspection, cast.police, fail=(auto.no,))
    hazards = submit(inspection, cast.police)
    inspection.refresh_from_db()
    assert inspection.state == State.SUBMITTED
    assert len(hazards) == 1
    hazard = Hazard.objects.get(source_ref__startswith="inspections.answer:")
    assert hazard.title == auto.failed_title and auto.clause in hazard.description
    assert hazard.source == "verify" and hazard.category == auto.hazard_category
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 200
