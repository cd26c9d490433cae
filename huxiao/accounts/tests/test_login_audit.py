"""Logins, failed logins and logouts are in the audit log; the password never is."""

from django.urls import reverse

from huxiao.testsupport.cast import PASSWORD, HuxiaoTestCase, audit_mark, audit_since


class LoginAuditTests(HuxiaoTestCase):
    def test_it_records_a_successful_login_with_the_ip(self):
        mark = audit_mark()
        response = self.client.post(
            reverse("accounts:login"),
            {"username": self.cast.police.username, "password": PASSWORD},
            REMOTE_ADDR="10.1.2.3",
        )
        self.assertEqual(response.status_code, 302)
        [event] = [e for e in audit_since(mark) if e.action == "account.login"]
        self.assertEqual((event.actor, event.ip), (self.cast.police, "10.1.2.3"))

    def test_it_records_a_failed_login_by_username_without_the_password(self):
        mark = audit_mark()
        self.client.post(
            reverse("accounts:login"), {"username": self.cast.police.username, "password": "Wrong#123"}
        )
        [event] = audit_since(mark)
        self.assertEqual(event.action, "account.login_failed")
        self.assertEqual(event.after, {"username": self.cast.police.username})
        self.assertNotIn("Wrong#123", str(event.after) + event.object_repr)

    def test_it_records_a_logout(self):
        self.login(self.cast.observer)
        mark = audit_mark()
        self.client.post(reverse("accounts:logout"))
        self.assertEqual([e.action for e in audit_since(mark)], ["account.logout"])
