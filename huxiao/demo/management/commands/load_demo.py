"""`manage.py load_demo`: load the demo district (idempotent) and print the demo accounts."""

from django.core.management.base import BaseCommand

from huxiao.demo import data
from huxiao.demo.loader import load_demo


class Command(BaseCommand):
    help = "加载演示数据（重庆市铜梁区蒲吕街道），可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="不打印演示账号")

    def handle(self, *args, **options):
        counts = load_demo()
        self.stdout.write(
            f"演示数据就绪：区划 {counts['regions']} 个，单位 {counts['organisations']} 个，"
            f"学校 {counts['schools']} 所，账号 {counts['accounts']} 个；本次新增演示隐患 {counts['hazards']} 项。"
        )
        if not options["quiet_accounts"]:
            self.stdout.write(accounts_table())


def accounts_table() -> str:
    lines = [f"\n演示账号（密码均为 {data.DEMO_PASSWORD}）：", ""]
    for username, full_name, org, _role, title, shows in data.ACCOUNTS:
        lines.append(f"  {username:<11} {org}·{title}（{full_name}）— {shows}")
    return "\n".join(lines) + "\n"
