"""accounts:password-change — changing one's own password."""

from django.urls import reverse

from huxiao.accounts.models import User
from huxiao.testsupport.cast import (
    PASSWORD,
    HuxiaoTestCase,
    assert_redirects_to_login,
    audit_mark,
    audit_since,
)

URL = reverse("accounts:password-change")
NEW = "Xin#Mima2026"


class PasswordChangeTests(HuxiaoTestCase):
    def post(self, old=PASSWORD, new1=NEW, new2=NEW):
        return self.client.post(URL, {"old_password": old, "new_password1": new1, "new_password2": new2})

    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.get(URL))

    def test_it_refuses_a_wrong_current_password(self):
        self.login(self.police)
        mark = audit_mark()
        response = self.post(old="Wrong#2026")
        assert "当前密码：当前密码不正确。" in response.content.decode()
        assert User.objects.get(pk=self.police.pk).check_password(PASSWORD)
        assert audit_since(mark) == []

    def test_it_refuses_two_different_new_passwords(self):
        self.login(self.police)
        response = self.post(new2=NEW + "x")
        assert "两次输入的新密码不一致。" in response.content.decode()

    def test_it_refuses_the_same_password_again(self):
        self.login(self.police)
        response = self.post(new1=PASSWORD, new2=PASSWORD)
        assert "新密码不能与当前密码相同。" in response.content.decode()

    def test_it_changes_the_password_and_keeps_the_user_signed_in(self):
        self.login(self.police)
        assert self.client.get(URL).status_code == 200
        mark = audit_mark()
        response = self.post()
        assert response.status_code == 302
        user = User.objects.get(pk=self.police.pk)
        assert user.check_password(NEW) and not user.check_password(PASSWORD)
        assert user.password_changed_at is not None
        [event] = audit_since(mark)
        assert (event.action, event.actor, event.object_id) == (
            "account.password_change",
            self.police,
            str(user.pk),
        )
        assert NEW not in str(event.before) + str(event.after)  # never the password itself
        assert self.client.get(reverse("dashboards:home")).status_code == 200
