"""Gaps → hazards: one hazard per gap however often it runs; a gap that disappears flags its
hazard (timeline entry + reviewers told) exactly once; schools without a unit are skipped."""

from __future__ import annotations

import pytest
from django.test import TestCase

from huxiao.hazards.choices import EventKind, Source, State
from huxiao.hazards.models import Hazard, HazardEvent
from huxiao.notifications.models import Notification
from huxiao.schools.models import School
from huxiao.standards.choices import Status
from huxiao.standards.models import Evaluation, Gap
from huxiao.standards.services import evaluate_schools
from huxiao.standards.tests.helpers import NEEDS_SYSTEM_HAZARDS, SYSTEM_HAZARDS, file_profile
from huxiao.testsupport.cast import HuxiaoTestCase, audit_mark, audit_since


def _school(pk):
    return School.objects.select_related("region").get(pk=pk)


def _row(school, code):
    evaluation = Evaluation.objects.get(school=school, is_latest=True)
    return next(r for r in evaluation.results if r["code"] == code)


class EvaluationTests(HuxiaoTestCase):
    def test_qingsong_with_three_guards_fails_the_staffing_rule_with_both_clauses(self):
        file_profile(self.qingsong, self.qingsong_lead, fulltime_guards=3, licensed_guards=3)
        evaluate_schools([_school(self.qingsong.pk)])
        row = _row(self.qingsong, "guard.count")
        assert row["status"] == Status.FAIL
        assert row["expected"] == "专职保安员≥5名" and row["actual"] == "专职保安员3名"
        assert "公治〔2015〕168号" in row["explanation"] and "重庆市要求≥4名" in row["explanation"]
        assert "取较严者≥5名" in row["explanation"]

    def test_a_missing_fact_is_unknown_never_a_pass(self):
        file_profile(self.qingsong, self.qingsong_lead, closed_management=None)
        evaluate_schools([_school(self.qingsong.pk)])
        assert _row(self.qingsong, "closed_mgmt")["status"] == Status.UNKNOWN

    def test_a_school_without_a_profile_is_unknown_on_every_profile_rule(self):
        evaluate_schools([_school(self.mingde.pk)])
        evaluation = Evaluation.objects.get(school=self.mingde, is_latest=True)
        profile_rows = [
            r
            for r in evaluation.results
            if r["category"] in ("personnel", "physical", "technical", "procedure")
        ]
        assert profile_rows and all(r["status"] == Status.UNKNOWN for r in profile_rows)
        assert Gap.objects.filter(school=self.mingde).count() == 0

    def test_an_unchanged_result_is_not_stored_twice(self):
        file_profile(self.qingsong, self.qingsong_lead)
        evaluate_schools([_school(self.qingsong.pk)])
        evaluate_schools([_school(self.qingsong.pk)])
        assert Evaluation.objects.filter(school=self.qingsong).count() == 1


