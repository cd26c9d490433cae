"""The keys of a test session (never used anywhere else) — the sensitive registers' and the audit
chain's: the root conftest and the bench's conftest both use `people_keys`. No anchor file: each
test's chain is rolled back, so anchors written by one would not match the next (the anchor tests
set their own file). Two-factor enforcement is off, as the cast signs in without a phone; its own
tests (`accounts/tests/test_two_factor.py`) switch it on."""

from __future__ import annotations

import pytest
from django.test import override_settings

TEST_PEOPLE_KEYS = ["Fz0b9oQm0Hk1rT4D6c8u2q5yQeS1n3w7x9A0bC2dE4g="]
TEST_PEOPLE_INDEX_KEY = "test-blind-index-key-0123456789abcdef"
TEST_AUDIT_KEYS = ["t1:test-audit-key-0123456789abcdefghijklmnop"]


@pytest.fixture(autouse=True, scope="session")
def people_keys():
    with override_settings(
        HUXIAO_PEOPLE_KEYS=TEST_PEOPLE_KEYS,
        HUXIAO_PEOPLE_INDEX_KEY=TEST_PEOPLE_INDEX_KEY,
        HUXIAO_AUDIT_KEYS=TEST_AUDIT_KEYS,
        HUXIAO_AUDIT_ANCHOR_FILE="",
        HUXIAO_2FA_ENFORCED=False,  # the cast signs in with force_login; the 2FA tests switch it on
    ):
        yield
