"""The audit chain finds edited and deleted rows (DESIGN §4.3); `verify_audit` fails on them.
The hashes are keyed: a rewritten tail recomputed without the key is found; with the key, the
anchors written outside the database find it."""

import hashlib
import hmac
import io
import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from huxiao.core import audit
from huxiao.core.audit import verify_chain
from huxiao.core.models import AuditEvent, AuditHead
from huxiao.lib.hashing import canonical_json


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


# --- Keyed hashes and anchors (等保 finding 5: the chain could be rewritten) ------------------


def rewrite_tail(start: int, hash_of) -> None:
    """What an attacker with write access to the table does: edit row `start`, recompute every
    hash from there on with `hash_of(prev_hash, event)` and move the head."""
    prev = AuditEvent.objects.get(seq=start - 1).hash
    for event in AuditEvent.objects.filter(seq__gte=start).order_by("seq"):
        if event.seq == start:
            event.after = {"name": "篡改"}
        event.prev_hash = prev
        event.hash = hash_of(prev, event)
        AuditEvent.objects.filter(pk=event.pk).update(after=event.after, prev_hash=prev, hash=event.hash)
        prev = event.hash
    AuditHead.objects.filter(id=1).update(last_hash=prev)


def test_a_tail_rewritten_with_the_published_hash_function_is_found(cast):
    """Finding 5: edit row 20, recompute rows 20… with SHA-256 as the code once did, update the
    head — this passed as 审计链完整 before the hashes were keyed."""
    rewrite_tail(
        20, lambda prev, e: hashlib.sha256((prev + canonical_json(audit._payload(e))).encode()).hexdigest()
    )
    problems = verify_chain().problems
    assert "第 20 条的内容与其哈希不符（记录已被修改）。" in problems
    assert len(problems) == AuditEvent.objects.filter(seq__gte=20).count()


def test_a_tail_rewritten_with_another_key_is_found(cast):
    def forged(prev, e):
        message = prev + canonical_json({**audit._payload(e), "key": e.key_id})
        return hmac.new(b"a-guess-at-the-key-0123456789abcdef", message.encode(), hashlib.sha256).hexdigest()

    rewrite_tail(20, forged)
    assert "第 20 条的内容与其哈希不符（记录已被修改）。" in verify_chain().problems


def test_with_the_key_a_rewrite_is_found_by_the_anchor(cast, settings, tmp_path):
    settings.HUXIAO_AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.log")
    anchor = audit.write_anchor()
    assert verify_chain().ok and verify_chain().anchors == 1
    rewrite_tail(20, lambda prev, e: audit.digest(e.key_id, prev, audit._payload(e)))
    assert verify_chain().problems == [
        f"第 {anchor.seq} 条与 {anchor.at} 写下的锚点不符（该条及之前的记录被改写过）。"
    ]


def test_a_tail_cut_below_an_anchor_is_found(cast, settings, tmp_path):
    settings.HUXIAO_AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.log")
    anchor = audit.write_anchor()
    AuditEvent.objects.filter(seq=anchor.seq).delete()
    AuditHead.objects.filter(id=1).update(
        last_seq=anchor.seq - 1, last_hash=AuditEvent.objects.get(seq=anchor.seq - 1).hash
    )
    assert verify_chain().problems == [
        f"{anchor.at} 的锚点记录到第 {anchor.seq} 条，但表中只有 {anchor.seq - 1} 条（末尾记录已被删除）。"
    ]


def test_an_edited_anchor_file_is_reported(cast, settings, tmp_path):
    path = tmp_path / "anchors.log"
    settings.HUXIAO_AUDIT_ANCHOR_FILE = str(path)
    audit.write_anchor()
    path.write_text(path.read_text() + "手工添加的一行\n")
    assert verify_chain().problems == ["锚点文件第 2 行无法识别（锚点文件被改动）。"]


def test_keys_rotate_without_rewriting_the_chain(cast, settings):
    old_last = AuditEvent.objects.order_by("-seq").first()
    settings.HUXIAO_AUDIT_KEYS = ["t2:the-next-audit-key-0123456789abcdefghij", *settings.HUXIAO_AUDIT_KEYS]
    with transaction.atomic():
        new = audit.record(actor=None, action="test.append")
    assert new.key_id == "t2" and old_last.key_id == "t1"
    assert verify_chain().ok
    settings.HUXIAO_AUDIT_KEYS = settings.HUXIAO_AUDIT_KEYS[:1]  # the old key dropped too early
    assert (
        verify_chain().problems
        == [
            f"第 {e.seq} 条使用的审计密钥（编号 t1）未配置，无法核验。"
            for e in AuditEvent.objects.order_by("seq")
        ][:-1]
    )


def test_without_a_key_outside_debug_nothing_is_recorded(cast, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.HUXIAO_AUDIT_KEYS, settings.DEBUG = [], False
    with pytest.raises(ImproperlyConfigured, match="HUXIAO_AUDIT_KEYS"), transaction.atomic():
        audit.record(actor=None, action="test.append")


@pytest.mark.parametrize(
    "keys", [["nocolon"], ["k1:short"], ["bad id:" + "x" * 40], ["k:" + "x" * 40, "k:" + "y" * 40]]
)
def test_a_malformed_key_setting_is_a_chinese_error(cast, settings, keys):
    from django.core.exceptions import ImproperlyConfigured

    settings.HUXIAO_AUDIT_KEYS = keys
    with pytest.raises(ImproperlyConfigured, match="HUXIAO_AUDIT_KEYS 格式有误"):
        audit.audit_keys()
