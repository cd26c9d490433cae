"""The guard count from the staff register: where a school keeps one, its qualified on-duty guards
are judged, not the profile's typed number; without one the typed number is used, marked 自报.
The register facts come from another app through the registry; here a stand-in adds them."""

from __future__ import annotations

from unittest import mock

from django.urls import reverse

from huxiao.core import registry
from huxiao.schools.models import School
from huxiao.standards.choices import Status
from huxiao.standards.facts import SELF_REPORTED, SOURCES, prefer_register
from huxiao.standards.models import Evaluation
from huxiao.standards.services import evaluate_schools
from huxiao.standards.tests.helpers import file_profile
from huxiao.testsupport.cast import HuxiaoTestCase

REGISTER_KEYS = (
    "register_guards",
    "register_guards_total",
    "register_guards_licensed",
    "register_houseparents",
    "register_equipment",
)
real_school_facts = registry.school_facts


def with_register(by_school: dict[int, dict[str, int]]):
    """Patch the registry so the schools in `by_school` report these register facts and every
    other school reports none (as a school without register rows does)."""

    def school_facts(schools, on, **kwargs):
        """The real registry's answer, with the register facts replaced by `by_school`'s."""
        out = real_school_facts(schools, on, **kwargs)
        for school_id, values in out.items():
            for key in REGISTER_KEYS:
                values.pop(key, None)
            values.update(by_school.get(school_id, {}))
        return out

    return mock.patch.object(registry, "school_facts", school_facts)


def _evaluate(school):
    """Evaluate one school now; its latest results by rule code."""
    evaluate_schools([School.objects.select_related("region").get(pk=school.pk)])
    return {r["code"]: r for r in Evaluation.objects.get(school=school, is_latest=True).results}


class RegisterGuardTests(HuxiaoTestCase):
    # 明德小学: 960 students and 58 staff in 重庆 — at least 4 专职保安员.

    def test_no_qualified_guard_in_the_register_fails_though_the_profile_says_4(self):
        file_profile(self.mingde, self.mingde_lead, fulltime_guards=4, licensed_guards=4)
        register = {"register_guards": 0, "register_guards_total": 3, "register_guards_licensed": 0}
        with with_register({self.mingde.pk: register}):
            rows = _evaluate(self.mingde)
        row = rows["guard.count"]
        assert row["status"] == Status.FAIL
        assert row["expected"] == "专职保安员≥4名" and row["actual"] == "专职保安员0名"
        assert "据人员名册" in row["evidence"]
        assert rows["guard.licensed"]["status"] == Status.FAIL  # none of the 3 holds a licence

    def test_enough_qualified_guards_in_the_register_pass(self):
        file_profile(self.mingde, self.mingde_lead, fulltime_guards=1, licensed_guards=1)
        register = {"register_guards": 4, "register_guards_total": 4, "register_guards_licensed": 4}
        with with_register({self.mingde.pk: register}):
            rows = _evaluate(self.mingde)
        assert rows["guard.count"]["status"] == Status.PASS
        assert rows["guard.count"]["actual"] == "专职保安员4名"
        assert rows["guard.licensed"]["status"] == Status.PASS
        assert SELF_REPORTED not in rows["guard.count"]["evidence"]

    def test_an_unlicensed_guard_on_duty_fails_the_licence_rule(self):
        file_profile(self.mingde, self.mingde_lead, fulltime_guards=4, licensed_guards=4)
        register = {"register_guards": 4, "register_guards_total": 5, "register_guards_licensed": 4}
        with with_register({self.mingde.pk: register}):
            rows = _evaluate(self.mingde)
        assert rows["guard.count"]["status"] == Status.PASS
        assert rows["guard.licensed"]["status"] == Status.FAIL
        assert "在岗专职保安员5名，其中持有效保安员证4名" in rows["guard.licensed"]["evidence"]

    def test_a_check_result_never_shows_in_the_licence_rule(self):
        # four licensed guards, one of them not cleared: fewer counted, but the licence rule and
        # its text say nothing about a check (the police and the 街道 read this page)
        file_profile(self.mingde, self.mingde_lead, fulltime_guards=4, licensed_guards=4)
        register = {"register_guards": 3, "register_guards_total": 4, "register_guards_licensed": 4}
        with with_register({self.mingde.pk: register}):
            rows = _evaluate(self.mingde)
        assert rows["guard.licensed"]["status"] == Status.PASS
        assert (
            "审查" not in rows["guard.licensed"]["evidence"]
            and "合格" not in rows["guard.licensed"]["evidence"]
        )

    def test_without_a_register_the_profile_number_is_used_and_the_page_shows_self_reported(self):
        file_profile(self.mingde, self.mingde_lead, fulltime_guards=3, licensed_guards=3)
        with with_register({}):
            rows = _evaluate(self.mingde)
        row = rows["guard.count"]
        assert row["status"] == Status.FAIL and row["actual"] == "专职保安员3名"
        assert row["evidence"] == SELF_REPORTED
        assert rows["guard.licensed"]["evidence"] == SELF_REPORTED
        self.login(self.police)
        text = self.client.get(reverse("standards:school", args=[self.mingde.pk])).content.decode()
        assert "专职保安员3名" in text and ">自报</span>" in text

    def test_a_school_with_a_register_shows_no_self_reported_mark(self):
        file_profile(self.mingde, self.mingde_lead, fulltime_guards=4, licensed_guards=4)
        register = {
            "register_guards": 4,
            "register_guards_total": 4,
            "register_guards_licensed": 4,
            "register_equipment": ["helmet"],
            "register_drills": 1,
        }
        with with_register({self.mingde.pk: register}):
            _evaluate(self.mingde)
        self.login(self.police)
        text = self.client.get(reverse("standards:school", args=[self.mingde.pk])).content.decode()
        # the guard, equipment and drill rows come from the registers; nothing else is typed here
        assert "据人员名册" in text and "据装备器械台账" in text and "据应急演练台账" in text
        assert ">自报</span>" not in text


