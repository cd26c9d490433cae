"""Who reads the gate log (the school's own keepers: its 门卫, its safety lead, its principal), who
counts it (the 学区, the 派出所), who may search it (the 派出所 only), and who sees nothing
(街道, 政法委, 平安办, the three administrators, another subdistrict)."""

from __future__ import annotations

import pytest

from huxiao.accounts.roles import RoleCode
from huxiao.gate import access
from huxiao.gate.models import PickupException, VehicleEntry, VisitorEntry
from huxiao.gate.tests.builders import NOW, gatekeeper, keeper_at, pickup, vehicle, visitor
from huxiao.testsupport.cast import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]
MODELS = [VisitorEntry, VehicleEntry, PickupException]
NOBODY = sorted(["official", "safety_officer", "observer", "sysadmin", "auditor", "secadmin", "outsider"])


@pytest.fixture
def log(cast):
    guard = gatekeeper(cast)
    qingsong = [visitor(guard, cast.qingsong, 1), vehicle(guard, cast.qingsong), pickup(guard, cast.qingsong)]
    mingde = [
        visitor(cast.mingde_lead, cast.mingde, 2),
        vehicle(cast.mingde_lead, cast.mingde, "渝B54321"),
        pickup(cast.mingde_lead, cast.mingde),
    ]
    return guard, qingsong, mingde


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_gatekeeper_and_the_safety_lead_read_their_own_school_only(cast, log, model):
    guard, qingsong, mingde = log
    own = {r for r in qingsong if isinstance(r, model)}
    assert set(model.objects.visible_to(guard)) == own
    assert set(model.objects.visible_to(cast.qingsong_lead)) == own
    assert set(model.objects.visible_to(cast.mingde_lead)) == {r for r in mingde if isinstance(r, model)}


@pytest.mark.parametrize("who", ["police", "centre_officer", *NOBODY])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_no_one_outside_the_school_reads_a_record(cast, log, model, who):
    assert not model.objects.visible_to(getattr(cast, who)).exists()


@pytest.mark.parametrize("who", ["police", "centre_officer"])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_school_district_and_the_police_count_their_schools(cast, log, model, who):
    _guard, qingsong, mingde = log
    assert set(model.objects.counted_for(getattr(cast, who))) == {
        r for r in [*qingsong, *mingde] if isinstance(r, model)
    }


@pytest.mark.parametrize("who", NOBODY)
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_nobody_else_counts_the_log(cast, log, model, who):
    assert not model.objects.counted_for(getattr(cast, who)).exists()


def test_only_the_police_search_and_only_their_schools(cast, log):
    assert VehicleEntry.objects.searchable_by(cast.police).count() == 2
    assert not VehicleEntry.objects.searchable_by(cast.centre_officer).exists()
    assert not VehicleEntry.objects.searchable_by(cast.qingsong_lead).exists()
    bachuan_officer = make_user("bachuan_officer", cast.bachuan_police, RoleCode.POLICE)
    guard = keeper_at(cast.binhe, "binhe_guard")
    vehicle(guard, cast.binhe)
    assert [v.school for v in VehicleEntry.objects.searchable_by(bachuan_officer)] == [cast.binhe]
    assert VehicleEntry.objects.searchable_by(cast.police).count() == 2


def test_each_audience_is_told_apart(cast, log):
    guard = log[0]
    assert access.keeps_log(guard) and not access.reviews_log(guard) and not access.sees_counts(guard)
    assert access.keeps_log(cast.qingsong_lead) and access.reviews_log(cast.qingsong_lead)
    assert access.sees_counts(cast.centre_officer) and not access.searches(cast.centre_officer)
    assert access.sees_counts(cast.police) and access.searches(cast.police)
    for who in NOBODY:
        user = getattr(cast, who)
        assert not (access.keeps_log(user) or access.sees_counts(user) or access.searches(user)), who


def test_the_audit_events_are_read_by_the_keepers_the_police_and_the_auditor_only(cast, log):
    readers = {
        who
        for who in ["police", "centre_officer", "qingsong_lead", *NOBODY]
        if access.reads_gate_audit(getattr(cast, who))
    }
    assert readers == {"police", "qingsong_lead", "auditor"}
    assert access.reads_gate_audit(log[0])
