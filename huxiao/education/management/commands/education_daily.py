"""`manage.py education_daily`: `HUXIAO_EDUCATION_REMIND_DAYS` days before each dated occasion
(安全教育日, 禁毒日, 开学第一课, 119, 12·2, 12·4), the schools that have not recorded an activity
for it this year are reminded — once per school, occasion and year. Idempotent; a step of
`manage.py daily`."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from huxiao.education import services


class Command(BaseCommand):
    help = "安全教育宣传日提醒（每校每个宣传日每年一次）；可重复执行。"

    def handle(self, *args, **options):
        count = services.remind_occasions()
        self.stdout.write(f"   安全教育宣传日提醒 {count} 次（每校每个宣传日每年一次）。")
