"""accounts:user-detail — one account's memberships; granting another role."""

from django.urls import reverse

from huxiao.accounts.models import Membership
from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login, audit_mark, audit_since


def url(user):
    return reverse("accounts:user-detail", args=[user.pk])


class UserDetailTests(HuxiaoTestCase):
    def grant(self, **changes):
        return {"organisation": self.bachuan_police.pk, "role": "police", "title": "", **changes}

    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.get(url(self.police)))

    def test_it_refuses_everyone_but_the_sysadmin(self):
        self.login(self.observer)
        assert self.client.get(url(self.police)).status_code == 403
        assert self.client.post(url(self.police), self.grant()).status_code == 403
        assert self.police.memberships.count() == 1

    def test_it_answers_404_for_an_account_that_does_not_exist(self):
        self.login(self.sysadmin)
        assert self.client.get(reverse("accounts:user-detail", args=[999_999])).status_code == 404

    def test_it_grants_another_role(self):
        self.login(self.sysadmin)
        assert self.client.get(url(self.police)).status_code == 200
        mark = audit_mark()
        assert self.client.post(url(self.police), self.grant()).status_code == 302
        assert Membership.objects.filter(
            user=self.police, organisation=self.bachuan_police, role="police"
        ).exists()
        [event] = audit_since(mark)
        assert (event.action, event.actor) == ("membership.grant", self.sysadmin)
        assert event.after == {"user": "police", "organisation": "巴川派出所", "role": "police"}
