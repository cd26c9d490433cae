"""Synthetic-province generator and benchmarks (DESIGN §8 Scale; issue 5 item 6).

Run with the project's venv from the repository root:

    .venv/bin/python -m bench.generate --schools 12000 --database postgres
    .venv/bin/python -m bench.run --database postgres

See docs/performance.md for what is measured and the figures.
"""
