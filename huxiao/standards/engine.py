"""Resolution and evaluation: which rules apply to a school, how strict, and with what result.

`Rulebook.load(on)` reads every ruleset with the version in force on `on` and its rules (three
queries, whatever the number of schools). `rulebook.resolve(school)` walks the layers that
cover the school's region — national → province → district — and groups them by rule code.
`evaluate_school()` asks each layer of a code for its requirement, merges them (stricter
wins), judges once, and keeps every layer in the explanation and the citations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from huxiao.standards import kinds
from huxiao.standards.choices import LEVEL_ORDER, Category, Confidence, Severity, Status
from huxiao.standards.facts import SOURCES
from huxiao.standards.models import Rule, Ruleset, RulesetVersion

CONFIDENCE_ORDER: dict[str, int] = {Confidence.LOW: 0, Confidence.MED: 1, Confidence.HIGH: 2}


@dataclass(frozen=True)
class Layer:
    """One rule of one ruleset version, as it takes part in a resolution."""

    ruleset_name: str
    jurisdiction: str  # 国家基线 / 重庆市 / 铜梁区
    level: str
    version_id: int
    version_number: int
    rule: Rule

    @property
    def label(self) -> str:
        return "国家基线" if self.level == "national" else self.jurisdiction


@dataclass
class ResolvedRule:
    code: str
    layers: list[Layer] = field(default_factory=list)

    @property
    def top(self) -> Rule:
        """The most specific layer's rule: its title and category name the row."""
        return self.layers[-1].rule

    @property
    def severity(self) -> str:
        """应 if any layer makes it mandatory (a 宜 made 应 by a region becomes 应)."""
        if any(layer.rule.severity == Severity.SHALL for layer in self.layers):
            return Severity.SHALL
        return Severity.SHOULD

    @property
    def confidence(self) -> str:
        """The least certain source among the layers (what the badge warns about)."""
        return min((layer.rule.confidence for layer in self.layers), key=lambda c: CONFIDENCE_ORDER[c])


def applies(rule: Rule, school) -> bool:
    if rule.applies_to and school.school_type not in rule.applies_to:
        return False
    return not rule.boarding_only or (school.is_boarding and school.boarders > 0)


class Rulebook:
    """Every ruleset with the version in force on a date, ready to resolve schools."""

    def __init__(self, entries: list[tuple[Ruleset, RulesetVersion, list[Rule]]], on: dt.date):
        self.on = on
        self.entries = sorted(entries, key=lambda e: (LEVEL_ORDER[e[0].level], len(e[0].region_path)))

    @classmethod
    def load(cls, on: dt.date) -> Rulebook:
        versions = (
            RulesetVersion.objects.filter(effective_from__lte=on)
            .select_related("ruleset")
            .prefetch_related(Prefetch("rules", queryset=Rule.objects.order_by("position", "code")))
            .order_by("ruleset_id", "-number")
        )
        seen: set[int] = set()
        entries = []
        for version in versions:
            if version.ruleset_id in seen:
                continue
            seen.add(version.ruleset_id)
            entries.append((version.ruleset, version, list(version.rules.all())))
        return cls(entries, on)

    def layers_for(self, region_path: str) -> list[tuple[Ruleset, RulesetVersion, list[Rule]]]:
        return [e for e in self.entries if not e[0].region_path or region_path.startswith(e[0].region_path)]

    def resolve(self, school) -> list[ResolvedRule]:
        """The rules that apply to `school`, grouped by code, layers in national → local order."""
        by_code: dict[str, ResolvedRule] = {}
        order: list[str] = []
        for ruleset, version, rules in self.layers_for(school.region.path):
            for rule in rules:
                if not applies(rule, school):
                    continue
                if rule.code not in by_code:
                    by_code[rule.code] = ResolvedRule(rule.code)
                    order.append(rule.code)
                by_code[rule.code].layers.append(
                    Layer(
                        ruleset_name=ruleset.name,
                        jurisdiction=ruleset.jurisdiction_label,
                        level=ruleset.level,
                        version_id=version.pk,
                        version_number=version.number,
                        rule=rule,
                    )
                )
        return [by_code[c] for c in order]

    def version_ids_for(self, school) -> list[int]:
        return [version.pk for _, version, _ in self.layers_for(school.region.path)]


def evaluate_rule(resolved: ResolvedRule, facts: Mapping[str, Any]) -> dict[str, Any]:
    """One resolved rule against one school's facts: the result row stored in an Evaluation."""
    top = resolved.top
    spec = kinds.get(top.kind)
    per_layer = []
    for layer in resolved.layers:
        if layer.rule.kind != top.kind:
            continue  # a layer of another kind cannot be merged; the most specific one decides
        req = spec.require(layer.rule.params, facts)
        per_layer.append((layer, req))
    if any(req is None for _, req in per_layer):
        check = kinds.Check(Status.UNKNOWN, "无法计算要求（学校基本信息缺失）", "—")
        merged = None
    else:
        merged = spec.merge([req for _, req in per_layer if req is not None])
        check = spec.judge(merged, top.params, facts)
    explanation = []
    for layer, req in per_layer:
        if req is None:
            continue
        text = f"{layer.label}要求{spec.describe(req, layer.rule.params)}（{layer.rule.citation}）"
        if req.how:
            text += f"：{req.how}"
        explanation.append(text)
    if len(per_layer) > 1 and merged is not None:
        explanation.append(f"取较严者{spec.describe(merged, top.params)}")
    severity = resolved.severity
    status = check.status
    return {
        "code": resolved.code,
        "title": top.title,
        "category": top.category,
        "category_label": Category(top.category).label,
        "severity": severity,
        "status": status,
        "expected": check.expected,
        "actual": check.actual,
        "evidence": evidence(resolved, facts),
        "explanation": "；".join(explanation),
        "confidence": resolved.confidence,
        "citations": [
            {
                "level": layer.level,
                "jurisdiction": layer.label,
                "citation": layer.rule.citation,
                "url": layer.rule.url,
                "confidence": layer.rule.confidence,
                "requirement": layer.rule.requirement,
                "version_id": layer.version_id,
                "version_number": layer.version_number,
                "ruleset": layer.ruleset_name,
            }
            for layer, _ in per_layer
        ],
        "version_ids": [layer.version_id for layer, _ in per_layer],
    }


def evidence(resolved: ResolvedRule, facts: Mapping[str, Any]) -> str:
    """Where the facts a rule reads came from, when their provider said (自报, or the staff
    register): shown beside the actual value, so a typed number is not mistaken for a record."""
    sources: Mapping[str, str] = facts.get(SOURCES) or {}
    read: set[str] = set()
    for layer in resolved.layers:
        read |= kinds.facts_read(layer.rule.kind, layer.rule.params)
    texts: list[str] = []
    for key in sorted(read):
        text = sources.get(key)
        if text and text not in texts:
            texts.append(text)
    return "；".join(texts)


def actual_text(row: Mapping[str, Any]) -> str:
    """A result row's actual value with its evidence — what a hazard, a gap or a document quotes."""
    return row["actual"] + (f"（{row['evidence']}）" if row.get("evidence") else "")


def evaluate_school(school, facts: Mapping[str, Any], rulebook: Rulebook) -> list[dict[str, Any]]:
    """Every applicable rule for one school, in ruleset order."""
    return [evaluate_rule(r, facts) for r in rulebook.resolve(school)]


def citation_text(row: Mapping[str, Any]) -> str:
    """All layers' citations of a result row, joined — what a hazard or a document quotes."""
    return "；".join(f"{c['jurisdiction']}：{c['citation']}" for c in row.get("citations", []))
