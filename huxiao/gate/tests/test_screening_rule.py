"""入校安检 judged from the gate log: a school whose visitors and vehicles of the last 30 days were
all screened passes 蒲吕's rule, one let in without 安检 fails it (with the seed's clause), and a
school with no gate entries is "unknown" — never a pass for a silent gate."""

from __future__ import annotations

import datetime as dt

import pytest

from huxiao.gate import facts
from huxiao.gate.tests.builders import NOW, TODAY, at, gatekeeper, vehicle, visitor
from huxiao.schools.models import School
from huxiao.standards.choices import Status
from huxiao.standards.models import Evaluation
from huxiao.standards.services import evaluate_schools

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]


def screening(school) -> dict:
    evaluate_schools([School.objects.select_related("region").get(pk=school.pk)])
    results = Evaluation.objects.get(school=school, is_latest=True).results
    return next(r for r in results if r["code"] == "gate.screening")


def test_the_fact_covers_the_30_days_up_to_the_day(cast):
    guard = gatekeeper(cast)
    assert facts.provider([cast.qingsong], TODAY) == {}
    visitor(guard, cast.qingsong, 1)
    vehicle(guard, cast.qingsong, screened=False, entered_at=at(8, 0, TODAY - dt.timedelta(days=40)))
    assert facts.provider([cast.qingsong], TODAY) == {cast.qingsong.pk: {"gate_screening": True}}
    assert facts.provider([cast.qingsong], TODAY - dt.timedelta(days=30)) == {
        cast.qingsong.pk: {"gate_screening": False}
    }


def test_the_rule_passes_fails_and_stays_unknown_without_a_log(cast):
    guard = gatekeeper(cast)
    assert screening(cast.qingsong)["status"] == Status.UNKNOWN
    visitor(guard, cast.qingsong, 1)
    assert screening(cast.qingsong)["status"] == Status.PASS
    vehicle(guard, cast.qingsong, screened=False)
    row = screening(cast.qingsong)
    assert row["status"] == Status.FAIL and "严防将管制刀具" in row["citations"][0]["citation"]
