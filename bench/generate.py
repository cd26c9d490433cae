"""Generate a synthetic province into the benchmark database.

    .venv/bin/python -m bench.generate --schools 12000 --database postgres

Drops and recreates the benchmark database (SQLite `var/bench.sqlite3` or PostgreSQL
`huxiao_bench`), migrates it and fills it (see bench/province.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成合成省份数据（基准测试用）")
    parser.add_argument("--schools", type=int, default=12000, help="学校数（默认 12000）")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--hazards-per-school", type=float, default=9.0)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument(
        "--only",
        metavar="STEP",
        help="只在已生成的省份上补跑一个附加步骤（如 standards），不重建数据库",
    )
    args = parser.parse_args(argv)
    if args.only:
        return add_step(args)

    started = time.monotonic()
    db.recreate(args.database)
    db.configure(args.database)
    from django.core.management import call_command
    from django.db import connection

    print(f"迁移 {db.database_url(args.database)} …", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    print(f"迁移完成 ({time.monotonic() - started:.0f} s)；生成 {args.schools} 所学校 …", flush=True)

    from bench.province import generate

    report = generate(
        args.schools,
        hazards_per_school=args.hazards_per_school,
        seed=args.seed,
        progress=lambda line: print(line, flush=True),
    )
    with connection.cursor() as cursor:  # fresh statistics, as a production server would have
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    for name, n in sorted(report.counts.items()):
        print(f"  {name:16} {n:>10,}")
    print(f"完成：{time.monotonic() - started:.0f} s", flush=True)
    return 0


def add_step(args) -> int:
    """Run one step of bench/extra.py on the province already in the benchmark database (a step
    added after the province was generated), then refresh the planner's statistics."""
    started = time.monotonic()
    db.configure(args.database)
    from django.core.management import call_command
    from django.db import connection

    from bench import extra
    from bench.province import Generator
    from huxiao.core.models import Region

    step = next((s for s in extra.steps() if s.__name__ == args.only), None)
    if step is None:
        names = "、".join(s.__name__ for s in extra.steps())
        print(f"没有附加步骤 {args.only!r}；可用：{names}", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0, interactive=False)
    gen = Generator(args.schools, seed=args.seed, progress=lambda line: print(line, flush=True))
    gen.districts = list(Region.objects.filter(level="county").order_by("path"))
    step(gen)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"完成：{time.monotonic() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
