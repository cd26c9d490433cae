"""`manage.py rotate_people_keys`: re-encrypt every sensitive field and photo with the first key
of HUXIAO_PEOPLE_KEYS.

Rotation: put the new key first in HUXIAO_PEOPLE_KEYS (keep the old one after it), restart, run
this command, then remove the old key. Records read throughout (MultiFernet tries every key).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from huxiao.core import crypto
from huxiao.people import services


class Command(BaseCommand):
    help = "用新密钥（HUXIAO_PEOPLE_KEYS 的第一个）重新加密重点人员、矛盾纠纷的全部敏感信息。"

    def handle(self, *args, **options):
        try:
            counts = services.rotate_keys()
        except crypto.SensitiveDataUnavailable as exc:
            raise CommandError(exc.message) from exc
        total = sum(counts.values())
        self.stdout.write(
            f"已用新密钥重新加密 {total} 条记录：" + "，".join(f"{k} {v}" for k, v in counts.items())
        )
