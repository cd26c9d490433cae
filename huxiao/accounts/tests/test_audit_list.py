"""audit:list — the audit log, scoped to the regions the reader audits."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.roles import RoleCode
from huxiao.core.models import AuditEvent
from huxiao.schools import services
from huxiao.testsupport.cast import (
    HuxiaoTestCase,
    assert_redirects_to_login,
    audit_mark,
    audit_since,
    make_user,
)

URL = reverse("audit:list")
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


class AuditListTests(HuxiaoTestCase):
    def events(self, user, **params):
        self.login(user)
        response = self.client.get(URL, params)
        assert response.status_code == 200
        return list(response.context["page"].object_list)

    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.get(URL))

    def test_it_refuses_roles_without_audit_view(self):
        for user in (self.observer, self.police, self.safety_officer, self.sysadmin):
            self.login(user)
            assert self.client.get(URL).status_code == 403, user

    def test_it_shows_the_auditor_every_event_including_account_events(self):
        mark = audit_mark()
        events = self.events(self.auditor, action="account.create")
        assert len(events) == 11  # one per cast member
        assert audit_since(mark) == []  # reading the log is not itself a write

    def test_it_shows_a_leader_the_events_of_his_region_but_not_account_events(self):
        events = self.events(self.official)
        assert events and all(e.region_path.startswith(self.tongliang.path) for e in events)
        assert not self.events(self.official, action="account.create")

    def test_it_shows_a_leader_of_another_subdistrict_nothing_of_pulv(self):
        leader = make_user("bachuan_leader", self.bachuan_safety_office, RoleCode.LEADER)
        events = self.events(leader)
        assert events
        assert all(e.region_path.startswith(self.bachuan.path) for e in events)
        assert not [e for e in events if "蒲吕" in e.object_repr]

    def test_it_filters_by_action_actor_and_object(self):
        assert {e.action for e in self.events(self.auditor, action="school.create")} == {"school.create"}
        by_actor = self.events(self.auditor, actor="罗志强")
        assert by_actor and {e.actor for e in by_actor} == {self.qingsong_lead}
        by_text = self.events(self.auditor, text="石龙")
        assert by_text and all("石龙" in e.object_repr for e in by_text)

    def test_it_filters_by_date(self):
        today = timezone.localdate()
        assert len(self.events(self.auditor, date_from=today, date_to=today)) == 50
        assert self.events(self.auditor, date_from=today + dt.timedelta(days=1)) == []
        assert self.events(self.auditor, date_to=today - dt.timedelta(days=1)) == []

    def test_it_filters_by_the_date_in_china_not_in_utc(self):
        # 00:30 on 16 January in 重庆 is still 15 January in UTC.
        with time_machine.travel(dt.datetime(2027, 1, 16, 0, 30, tzinfo=SHANGHAI), tick=False):
            services.school_archive(acting_user=self.safety_officer, school=self.shilong, reason="撤并")
        on_the_day = self.events(self.auditor, date_from="2027-01-16", date_to="2027-01-16")
        assert [e.action for e in on_the_day] == ["school.archive"]
        assert self.events(self.auditor, date_from="2027-01-15", date_to="2027-01-15") == []

    def test_it_explains_a_date_range_that_ends_before_it_starts(self):
        self.login(self.auditor)
        today = timezone.localdate()
        response = self.client.get(URL, {"date_from": today, "date_to": today - dt.timedelta(days=1)})
        assert "截止日期：截止日期不能早于起始日期。" in response.content.decode()

    def test_it_pages_the_newest_first(self):
        events = self.events(self.auditor)
        assert [e.seq for e in events] == sorted((e.seq for e in events), reverse=True)
        assert events[0].seq == AuditEvent.objects.order_by("-seq").first().seq
