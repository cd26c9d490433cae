"""accounts:membership-revoke — ending a role (kept, marked inactive)."""

from django.urls import reverse

from huxiao.accounts.models import Membership
from huxiao.schools.models import School
from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login, audit_mark, audit_since


class MembershipRevokeTests(HuxiaoTestCase):
    def url(self, user, membership):
        return reverse("accounts:membership-revoke", args=[user.pk, membership.pk])

    def setUp(self):
        self.membership = Membership.objects.get(user=self.police)

    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.post(self.url(self.police, self.membership)))

    def test_it_refuses_everyone_but_the_sysadmin(self):
        self.login(self.official)
        assert self.client.post(self.url(self.police, self.membership)).status_code == 403
        assert Membership.objects.get(pk=self.membership.pk).is_active

    def test_it_answers_404_for_another_accounts_membership(self):
        self.login(self.sysadmin)
        assert self.client.post(self.url(self.observer, self.membership)).status_code == 404
        assert Membership.objects.get(pk=self.membership.pk).is_active

    def test_it_ends_the_role_and_with_it_the_schools(self):
        self.login(self.sysadmin)
        mark = audit_mark()
        assert self.client.post(self.url(self.police, self.membership)).status_code == 302
        assert not Membership.objects.get(pk=self.membership.pk).is_active
        [event] = audit_since(mark)
        assert (event.action, event.actor, event.before, event.after) == (
            "membership.revoke",
            self.sysadmin,
            {"is_active": True},
            {"is_active": False},
        )
        assert not School.objects.visible_to(self.police).exists()

    def test_it_answers_404_for_a_role_already_ended(self):
        self.login(self.sysadmin)
        self.client.post(self.url(self.police, self.membership))
        assert self.client.post(self.url(self.police, self.membership)).status_code == 404
