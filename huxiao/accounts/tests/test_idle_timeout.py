"""A session ends after 30 minutes without a request; every request renews it."""

import datetime as dt

import time_machine
from django.conf import settings
from django.urls import reverse

from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login

HOME = reverse("dashboards:home")
START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


# The cast, its passwords and every filing are made at START too (setUpTestData included):
# a login or an "as of" question never straddles the real date.
@time_machine.travel(START, tick=False)
class IdleTimeoutTests(HuxiaoTestCase):
    def test_the_settings_are_thirty_minutes_renewed_on_every_request(self):
        assert settings.SESSION_COOKIE_AGE == 30 * 60
        assert settings.SESSION_SAVE_EVERY_REQUEST is True

    def test_activity_keeps_the_session_alive(self):
        with time_machine.travel(START, tick=False) as traveller:
            self.login(self.police)
            for _ in range(3):
                traveller.shift(dt.timedelta(minutes=29))
                assert self.client.get(HOME).status_code == 200

    def test_thirty_idle_minutes_end_the_session(self):
        with time_machine.travel(START, tick=False) as traveller:
            self.login(self.police)
            assert self.client.get(HOME).status_code == 200
            traveller.shift(dt.timedelta(minutes=30, seconds=1))
            assert_redirects_to_login(self.client.get(HOME))
