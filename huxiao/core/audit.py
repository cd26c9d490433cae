"""The audit chain: `record()` appends an event inside the caller's transaction;
`verify_chain()` walks it and reports edited, deleted or reordered rows.

The request's IP reaches `record()` through a context variable that `RequestContextMiddleware`
sets, so services stay free of request objects; the *actor* is always passed explicitly.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from huxiao.core.kinds import Registry
from huxiao.core.models import AuditEvent, AuditHead
from huxiao.lib.hashing import canonical_json, sha256_hex

GENESIS = "0" * 64
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


def compute_hash(event: AuditEvent) -> str:
    return sha256_hex(event.prev_hash + canonical_json(_payload(event)))


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
    """Walk the chain in order; report every edited row, missing row and broken link."""
    report = ChainReport()
    expected_seq, prev_hash = 1, GENESIS
    for event in _iter_events():
        report.checked += 1
        if event.seq != expected_seq:
            report.problems.append(f"缺少第 {expected_seq}–{event.seq - 1} 条审计记录（已被删除）。")
        if event.prev_hash != prev_hash:
            report.problems.append(f"第 {event.seq} 条的前序哈希与上一条不符（链已断开）。")
        if compute_hash(event) != event.hash:
            report.problems.append(f"第 {event.seq} 条的内容与其哈希不符（记录已被修改）。")
        expected_seq, prev_hash = event.seq + 1, event.hash
    head = AuditHead.objects.filter(id=1).first()
    if head and head.last_seq != expected_seq - 1:
        report.problems.append(
            f"链头记录到第 {head.last_seq} 条，但表中最后一条是第 {expected_seq - 1} 条（末尾记录已被删除）。"
        )
    return report
