"""`manage.py verify_audit`: walk the audit chain (keyed hashes, links, anchors); exit 1 if any row
was edited or deleted. `--anchor` (what `manage.py daily` runs) then appends the intact chain's
head to the anchor file outside the database and to the system log."""

from django.core.management.base import BaseCommand, CommandError

from huxiao.core.audit import verify_chain, write_anchor


class Command(BaseCommand):
    help = "核验审计日志哈希链（含锚点），报告被修改或删除的记录；--anchor 核验通过后写入新锚点。"

    def add_arguments(self, parser):
        parser.add_argument("--anchor", action="store_true", help="核验通过后把链头写入锚点文件和系统日志")

    def handle(self, *args, **options):
        report = verify_chain()
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            # no anchor over a broken chain: it would bless what was rewritten
            raise CommandError(
                f"审计链异常：共核验 {report.checked} 条，发现 {len(report.problems)} 处问题。"
            )
        self.stdout.write(f"审计链完整：共核验 {report.checked} 条记录。")
        if report.anchors:
            self.stdout.write(f"与此前写下的 {report.anchors} 个锚点一致。")
        if options["anchor"]:
            anchor = write_anchor()
            if anchor is not None:
                self.stdout.write(f"已写入锚点：第 {anchor.seq} 条 {anchor.hash[:16]}…")
