"""`manage.py daily`: everything that must happen once a day, in order, for one cron line.

Each step is its app's own idempotent command, so running `daily` twice (or a step by hand)
sends nothing twice. A failing step is reported and the rest still run; the exit code is 1
if any step failed, so cron's mail or the monitoring sees it. Last, `core.jobs.purge_outputs`
deletes export files older than `OUTPUT_KEEP_DAYS` (a function, not a command of its own).
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from huxiao.core import jobs

# (command, label[, options])
STEPS: list[tuple] = [
    ("escalate", "逾期隐患逐级督办与临期提醒"),
    ("evaluate_standards", "三防达标重新评估（差距转隐患）"),
    ("inspection_reminders", "检查计划提醒"),
    ("monthly_reminders", "月度统计表报送提醒"),
    ("campaign_escalations", "风险提示逾期未反馈上报学区"),
    ("people_daily", "重点人员走访核查与稳控措施提醒、到期删除个人信息"),
    ("staff_daily", "人员审查到期提醒"),
    ("incidents_escalate", "案事件报告超时未签收催报"),
    ("education_daily", "安全教育宣传日提醒"),
    ("verify_audit", "审计链校验并写入锚点", {"anchor": True}),
]


class Command(BaseCommand):
    help = (
        "每日任务：督办升级、达标评估、检查计划与月报提醒、风险提示上报、审计链校验、"
        "删除过期导出文件；可重复执行。"
    )

    def handle(self, *args, **options):
        failed = []
        for name, label, *rest in STEPS:
            self.stdout.write(f"== {label}（{name}）")
            try:
                call_command(name, stdout=self.stdout, stderr=self.stderr, **(rest[0] if rest else {}))
            except (CommandError, SystemExit, Exception) as exc:  # one failure must not stop the rest
                failed.append(name)
                self.stderr.write(f"   失败：{exc}")
        self.stdout.write(f"== 删除超过{jobs.OUTPUT_KEEP_DAYS}天的导出文件（purge_outputs）")
        try:
            self.stdout.write(f"   已删除 {jobs.purge_outputs()} 个文件。")
        except Exception as exc:  # like the steps above: report and go on
            failed.append("purge_outputs")
            self.stderr.write(f"   失败：{exc}")
        if failed:
            raise CommandError(f"以下每日任务失败：{'、'.join(failed)}")
        self.stdout.write("每日任务全部完成。")
