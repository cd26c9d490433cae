"""`manage.py people_daily`: the registers' daily work (a step of `manage.py daily`; idempotent).

- overdue 走访核查: the responsible officer is told, and after a further period the station head;
- 扬言报复 disputes without 稳控措施 past their deadline: the station head, the 街道 and the 区委
  政法委 are told (run this command hourly as well — the deadline is counted in hours);
- de-listed persons past the retention period: their personal fields are erased.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from huxiao.people import services


class Command(BaseCommand):
    help = "重点人员走访核查逾期提醒、扬言报复稳控措施逾期报告、到期删除撤销列管人员的个人信息；可重复执行。"

    def handle(self, *args, **options):
        reviews = services.remind_reviews()
        stabilise = services.remind_stabilise()
        erased = services.erase_expired()
        self.stdout.write(
            f"   走访核查逾期提醒 {reviews} 条；稳控措施逾期报告 {stabilise} 条；删除到期个人信息 {erased} 人。"
        )
