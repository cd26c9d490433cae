"""accounts:logout-everywhere — ends every session of the user, on every device."""

from django.test import Client
from django.urls import reverse

from huxiao.accounts.models import User
from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login, audit_mark, audit_since

URL = reverse("accounts:logout-everywhere")
HOME = reverse("dashboards:home")


class LogoutEverywhereTests(HuxiaoTestCase):
    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.post(URL))

    def test_it_accepts_only_post(self):
        self.login(self.police)
        assert self.client.get(URL).status_code == 405

    def test_it_ends_the_users_other_sessions(self):
        phone, desktop = Client(), Client()
        phone.force_login(self.police)
        desktop.force_login(self.police)
        assert desktop.get(HOME).status_code == 200
        mark = audit_mark()

        response = phone.post(URL, follow=True)

        assert "已退出您在所有设备上的登录。" in response.content.decode()
        assert_redirects_to_login(phone.get(HOME))
        assert_redirects_to_login(desktop.get(HOME))
        assert User.objects.get(pk=self.police.pk).session_epoch == 1
        [event] = audit_since(mark)
        assert (event.action, event.actor, event.object_id) == (
            "account.logout_everywhere",
            self.police,
            str(self.police.pk),
        )

    def test_it_leaves_other_users_signed_in(self):
        other = Client()
        other.force_login(self.observer)
        self.login(self.police)
        self.client.post(URL)
        assert other.get(HOME).status_code == 200
