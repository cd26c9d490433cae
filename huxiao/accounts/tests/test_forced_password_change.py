"""An account an administrator created must change its password before anything else; demo
accounts are exempt."""

from django.test import Client
from django.urls import reverse

from huxiao.accounts.models import User
from huxiao.testsupport.cast import PASSWORD, HuxiaoTestCase, make_user

CHANGE = reverse("accounts:password-change")
INITIAL = "Chushi#Mima2026"


class ForcedPasswordChangeTests(HuxiaoTestCase):
    def create_by_admin(self):
        admin = Client()
        admin.force_login(self.sysadmin)
        admin.post(
            reverse("accounts:user-create"),
            {
                "username": "xinren",
                "full_name": "新人",
                "phone": "",
                "password": INITIAL,
                "organisation": self.pulv_safety_office.pk,
                "role": "coordinator",
                "title": "",
            },
        )
        return User.objects.get(username="xinren")

    def test_it_sends_a_new_account_to_the_password_page_from_every_page(self):
        newcomer = self.create_by_admin()
        assert newcomer.must_change_password
        self.login(newcomer)
        for url in (
            reverse("dashboards:home"),
            reverse("schools:school-list"),
            reverse("schools:school-detail", args=[self.qingsong.pk]),
            reverse("accounts:me"),
            reverse("audit:list"),
        ):
            response = self.client.get(url)
            assert (response.status_code, response.url) == (302, CHANGE), url
        assert self.client.get(CHANGE).status_code == 200

    def test_it_lets_the_account_in_once_the_password_is_changed(self):
        newcomer = self.create_by_admin()
        self.login(newcomer)
        response = self.client.post(
            CHANGE,
            {"old_password": INITIAL, "new_password1": "Ziji#Mima2026", "new_password2": "Ziji#Mima2026"},
        )
        assert response.status_code == 302
        assert not User.objects.get(pk=newcomer.pk).must_change_password
        assert self.client.get(reverse("schools:school-list")).status_code == 200

    def test_it_also_applies_after_signing_in_through_the_form(self):
        self.create_by_admin()
        response = self.client.post(
            reverse("accounts:login"), {"username": "xinren", "password": INITIAL}, follow=True
        )
        assert response.redirect_chain[-1][0] == CHANGE

    def test_it_lets_a_new_account_sign_out(self):
        self.login(self.create_by_admin())
        self.client.post(reverse("accounts:logout"))
        assert "_auth_user_id" not in self.client.session

    def test_it_does_not_stop_a_demo_account(self):
        demo = make_user("yanshi", self.pulv_office, "observer", is_demo=True)
        assert not demo.must_change_password
        self.login(demo)
        assert self.client.get(reverse("dashboards:home")).status_code == 200
        assert User.objects.get(pk=demo.pk).check_password(PASSWORD)
