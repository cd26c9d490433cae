"""pytest fixtures shared by every app's tests: the fixed cast and fast password hashing."""

from __future__ import annotations

import pytest
from django.test import override_settings

from huxiao.core.testing import Cast, build_cast

TEST_HASHERS = [
    "huxiao.core.testing.FastArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Argon2 at production cost takes ~0.1 s a hash; the cast alone hashes twenty times.
    Tests of the production hasher override this back (see accounts/tests/test_password_hashing.py)."""
    with override_settings(PASSWORD_HASHERS=TEST_HASHERS):
        yield


@pytest.fixture
def cast(db) -> Cast:
    """The fixed cast (huxiao.core.testing): regions, organisations, schools and users."""
    return build_cast()
