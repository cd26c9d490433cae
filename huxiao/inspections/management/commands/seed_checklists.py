"""Create the built-in checklists (校园三防, 消防安全 …) that do not exist yet; idempotent."""

from django.core.management.base import BaseCommand

from huxiao.inspections.seeds import seed_checklists


class Command(BaseCommand):
    help = "创建内置检查表（已存在的同名检查表保持不变）"

    def handle(self, *args, **options):
        created = seed_checklists()
        self.stdout.write(f"新建检查表 {created} 个。")
