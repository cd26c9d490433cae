"""The monthly 统计表 columns this app computes (`research/regulations.md` §3 items 3–7),
registered with `huxiao.core.registry.register_figures` in apps.py.

As of the end of the range: the profile current at the end of `end`, the ruleset versions in
force on `end`; the guards counted from the staff register where the school keeps one (the same
facts the engine judges), from the profile's typed numbers otherwise. A few queries whatever the number of schools: the schools (one), their
profiles as of `end` (one, a correlated subquery), the rulebook (three).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from huxiao.core import registry
from huxiao.core.registry import SECTION_A, Column
from huxiao.standards.choices import Status
from huxiao.standards.engine import Rulebook, evaluate_rule
from huxiao.standards.facts import entry_facts, profile_facts, profiles_as_of

COLUMNS = [
    Column("std_guards_required", "专职保安员应配数", SECTION_A, 30, "名"),
    Column("std_guards_actual", "专职保安员实配数", SECTION_A, 31, "名"),
    Column("std_guards_licensed", "持证保安员数", SECTION_A, 32, "名"),
    Column(
        "std_guard_rate",
        "专职保安员配备率",
        SECTION_A,
        33,
        "%",
        ratio=("std_guards_actual", "std_guards_required"),
    ),
    Column("std_closed_ok", "封闭化管理达标学校数", SECTION_A, 40, "所"),
    Column("std_alarm_installed", "一键报警装置安装学校数", SECTION_A, 50, "所"),
    Column("std_alarm_linked", "一键报警与公安联网学校数", SECTION_A, 51, "所"),
    Column("std_cctv_linked", "视频监控联网学校数", SECTION_A, 60, "所"),
    Column("std_retention_ok", "视频存储达标学校数", SECTION_A, 61, "所"),
    Column("std_anti_ram_ok", "防冲撞设施达标学校数", SECTION_A, 70, "所"),
]

GUARD_RULE = "guard.count"
# The staff register's facts (registered by that app, read through the registry): where a school
# keeps a register, its guards are counted from it, as the 三防 engine counts them.
REGISTER_FACTS = ("register_guards", "register_guards_licensed")
RULE_COLUMNS = {
    "std_closed_ok": "closed_mgmt",
    "std_retention_ok": "cctv.retention",
    "std_anti_ram_ok": "gate.anti_ram",
}


def provider(schools: QuerySet, start: dt.date, end: dt.date) -> dict[str, int]:
    """Sums over `schools` as of `end`."""
    out = {c.key: 0 for c in COLUMNS if c.ratio is None}
    for values in by_school(schools, start, end).values():
        for key, value in values.items():
            out[key] += value
    return out


def by_school(schools: QuerySet, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """Each school's figures as of `end` (the same queries: the rules are resolved per school)."""
    school_list = list(schools.select_related("region"))
    if not school_list:
        return {}
    profiles = {p.school_id: p for p in profiles_as_of(schools.values("pk"), end)}
    register = registry.school_facts(school_list, end, keys=REGISTER_FACTS)
    rulebook = Rulebook.load(end)
    result = {}
    for school in school_list:
        out = {c.key: 0 for c in COLUMNS if c.ratio is None}
        result[school.pk] = out
        profile = profiles.get(school.pk)
        facts = {**entry_facts(school), **profile_facts(profile)}
        resolved = {r.code: r for r in rulebook.resolve(school)}
        guard = resolved.get(GUARD_RULE)
        if guard is not None:
            out["std_guards_required"] += _required_guards(guard, facts)
        kept = register.get(school.pk, {})
        if "register_guards" in kept:  # the staff register, as the engine judges it
            out["std_guards_actual"] += kept["register_guards"]
            out["std_guards_licensed"] += kept["register_guards_licensed"]
        elif profile is not None:
            out["std_guards_actual"] += profile.fulltime_guards or 0
            out["std_guards_licensed"] += profile.licensed_guards or 0
        if profile is None:
            continue
        out["std_alarm_installed"] += profile.one_key_alarm is True
        out["std_alarm_linked"] += bool(profile.one_key_alarm and profile.alarm_linked_to_police)
        out["std_cctv_linked"] += profile.cctv_linked_to_police is True
        for key, code in RULE_COLUMNS.items():
            rule = resolved.get(code)
            if rule is not None:
                row = evaluate_rule(rule, facts)
                out[key] += row["status"] == Status.PASS
    return result


def _required_guards(resolved, facts) -> int:
    from huxiao.standards import kinds

    spec = kinds.get("staffing")
    found = [
        spec.require(layer.rule.params, facts) for layer in resolved.layers if layer.rule.kind == "staffing"
    ]
    reqs = [r for r in found if r is not None]
    return int(spec.merge(reqs).value) if reqs else 0
