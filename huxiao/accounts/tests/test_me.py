"""accounts:me — one's own units and roles."""

from django.urls import reverse

from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login, audit_mark, audit_since

URL = reverse("accounts:me")


class MeTests(HuxiaoTestCase):
    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.get(URL))

    def test_it_shows_the_users_own_memberships(self):
        self.login(self.police)
        mark = audit_mark()
        response = self.client.get(URL)
        assert response.status_code == 200
        assert [m.organisation for m in response.context["memberships"]] == [self.pulv_police]
        assert "蒲吕派出所" in response.content.decode()
        assert audit_since(mark) == []
