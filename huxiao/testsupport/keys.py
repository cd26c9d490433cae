"""The sensitive registers' keys for a test session (never used anywhere else): the root conftest
and the bench's conftest both use `people_keys`."""

from __future__ import annotations

import pytest
from django.test import override_settings

TEST_PEOPLE_KEYS = ["Fz0b9oQm0Hk1rT4D6c8u2q5yQeS1n3w7x9A0bC2dE4g="]
TEST_PEOPLE_INDEX_KEY = "test-blind-index-key-0123456789abcdef"


@pytest.fixture(autouse=True, scope="session")
def people_keys():
    with override_settings(
        HUXIAO_PEOPLE_KEYS=TEST_PEOPLE_KEYS, HUXIAO_PEOPLE_INDEX_KEY=TEST_PEOPLE_INDEX_KEY
    ):
        yield
