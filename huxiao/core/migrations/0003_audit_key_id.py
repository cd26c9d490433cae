"""The audit chain becomes keyed (HMAC with HUXIAO_AUDIT_KEYS). An existing chain is first
verified as it was sealed (plain SHA-256; an upgrade over a broken chain stops here, so a
tampered past is not blessed) and then sealed again, row by row, with the configured key."""

import hashlib
import json

from django.db import migrations, models


def _legacy_hash(prev_hash, payload):
    text = prev_hash + json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reseal(apps, schema_editor):
    from huxiao.core.audit import GENESIS, _payload, digest, sealing_key_id

    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditHead = apps.get_model("core", "AuditHead")
    if not AuditEvent.objects.exists():
        return
    key_id = sealing_key_id()  # without a key outside DEBUG: a Chinese message, nothing changed
    prev_old = prev_new = GENESIS
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        payload = _payload(event)
        if event.prev_hash != prev_old or _legacy_hash(prev_old, payload) != event.hash:
            raise RuntimeError(
                f"审计链在升级前已不完整（第 {event.seq} 条）：请先用旧版本的 verify_audit 排查，"
                "升级不会为被改动的记录重新签名。"
            )
        new_hash = digest(key_id, prev_new, payload)
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=prev_new, hash=new_hash, key_id=key_id)
        prev_old, prev_new = event.hash, new_hash
    AuditHead.objects.filter(id=1).update(last_hash=prev_new)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_job_output_file"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, max_length=20, verbose_name="密钥编号"),
        ),
        migrations.RunPython(reseal, migrations.RunPython.noop),
    ]