class HouseparentTests(HuxiaoTestCase):
    # 青松中学 is a boarding school; 明德小学 is not.

    def test_a_boarding_school_needs_a_houseparent_in_the_register(self):
        file_profile(self.qingsong, self.qingsong_lead)
        with with_register({self.qingsong.pk: {"register_houseparents": 0}}):
            row = _evaluate(self.qingsong)["boarding.houseparent"]
        assert row["status"] == Status.FAIL and row["category"] == "personnel"
        assert any("生活管理教师，24小时值班值守" in c["citation"] for c in row["citations"])
        with with_register({self.qingsong.pk: {"register_houseparents": 2}}):
            assert _evaluate(self.qingsong)["boarding.houseparent"]["status"] == Status.PASS

    def test_without_a_register_it_is_unknown(self):
        file_profile(self.qingsong, self.qingsong_lead)
        with with_register({}):
            row = _evaluate(self.qingsong)["boarding.houseparent"]
        assert row["status"] == Status.UNKNOWN and "尚无记录" in row["evidence"]

    def test_it_does_not_apply_to_a_day_school(self):
        file_profile(self.mingde, self.mingde_lead)
        with with_register({self.mingde.pk: {"register_houseparents": 0}}):
            assert "boarding.houseparent" not in _evaluate(self.mingde)


def test_the_register_replaces_the_typed_numbers_where_the_facts_are_assembled():
    typed = {"fulltime_guards": 4, "licensed_guards": 4, "guards_all_licensed": True}
    assert prefer_register(typed)[SOURCES]["fulltime_guards"] == SELF_REPORTED
    assert prefer_register(typed)["fulltime_guards"] == 4
    counted = prefer_register(
        {**typed, "register_guards": 1, "register_guards_total": 2, "register_guards_licensed": 1}
    )
    assert counted["fulltime_guards"] == 1 and counted["guards_all_licensed"] is False
    unfiled = prefer_register({"fulltime_guards": None, "guards_all_licensed": None})
    assert "fulltime_guards" not in unfiled[SOURCES] and unfiled["fulltime_guards"] is None
