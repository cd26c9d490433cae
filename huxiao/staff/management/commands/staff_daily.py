"""`manage.py staff_daily`: the staff register's daily work (a step of `manage.py daily`;
idempotent): the school's keepers are told 30 and 7 days before a background check runs out and
the day after it did."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from huxiao.staff import services


class Command(BaseCommand):
    help = "人员审查到期提醒（到期前30天、7天和到期次日）；可重复执行。"

    def handle(self, *args, **options):
        sent = services.remind_expiring()
        self.stdout.write(f"   人员审查到期提醒 {sent} 条。")
