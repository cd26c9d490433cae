"""`manage.py verify_audit`: walk the audit hash chain; exit 1 if any row was edited or deleted."""

from django.core.management.base import BaseCommand, CommandError

from huxiao.core.audit import verify_chain


class Command(BaseCommand):
    help = "核验审计日志哈希链，报告被修改或删除的记录。"

    def handle(self, *args, **options):
        report = verify_chain()
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(
                f"审计链异常：共核验 {report.checked} 条，发现 {len(report.problems)} 处问题。"
            )
        self.stdout.write(f"审计链完整：共核验 {report.checked} 条记录。")
