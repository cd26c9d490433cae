"""dashboards:home — the 工作台 shows each role what it oversees, and only that."""

import datetime as dt

import time_machine
from django.urls import reverse

from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login, audit_mark, audit_since

URL = reverse("dashboards:home")


class HomeTests(HuxiaoTestCase):
    def cards(self, user):
        self.login(user)
        response = self.client.get(URL)
        assert response.status_code == 200
        return {c.title: c for c in response.context["cards"]}

    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.get(URL))

    def test_it_counts_only_the_schools_of_the_police_station(self):
        mark = audit_mark()
        card = self.cards(self.police)["管辖学校"]
        assert card.value == "2 所"
        assert "在校学生 2340 人" in card.detail  # 1380 + 960
        assert audit_since(mark) == []

    def test_it_counts_nothing_of_pulv_for_the_outsider(self):
        card = self.cards(self.outsider)["管辖学校"]
        assert card.value == "1 所"
        assert "在校学生 720 人" in card.detail

    def test_it_shows_a_safety_lead_the_profile_of_her_own_school(self):
        card = self.cards(self.qingsong_lead)["本校三防档案"]
        assert card.value == "蒲吕青松中学"
        assert card.url == reverse("schools:profile-edit", args=[self.qingsong.pk])

    def test_it_calls_a_school_users_one_school_their_own(self):
        cards = self.cards(self.qingsong_lead)
        assert cards["本校"].value == "1 所"
        assert "管辖学校" not in cards

    def test_it_shows_the_auditor_the_audit_log_and_no_schools(self):
        cards = self.cards(self.auditor)
        assert "审计日志" in cards
        assert "管辖学校" not in cards

    def test_it_flags_schools_without_a_profile(self):
        assert self.cards(self.safety_officer)["三防档案未填报"].value == "3 所"

    def test_it_shows_the_sysadmin_account_management(self):
        assert "账号管理" in self.cards(self.sysadmin)


@time_machine.travel(dt.datetime(2026, 11, 29, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
class LandedCardsTests(HuxiaoTestCase):
    """The inspection, 统计表 and 护学岗 cards show figures from their apps (no 待上线 left)."""

    def cards(self, user):
        self.login(user)
        return {c.title: c for c in self.client.get(URL).context["cards"]}

    def test_a_school_sees_its_own_inspections_report_and_duty(self):
        cards = self.cards(self.qingsong_lead)
        assert cards["本学期检查"].value == "自查 0/2 次"
        assert "督导检查 0/2 次" in cards["本学期检查"].detail
        # on 11-29 the table now due is October's (每月28日前报送上月), and it is late
        report = cards["10月统计表"]
        assert report.value == "未填报" and report.tone == "bad"
        assert "11月28日前报送，已逾期" in report.detail
        assert report.url == reverse("monthly:report-detail", args=[self.qingsong.organisation.pk, 2026, 10])
        assert cards["护学岗"].url == reverse("duty:station")
        assert not [c for c in cards.values() if c.value == "待上线"]

    def test_a_supervisor_sees_the_schools_below_the_inspection_rule(self):
        card = self.cards(self.safety_officer)["本学期检查频次"]
        assert card.value == "3 所未达要求" and card.url == reverse("inspections:frequency")

    def test_a_submitted_report_reads_as_such(self):
        from huxiao.monthly import services as monthly_services

        monthly_services.report_submit(
            acting_user=self.qingsong_lead,
            unit=self.qingsong.organisation,
            year=2026,
            month=10,
            expected_version=None,
        )
        report = self.cards(self.qingsong_lead)["10月统计表"]
        assert report.value == "已报送" and report.tone == "ok" and "逾期" not in report.detail

    def test_the_leader_has_no_task_cards(self):
        cards = self.cards(self.official)
        assert not {"本学期检查频次", "护学岗"} & set(cards) and not any(t.endswith("统计表") for t in cards)
