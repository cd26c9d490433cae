"""accounts:user-toggle-active — disabling an account ends its sessions; enabling restores it."""

from django.test import Client
from django.urls import reverse

from huxiao.accounts.models import User
from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login, audit_mark, audit_since


def url(user):
    return reverse("accounts:user-toggle-active", args=[user.pk])


class UserToggleActiveTests(HuxiaoTestCase):
    def active(self, user):
        return User.objects.get(pk=user.pk).is_active

    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.post(url(self.police)))
        assert self.active(self.police)

    def test_it_refuses_everyone_but_the_sysadmin(self):
        self.login(self.official)
        mark = audit_mark()
        assert self.client.post(url(self.police)).status_code == 403
        assert self.active(self.police)
        assert audit_since(mark) == []

    def test_it_answers_404_for_an_account_that_does_not_exist(self):
        self.login(self.sysadmin)
        assert self.client.post(reverse("accounts:user-toggle-active", args=[999_999])).status_code == 404

    def test_it_accepts_only_post(self):
        self.login(self.sysadmin)
        assert self.client.get(url(self.police)).status_code == 405

    def test_it_disables_an_account_and_ends_its_sessions(self):
        police = Client()
        police.force_login(self.police)
        self.login(self.sysadmin)
        mark = audit_mark()
        assert self.client.post(url(self.police)).status_code == 302
        assert not self.active(self.police)
        [event] = audit_since(mark)
        assert (event.action, event.actor, event.before, event.after) == (
            "account.set_active",
            self.sysadmin,
            {"is_active": True},
            {"is_active": False},
        )
        assert_redirects_to_login(police.get(reverse("dashboards:home")))

    def test_it_enables_a_disabled_account_again(self):
        self.login(self.sysadmin)
        self.client.post(url(self.police))
        self.client.post(url(self.police))
        assert self.active(self.police)

    def test_it_refuses_to_disable_ones_own_account(self):
        self.login(self.sysadmin)
        mark = audit_mark()
        response = self.client.post(url(self.sysadmin), follow=True)
        assert "不能停用自己的账号。" in response.content.decode()
        assert self.active(self.sysadmin)
        assert audit_since(mark) == []
