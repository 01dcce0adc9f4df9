"""Size-independence, measured: the same requests on a floor and on its twin 100 times
smaller, in one run (``make bench-twins``), as ratios of their server times.

    .venv/bin/python benchmarks/floor/twins.py LARGE.json SMALL.json

The two files are what ``benchmarks/floor/test_floor.py`` writes with ``BENCH_JSON``. Targets
(issue 24): every admin and floor page and ``GET /api/queues`` within 1.5x of its twin, the bulk
creation of 1,000 batches within 1.25x; the other rows are printed for information. A query
count that differs between the floors is flagged (the tests assert them constant).
"""

import json
import sys
from pathlib import Path

PAGE_RATIO, BULK_RATIO = 1.5, 1.25
BULK = "create 1,000 batches (service)"
# Pages of one work order's batches: the twin has as many work orders, of 10 batches instead of
# 1,000, so these pages hold 10 rows where the large floor's hold 100 — not the same page.
ONE_WORK_ORDER = {"batches of a work order", "batches ?q="}


def target(name: str) -> float | None:
    if name == BULK:
        return BULK_RATIO
    if name in ONE_WORK_ORDER:
        return None
    if name.startswith("GET /api/queues?") or not name.startswith(("GET ", "PATCH ")):
        return PAGE_RATIO
    return None


def main(large_path: str, small_path: str) -> int:
    large, small = (json.loads(Path(p).read_text()) for p in (large_path, small_path))
    twins = {(row["name"], row["who"]): row for row in small["rows"]}
    print(
        f"\nThe same requests on {large['batches']:,} and on {small['batches']:,} batches "
        f"({large['vendor']}; server ms p50):"
    )
    print(f"  {'request':44} {'as':10} {'large':>8} {'small':>8} {'ratio':>6}  target")
    missed = 0
    for row in large["rows"]:
        twin = twins.get((row["name"], row["who"]))
        if twin is None:
            continue
        ratio = row["p50"] / twin["p50"] if twin["p50"] else float("inf")
        limit = target(row["name"])
        ok = limit is None or ratio <= limit
        missed += not ok
        mark = "✓" if ok else "✗"
        queries = "" if row["queries"] == twin["queries"] else "  queries differ"
        print(
            f"{mark} {row['name']:44} {row['who']:10} {row['p50']:8.1f} {twin['p50']:8.1f} "
            f"{ratio:5.2f}x  {f'≤ {limit}x' if limit else 'info'}{queries}"
        )
    print(f"{missed} over target." if missed else "Every targeted row within its ratio.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
