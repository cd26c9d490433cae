"""The audit chain finds edited and deleted rows (DESIGN §4.3); `verify_audit` fails on them."""

import io
import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from huxiao.core import audit
from huxiao.core.audit import verify_chain
from huxiao.core.models import AuditEvent


def test_an_untouched_chain_verifies(cast):
    report = verify_chain()
    assert report.ok and report.checked == AuditEvent.objects.count()
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert f"审计链完整：共核验 {report.checked} 条记录。" in out.getvalue()


def test_an_empty_chain_verifies(db):
    assert verify_chain().ok


def test_each_event_links_to_the_one_before(cast):
    events = list(AuditEvent.objects.order_by("seq"))
    assert events[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("after", {"name": "篡改"}),
        ("before", {"is_archived": True}),
        ("action", "school.view"),
        ("actor_label", "别人"),
        ("object_repr", "别的学校"),
        ("region_path", ""),
        ("ip", "10.0.0.1"),
    ],
)
def test_it_detects_an_edited_row(cast, field, value):
    AuditEvent.objects.filter(seq=20).update(**{field: value})  # bypasses the model's save guard
    report = verify_chain()
    assert report.problems == ["第 20 条的内容与其哈希不符（记录已被修改）。"]
    with pytest.raises(CommandError, match="发现 1 处问题"):
        call_command("verify_audit", stdout=io.StringIO(), stderr=io.StringIO())


def test_it_detects_an_edited_row_whose_hash_was_recomputed(cast):
    event = AuditEvent.objects.get(seq=20)
    event.after = {"name": "篡改"}
    AuditEvent.objects.filter(seq=20).update(after=event.after, hash=audit.compute_hash(event))
    assert "第 21 条的前序哈希与上一条不符（链已断开）。" in verify_chain().problems


def test_it_detects_a_deleted_middle_row(cast):
    AuditEvent.objects.filter(seq=20).delete()
    problems = verify_chain().problems
    assert "缺少第 20–20 条审计记录（已被删除）。" in problems
    assert "第 21 条的前序哈希与上一条不符（链已断开）。" in problems
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=io.StringIO(), stderr=io.StringIO())


def test_it_detects_a_deleted_last_row(cast):
    last = AuditEvent.objects.order_by("-seq").first().seq
    AuditEvent.objects.filter(seq=last).delete()
    report = verify_chain()
    assert report.problems == [
        f"链头记录到第 {last} 条，但表中最后一条是第 {last - 1} 条（末尾记录已被删除）。"
    ]
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture(autouse=True)
def _test_action():
    audit.ACTIONS.register("test.append", "测试追加")


def test_it_continues_correctly_after_a_verification(cast):
    with transaction.atomic():
        audit.record(actor=None, action="test.append")
    assert verify_chain().ok


def test_record_refuses_to_run_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="test.append")


def test_an_unregistered_action_is_refused_so_every_event_has_a_label(cast):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured), transaction.atomic():
        audit.record(actor=None, action="nobody.registered_this")
