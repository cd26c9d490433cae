"""A rule added to the seed reaches a database seeded before it: `seed_rulesets()` publishes it
as the ruleset's next version, in force from today, once; edited rules are carried over."""

from __future__ import annotations

import datetime as dt

import time_machine

from huxiao.standards.models import Rule, Ruleset
from huxiao.standards.seed import PULV_RULES, seed_rulesets
from huxiao.standards.services import latest_version
from huxiao.testsupport.cast import HuxiaoTestCase, audit_mark, audit_since

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
ADDED = ["perimeter.height", "boarding.houseparent", "gate.screening"]


@time_machine.travel(NOW, tick=False)
class SeedPublishTests(HuxiaoTestCase):
    def setUp(self):
        # A database seeded before the three 蒲吕 rules were added to the seed.
        self.pulv = Ruleset.objects.get(region_code="500151104")
        Rule.objects.filter(version__ruleset=self.pulv, code__in=ADDED).delete()
        self.old = latest_version(self.pulv)

    def test_the_added_rules_are_published_as_the_next_version_from_today(self):
        mark = audit_mark()
        assert seed_rulesets() == 1
        version = latest_version(self.pulv)
        assert version.number == self.old.number + 1
        assert version.effective_from == dt.date(2026, 12, 7)
        codes = list(version.rules.order_by("position").values_list("code", flat=True))
        assert codes == ["insp.supervision", *ADDED]
        assert list(self.old.rules.values_list("code", flat=True)) == ["insp.supervision"]
        events = [e for e in audit_since(mark) if e.action == "standards.seed"]
        assert len(events) == 1 and events[0].after["rules"] == ADDED

    def test_a_second_run_publishes_nothing(self):
        seed_rulesets()
        assert seed_rulesets() == 0
        assert latest_version(self.pulv).number == self.old.number + 1

    def test_an_administrator_s_edit_is_carried_over(self):
        self.old.rules.filter(code="insp.supervision").update(params={**PULV_RULES[0]["params"], "min": 3})
        seed_rulesets()
        assert latest_version(self.pulv).rules.get(code="insp.supervision").params["min"] == 3

    def test_a_version_dated_later_is_not_overtaken(self):
        self.old.effective_from = dt.date(2027, 2, 1)
        self.old.save()
        seed_rulesets()
        assert latest_version(self.pulv).effective_from == dt.date(2027, 2, 1)
