"""Remind units whose monthly 统计表 is due soon or today. Safe to run several times a day."""

from django.core.management.base import BaseCommand

from huxiao.monthly.services import remind_due


class Command(BaseCommand):
    help = "发送月度统计表到期提醒（到期前3天、非工作日到期前的最后一个工作日、到期当日）；可重复运行。"

    def handle(self, *args, **options):
        sent = remind_due()
        self.stdout.write(f"已发送 {sent} 条月报提醒。")
