"""Gates: a school cannot enter 验收 while it has a live 重大 hazard — computed from the hazard
register, one query per gate."""

from __future__ import annotations

import datetime as dt

import pytest

from huxiao.campaigns import gates
from huxiao.campaigns.tests.factories import make_campaign, phase, today_fixture  # noqa: F401
from huxiao.hazards.choices import Severity, State
from huxiao.hazards.models import Hazard
from huxiao.testsupport.hazards import make_hazard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def test_a_live_major_hazard_keeps_a_school_out_of_acceptance(cast, today):
    campaign = make_campaign(cast)
    make_hazard(cast, cast.qingsong, severity=Severity.MAJOR, state=State.RECTIFYING)
    make_hazard(cast, cast.qingsong, severity=Severity.MAJOR, state=State.REPORTED, title="围墙倒塌风险")
    make_hazard(cast, cast.mingde, severity=Severity.MAJOR, state=State.CLOSED)  # closed: no longer blocks
    make_hazard(cast, cast.mingde, severity=Severity.GENERAL, state=State.OPEN)  # general: not this gate
    results = {
        r.school.name: r
        for r in gates.evaluate(phase(campaign, "验收"), [cast.qingsong, cast.mingde, cast.shilong])
    }
    assert not results["蒲吕青松中学"].passed
    assert results["蒲吕青松中学"].failures == ["有 2 项未销号的重大隐患"]
    assert results["蒲吕明德小学"].passed and results["蒲吕石龙村小学"].passed


def test_a_phase_without_gates_lets_everyone_in(cast):
    campaign = make_campaign(cast)
    make_hazard(cast, cast.qingsong, severity=Severity.MAJOR, state=State.OPEN)
    assert all(r.passed for r in gates.evaluate(phase(campaign, "巩固提高"), [cast.qingsong]))


def test_the_overdue_gate_takes_its_parameters_from_data(cast, today):
    campaign = make_campaign(cast)
    p = phase(campaign, "验收")
    p.gates = [{"check": "no_overdue_hazards", "params": {"severities": ["general"]}}]
    late = make_hazard(cast, cast.mingde, state=State.OPEN)
    Hazard.objects.filter(pk=late.pk).update(deadline=dt.date(2026, 11, 20))
    make_hazard(cast, cast.qingsong, severity=Severity.LARGER, state=State.OPEN)  # not general
    results = {r.school.pk: r for r in gates.evaluate(p, [cast.qingsong, cast.mingde])}
    assert results[cast.mingde.pk].failures == ["有 1 项逾期未整改的一般隐患"]
    assert results[cast.qingsong.pk].passed


def test_unknown_gates_are_refused_when_saved_and_fail_when_met(cast):
    with pytest.raises(ValueError, match="未知的进入条件"):
        gates.validate_gates([{"check": "moon_phase"}])
    with pytest.raises(ValueError, match="未知的隐患等级"):
        gates.validate_gates([{"check": "no_live_hazards", "params": {"severities": ["huge"]}}])
    campaign = make_campaign(cast)
    p = phase(campaign, "验收")
    p.gates = [{"check": "moon_phase"}]
    (result,) = gates.evaluate(p, [cast.qingsong])
    assert not result.passed  # never a silent pass


def test_the_gate_page_shows_each_school(cast, client, today):
    campaign = make_campaign(cast)
    make_hazard(cast, cast.qingsong, severity=Severity.MAJOR, state=State.OPEN)
    client.force_login(cast.centre_officer)
    page = client.get(f"/campaigns/{campaign.pk}/gates/").content.decode()
    assert "进入验收阶段" in page and "无未销号的重大隐患" in page
    assert page.count("暂不能进入") == 1 and "蒲吕青松中学" in page and "蒲吕明德小学" in page
    # a school's own user sees only its own row
    client.force_login(cast.mingde_lead)
    page = client.get(f"/campaigns/{campaign.pk}/gates/").content.decode()
    assert "蒲吕明德小学" in page and "蒲吕青松中学" not in page
