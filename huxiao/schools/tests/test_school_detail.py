"""schools:school-detail — one school, 404 outside the scope."""

from django.urls import reverse

from huxiao.schools import services
from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login, audit_mark, audit_since


def url(school):
    return reverse("schools:school-detail", args=[school.pk])


class SchoolDetailTests(HuxiaoTestCase):
    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.get(url(self.qingsong)))

    def test_it_answers_404_outside_the_scope(self):
        self.login(self.outsider)
        assert self.client.get(url(self.qingsong)).status_code == 404

    def test_it_answers_404_for_a_pulv_school_not_linked_to_the_station(self):
        self.login(self.police)
        assert self.client.get(url(self.shilong)).status_code == 404

    def test_it_shows_a_read_only_observer_the_school_without_edit_buttons(self):
        self.login(self.observer)
        response = self.client.get(url(self.qingsong))
        assert response.status_code == 200
        assert response.context["can_edit"] is False
        assert response.context["can_edit_profile"] is False
        assert reverse("schools:school-edit", args=[self.qingsong.pk]) not in response.content.decode()

    def test_it_shows_the_current_profile_and_its_history(self):
        first = services.profile_file(
            acting_user=self.qingsong_lead, school=self.qingsong, base_version=None, fulltime_guards=2
        )
        services.profile_file(
            acting_user=self.qingsong_lead,
            school=self.qingsong,
            base_version=first.version,
            fulltime_guards=3,
        )
        self.login(self.safety_officer)
        mark = audit_mark()
        response = self.client.get(url(self.qingsong))
        assert response.status_code == 200
        assert response.context["profile"].version == 2
        assert [p.version for p in response.context["history"]] == [2, 1]
        assert response.context["can_edit"] is True
        assert audit_since(mark) == []
