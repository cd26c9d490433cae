"""Create the seed rulesets that are missing (idempotent; edited rulesets are left alone)."""

from django.core.management.base import BaseCommand

from huxiao.standards.seed import seed_rulesets


class Command(BaseCommand):
    help = "创建缺少的初始三防标准规则集（已有的不改动）。"

    def handle(self, *args, **options):
        created = seed_rulesets()
        self.stdout.write(f"新建规则集{created}个。")
