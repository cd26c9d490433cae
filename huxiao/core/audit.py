"""The audit chain: `record()` appends an event inside the caller's transaction;
`verify_chain()` walks it and reports edited, deleted or reordered rows.

Each event's hash is an HMAC-SHA256 of the previous hash and the event, under a key held outside
the database (`HUXIAO_AUDIT_KEYS`, the key's id stored on the row so keys can be rotated): someone
who can write the table but not read the server's environment cannot recompute a rewritten tail.
Against someone who holds both, `write_anchor()` (run by `manage.py daily`) appends the chain's
head to a file outside the database and to the system log; `verify_chain()` checks every anchor.

The request's IP reaches `record()` through a context variable that `RequestContextMiddleware`
sets, so services stay free of request objects; the *actor* is always passed explicitly.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from huxiao.core.kinds import Registry
from huxiao.core.models import AuditEvent, AuditHead
from huxiao.lib.hashing import canonical_json

GENESIS = "0" * 64
KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,20}")
MISSING_KEY = (
    "未配置审计密钥：请设置 HUXIAO_AUDIT_KEYS（格式“编号:密钥”，密钥至少32个字符，多个用逗号分隔，"
    "第一个用于新记录）。没有密钥，审计链可被改写而不被发现。"
)
KEY_HINT = "python3 -c 'import secrets; print(\"k1:\" + secrets.token_urlsafe(32))'"
anchor_log = logging.getLogger("huxiao.audit.anchor")
request_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("huxiao_request_ip", default=None)


def _payload(event: AuditEvent) -> dict[str, Any]:
    """The fields covered by the hash, in a form that survives a database round trip."""
    return {
        "seq": event.seq,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "organisation": event.organisation_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "region_path": event.region_path,
        "before": event.before,
        "after": event.after,
        "ip": event.ip,
    }


# --- Keys -------------------------------------------------------------------------------------


def _dev_key() -> str:
    """DEBUG only: a key kept beside the SQLite file, made on first use, so a developer's demo
    chain stays verifiable across restarts."""
    path = Path(settings.DATA_DIR) / "audit-dev.key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


@cache
def _parse(entries: tuple[str, ...]) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for entry in entries:
        key_id, sep, secret = entry.strip().partition(":")
        if not sep or not KEY_ID.fullmatch(key_id) or len(secret) < 32 or key_id in keys:
            raise ImproperlyConfigured(
                "HUXIAO_AUDIT_KEYS 格式有误：每项为“编号:密钥”（编号为1至20位字母、数字、_ 或 -，"
                "各不相同；密钥至少32个字符），多项用逗号分隔。"
            )
        keys[key_id] = secret.encode()
    return keys


def configured() -> bool:
    return bool(settings.HUXIAO_AUDIT_KEYS)


def audit_keys() -> dict[str, bytes]:
    """{key id: key}, the sealing key first."""
    if configured():
        return _parse(tuple(settings.HUXIAO_AUDIT_KEYS))
    if settings.DEBUG:
        return _parse((f"dev:{_dev_key()}",))
    raise ImproperlyConfigured(MISSING_KEY)


def sealing_key_id() -> str:
    return next(iter(audit_keys()))


class UnknownKey(Exception):
    """The row names a key that is not configured: it cannot be verified."""


def digest(key_id: str, prev_hash: str, payload: dict[str, Any]) -> str:
    key = audit_keys().get(key_id)
    if key is None:
        raise UnknownKey(key_id)
    message = prev_hash + canonical_json({**payload, "key": key_id})
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def compute_hash(event: AuditEvent) -> str:
    return digest(event.key_id, event.prev_hash, _payload(event))


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-able dict of a model's concrete fields (foreign keys as ids) for before/after."""
    data: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        value = getattr(instance, f.attname)
        if isinstance(value, dt.datetime | dt.date):
            value = value.isoformat()
        elif hasattr(value, "as_tuple"):  # Decimal
            value = str(value)
        elif hasattr(value, "name") and f.get_internal_type() == "FileField":
            value = value.name or ""
        data[f.attname] = value
    return data


# Every audit action, registered by its app (AppConfig.ready()) with the label the audit page shows.
ACTIONS = Registry("审计操作", max_length=60)


# Actions whose events only some auditors may read (the sensitive registers': a 查看完整信息
# reason may name the person): (codes, readers(user) -> bool). `audit_events_visible_to` leaves
# them out for everyone else, whatever their region.
_RESTRICTED: list[tuple[frozenset[str], Callable[[Any], bool]]] = []


def register_actions(actions: dict[str, str], *, readers: Callable[[Any], bool] | None = None) -> None:
    """Declare an app's audit actions: {code: Chinese label}; `readers`, when given, decides who
    may read their events at all (on top of the region scope)."""
    for code, label in actions.items():
        ACTIONS.register(code, label)
    if readers is not None:
        _RESTRICTED.append((frozenset(actions), readers))


