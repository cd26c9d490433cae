"""accounts:user-create — an administrator creates an account with its first role."""

from django.urls import reverse

from huxiao.accounts.models import Membership, User
from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login, audit_mark, audit_since

URL = reverse("accounts:user-create")


class UserCreateTests(HuxiaoTestCase):
    def data(self, **changes):
        return {
            "username": "xinren",
            "full_name": "新人",
            "phone": "13800001234",
            "password": "Chushi#Mima2026",
            "organisation": self.pulv_police.pk,
            "role": "police",
            "title": "社区民警",
            **changes,
        }

    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.post(URL, self.data()))
        assert not User.objects.filter(username="xinren").exists()

    def test_it_refuses_everyone_but_the_sysadmin(self):
        for user in (self.observer, self.safety_officer, self.auditor):
            self.login(user)
            assert self.client.get(URL).status_code == 403
            mark = audit_mark()
            assert self.client.post(URL, self.data()).status_code == 403
            assert not User.objects.filter(username="xinren").exists()
            assert audit_since(mark) == []

    def test_it_creates_an_account_that_must_change_its_password(self):
        self.login(self.sysadmin)
        assert self.client.get(URL).status_code == 200
        mark = audit_mark()
        response = self.client.post(URL, self.data())
        assert response.status_code == 302
        user = User.objects.get(username="xinren")
        assert user.must_change_password and not user.is_demo
        assert (user.full_name, user.phone) == ("新人", "13800001234")
        membership = Membership.objects.get(user=user)
        assert (membership.organisation, membership.role, membership.title) == (
            self.pulv_police,
            "police",
            "社区民警",
        )
        created, granted = audit_since(mark)
        assert (created.action, created.actor, created.before) == ("account.create", self.sysadmin, None)
        assert created.after["username"] == "xinren" and created.after["must_change_password"] is True
        assert "password" not in created.after
        assert (granted.action, granted.actor) == ("membership.grant", self.sysadmin)
        assert granted.after == {"user": "xinren", "organisation": "蒲吕派出所", "role": "police"}

    def test_it_refuses_a_username_already_taken_whatever_its_case(self):
        self.login(self.sysadmin)
        mark = audit_mark()
        response = self.client.post(URL, self.data(username="Police"))
        assert "用户名：用户名已存在。" in response.content.decode()
        assert User.objects.filter(username__iexact="police").count() == 1
        assert audit_since(mark) == []

    def test_it_refuses_a_weak_initial_password(self):
        self.login(self.sysadmin)
        response = self.client.post(URL, self.data(password="xinren2026"))
        page = response.content.decode()
        assert "初始密码：" in page and "至少3类" in page and "密码不能包含用户名。" in page
        assert not User.objects.filter(username="xinren").exists()

    def test_it_refuses_a_malformed_username_and_phone(self):
        self.login(self.sysadmin)
        response = self.client.post(URL, self.data(username="新 人", phone="12345"))
        page = response.content.decode()
        assert "用户名须为3至30位字母、数字或 _ . -。" in page
        assert "手机号须为11位数字，以1开头。" in page
        assert not User.objects.filter(full_name="新人").exists()
