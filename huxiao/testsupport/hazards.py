"""Hazards for any app's tests: reported and driven to a state through the services (never by
writing `state` directly), and who acts for which school in the cast."""

from __future__ import annotations

import datetime as dt
from typing import Any

from huxiao.accounts.roles import Cap
from huxiao.hazards import services
from huxiao.hazards.choices import Severity, State
from huxiao.hazards.models import Hazard
from huxiao.schools.models import School
from huxiao.testsupport.cast import Cast, make_school
from huxiao.testsupport.files import photo

# --- Who acts -------------------------------------------------------------------------------

# Every member of the fixed cast, by attribute name (see huxiao/testsupport/cast.py).
CAST_MEMBERS = [
    "official",
    "safety_officer",
    "police",
    "centre_officer",
    "qingsong_lead",
    "mingde_lead",
    "observer",
    "sysadmin",
    "auditor",
    "outsider",
]

# Who holds each capability over 青松中学 (the school most tests use).
QINGSONG_REVIEWERS = frozenset({"safety_officer", "police", "centre_officer"})
QINGSONG_RECTIFIERS = frozenset({"qingsong_lead"})


def bachuan_school(cast: Cast) -> School:
    """A school with its own unit in the other subdistrict (巴川), outside 蒲吕's scope. (The cast's
    滨河小学 has no unit of its own, so no hazard can be registered there.)"""
    return make_school(
        "巴川向阳小学", cast.binhe_community, own_unit=True, police_station=cast.bachuan_police
    )


def reviewer_for(cast: Cast, school: School):
    """Someone who may confirm, return and accept at `school`."""
    if school.region_id == cast.binhe_community.pk:
        return cast.outsider
    return cast.police if school.police_station_id == cast.pulv_police.pk else cast.safety_officer


def rectifier_for(cast: Cast, school: School):
    """The school's own safety lead (only 青松 and 明德 have one in the cast)."""
    return {cast.qingsong.pk: cast.qingsong_lead, cast.mingde.pk: cast.mingde_lead}[school.pk]


# --- Hazards --------------------------------------------------------------------------------


def make_hazard(
    cast: Cast,
    school: School | None = None,
    *,
    by=None,
    state: str = State.REPORTED,
    severity: str = Severity.GENERAL,
    **fields: Any,
) -> Hazard:
    """A hazard at `school` (青松 by default) reported by `by` (a reviewer by default), then
    driven through the services to `state` by the people who may do each step."""
    school = school or cast.qingsong
    values: dict[str, Any] = {
        "title": "消防通道堆放杂物",
        "category": "fire",
        "description": "宿舍楼一层消防通道堆放纸箱和旧桌椅。",
        "location": "3号宿舍楼",
    }
    values.update(fields)
    hazard = services.hazard_report(
        acting_user=by or reviewer_for(cast, school), school=school, severity=severity, **values
    )
    return drive(cast, hazard, state)


def drive(cast: Cast, hazard: Hazard, state: str) -> Hazard:
    """Move `hazard` (reported or further along the main path) on to `state`."""
    reviewer = reviewer_for(cast, hazard.school)
    path = {
        State.REPORTED: [],
        State.DISMISSED: ["dismiss"],
        State.OPEN: ["confirm"],
        State.RECTIFYING: ["confirm", "start"],
        State.SUBMITTED: ["confirm", "start", "submit"],
        State.CLOSED: ["confirm", "start", "submit", "accept"],
    }[State(state)]
    done = {
        State.OPEN: ["confirm"],
        State.RECTIFYING: ["confirm", "start"],
        State.SUBMITTED: ["confirm", "start", "submit"],
    }.get(State(hazard.state), [])
    for action in path[len(done) :]:
        if action == "accept" and hazard.is_major:
            make_major_ready(cast, hazard)
        rectifying = services.TRANSITIONS[action].cap == Cap.HAZARD_RECTIFY
        hazard = services.hazard_transition(
            acting_user=rectifier_for(cast, hazard.school) if rectifying else reviewer,
            hazard=hazard,
            action=action,
            expected_version=hazard.version,
            reason="经核查不属于安全隐患" if action == "dismiss" else "",
            note="整改完毕" if action == "submit" else "",
            photos=[photo()] if action == "submit" else (),
        )
    return hazard


def make_major_ready(cast: Cast, hazard: Hazard) -> None:
    """What a 重大 hazard needs before acceptance: the 学区's plan and temporary measures."""
    services.plan_record(
        acting_user=cast.centre_officer,
        hazard=hazard,
        summary="分两期加高围墙并加装防攀爬设施",
        tasks=[("加高东侧围墙至2.5米", "学校总务处", dt.date(2026, 6, 30))],
    )
    services.hazard_record_temp_measures(
        acting_user=cast.centre_officer, hazard=hazard, text="设置警戒线，安排专人值守"
    )


# --- One transition by name -----------------------------------------------------------------
# Shorthands for `services.hazard_transition(action=...)`, one per row of `TRANSITIONS`, so a test
# reads as the step it takes. The application itself always calls `hazard_transition`.


def _transition(action: str):
    def act(*, acting_user, hazard, expected_version, **kwargs):
        return services.hazard_transition(
            acting_user=acting_user, hazard=hazard, action=action, expected_version=expected_version, **kwargs
        )

    act.__name__ = act.__qualname__ = f"hazard_{action}"
    act.__doc__ = f"`hazard_transition(action={action!r})`: {services.TRANSITIONS[action]}"
    return act


hazard_confirm = _transition("confirm")  # 待核实 → 待整改
hazard_dismiss = _transition("dismiss")  # 待核实 → 不予立案 (reason required)
hazard_start = _transition("start")  # 待整改 → 整改中 (the school starts)
hazard_submit = _transition("submit")  # 整改中 → 待验收, with after-photos
hazard_return = _transition("return")  # 待验收 → 整改中 (reason; reviewer from another organisation)
hazard_accept = _transition("accept")  # 待验收 → 已销号 (重大 needs plan + temporary measures)
hazard_fix_on_spot = _transition("fix_on_spot")  # 立行立改: 待核实/待整改 → 已销号 with evidence
hazard_reopen = _transition("reopen")  # 已销号 → 整改中 (reason required)


def fresh(hazard: Hazard) -> Hazard:
    """The hazard as the database holds it now."""
    return Hazard.objects.get(pk=hazard.pk)
