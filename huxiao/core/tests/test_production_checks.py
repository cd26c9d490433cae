"""Outside DEBUG the platform refuses to start on the demo's secret key, without the sensitive
registers' keys, without the audit chain's key or with the demo's accounts in its database,
saying in Chinese which setting to set; the demo (DEBUG) needs none."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from huxiao.core.checks import refuse_unsafe_start
from huxiao.testsupport.cast import make_user


def test_the_demo_key_and_missing_keys_are_refused(settings, db):
    settings.DEBUG = False
    settings.SECRET_KEY = django_settings.DEMO_SECRET_KEY
    settings.HUXIAO_PEOPLE_KEYS, settings.HUXIAO_PEOPLE_INDEX_KEY = [], ""
    settings.HUXIAO_AUDIT_KEYS = []
    with pytest.raises(ImproperlyConfigured) as exc:
        refuse_unsafe_start()
    for setting in ("HUXIAO_SECRET_KEY", "HUXIAO_PEOPLE_KEYS", "HUXIAO_AUDIT_KEYS"):
        assert setting in str(exc.value)


def test_the_demo_accounts_are_refused_in_production(settings, db):
    settings.DEBUG = False
    settings.SECRET_KEY = "a-real-key-" + "x" * 50
    make_user("demo1", is_demo=True)
    with pytest.raises(ImproperlyConfigured, match="演示账号（demo1"):
        refuse_unsafe_start()


def test_a_configured_production_starts_and_the_demo_needs_nothing(settings, db):
    settings.DEBUG = False
    settings.SECRET_KEY = "a-real-key-" + "x" * 50
    refuse_unsafe_start()  # the session's register and audit keys are set, no demo account
    settings.DEBUG = True
    settings.SECRET_KEY = django_settings.DEMO_SECRET_KEY
    settings.HUXIAO_PEOPLE_KEYS, settings.HUXIAO_PEOPLE_INDEX_KEY = [], ""
    settings.HUXIAO_AUDIT_KEYS = []
    refuse_unsafe_start()


def test_gunicorn_cannot_load_the_app_on_the_repository_key(tmp_path):
    """What `make serve` does without settings: importing huxiao.wsgi fails, in Chinese."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUXIAO_", "DATABASE_URL"))}
    env |= {
        "HUXIAO_DEBUG": "false",
        "HUXIAO_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "huxiao.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import huxiao.wsgi"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "拒绝以生产方式启动" in result.stderr and "HUXIAO_SECRET_KEY" in result.stderr
