"""Escalate risk alerts that schools have not answered by the deadline to their 学区 (once)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand

from huxiao.campaigns.services import alert_escalate_overdue


class Command(BaseCommand):
    help = "风险提示逾期未反馈的学校报其学区管理中心督促（每校每条提示只报一次，可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, help="按此日期判断逾期（默认今天）")

    def handle(self, *args, today=None, **options):
        count = alert_escalate_overdue(today=today)
        self.stdout.write(f"逾期未反馈、本次上报学区：{count} 校次。")
