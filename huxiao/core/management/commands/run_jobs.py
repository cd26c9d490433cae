"""`manage.py run_jobs`: run background jobs that are still pending.

The web process normally runs each job in a thread right after the upload (see
`huxiao.core.jobs`). Run this as a separate worker (`run_jobs --loop`) to pick up jobs whose
thread never started, e.g. because the web process restarted; a job is only ever run once.
"""

import time

from django.core.management.base import BaseCommand

from huxiao.core import jobs


class Command(BaseCommand):
    help = "运行排队中的后台任务（如学校名录导入）。"

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="持续运行，每隔 --interval 秒检查一次")
        parser.add_argument("--interval", type=float, default=2.0, help="--loop 时的检查间隔（秒）")
        parser.add_argument(
            "--fail-stale",
            type=int,
            metavar="MINUTES",
            help="把处理中超过 MINUTES 分钟的任务标记为失败（其进程已中断）",
        )

    def handle(self, *args, **options):
        while True:
            if options["fail_stale"]:
                failed = jobs.fail_stale(minutes=options["fail_stale"])
                if failed:
                    self.stdout.write(f"已将 {failed} 个中断的任务标记为失败。")
            ran = jobs.run_pending()
            if ran or not options["loop"]:
                self.stdout.write(f"已运行 {ran} 个任务。")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
