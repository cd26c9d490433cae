"""The monthly 统计表 columns, as of the end of the month."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huxiao.core import registry
from huxiao.schools.models import School
from huxiao.standards.figures import provider
from huxiao.standards.tests.helpers import file_profile
from huxiao.testsupport.cast import HuxiaoTestCase

TODAY = dt.date(2026, 11, 29)
NOW = dt.datetime(2026, 11, 29, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


# The cast, its passwords and every filing are made at NOW too (setUpTestData included):
# a login or an "as of" question never straddles the real date.
@time_machine.travel(NOW, tick=False)
class FigureTests(HuxiaoTestCase):
    def test_the_columns_sum_over_the_schools_as_of_the_end(self):
        file_profile(
            self.qingsong, self.qingsong_lead, fulltime_guards=3, licensed_guards=2, cctv_retention_days=15
        )
        file_profile(self.mingde, self.mingde_lead, fulltime_guards=4, licensed_guards=4, gate_anti_ram=[])
        schools = School.objects.filter(pk__in=[self.qingsong.pk, self.mingde.pk])
        with CaptureQueriesContext(connection) as ctx:
            values = provider(schools, TODAY.replace(day=1), TODAY)
        assert len(ctx.captured_queries) <= 6
        # 青松: max(3, 2) + 860//300 = 5 nationally, 4 in 重庆 → 5; 明德 (1018 headcount): 2015 → 3, 重庆 → 4.
        assert values["std_guards_required"] == 9
        assert values["std_guards_actual"] == 7 and values["std_guards_licensed"] == 6
        assert (
            values["std_closed_ok"] == 2
            and values["std_alarm_linked"] == 2
            and values["std_cctv_linked"] == 2
        )
        assert values["std_retention_ok"] == 1 and values["std_anti_ram_ok"] == 1

    def test_a_month_before_any_profile_counts_nothing_but_the_requirement(self):
        file_profile(self.qingsong, self.qingsong_lead)
        values = provider(
            School.objects.filter(pk=self.qingsong.pk), dt.date(2026, 10, 1), dt.date(2026, 10, 31)
        )
        assert values["std_guards_actual"] == 0 and values["std_closed_ok"] == 0
        assert values["std_guards_required"] == 5

    def test_the_columns_are_registered_with_their_keys_and_the_rate(self):
        keys = {c.key: c for c in registry.columns()}
        for key in (
            "std_guards_required",
            "std_guards_actual",
            "std_guards_licensed",
            "std_closed_ok",
            "std_alarm_installed",
            "std_alarm_linked",
            "std_cctv_linked",
            "std_retention_ok",
            "std_anti_ram_ok",
        ):
            assert key in keys
        assert keys["std_guard_rate"].ratio == ("std_guards_actual", "std_guards_required")
        assert (
            registry.rate({"std_guards_actual": 7, "std_guards_required": 9}, keys["std_guard_rate"]) == 77.8
        )
