"""`manage.py escalate`: climb overdue hazards up 督办 → 约谈 → 挂牌督办 and send due reminders.
Idempotent — run it daily (cron) or as often as you like."""

import datetime as dt

from django.core.management.base import BaseCommand

from huxiao.hazards.escalation import escalate_overdue, remind_due


class Command(BaseCommand):
    help = "逾期隐患逐级督办（督办→约谈→挂牌督办），并发送临期、逾期提醒；可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, help="按指定日期计算（默认今天）")

    def handle(self, *args, **options):
        run = escalate_overdue(options.get("date"))
        reminders = remind_due(options.get("date"))
        self.stdout.write(
            f"检查逾期隐患 {run.checked} 项，新增督办记录 {len(run.created)} 条"
            + "".join(f"\n  {e.number} {e.hazard}" for e in run.created)
            + f"\n发送临期/逾期提醒 {reminders} 条。"
        )
