"""`manage.py rotate_register_keys`: re-encrypt every sensitive register (重点人员, 矛盾纠纷, 人员审查,
门卫登记 — every model using `core.models.Encrypted`), fields, photos and documents, with the first
key of HUXIAO_PEOPLE_KEYS.

Rotation: put the new key first in HUXIAO_PEOPLE_KEYS (keep the old one after it), restart, run
this command, then remove the old key. Records read throughout (MultiFernet tries every key).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from huxiao.core import crypto


class Command(BaseCommand):
    help = "用新密钥（HUXIAO_PEOPLE_KEYS 的第一个）重新加密全部敏感登记（重点人员、矛盾纠纷、人员审查、门卫登记）。"

    def handle(self, *args, **options):
        try:
            counts = crypto.rotate_registers()
        except crypto.SensitiveDataUnavailable as exc:
            raise CommandError(exc.message) from exc
        total = sum(counts.values())
        self.stdout.write(
            f"已用新密钥重新加密 {total} 条记录：" + "，".join(f"{k} {v}" for k, v in counts.items())
        )
