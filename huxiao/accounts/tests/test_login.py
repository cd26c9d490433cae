"""accounts:login — signing in with username and password."""

from django.urls import reverse

from huxiao.accounts import services
from huxiao.testsupport.cast import PASSWORD, HuxiaoTestCase

URL = reverse("accounts:login")


class LoginTests(HuxiaoTestCase):
    def logged_in_user_id(self):
        return self.client.session.get("_auth_user_id")

    def test_it_shows_the_login_page_to_an_anonymous_visitor(self):
        response = self.client.get(URL)
        assert response.status_code == 200
        assert "连续5次输错密码，账号将锁定15分钟" in response.content.decode()

    def test_it_signs_in_with_the_right_password(self):
        response = self.client.post(URL, {"username": "police", "password": PASSWORD})
        assert response.status_code == 302
        assert response.url == reverse("dashboards:home")
        assert self.logged_in_user_id() == str(self.police.pk)

    def test_it_returns_to_the_page_asked_for(self):
        target = reverse("schools:school-list")
        response = self.client.post(
            f"{URL}?next={target}", {"username": "police", "password": PASSWORD, "next": target}
        )
        assert response.url == target

    def test_it_refuses_a_wrong_password_in_chinese(self):
        response = self.client.post(URL, {"username": "police", "password": "Wrong#2026"})
        assert response.status_code == 200
        assert "用户名或密码错误。连续失败5次，账号将被锁定15分钟。" in response.content.decode()
        assert self.logged_in_user_id() is None

    def test_it_refuses_a_disabled_account(self):
        services.account_set_active(acting_user=None, user=self.police, active=False)
        response = self.client.post(URL, {"username": "police", "password": PASSWORD})
        assert response.status_code == 200
        assert self.logged_in_user_id() is None

    def test_it_sends_a_signed_in_user_home(self):
        self.login(self.police)
        assert self.client.get(URL).url == reverse("dashboards:home")
