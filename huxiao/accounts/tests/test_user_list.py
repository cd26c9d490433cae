"""accounts:user-list — every account, for the system administrator only."""

from django.urls import reverse

from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login, audit_mark, audit_since

URL = reverse("accounts:user-list")


class UserListTests(HuxiaoTestCase):
    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.get(URL))

    def test_it_refuses_everyone_but_the_sysadmin(self):
        for user in (self.observer, self.official, self.safety_officer, self.auditor, self.outsider):
            self.login(user)
            assert self.client.get(URL).status_code == 403, user

    def test_it_lists_every_account(self):
        self.login(self.sysadmin)
        mark = audit_mark()
        response = self.client.get(URL)
        assert response.status_code == 200
        assert len(response.context["users"]) == 11  # the whole cast
        assert "赵警官" in response.content.decode()
        assert audit_since(mark) == []
