"""An import-linter contract type for `make lint` (pyproject.toml, [tool.importlinter]): the
layers contract, where the line `huxiao.<domain apps>` stands for every app of the project that
the contract does not name elsewhere — so a new domain app is checked the day it is added
(independent of the other domain apps, above hazards, below monthly) without anyone editing the
contract. `not_apps` lists the project's modules that are not apps (settings, urls …)."""

from __future__ import annotations

from importlinter.contracts.layers import Layer, LayersContract, ModuleTail
from importlinter.domain import fields

DOMAIN_APPS = "<domain apps>"


class AppLayersContract(LayersContract):
    type_name = "app_layers"

    root = fields.StringField()
    not_apps = fields.SetField(subfield=fields.StringField(), required=False)

    def check(self, graph, verbose):
        named = {tail.name for layer in self.layers for tail in layer.module_tails}  # type: ignore[attr-defined]
        skip = set(self.not_apps or ())  # type: ignore[call-overload]
        domain_apps = {
            child
            for child in graph.find_children(self.root)
            if child not in named and child not in skip and graph.find_children(child)  # packages only
        }
        marker = f"{self.root}.{DOMAIN_APPS}"
        self.layers = [  # type: ignore[assignment]
            Layer({ModuleTail(name) for name in sorted(domain_apps)}, is_independent=True)
            if {t.name for t in layer.module_tails} == {marker}
            else layer
            for layer in self.layers  # type: ignore[attr-defined]
        ]
        return super().check(graph, verbose)
