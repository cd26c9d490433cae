"""Run the benchmark against a generated province and print the table.

    .venv/bin/python -m bench.run --database postgres

Generate the province first (`python -m bench.generate`). The results also go to
`var/bench-<database>.json` and, as a Markdown table, to `var/bench-<database>.md`.
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
    parser = argparse.ArgumentParser(description="基准测试：本系统对原生SQL与最简视图")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=15, help="每项重复次数（取中位数/最佳）")
    parser.add_argument("--export-runs", type=int, default=3)
    parser.add_argument("--export-sizes", default="10000,100000")
    parser.add_argument("--limit", type=float, default=120.0, help="单条查询超过此秒数即中止并记为超时")
    args = parser.parse_args(argv)

    db.configure(args.database)
    from bench import measure
    from bench.measure import run_all, table

    measure.LIMIT = args.limit

    started = time.monotonic()
    results = run_all(
        args.database,
        runs=args.runs,
        export_sizes=tuple(int(n) for n in args.export_sizes.split(",") if n),
        export_runs=args.export_runs,
        say=lambda line: print(line, flush=True),
    )
    text = table(results)
    print()
    print(text)
    out = db.ROOT / "var"
    out.mkdir(exist_ok=True)
    (out / f"bench-{args.database}.json").write_text(results.as_json(), encoding="utf-8")
    (out / f"bench-{args.database}.md").write_text(text + "\n", encoding="utf-8")
    print(f"\n用时 {time.monotonic() - started:.0f} s；结果已写入 var/bench-{args.database}.json / .md")
    failed = [r for r in results.rows if r.target.startswith("FAIL")]
    return 1 if failed and args.database == "postgres" and results.schools >= 12000 else 0


if __name__ == "__main__":
    raise SystemExit(main())
