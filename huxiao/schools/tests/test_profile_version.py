"""schools:profile-version — an older version of a 三防 profile, read-only."""

from django.urls import reverse

from huxiao.schools import services
from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login, audit_mark, audit_since


def url(school, version):
    return reverse("schools:profile-version", args=[school.pk, version])


class ProfileVersionTests(HuxiaoTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        first = services.profile_file(
            acting_user=cls.qingsong_lead, school=cls.qingsong, base_version=None, fulltime_guards=1
        )
        services.profile_file(
            acting_user=cls.qingsong_lead, school=cls.qingsong, base_version=first.version, fulltime_guards=2
        )

    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.get(url(self.qingsong, 1)))

    def test_it_answers_404_outside_the_scope(self):
        self.login(self.outsider)
        assert self.client.get(url(self.qingsong, 1)).status_code == 404

    def test_it_answers_404_for_a_version_that_does_not_exist(self):
        self.login(self.police)
        assert self.client.get(url(self.qingsong, 3)).status_code == 404

    def test_it_shows_an_old_version_to_a_read_only_observer(self):
        self.login(self.observer)
        mark = audit_mark()
        response = self.client.get(url(self.qingsong, 1))
        assert response.status_code == 200
        assert (response.context["profile"].version, response.context["profile"].fulltime_guards) == (1, 1)
        assert "未填报" in response.content.decode()  # unreported facts are shown as such
        assert audit_since(mark) == []
