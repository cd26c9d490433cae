"""Five failed logins lock the account for 15 minutes (django-axes), even against the right
password; then it opens again."""

import datetime as dt

import time_machine
from django.urls import reverse

from huxiao.testsupport.cast import PASSWORD, HuxiaoTestCase

URL = reverse("accounts:login")
START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


# The cast, its passwords and every filing are made at START too (setUpTestData included):
# a login or an "as of" question never straddles the real date.
@time_machine.travel(START, tick=False)
class LockoutTests(HuxiaoTestCase):
    def attempt(self, password, username="police"):
        return self.client.post(URL, {"username": username, "password": password})

    def fail_five_times(self):
        return [self.attempt(f"Wrong#{i}abc").status_code for i in range(5)]

    def test_it_locks_the_account_after_five_failures_even_for_the_right_password(self):
        with time_machine.travel(START, tick=False):
            assert self.fail_five_times()[:4] == [200, 200, 200, 200]
            response = self.attempt(PASSWORD)
        assert response.status_code == 429
        assert "该账号连续5次登录失败，已锁定15分钟。" in response.content.decode()
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
