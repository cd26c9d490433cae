"""Five failed logins of one account from one address lock that account from that address for 15
minutes (django-axes), even against the right password; then it opens again. The same account
from another address is not locked (a third party cannot lock a user out), but one address that
fails too often, whatever the names, is; the 安全管理员 lifts a lock."""

import datetime as dt

import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from huxiao.testsupport.cast import PASSWORD, HuxiaoTestCase, audit_mark, audit_since

URL = reverse("accounts:login")
START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


# The cast, its passwords and every filing are made at START too (setUpTestData included):
# a login or an "as of" question never straddles the real date.
@time_machine.travel(START, tick=False)
class LockoutTests(HuxiaoTestCase):
    def attempt(self, password, username="police", ip="10.0.0.1"):
        return self.client.post(URL, {"username": username, "password": password}, REMOTE_ADDR=ip)

    def fail_five_times(self):
        return [self.attempt(f"Wrong#{i}abc").status_code for i in range(5)]

    def test_it_locks_the_account_after_five_failures_even_for_the_right_password(self):
        with time_machine.travel(START, tick=False):
            assert self.fail_five_times()[:4] == [200, 200, 200, 200]
            response = self.attempt(PASSWORD)
        assert response.status_code == 429
        assert "连续登录失败次数过多，已锁定15分钟。" in response.content.decode()
        assert "_auth_user_id" not in self.client.session

    def test_it_stays_locked_for_fifteen_minutes(self):
        with time_machine.travel(START, tick=False) as traveller:
            self.fail_five_times()
            traveller.shift(dt.timedelta(minutes=14, seconds=59))
            assert self.attempt(PASSWORD).status_code == 429

    def test_it_opens_again_after_fifteen_minutes(self):
        with time_machine.travel(START, tick=False) as traveller:
            self.fail_five_times()
            traveller.shift(dt.timedelta(minutes=15, seconds=1))
            response = self.attempt(PASSWORD)
        assert response.status_code == 302
        assert self.client.session["_auth_user_id"] == str(self.police.pk)

    def test_it_locks_only_the_account_that_was_attacked(self):
        with time_machine.travel(START, tick=False):
            self.fail_five_times()
            assert self.attempt(PASSWORD, username="observer").status_code == 302

    def test_four_failures_do_not_lock(self):
        with time_machine.travel(START, tick=False):
            for i in range(4):
                self.attempt(f"Wrong#{i}abc")
            assert self.attempt(PASSWORD).status_code == 302

    def test_another_address_still_signs_in(self):
        """Finding 11: failing five times as someone from elsewhere does not lock them out."""
        with time_machine.travel(START, tick=False):
            self.fail_five_times()
            assert self.attempt(PASSWORD, ip="10.0.0.1").status_code == 429
            assert self.attempt(PASSWORD, ip="10.0.9.9").status_code == 302

    def test_an_unknown_name_is_locked_like_a_real_one(self):
        """The lock page does not tell whether an account exists."""
        with time_machine.travel(START, tick=False):
            for i in range(5):
                self.attempt(f"Wrong#{i}abc", username="nobody-here")
            locked = self.attempt(PASSWORD, username="nobody-here")
        assert locked.status_code == 429
        assert "连续登录失败次数过多" in locked.content.decode()

    @override_settings(LOGIN_IP_FAILURE_LIMIT=12)
    def test_one_address_guessing_many_names_is_locked(self):
        with time_machine.travel(START, tick=False):
            for n in range(12):
                self.attempt("Wrong#1abc", username=f"guess{n}", ip="10.0.0.7")
            assert self.attempt(PASSWORD, username="observer", ip="10.0.0.7").status_code == 429
            assert self.attempt(PASSWORD, username="observer", ip="10.0.0.8").status_code == 302

    def test_the_security_administrator_lifts_a_lock(self):
        with time_machine.travel(START, tick=False):
            self.fail_five_times()
            admin = Client()
            admin.force_login(self.secadmin)
            page = admin.get(reverse("security:overview")).content.decode()
            assert "police" in page and "10.0.0.1" in page
            mark = audit_mark()
            response = admin.post(reverse("security:unlock"), {"username": "police", "ip": "10.0.0.1"})
            assert response.status_code == 302
            assert [e.action for e in audit_since(mark)] == ["account.unlock"]
            assert self.attempt(PASSWORD).status_code == 302

    def test_only_the_security_administrator_may_lift_a_lock(self):
        with time_machine.travel(START, tick=False):
            self.fail_five_times()
            for user in (self.sysadmin, self.auditor, self.official):
                other = Client()
                other.force_login(user)
                assert other.get(reverse("security:overview")).status_code == 403
                assert other.post(reverse("security:unlock"), {"username": "police"}).status_code == 403
            assert self.attempt(PASSWORD).status_code == 429
