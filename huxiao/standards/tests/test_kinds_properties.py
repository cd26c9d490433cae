"""Property tests of the rule kinds and of resolution (hypothesis)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from huxiao.standards import kinds
from huxiao.standards.choices import Status
from huxiao.standards.seed import BEIJING_RULES, CHONGQING_RULES, NATIONAL_RULES

NATIONAL_GUARDS = next(r for r in NATIONAL_RULES if r["code"] == "guard.count")["params"]
CQ_GUARDS = next(r for r in CHONGQING_RULES if r["code"] == "guard.count")["params"]
BJ_GUARDS = next(r for r in BEIJING_RULES if r["code"] == "guard.count")["params"]
STAFFING_LAYERS = [NATIONAL_GUARDS, CQ_GUARDS, BJ_GUARDS]


@st.composite
def school_sizes(draw):
    students = draw(st.integers(0, 6000))
    boarders = draw(st.integers(0, students))
    staff = draw(st.integers(0, 500))
    return {
        "students": students,
        "boarders": boarders,
        "staff": staff,
        "headcount": students + staff,
        "day_students": students - boarders,
    }


band_formulas = st.fixed_dictionaries(
    {
        "basis": st.sampled_from(["headcount", "day_students", "students"]),
        "bands": st.lists(
            st.tuples(st.integers(0, 3000), st.integers(0, 10)).map(list), min_size=1, max_size=4
        ),
        "step": st.fixed_dictionaries(
            {"above": st.integers(1, 3000), "per": st.integers(1, 800), "add": st.integers(1, 3)}
        ),
        "rounding": st.sampled_from(["ceil", "floor"]),
    }
)
staffing_params = st.fixed_dictionaries(
    {
        "fact": st.just("fulltime_guards"),
        "formulas": st.lists(band_formulas, min_size=1, max_size=3),
        "boarding": st.one_of(
            st.none(),
            st.fixed_dictionaries(
                {
                    "per": st.integers(1, 600),
                    "flat": st.integers(0, 2),
                    "rounding": st.sampled_from(["ceil", "floor"]),
                }
            ),
        ),
    }
)


@settings(max_examples=300, deadline=None)
@given(params=staffing_params, size=school_sizes(), guards=st.integers(0, 40), more=st.integers(0, 10))
def test_more_guards_never_turn_a_pass_into_a_fail(params, size, guards, more):
    assert kinds.get("staffing").validate(params) == []
    before = kinds.evaluate("staffing", params, {**size, "fulltime_guards": guards})
    after = kinds.evaluate("staffing", params, {**size, "fulltime_guards": guards + more})
    if before.status == Status.PASS:
        assert after.status == Status.PASS


@settings(max_examples=200, deadline=None)
@given(params=staffing_params, size=school_sizes())
def test_staffing_is_unknown_when_the_guard_count_is_missing(params, size):
    assert kinds.evaluate("staffing", params, {**size, "fulltime_guards": None}).status == Status.UNKNOWN
    assert kinds.evaluate("staffing", params, size).status == Status.UNKNOWN


@settings(max_examples=200, deadline=None)
@given(minimum=st.integers(0, 100), actual=st.integers(0, 100), more=st.integers(0, 50))
def test_minimum_is_monotonic_and_unknown_without_data(minimum, actual, more):
    params = {"fact": "cctv_retention_days", "min": minimum}
    if kinds.evaluate("minimum", params, {"cctv_retention_days": actual}).status == Status.PASS:
        assert kinds.evaluate("minimum", params, {"cctv_retention_days": actual + more}).status == Status.PASS
    assert kinds.evaluate("minimum", params, {}).status == Status.UNKNOWN
    assert kinds.evaluate("frequency", params, {"cctv_retention_days": None}).status == Status.UNKNOWN


facts_keys = ["closed_management", "one_key_alarm", "alarm_linked_to_police", "has_duty_post"]


@settings(max_examples=200, deadline=None)
@given(
    required=st.lists(st.sampled_from(facts_keys), min_size=1, unique=True),
    values=st.fixed_dictionaries({k: st.sampled_from([True, False, None]) for k in facts_keys}),
)
def test_required_facts_never_pass_on_missing_or_false(required, values):
    check = kinds.evaluate("facts_true", {"facts": required}, values)
    if any(values[k] is False for k in required):
        assert check.status == Status.FAIL
    elif any(values[k] is None for k in required):
        assert check.status == Status.UNKNOWN
    else:
        assert check.status == Status.PASS
    # A fact another app never registered is unknown, never a pass.
    assert kinds.evaluate("facts_true", {"facts": ["has_duty_post"]}, {}).status == Status.UNKNOWN


areas = ["gate_outside", "gatehouse", "activity", "teaching", "dormitory", "canteen"]


@settings(max_examples=200, deadline=None)
@given(
    required=st.lists(st.sampled_from(areas), min_size=1, unique=True),
    covered=st.dictionaries(st.sampled_from(areas), st.booleans()),
)
def test_coverage_adding_a_camera_never_turns_pass_into_fail(required, covered):
    params = {"fact": "camera_coverage", "areas": required}
    before = kinds.evaluate("coverage", params, {"camera_coverage": covered})
    more = {**covered, **{a: True for a in areas}}
    after = kinds.evaluate("coverage", params, {"camera_coverage": more})
    assert after.status == Status.PASS
    if before.status == Status.PASS:
        assert all(covered.get(a) for a in required)
    assert kinds.evaluate("coverage", params, {"camera_coverage": None}).status == Status.UNKNOWN


# --- Resolution -----------------------------------------------------------------------------

minimum_layers = st.lists(
    st.fixed_dictionaries({"fact": st.just("cctv_retention_days"), "min": st.integers(0, 120)}),
    min_size=1,
    max_size=4,
)
equipment = [
    "helmet",
    "stab_vest",
    "cut_gloves",
    "restraint_fork",
    "rubber_baton",
    "torch",
    "radio",
    "shield",
]
equipment_layers = st.lists(
    st.fixed_dictionaries(
        {
            "fact": st.just("guard_equipment"),
            "all_of": st.lists(st.sampled_from(equipment), unique=True, max_size=5),
            "any_of": st.lists(st.sampled_from(equipment), unique=True, max_size=3),
        }
    ),
    min_size=1,
    max_size=3,
)


def _resolve(kind, layers, facts):
    spec = kinds.get(kind)
    reqs = [spec.require(p, facts) for p in layers]
    return spec.merge(reqs), reqs


@settings(max_examples=200, deadline=None)
@given(
    layers=st.lists(st.sampled_from(STAFFING_LAYERS), min_size=1, max_size=3, unique_by=id),
    size=school_sizes(),
    guards=st.integers(0, 30),
)
def test_staffing_resolution_is_at_least_as_strict_as_every_layer_in_any_order(layers, size, guards):
    facts = {**size, "fulltime_guards": guards}
    spec = kinds.get("staffing")
    merged, reqs = _resolve("staffing", layers, facts)
    for req in reqs:
        assert spec.at_least(merged.value, req.value)
    merged_status = spec.judge(merged, layers[0], facts).status
    if merged_status == Status.PASS:  # passing the merged rule passes every layer
        assert all(kinds.evaluate("staffing", p, facts).status == Status.PASS for p in layers)
    for order in itertools.permutations(layers):
        again, _ = _resolve("staffing", list(order), facts)
        assert again.value == merged.value


@settings(max_examples=200, deadline=None)
@given(layers=minimum_layers, actual=st.integers(0, 150))
def test_minimum_resolution_is_stricter_and_order_independent(layers, actual):
    facts = {"cctv_retention_days": actual}
    spec = kinds.get("minimum")
    merged, reqs = _resolve("minimum", layers, facts)
    assert all(spec.at_least(merged.value, r.value) for r in reqs)
    assert merged.value == max(p["min"] for p in layers)
    status = spec.judge(merged, layers[0], facts).status
    assert (status == Status.PASS) == all(
        kinds.evaluate("minimum", p, facts).status == Status.PASS for p in layers
    )
    for order in itertools.permutations(layers):
        assert _resolve("minimum", list(order), facts)[0].value == merged.value


@settings(max_examples=200, deadline=None)
@given(layers=equipment_layers, have=st.lists(st.sampled_from(equipment), unique=True))
def test_equipment_resolution_is_stricter_and_order_independent(layers, have):
    layers = [p for p in layers if p["all_of"] or p["any_of"]] or [
        {"fact": "guard_equipment", "all_of": ["helmet"], "any_of": []}
    ]
    facts = {"guard_equipment": have}
    spec = kinds.get("equipment_set")
    merged, reqs = _resolve("equipment_set", layers, facts)
    assert all(spec.at_least(merged.value, r.value) for r in reqs)
    if spec.judge(merged, layers[0], facts).status == Status.PASS:
        assert all(kinds.evaluate("equipment_set", p, facts).status == Status.PASS for p in layers)
    for order in itertools.permutations(layers):
        assert _resolve("equipment_set", list(order), facts)[0].value == merged.value


def test_the_seed_rules_are_valid_for_their_kinds():
    for rule in NATIONAL_RULES + CHONGQING_RULES + BEIJING_RULES:
        assert kinds.get(rule["kind"]).validate(rule["params"]) == [], rule["code"]


def test_qingsong_needs_five_guards_nationally_and_four_in_chongqing():
    facts = {
        "students": 1380,
        "boarders": 860,
        "staff": 112,
        "headcount": 1492,
        "day_students": 520,
        "fulltime_guards": 3,
    }
    spec = kinds.get("staffing")
    assert (
        spec.require(NATIONAL_GUARDS, facts).value == 5
    )  # max(2+1 by headcount, 2 by day students) + 860//300
    assert spec.require(CQ_GUARDS, facts).value == 4
    merged = spec.merge([spec.require(NATIONAL_GUARDS, facts), spec.require(CQ_GUARDS, facts)])
    check = spec.judge(merged, NATIONAL_GUARDS, facts)
    assert (check.status, check.expected, check.actual) == (Status.FAIL, "专职保安员≥5名", "专职保安员3名")


def test_staffing_validation_names_the_field_in_chinese():
    errors = kinds.get("staffing").validate(
        {"formulas": [{"basis": "pupils", "bands": [[100]], "rounding": "up"}]}
    )
    assert any("计算基数" in e for e in errors)
    assert any("第1档" in e for e in errors)
    assert any("取整方式" in e for e in errors)
