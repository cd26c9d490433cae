"""Pages: scope (404 outside), the compliance page's pinned query count, documents that open."""

from __future__ import annotations

import io

import docx
import openpyxl
from django.urls import reverse
from django.utils import timezone

from huxiao.schools.models import School
from huxiao.standards.models import Ruleset
from huxiao.standards.selectors import four_rates
from huxiao.standards.services import evaluate_schools, latest_version
from huxiao.standards.tests.helpers import file_profile
from huxiao.testsupport.cast import (
    SIGNED_IN_PAGE_QUERIES,
    HuxiaoTestCase,
    audit_mark,
    audit_since,
    make_school,
)


class PageTests(HuxiaoTestCase):
    def setUp(self):
        file_profile(self.qingsong, self.qingsong_lead, fulltime_guards=3, licensed_guards=3)
        evaluate_schools(School.objects.select_related("region").order_by("pk"))

    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(reverse("standards:school", args=[self.qingsong.pk]))
        assert response.status_code == 302 and "login" in response["Location"]

    def test_an_outsider_gets_404_on_another_districts_school(self):
        self.login(self.outsider)
        for name in ("standards:school", "standards:school-docx", "standards:school-xlsx"):
            assert self.client.get(reverse(name, args=[self.qingsong.pk])).status_code == 404

    def test_the_school_page_shows_the_gap_with_its_clause_and_the_low_confidence_badge(self):
        self.login(self.police)
        response = self.client.get(reverse("standards:school", args=[self.qingsong.pk]))
        text = response.content.decode()
        assert response.status_code == 200
        assert "专职保安员≥5名" in text and "专职保安员3名" in text
        assert "公治〔2015〕168号" in text and "待核实原文" in text
        assert "宜" in text and "人车分流" in text

    def test_a_failed_frequency_rule_says_why_it_raised_no_hazard(self):
        file_profile(
            self.qingsong, self.qingsong_lead, fulltime_guards=3, licensed_guards=3, drills_per_semester=0
        )
        evaluate_schools(School.objects.filter(pk=self.qingsong.pk).select_related("region"))
        self.login(self.police)
        text = self.client.get(reverse("standards:school", args=[self.qingsong.pk])).content.decode()
        assert "频次类项目不登记隐患" in text

    def test_the_compliance_page_shows_four_rates_with_a_query_count_independent_of_schools(self):
        self.login(self.official)
        url = reverse("standards:compliance")
        # 4 rates: the school count + one grouped read; per rule/category: 4; the school page: 2.
        with self.assertNumQueries(SIGNED_IN_PAGE_QUERIES + 8) as ctx:
            response = self.client.get(url)
        first = len(ctx.captured_queries)
        text = response.content.decode()
        for label in ("专职保安配备", "封闭化管理", "一键报警与视频联网", "护学岗设置"):
            assert label in text
        for i in range(6):
            school = make_school(f"蒲吕新增学校{i}", self.pulv_community)
            file_profile(school, self.safety_officer)
        evaluate_schools(School.objects.select_related("region").order_by("pk"))
        with self.assertNumQueries(first):
            self.client.get(url)

    def test_four_rates_count_schools_not_rows(self):
        rates = {r.key: r for r in four_rates(self.official)}
        assert rates["guards"].total == 4
        assert rates["guards"].failed >= 1  # 青松 has 3 of 5
        assert rates["alarm_video"].achieved == 1  # only 青松 filed a profile
        outsider = {r.key: r for r in four_rates(self.outsider)}
        assert outsider["guards"].total == 1  # 巴川 sees only 滨河

    def test_the_docx_and_xlsx_open_and_quote_the_clause(self):
        self.login(self.qingsong_lead)
        mark = audit_mark()
        response = self.client.get(reverse("standards:school-docx", args=[self.qingsong.pk]))
        assert response.status_code == 200
        document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        assert any("公治〔2015〕168号" in c for c in cells) and "未达标" in cells
        assert any("三防建设达标情况表" in p.text for p in document.paragraphs)
        response = self.client.get(reverse("standards:school-xlsx", args=[self.qingsong.pk]))
        wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        values = [str(c.value) for row in wb.active.iter_rows() for c in row if c.value]
        assert any("公治〔2015〕168号" in v for v in values) and any("专职保安员≥5名" in v for v in values)
        assert [e.action for e in audit_since(mark)] == ["standards.export", "standards.export"]


class RuleEditPageTests(HuxiaoTestCase):
    def _rule(self, code="500151104", rule_code="insp.supervision"):
        return latest_version(Ruleset.objects.get(region_code=code)).rules.get(code=rule_code)

    def _post(self, rule, **changes):
        data = {
            "base_version": rule.version.number,
            "title": rule.title,
            "severity": rule.severity,
            "confidence": rule.confidence,
            "effective_from": timezone.localdate().isoformat(),
            "note": "街道会议决定每学期督导3次",
            "min": "3",
        }
        data.update(changes)
        return self.client.post(reverse("standards:rule-edit", args=[rule.pk]), data)

    def test_a_manager_saves_a_new_version_from_typed_fields(self):
        self.login(self.safety_officer)
        rule = self._rule()
        assert self.client.get(reverse("standards:rule-edit", args=[rule.pk])).status_code == 200
        mark = audit_mark()
        response = self._post(rule)
        assert response.status_code == 302
        assert self._rule().params["min"] == 3 and self._rule().version.number == 2
        assert [e.action for e in audit_since(mark)] == ["standards.rule_revise"]

    def test_bad_input_is_a_chinese_field_error_not_a_500(self):
        self.login(self.safety_officer)
        response = self._post(self._rule(), min="-2", effective_from="2020-01-01")
        assert response.status_code == 200
        text = response.content.decode()
        assert "生效日期" in text or "最低要求" in text
        assert self._rule().version.number == 1

    def test_staffing_json_errors_are_in_chinese(self):
        self.sysadmin.is_superuser = True
        self.sysadmin.save()
        self.login(self.sysadmin)
        rule = self._rule("", "guard.count")
        response = self._post(rule, params_json="{not json")
        assert response.status_code == 200 and "不是有效的 JSON" in response.content.decode()

    def test_others_may_not_edit(self):
        self.login(self.outsider)
        assert self.client.get(reverse("standards:rule-edit", args=[self._rule().pk])).status_code == 403
        self.login(self.police)  # no STANDARDS_MANAGE
        assert self.client.get(reverse("standards:rule-edit", args=[self._rule().pk])).status_code == 403
        self.login(self.safety_officer)  # national baseline: superusers only
        assert (
            self.client.get(
                reverse("standards:rule-edit", args=[self._rule("", "guard.count").pk])
            ).status_code
            == 403
        )

    def test_ruleset_pages_show_versions_and_low_confidence(self):
        self.login(self.observer)
        assert self.client.get(reverse("standards:ruleset-list")).status_code == 200
        ruleset = Ruleset.objects.get(region_code="500000")
        text = self.client.get(reverse("standards:ruleset-detail", args=[ruleset.pk])).content.decode()
        assert "待核实原文" in text and "师生员工总人数≥100人" in text
