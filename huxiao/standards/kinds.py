"""Rule kinds: Python functions whose parameters are data (DESIGN §6).

Each kind is registered by name and has two halves:

* `require(params, facts) -> Requirement | None` — what this layer of a rule demands of this
  school (a number, or a set of items), with a Chinese line saying how it was worked out;
  None when the facts it needs are missing.
* `judge(requirement, params, facts) -> Check` — pass / fail / unknown against the school's
  facts, with expected and actual in Chinese.

Resolution (`engine.py`) asks every layer (national, province, district) for its requirement,
merges them with the kind's `merge` — the larger number, or the union of required items — and
judges once against the merged requirement. The merged requirement is therefore at least as
strict as every layer and does not depend on the order of the layers.

A missing fact is never a pass: `judge` answers UNKNOWN.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from huxiao.schools.choices import AntiRam, CameraArea, GuardEquipment
from huxiao.standards.choices import Status

Facts = Mapping[str, Any]


@dataclass(frozen=True)
class Requirement:
    """One layer's (or the merged) demand. `value` is an int/float, or a pair of frozensets
    (all_of, any_of) for item kinds; `how` says in Chinese how it was computed."""

    value: Any
    how: str = ""


@dataclass(frozen=True)
class Check:
    status: str
    expected: str
    actual: str


@dataclass(frozen=True)
class KindSpec:
    name: str
    label: str
    require: Callable[[Mapping[str, Any], Facts], Requirement | None]
    merge: Callable[[Sequence[Requirement]], Requirement]
    judge: Callable[[Requirement, Mapping[str, Any], Facts], Check]
    validate: Callable[[Mapping[str, Any]], list[str]]
    describe: Callable[[Requirement, Mapping[str, Any]], str]
    # Whether requirement `a` is at least as strict as `b` (used by tests and the explanation).
    at_least: Callable[[Any, Any], bool]
    # A count "so far this semester" is progress, not yet a gap: frequency rules show on the
    # page but never raise a hazard mid-semester (the inspections app lists schools behind).
    raises_hazard: bool = True


KINDS: dict[str, KindSpec] = {}


def register(spec: KindSpec) -> KindSpec:
    if spec.name in KINDS:
        raise ValueError(f"rule kind registered twice: {spec.name}")
    KINDS[spec.name] = spec
    return spec


def get(name: str) -> KindSpec:
    return KINDS[name]


# Labels of the items the item kinds check, by the fact that lists them.
ITEM_LABELS: dict[str, dict[str, str]] = {
    "guard_equipment": dict(GuardEquipment.choices),
    "gate_anti_ram": dict(AntiRam.choices),
    "camera_coverage": dict(CameraArea.choices),
}

# Labels and units of facts, for the "actual" text (the registry's labels take precedence when
# the provider registered them; these cover the rules seeded here).
FACT_TEXT: dict[str, tuple[str, str]] = {
    "fulltime_guards": ("专职保安员", "名"),
    "licensed_guards": ("持证保安员", "名"),
    "gatehouse_staffed_hours": ("门卫室每日值守", "小时"),
    "night_guards": ("夜间值守保安员", "名"),
    "perimeter_height_m": ("围墙（栅栏）最低高度", "米"),
    "cctv_retention_days": ("视频存储", "天"),
    "drills_per_semester": ("本学期疏散演练", "次"),
    "self_inspections_semester": ("本学期学校自查", "次"),
    "supervision_inspections_semester": ("本学期督导检查", "次"),
    "closed_management": ("封闭化管理", ""),
    "perimeter_closed": ("周界实体屏障", ""),
    "anti_climb": ("周界防攀爬措施", ""),
    "ped_vehicle_separated": ("人车分流", ""),
    "cctv_linked_to_police": ("视频监控与公安联网", ""),
    "one_key_alarm": ("一键报警装置", ""),
    "alarm_linked_to_police": ("一键报警与公安（110）联网", ""),
    "intrusion_alarm": ("周界入侵报警", ""),
    "visitor_register": ("外来人员、车辆登记制度", ""),
    "visitor_id_check": ("来访核验身份", ""),
    "pickup_handover": ("学生（幼儿）接送交接制度", ""),
    "guards_all_licensed": ("专职保安员均持保安员证", ""),
    "has_duty_post": ("设置护学岗", ""),
    "register_houseparents": ("在岗生活管理教师（宿管）", "名"),
}

BASIS_LABELS = {
    "headcount": "师生员工总数",
    "day_students": "非寄宿生数",
    "students": "在校学生数",
}
ROUNDING = {"ceil": math.ceil, "floor": math.floor}


def fact_label(key: str) -> str:
    return FACT_TEXT.get(key, (key, ""))[0]


# The fact a kind reads when its parameters do not name one.
DEFAULT_FACT = {"staffing": "fulltime_guards", "coverage": "camera_coverage"}


def facts_read(kind: str, params: Mapping[str, Any]) -> frozenset[str]:
    """The facts a rule of `kind` with `params` reads: its `fact` or `facts`, and for a staffing
    rule the head counts its formulas are based on (and the boarders, with a boarding add-on).
    What the ruleset page's unused-fields list and the result's evidence are computed from."""
    keys: set[str] = set()
    fact = params.get("fact", DEFAULT_FACT.get(kind))
    if isinstance(fact, str) and fact:
        keys.add(fact)
    listed = params.get("facts")
    if isinstance(listed, list):
        keys.update(k for k in listed if isinstance(k, str))
    for formula in params.get("formulas") or []:
        if isinstance(formula, dict) and isinstance(formula.get("basis"), str):
            keys.add(formula["basis"])
    if params.get("boarding"):
        keys.add("boarders")
    return frozenset(keys)


def fact_unit(key: str) -> str:
    return FACT_TEXT.get(key, ("", ""))[1]


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _max_merge(reqs: Sequence[Requirement]) -> Requirement:
    return max(reqs, key=lambda r: r.value)


def _ge(a: Any, b: Any) -> bool:
    return a >= b


# --- staffing: guards by head-count bands -------------------------------------------------


def _band_count(formula: Mapping[str, Any], value: int) -> int:
    required = 0
    for low, count in sorted(formula.get("bands", []), key=lambda b: b[0]):
        if value >= low:
            required = count
    step = formula.get("step")
    if step and value > step["above"]:
        rounding = ROUNDING[formula.get("rounding", "ceil")]
        required += int(rounding((value - step["above"]) / step["per"])) * step.get("add", 1)
    return required


def staffing_require(params: Mapping[str, Any], facts: Facts) -> Requirement | None:
    parts: list[str] = []
    best = 0
    for formula in params.get("formulas", []):
        basis = formula["basis"]
        value = facts.get(basis)
        if value is None:
            return None
        count = _band_count(formula, value)
        parts.append(f"按{BASIS_LABELS.get(basis, basis)}{value}人应≥{count}名")
        best = max(best, count)
    boarding = params.get("boarding")
    boarders = facts.get("boarders") or 0
    if boarding and boarders > 0:
        rounding = ROUNDING[boarding.get("rounding", "floor")]
        extra = boarding.get("flat", 0)
        if boarding.get("per"):
            extra += int(rounding(boarders / boarding["per"])) * boarding.get("add", 1)
        if extra:
            parts.append(f"寄宿生{boarders}人另增配{extra}名")
        best += extra
    how = "；".join(parts)
    return Requirement(best, how)


def staffing_judge(req: Requirement, params: Mapping[str, Any], facts: Facts) -> Check:
    fact = params.get("fact", "fulltime_guards")
    unit = fact_unit(fact) or "名"
    expected = f"{fact_label(fact)}≥{req.value}{unit}"
    actual = facts.get(fact)
    if actual is None:
        return Check(Status.UNKNOWN, expected, f"{fact_label(fact)}：未填报")
    status = Status.PASS if actual >= req.value else Status.FAIL
    return Check(status, expected, f"{fact_label(fact)}{actual}{unit}")


def _validate_band_formula(formula: Any, where: str) -> list[str]:
    errors: list[str] = []
    if not isinstance(formula, dict):
        return [f"{where}：须为对象。"]
    if formula.get("basis") not in BASIS_LABELS:
        errors.append(f"{where}：计算基数须为 {'、'.join(BASIS_LABELS)} 之一。")
    bands = formula.get("bands")
    if not isinstance(bands, list) or not bands:
        errors.append(f"{where}：须至少有一个人数档（[起始人数, 应配人数]）。")
    else:
        for i, band in enumerate(bands, 1):
            if (
                not isinstance(band, list)
                or len(band) != 2
                or not all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in band)
            ):
                errors.append(f"{where}第{i}档：须为两个非负整数 [起始人数, 应配人数]。")
    step = formula.get("step")
    if step is not None and (
        not isinstance(step, dict)
        or not all(isinstance(step.get(k), int) and step[k] > 0 for k in ("above", "per"))
    ):
        errors.append(f"{where}：递增规则须有正整数 above（超过人数）和 per（每增加人数）。")
    if formula.get("rounding", "ceil") not in ROUNDING:
        errors.append(f"{where}：取整方式须为 ceil（进一）或 floor（去尾）。")
    return errors


def staffing_validate(params: Mapping[str, Any]) -> list[str]:
    errors: list[str] = []
    formulas = params.get("formulas")
    if not isinstance(formulas, list) or not formulas:
        errors.append("计算公式（formulas）：至少需要一个。")
    else:
        for i, formula in enumerate(formulas, 1):
            errors += _validate_band_formula(formula, f"第{i}个计算公式")
    boarding = params.get("boarding")
    if boarding is not None:
        if not isinstance(boarding, dict):
            errors.append("寄宿增配（boarding）：须为对象或 null。")
        else:
            per = boarding.get("per")
            if per is not None and (not isinstance(per, int) or per <= 0):
                errors.append("寄宿增配：每多少名寄宿生（per）须为正整数。")
            flat = boarding.get("flat", 0)
            if not isinstance(flat, int) or flat < 0:
                errors.append("寄宿增配：固定增配人数（flat）须为非负整数。")
            if boarding.get("rounding", "floor") not in ROUNDING:
                errors.append("寄宿增配：取整方式须为 ceil 或 floor。")
    return errors


register(
    KindSpec(
        name="staffing",
        label="按人数分档配备",
        require=staffing_require,
        merge=_max_merge,
        judge=staffing_judge,
        validate=staffing_validate,
        describe=lambda req, params: (
            f"≥{req.value}{fact_unit(params.get('fact', 'fulltime_guards')) or '名'}"
        ),
        at_least=_ge,
    )
)


# --- minimum / frequency: a number at least N ----------------------------------------------


def minimum_require(params: Mapping[str, Any], facts: Facts) -> Requirement | None:
    return Requirement(params["min"])


def _minimum_text(value: Any, params: Mapping[str, Any]) -> str:
    fact = params["fact"]
    unit = params.get("unit") or fact_unit(fact)
    per = params.get("per")
    prefix = f"每{per}" if per else ""
    return f"{fact_label(fact)}{prefix}≥{_num(value)}{unit}"


def minimum_judge(req: Requirement, params: Mapping[str, Any], facts: Facts) -> Check:
    fact = params["fact"]
    unit = params.get("unit") or fact_unit(fact)
    expected = _minimum_text(req.value, params)
    actual = facts.get(fact)
    if actual is None:
        return Check(Status.UNKNOWN, expected, f"{fact_label(fact)}：无数据")
    status = Status.PASS if float(actual) >= float(req.value) else Status.FAIL
    return Check(status, expected, f"{fact_label(fact)}{_num(float(actual))}{unit}")


def minimum_validate(params: Mapping[str, Any]) -> list[str]:
    errors = []
    if not isinstance(params.get("fact"), str) or not params.get("fact"):
        errors.append("检查项（fact）：须指定。")
    value = params.get("min")
    if not (_is_number(value) and float(value or 0) >= 0):
        errors.append("最低要求（min）：须为不小于0的数。")
    return errors


for _name, _label in (("minimum", "数值不低于"), ("frequency", "每学期次数不少于")):
    register(
        KindSpec(
            name=_name,
            label=_label,
            require=minimum_require,
            merge=_max_merge,
            judge=minimum_judge,
            validate=minimum_validate,
            describe=lambda req, params: (
                f"≥{_num(req.value)}{params.get('unit') or fact_unit(params['fact'])}"
            ),
            at_least=_ge,
            raises_hazard=_name != "frequency",
        )
    )


# --- facts_true: required facts -------------------------------------------------------------


def facts_require(params: Mapping[str, Any], facts: Facts) -> Requirement | None:
    return Requirement(frozenset(params["facts"]))


def _union(reqs: Sequence[Requirement]) -> Requirement:
    return Requirement(frozenset().union(*(r.value for r in reqs)))


def _fact_order(keys) -> list[str]:
    order = list(FACT_TEXT)
    return sorted(keys, key=lambda k: (order.index(k) if k in order else 99, k))


def facts_judge(req: Requirement, params: Mapping[str, Any], facts: Facts) -> Check:
    keys = _fact_order(req.value)
    expected = "、".join(fact_label(k) for k in keys) + "：须具备"
    missing = [k for k in keys if facts.get(k) is False]
    unknown = [k for k in keys if facts.get(k) is None]
    if missing:
        text = "；".join(f"{fact_label(k)}：否" for k in missing)
        if unknown:
            text += "；未填报：" + "、".join(fact_label(k) for k in unknown)
        return Check(Status.FAIL, expected, text)
    if unknown:
        return Check(Status.UNKNOWN, expected, "未填报：" + "、".join(fact_label(k) for k in unknown))
    return Check(Status.PASS, expected, "均已具备")


def facts_validate(params: Mapping[str, Any]) -> list[str]:
    facts = params.get("facts")
    if not isinstance(facts, list) or not facts or not all(isinstance(f, str) and f for f in facts):
        return ["须具备的事项（facts）：至少列出一项。"]
    return []


register(
    KindSpec(
        name="facts_true",
        label="须具备的事项",
        require=facts_require,
        merge=_union,
        judge=facts_judge,
        validate=facts_validate,
        describe=lambda req, params: "须具备" + "、".join(fact_label(k) for k in _fact_order(req.value)),
        at_least=lambda a, b: a >= b,
    )
)


# --- coverage: per-area video coverage ------------------------------------------------------


def coverage_require(params: Mapping[str, Any], facts: Facts) -> Requirement | None:
    return Requirement(frozenset(params["areas"]))


def coverage_judge(req: Requirement, params: Mapping[str, Any], facts: Facts) -> Check:
    fact = params.get("fact", "camera_coverage")
    labels = ITEM_LABELS.get(fact, {})
    areas = sorted(req.value, key=lambda a: list(labels).index(a) if a in labels else 99)
    expected = "视频监控覆盖：" + "、".join(labels.get(a, a) for a in areas)
    actual = facts.get(fact)
    if not actual:
        return Check(Status.UNKNOWN, expected, "视频监控覆盖情况：未填报")
    missing = [a for a in areas if actual.get(a) is False]
    unknown = [a for a in areas if actual.get(a) is None]
    if missing:
        return Check(Status.FAIL, expected, "未覆盖：" + "、".join(labels.get(a, a) for a in missing))
    if unknown:
        return Check(Status.UNKNOWN, expected, "未填报：" + "、".join(labels.get(a, a) for a in unknown))
    return Check(Status.PASS, expected, "均已覆盖")


def coverage_validate(params: Mapping[str, Any]) -> list[str]:
    areas = params.get("areas")
    known = ITEM_LABELS["camera_coverage"]
    if not isinstance(areas, list) or not areas:
        return ["覆盖区域（areas）：至少选择一个。"]
    bad = [a for a in areas if a not in known]
    return [f"覆盖区域：不认识 {'、'.join(map(str, bad))}。"] if bad else []


register(
    KindSpec(
        name="coverage",
        label="分区域视频覆盖",
        require=coverage_require,
        merge=_union,
        judge=coverage_judge,
        validate=coverage_validate,
        describe=lambda req, params: "覆盖" + _items("camera_coverage", req.value),
        at_least=lambda a, b: a >= b,
    )
)


# --- equipment_set: required items (all of / at least one of) --------------------------------


def equipment_require(params: Mapping[str, Any], facts: Facts) -> Requirement | None:
    return Requirement((frozenset(params.get("all_of", [])), frozenset(params.get("any_of", []))))


def equipment_merge(reqs: Sequence[Requirement]) -> Requirement:
    all_of = frozenset().union(*(r.value[0] for r in reqs))
    any_sets = [r.value[1] for r in reqs if r.value[1]]
    any_of = frozenset.intersection(*any_sets) if any_sets else frozenset()
    if any_sets and not any_of:
        # Layers accept disjoint alternatives: the strictest reading requires one of each.
        all_of = all_of | frozenset().union(*any_sets)
    return Requirement((all_of, any_of))


def equipment_at_least(a: Any, b: Any) -> bool:
    a_all, a_any = a
    b_all, b_any = b
    if not a_all >= b_all:
        return False
    if not b_any:
        return True
    return bool(a_any and a_any <= b_any) or bool(a_all & b_any)


def _items(fact: str, codes) -> str:
    labels = ITEM_LABELS.get(fact, {})
    ordered = sorted(codes, key=lambda c: list(labels).index(c) if c in labels else 99)
    return "、".join(labels.get(c, c) for c in ordered)


def equipment_describe(req: Requirement, params: Mapping[str, Any]) -> str:
    fact = params["fact"]
    all_of, any_of = req.value
    parts = []
    if all_of:
        parts.append(f"配齐{_items(fact, all_of)}")
    if any_of:
        parts.append(f"至少具备{_items(fact, any_of).replace('、', '/')}之一")
    return "；".join(parts)


def equipment_judge(req: Requirement, params: Mapping[str, Any], facts: Facts) -> Check:
    fact = params["fact"]
    expected = equipment_describe(req, params)
    actual = facts.get(fact)
    if actual is None:
        return Check(Status.UNKNOWN, expected, "未填报")
    have = set(actual)
    all_of, any_of = req.value
    problems = []
    if all_of - have:
        problems.append("缺少" + _items(fact, all_of - have))
    if any_of and not (any_of & have):
        problems.append(f"无{_items(fact, any_of).replace('、', '/')}中任一项")
    if problems:
        return Check(Status.FAIL, expected, "；".join(problems))
    return Check(Status.PASS, expected, "已具备" + (_items(fact, have) if have else ""))


def equipment_validate(params: Mapping[str, Any]) -> list[str]:
    fact = params.get("fact")
    if fact not in ITEM_LABELS:
        return [f"检查项（fact）：须为 {'、'.join(ITEM_LABELS)} 之一。"]
    errors = []
    known = ITEM_LABELS[fact]
    for key, label in (("all_of", "须全部具备"), ("any_of", "至少具备其一")):
        items = params.get(key, [])
        if not isinstance(items, list):
            errors.append(f"{label}（{key}）：须为列表。")
            continue
        bad = [i for i in items if i not in known]
        if bad:
            errors.append(f"{label}：不认识 {'、'.join(map(str, bad))}。")
    if not params.get("all_of") and not params.get("any_of"):
        errors.append("须全部具备（all_of）和至少具备其一（any_of）不能都为空。")
    return errors


register(
    KindSpec(
        name="equipment_set",
        label="须具备的装备/设施",
        require=equipment_require,
        merge=equipment_merge,
        judge=equipment_judge,
        validate=equipment_validate,
        describe=equipment_describe,
        at_least=equipment_at_least,
    )
)


def evaluate(kind: str, params: Mapping[str, Any], facts: Facts) -> Check:
    """One layer on its own: the kind function applied to a school's facts."""
    spec = KINDS[kind]
    req = spec.require(params, facts)
    if req is None:
        return Check(Status.UNKNOWN, "无法计算要求（学校基本信息缺失）", "—")
    return spec.judge(req, params, facts)
