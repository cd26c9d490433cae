"""Editing a rule makes a new ruleset version; evaluations keep the version they used."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from huxiao.core.errors import ConflictError
from huxiao.schools.models import School
from huxiao.standards.models import Evaluation, Rule, Ruleset
from huxiao.standards.services import evaluate_schools, latest_version, rule_revise
from huxiao.standards.tests.helpers import file_profile
from huxiao.testsupport.cast import HuxiaoTestCase, audit_mark, audit_since


def _rule(region_code: str, code: str) -> Rule:
    version = latest_version(Ruleset.objects.get(region_code=region_code))
    assert version is not None
    return version.rules.get(code=code)


class VersionTests(HuxiaoTestCase):
    def _revise(self, user, rule, **kw):
        values = dict(
            base_version=rule.version.number,
            params={**rule.params, "min": 60},
            severity=rule.severity,
            effective_from=timezone.localdate(),
            note="区里要求视频保存60天",
        )
        values.update(kw)
        return rule_revise(acting_user=user, rule=rule, **values)

    def test_an_edit_creates_a_new_version_and_old_evaluations_keep_the_old_numbers(self):
        file_profile(self.qingsong, self.qingsong_lead, cctv_retention_days=30)
        school = School.objects.select_related("region").get(pk=self.qingsong.pk)
        evaluate_schools([school])
        old = Evaluation.objects.get(school=school, is_latest=True)
        old_row = next(r for r in old.results if r["code"] == "cctv.retention")
        assert old_row["status"] == "pass" and "≥30天" in old_row["expected"]

        # The retention rule lives in the national baseline, which only a superuser may edit.
        self.sysadmin.is_superuser = True
        self.sysadmin.save()
        national = _rule("", "cctv.retention")
        mark = audit_mark()
        version = self._revise(self.sysadmin, national)
        assert version.number == 2 and version.rules.count() == national.version.rules.count()
        assert version.rules.get(code="cctv.retention").params["min"] == 60
        assert national.version.rules.get(code="cctv.retention").params["min"] == 30  # untouched
        assert [e.action for e in audit_since(mark)].count("standards.rule_revise") == 1

        evaluate_schools([school])
        new = Evaluation.objects.get(school=school, is_latest=True)
        new_row = next(r for r in new.results if r["code"] == "cctv.retention")
        assert new_row["status"] == "fail" and "≥60天" in new_row["expected"]
        assert version.pk in new.version_ids and national.version_id not in new.version_ids
        old.refresh_from_db()
        assert not old.is_latest and national.version_id in old.version_ids
        assert "≥30天" in next(r for r in old.results if r["code"] == "cctv.retention")["expected"]

    def test_the_national_baseline_is_for_superusers_only(self):
        with pytest.raises(PermissionDenied):
            self._revise(self.safety_officer, _rule("", "cctv.retention"))

    def test_a_regional_ruleset_needs_a_grant_covering_its_region(self):
        rule = _rule("500151104", "insp.supervision")
        version = self._revise(self.safety_officer, rule, params={**rule.params, "min": 3})
        assert version.rules.get(code="insp.supervision").params["min"] == 3
        with pytest.raises(PermissionDenied):  # 巴川 does not cover 蒲吕
            self._revise(self.outsider, _rule("500151104", "insp.supervision"), base_version=2)
        with pytest.raises(PermissionDenied):  # 蒲吕 does not cover all of 重庆市
            self._revise(
                self.safety_officer,
                _rule("500000", "guard.count"),
                params=_rule("500000", "guard.count").params,
            )

    def test_a_stale_form_is_told_not_overwritten(self):
        rule = _rule("500151104", "insp.supervision")
        self._revise(self.safety_officer, rule, params={**rule.params, "min": 3})
        with pytest.raises(ConflictError):
            self._revise(self.safety_officer, rule, params={**rule.params, "min": 4}, base_version=1)

    def test_bad_parameters_and_past_dates_are_refused_in_chinese(self):
        rule = _rule("500151104", "insp.supervision")
        with pytest.raises(ValidationError) as exc:
            self._revise(self.safety_officer, rule, params={**rule.params, "min": -1})
        assert "最低要求" in str(exc.value)
        with pytest.raises(ValidationError) as exc:
            self._revise(
                self.safety_officer, rule, effective_from=timezone.localdate() - dt.timedelta(days=1)
            )
        assert "生效日期不能早于今天" in str(exc.value)
        assert latest_version(rule.version.ruleset).number == 1
