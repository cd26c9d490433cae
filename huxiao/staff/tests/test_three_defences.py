"""The register and the 三防 engine together, as the issue's acceptance reads: 青松中学's guard
requirement is judged from its register — a licensed, trained, cleared guard added moves it from
fail to pass, a licence that runs out moves it back — and each register write re-evaluates the
school by itself (the standards engine listens to `core.registry.school_facts_changed`)."""

from __future__ import annotations

import datetime as dt

import pytest

from huxiao.staff import services
from huxiao.staff.tests.builders import TODAY, cleared, guard
from huxiao.standards.choices import Status
from huxiao.standards.models import Evaluation
from huxiao.standards.tests.helpers import file_profile

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(TODAY)]


def guard_rule(school) -> dict:
    results = Evaluation.objects.get(school=school, is_latest=True).results
    return next(r for r in results if r["code"] == "guard.count")


def required(row: dict) -> int:
    """The n of "专职保安员≥n名"."""
    return int(row["expected"].removeprefix("专职保安员≥").removesuffix("名"))


def test_a_qualified_guard_added_passes_and_a_licence_run_out_fails_again(
    cast, django_capture_on_commit_callbacks
):
    lead, school = cast.qingsong_lead, cast.qingsong
    with django_capture_on_commit_callbacks(execute=True):
        file_profile(school, lead, fulltime_guards=9, licensed_guards=9)  # typed: plenty
    assert guard_rule(school)["status"] == Status.PASS and "自报" in guard_rule(school)["evidence"]
    need = required(guard_rule(school))
    guards = []
    for seq in range(1, need):
        with django_capture_on_commit_callbacks(execute=True):
            person = guard(lead, school, seq)
            cleared(lead, person)
        guards.append(person)
    row = guard_rule(school)
    assert row["status"] == Status.FAIL and row["actual"] == f"专职保安员{need - 1}名"
    assert "据人员名册" in row["evidence"]
    with django_capture_on_commit_callbacks(execute=True):
        last = guard(lead, school, need)
    assert guard_rule(school)["status"] == Status.FAIL  # not yet checked: not counted
    with django_capture_on_commit_callbacks(execute=True):
        cleared(lead, last)
    assert guard_rule(school)["status"] == Status.PASS
    fields = {f: getattr(last, f) for f in services.MEMBER_FIELDS}
    with django_capture_on_commit_callbacks(execute=True):
        services.member_update(
            acting_user=lead,
            member=last,
            expected_version=last.version,
            id_number=last.plain("id_number"),
            **{**fields, "licence_valid_until": TODAY - dt.timedelta(days=1)},
        )
    assert guard_rule(school)["status"] == Status.FAIL


def test_the_equipment_register_replaces_the_ticked_list(cast, django_capture_on_commit_callbacks):
    lead, school = cast.qingsong_lead, cast.qingsong
    kit = ["helmet", "stab_vest", "cut_gloves", "restraint_fork", "rubber_baton", "torch", "radio"]
    with django_capture_on_commit_callbacks(execute=True):
        file_profile(school, lead, guard_equipment=kit)
    row = next(
        r
        for r in Evaluation.objects.get(school=school, is_latest=True).results
        if r["code"] == "guard.equipment"
    )
    assert row["status"] == Status.PASS and "自报" in row["evidence"]
    for kind in kit:
        with django_capture_on_commit_callbacks(execute=True):
            services.equipment_check(
                acting_user=lead,
                school=school,
                kind=kind,
                count=2,
                working=0 if kind == "helmet" else 2,
                checked_on=TODAY,
            )
    row = next(
        r
        for r in Evaluation.objects.get(school=school, is_latest=True).results
        if r["code"] == "guard.equipment"
    )
    assert row["status"] == Status.FAIL and "据装备器械台账" in row["evidence"]  # the helmets are broken
