"""Create the seed rulesets that are missing and publish seed rules added since (idempotent;
edited rules are left alone)."""

from django.core.management.base import BaseCommand

from huxiao.standards.seed import seed_rulesets


class Command(BaseCommand):
    help = "创建缺少的初始三防标准规则集，并将新增的平台规则发布为新版本（已有规则不改动）。"

    def handle(self, *args, **options):
        created = seed_rulesets()
        self.stdout.write(f"新建规则集版本{created}个。")
        if created:
            self.stdout.write("请运行 manage.py evaluate_standards 按现行规则重新评估学校。")
