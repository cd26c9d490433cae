"""accounts:logout — POST only; the session ends."""

from django.urls import reverse

from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login

URL = reverse("accounts:logout")


class LogoutTests(HuxiaoTestCase):
    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.post(URL))

    def test_it_accepts_only_post(self):
        self.login(self.police)
        assert self.client.get(URL).status_code == 405
        assert self.client.get(reverse("dashboards:home")).status_code == 200  # still signed in

    def test_it_ends_the_session(self):
        self.login(self.police)
        response = self.client.post(URL, follow=True)
        assert "您已安全退出。" in response.content.decode()
        assert "_auth_user_id" not in self.client.session
        assert_redirects_to_login(self.client.get(reverse("dashboards:home")))
