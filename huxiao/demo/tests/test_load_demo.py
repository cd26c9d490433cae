"""The demo loader is idempotent: a second run creates nothing, and the audit chain holds."""

import io

from django.apps import apps
from django.core.management import call_command

from huxiao.accounts.models import User
from huxiao.core.audit import verify_chain
from huxiao.demo import data
from huxiao.demo.loader import load_demo
from huxiao.schools.models import School, SecurityProfile


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_a_second_load_creates_nothing(db):
    first = load_demo()
    before = row_counts()
    assert before["core.AuditEvent"] > 0
    second = load_demo()
    assert second.pop("hazards") == 0  # hazards are reported as "new this run"
    assert second == {k: v for k, v in first.items() if k != "hazards"}  # the rest as "what exists"
    assert row_counts() == before
    assert verify_chain().ok


def test_it_loads_what_the_demo_data_describes(db):
    counts = load_demo()
    assert counts["schools"] == len(data.SCHOOLS) == School.objects.count()
    assert counts["accounts"] == len(data.ACCOUNTS) == User.objects.count()
    assert SecurityProfile.objects.exists()
    assert not User.objects.filter(is_demo=False).exists()
    assert not User.objects.filter(must_change_password=True).exists()
    assert verify_chain().ok


def test_the_demo_outsider_sees_nothing_of_pulv(db):
    load_demo()
    outsider = User.objects.get(username="bachuan")
    visible = School.objects.visible_to(outsider)
    assert visible.exists()
    assert not visible.filter(name__startswith="蒲吕").exists()


def test_the_command_runs_twice(db):
    out = io.StringIO()
    call_command("load_demo", "--quiet-accounts", stdout=out)
    call_command("load_demo", stdout=out)
    assert out.getvalue().count("演示数据就绪") == 2
    assert data.DEMO_PASSWORD in out.getvalue()
