"""The ruleset page lists the 三防 profile fields no rule reads, worked out from the rules'
declared facts against `facts.PROFILE_FACTS` (derived facts count for the fields behind them)."""

from __future__ import annotations

from django.urls import reverse

from huxiao.standards.facts import PROFILE_FACTS, PROFILE_LABELS, unused_profile_fields
from huxiao.standards.models import Rule, Ruleset
from huxiao.standards.services import latest_version
from huxiao.testsupport.cast import HuxiaoTestCase


def _rules(region_code: str) -> list[Rule]:
    """The rules of a ruleset's newest version."""
    version = latest_version(Ruleset.objects.get(region_code=region_code))
    assert version is not None
    return list(version.rules.all())


def test_with_no_rules_every_profile_field_is_unused():
    assert unused_profile_fields([]) == PROFILE_FACTS


def test_a_rule_uses_the_fields_it_names_and_those_behind_a_derived_fact():
    rules = [
        Rule(kind="minimum", params={"fact": "cctv_retention_days", "min": 30}),
        Rule(kind="facts_true", params={"facts": ["guards_all_licensed", "anti_climb"]}),
        Rule(kind="staffing", params={"formulas": [{"basis": "headcount", "bands": [[0, 1]]}]}),
    ]
    # guards_all_licensed is worked out from both guard numbers; staffing reads fulltime_guards
    used = {"cctv_retention_days", "anti_climb", "licensed_guards", "fulltime_guards"}
    assert unused_profile_fields(rules) == [f for f in PROFILE_FACTS if f not in used]


class RulesetPageTests(HuxiaoTestCase):
    def _page(self, region_code):
        """The unused-fields part of a ruleset's page, as the observer sees it."""
        self.login(self.observer)
        ruleset = Ruleset.objects.get(region_code=region_code)
        response = self.client.get(reverse("standards:ruleset-detail", args=[ruleset.pk]))
        assert response.status_code == 200
        return response.content.decode().split('id="unused-fields"')[1]

    def test_the_national_page_shows_the_wall_height_no_national_rule_reads(self):
        section = self._page("")
        assert "档案中未被任何规则使用的字段" in section
        expected = unused_profile_fields(_rules(""))
        assert "perimeter_height_m" in expected and "fulltime_guards" not in expected
        for name in expected:
            assert PROFILE_LABELS[name] in section
        assert PROFILE_LABELS["fulltime_guards"] not in section

    def test_a_pulv_school_s_rules_read_the_wall_height(self):
        section = self._page("500151104")
        # counted: the national baseline, 重庆市 and 蒲吕街道 — what a 蒲吕 school is judged on
        assert "国家基线第" in section and "重庆市地方要求第" in section and "蒲吕街道工作要求第" in section
        assert PROFILE_LABELS["perimeter_height_m"] not in section
        expected = unused_profile_fields(_rules("") + _rules("500000") + _rules("500151104"))
        for name in expected:
            assert PROFILE_LABELS[name] in section
