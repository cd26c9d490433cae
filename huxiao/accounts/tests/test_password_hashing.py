"""Passwords are stored as Argon2 hashes (GB/T 22239 level-3 credential storage)."""

from django.test import override_settings

from huxiao import settings as production
from huxiao.accounts import services
from huxiao.accounts.models import User
from huxiao.testsupport.cast import HuxiaoTestCase


class PasswordHashingTests(HuxiaoTestCase):
    def test_argon2_is_the_configured_hasher(self):
        assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"

    @override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS)
    def test_an_account_created_by_an_administrator_gets_an_argon2id_hash(self):
        user = services.account_create(
            acting_user=self.sysadmin, username="xinren", full_name="新人", password="Chushi#Mima2026"
        )
        stored = User.objects.get(pk=user.pk).password
        assert stored.startswith("argon2$argon2id$")
        assert "Chushi#Mima2026" not in stored
        assert User.objects.get(pk=user.pk).check_password("Chushi#Mima2026")

    def test_the_cast_passwords_are_argon2_too(self):
        assert all(p.startswith("argon2$") for p in User.objects.values_list("password", flat=True))
