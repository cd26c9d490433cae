"""`manage.py incidents_escalate`: reports of 较大 and graver incidents that a unit has not signed
for within `HUXIAO_INCIDENT_ACK_MINUTES` are escalated (once each). Idempotent; run it from cron
every few minutes (docs/operations.md) — it is also a step of `manage.py daily`."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from huxiao.incidents import services


class Command(BaseCommand):
    help = "案事件报告超时未签收催报（每个接报单位一次）；可重复执行，建议每5分钟运行一次。"

    def handle(self, *args, **options):
        count = services.escalate_unacknowledged()
        self.stdout.write(f"   案事件报告超时未签收催报 {count} 条。")
