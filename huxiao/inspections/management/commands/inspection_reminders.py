"""Remind inspectors of planned inspections due within 3 days (once per plan entry)."""

from django.core.management.base import BaseCommand

from huxiao.inspections.plans import send_plan_reminders


class Command(BaseCommand):
    help = "提醒3天内到期的检查计划条目（每条只提醒一次）"

    def handle(self, *args, **options):
        sent = send_plan_reminders()
        self.stdout.write(f"已提醒 {sent} 条检查计划。")