@pytest.mark.skipif(not SYSTEM_HAZARDS, reason=NEEDS_SYSTEM_HAZARDS)
class GapSyncTests(HuxiaoTestCase):
    def _evaluate(self, school):
        return evaluate_schools([_school(school.pk)])

    def test_a_failed_shall_rule_raises_exactly_one_hazard_however_often_it_runs(self):
        file_profile(self.qingsong, self.qingsong_lead, fulltime_guards=3, licensed_guards=3)
        mark = audit_mark()
        self._evaluate(self.qingsong)
        self._evaluate(self.qingsong)
        file_profile(self.qingsong, self.qingsong_lead, fulltime_guards=4, licensed_guards=4)  # still short
        self._evaluate(self.qingsong)
        hazards = Hazard.objects.filter(school=self.qingsong, source_ref="standards:guard.count")
        assert hazards.count() == 1
        hazard = hazards.get()
        assert hazard.source == Source.STANDARD and hazard.category == "personnel"
        assert "公治〔2015〕168号" in hazard.description and "要求：专职保安员≥5名" in hazard.description
        assert hazard.state == State.REPORTED  # rule confidence is not high: a reviewer confirms
        assert any(e.action == "hazard.report" for e in audit_since(mark))

    def test_advice_and_frequency_rules_raise_no_hazard(self):
        file_profile(self.qingsong, self.qingsong_lead, ped_vehicle_separated=False, drills_per_semester=0)
        self._evaluate(self.qingsong)
        assert _row(self.qingsong, "gate.separation")["status"] == Status.FAIL
        assert _row(self.qingsong, "drill.semester")["status"] == Status.FAIL
        refs = set(Hazard.objects.filter(school=self.qingsong).values_list("source_ref", flat=True))
        assert "standards:gate.separation" not in refs and "standards:drill.semester" not in refs

    def test_a_live_hazard_with_the_same_ref_is_adopted_not_duplicated(self):
        from huxiao.hazards.services import hazard_report

        existing = hazard_report(
            acting_user=self.police,
            school=self.qingsong,
            title="专职保安员配备不足",
            category="personnel",
            description="核查发现",
            source="verify",
            source_ref="standards:guard.count",
        )
        file_profile(self.qingsong, self.qingsong_lead, fulltime_guards=3, licensed_guards=3)
        report = self._evaluate(self.qingsong)
        assert report.hazards_adopted >= 1
        assert Hazard.objects.filter(school=self.qingsong, source_ref="standards:guard.count").count() == 1
        assert Gap.objects.get(school=self.qingsong, code="guard.count").hazard == existing

    def test_a_disappearing_gap_flags_the_hazard_once_and_tells_its_reviewers(self):
        file_profile(self.qingsong, self.qingsong_lead, fulltime_guards=3, licensed_guards=3)
        self._evaluate(self.qingsong)
        hazard = Hazard.objects.get(school=self.qingsong, source_ref="standards:guard.count")
        file_profile(self.qingsong, self.qingsong_lead, fulltime_guards=5, licensed_guards=5)
        with self.captureOnCommitCallbacks(execute=True):
            self._evaluate(self.qingsong)
        with self.captureOnCommitCallbacks(execute=True):
            self._evaluate(self.qingsong)
        hazard.refresh_from_db()
        assert hazard.state == State.REPORTED  # not closed
        assert hazard.needs_verification
        assert HazardEvent.objects.filter(hazard=hazard, kind=EventKind.GAP_RESOLVED).count() == 1
        told = set(
            Notification.objects.filter(url__endswith=f"/{hazard.pk}/").values_list(
                "user__username", flat=True
            )
        )
        assert {"police", "centre_officer"} <= told
        assert "qingsong_lead" not in told
        assert Notification.objects.filter(user=self.police, url__endswith=f"/{hazard.pk}/").count() == 1
        assert Gap.objects.get(school=self.qingsong, code="guard.count").resolved_at is not None

    def test_unknown_is_not_a_resolution(self):
        file_profile(self.qingsong, self.qingsong_lead, fulltime_guards=3, licensed_guards=3)
        self._evaluate(self.qingsong)
        file_profile(self.qingsong, self.qingsong_lead, fulltime_guards=None, licensed_guards=None)
        self._evaluate(self.qingsong)
        assert Gap.objects.get(school=self.qingsong, code="guard.count").resolved_at is None

    def test_a_school_without_its_own_unit_is_skipped_and_reported(self):
        file_profile(self.shilong, self.safety_officer, fulltime_guards=0, licensed_guards=0)
        report = self._evaluate(self.shilong)
        assert self.shilong.name in report.skipped
        assert not Hazard.objects.filter(school=self.shilong).exists()
        assert Gap.objects.get(school=self.shilong, code="guard.count").skipped_reason


@pytest.mark.skipif(SYSTEM_HAZARDS, reason="the register accepts system hazards")
class WithoutSystemHazardsTests(HuxiaoTestCase):
    def test_gaps_are_recorded_with_the_reason_and_nothing_breaks(self):
        file_profile(self.qingsong, self.qingsong_lead, fulltime_guards=3, licensed_guards=3)
        report = evaluate_schools([_school(self.qingsong.pk)])
        gap = Gap.objects.get(school=self.qingsong, code="guard.count")
        assert gap.hazard is None and "发现人" in gap.skipped_reason
        assert self.qingsong.name in report.skipped


class ProfileSignalTests(TestCase):
    def test_filing_a_profile_recomputes_after_commit(self):
        from huxiao.testsupport.cast import build_cast

        cast = build_cast()
        with self.captureOnCommitCallbacks(execute=True):
            file_profile(cast.qingsong, cast.qingsong_lead, fulltime_guards=3, licensed_guards=3)
        evaluation = Evaluation.objects.get(school=cast.qingsong, is_latest=True)
        assert evaluation.profile_version == 1 and evaluation.failed >= 1
