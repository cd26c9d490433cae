"""Re-evaluate every active school against the rulesets in force (in batches) and sync gaps."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from huxiao.core import audit
from huxiao.standards.services import BATCH, SyncReport, evaluate_schools, schools_under


class Command(BaseCommand):
    help = "按现行三防标准重新评估全部学校（分批），并同步差距与隐患。"

    def add_arguments(self, parser):
        parser.add_argument("--region-path", default="", help="只评估该区划路径下的学校，如 500000/500151/")

    def handle(self, *args, region_path: str = "", **options):
        schools = schools_under(region_path)
        total = schools.count()
        report = SyncReport()
        for start in range(0, total, BATCH):
            report.add(evaluate_schools(list(schools[start : start + BATCH])))
        with transaction.atomic():
            audit.record(
                actor=None,
                action="standards.evaluate",
                after={
                    "schools": report.evaluated,
                    "stored": report.stored,
                    "hazards_raised": report.hazards_raised,
                    "gaps_resolved": report.gaps_resolved,
                    "region_path": region_path,
                },
                object_repr="三防达标批量评估",
            )
        self.stdout.write(
            f"评估学校{report.evaluated}所，结果有变化{report.stored}所；新登记隐患{report.hazards_raised}条，"
            f"沿用在办隐患{report.hazards_adopted}条，差距消除{report.gaps_resolved}项。"
        )
        if report.skipped:
            self.stdout.write("以下学校的差距未能登记为隐患：" + "、".join(report.skipped))