def hidden_actions(user) -> set[str]:
    """The restricted actions this user may not read."""
    return {code for codes, readers in _RESTRICTED if not readers(user) for code in codes}


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    organisation=None,
    region_path: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one audit event. Must run inside the service's `transaction.atomic` block.
    `action` is a code an app registered with its Chinese label (`ACTIONS`)."""
    if action not in ACTIONS:  # a programming error: the auditor could not read the event
        raise ImproperlyConfigured(f"audit action {action!r} is not registered (core.audit.register_actions)")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside the service's transaction")
    head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
    event = AuditEvent(
        seq=head.last_seq + 1,
        at=timezone.now(),
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        actor_label=(actor.get_full_name() or actor.username) if actor is not None and actor.pk else "系统",
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        region_path=region_path,
        before=before,
        after=after,
        ip=request_ip.get(),
        prev_hash=head.last_hash,
        key_id=sealing_key_id(),
    )
    # Round-trip JSON so the hash is computed over exactly what the database will return.
    event.before = _roundtrip(before)
    event.after = _roundtrip(after)
    event.hash = compute_hash(event)
    event.save()
    AuditHead.objects.filter(id=1).update(last_seq=event.seq, last_hash=event.hash)
    return event


def record_export(
    *,
    actor,
    action: str,
    object_repr: str,
    rows: int | None = None,
    obj: models.Model | None = None,
    organisation=None,
    region_path: str = "",
    after: dict | None = None,
) -> AuditEvent:
    """Record an export once its file exists (called by the app's export service right after it
    wrote the file, never by a view, never before): who took how many rows of what."""
    details = {**({"rows": rows} if rows is not None else {}), **(after or {})}
    with transaction.atomic():
        return record(
            actor=actor,
            action=action,
            obj=obj,
            organisation=organisation,
            region_path=region_path,
            after=details or None,
            object_repr=object_repr,
        )


def _roundtrip(data):
    return None if data is None else json.loads(canonical_json(data))


@dataclass
class ChainReport:
    """What `verify_chain` found: `problems` is empty for an intact chain."""

    checked: int = 0
    problems: list[str] = field(default_factory=list)
    anchors: int = 0  # anchors checked

    @property
    def ok(self) -> bool:
        return not self.problems


def _iter_events(batch: int = 2000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify_chain() -> ChainReport:
    """Walk the chain in order; report every edited row, missing row and broken link, and every
    anchor (`write_anchor`) the chain no longer matches."""
    report = ChainReport()
    anchors, unreadable = read_anchors()
    report.anchors = len(anchors)
    report.problems += [f"锚点文件第 {n} 行无法识别（锚点文件被改动）。" for n in unreadable]
    anchored = {a.seq: a for a in anchors}
    expected_seq, prev_hash = 1, GENESIS
    for event in _iter_events():
        report.checked += 1
        if event.seq != expected_seq:
            report.problems.append(f"缺少第 {expected_seq}–{event.seq - 1} 条审计记录（已被删除）。")
        if event.prev_hash != prev_hash:
            report.problems.append(f"第 {event.seq} 条的前序哈希与上一条不符（链已断开）。")
        try:
            sealed = compute_hash(event) == event.hash
        except UnknownKey:
            report.problems.append(
                f"第 {event.seq} 条使用的审计密钥（编号 {event.key_id or '无'}）未配置，无法核验。"
            )
        else:
            if not sealed:
                report.problems.append(f"第 {event.seq} 条的内容与其哈希不符（记录已被修改）。")
        anchor = anchored.get(event.seq)
        if anchor is not None and anchor.hash != event.hash:
            report.problems.append(
                f"第 {event.seq} 条与 {anchor.at} 写下的锚点不符（该条及之前的记录被改写过）。"
            )
        expected_seq, prev_hash = event.seq + 1, event.hash
    last = expected_seq - 1
    head = AuditHead.objects.filter(id=1).first()
    if head and head.last_seq != last:
        report.problems.append(
            f"链头记录到第 {head.last_seq} 条，但表中最后一条是第 {last} 条（末尾记录已被删除）。"
        )
    beyond = [a for a in anchors if a.seq > last]
    if beyond:
        report.problems.append(
            f"{beyond[-1].at} 的锚点记录到第 {beyond[-1].seq} 条，但表中只有 {last} 条（末尾记录已被删除）。"
        )
    return report


# --- Anchors outside the database -------------------------------------------------------------

ANCHOR_LINE = re.compile(r"(?P<at>\S+) seq=(?P<seq>\d+) hash=(?P<hash>[0-9a-f]{64})")


@dataclass(frozen=True)
class Anchor:
    at: str
    seq: int
    hash: str


def anchor_path() -> Path | None:
    value = settings.HUXIAO_AUDIT_ANCHOR_FILE
    return Path(value) if value else None


def read_anchors() -> tuple[list[Anchor], list[int]]:
    """The anchors written so far (oldest first) and the numbers of the lines that are not one."""
    path = anchor_path()
    if path is None or not path.exists():
        return [], []
    anchors, unreadable = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = ANCHOR_LINE.fullmatch(line.strip())
        if match:
            anchors.append(Anchor(match["at"], int(match["seq"]), match["hash"]))
        elif line.strip():
            unreadable.append(number)
    return anchors, unreadable


def write_anchor() -> Anchor | None:
    """Append the chain's head to the anchor file (flushed to disk) and the system log. None when
    the chain is empty or no anchor file is configured."""
    head = AuditHead.objects.filter(id=1).first()
    path = anchor_path()
    if head is None or head.last_seq == 0 or path is None:
        return None
    anchor = Anchor(timezone.localtime().isoformat(timespec="seconds"), head.last_seq, head.last_hash)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(f"{anchor.at} seq={anchor.seq} hash={anchor.hash}\n")
        f.flush()
        os.fsync(f.fileno())
    anchor_log.info("审计链锚点 seq=%s hash=%s", anchor.seq, anchor.hash)
    return anchor
