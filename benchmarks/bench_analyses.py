"""Each analysis's time on the shipped Pakistan example (10,000 draws), from ``run(timings=...)``.

The default build's budget (PRODUCT.md "Performance") is shared by every analysis; this table
shows where the engine's part of it goes. Median of 3 runs in this process, after a warm-up.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from policybrief.model import run as engine_run
from policybrief.workbook import read_workbook

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK = ROOT / "workbooks" / "pakistan_it_exports.xlsx"
REPEATS = 3


def run() -> list[tuple[str, str, str]]:
    """Measure and return ``(measure, value, target/verdict)`` rows."""
    inputs = read_workbook(WORKBOOK)
    engine_run(inputs)  # warm up caches (PERT tables, van der Waerden scores)
    laps: dict[str, list[float]] = {}
    totals = []
    for _ in range(REPEATS):
        timings: dict[str, float] = {}
        start = time.perf_counter()
        engine_run(inputs, timings=timings)
        totals.append(time.perf_counter() - start)
        for name, seconds in timings.items():
            laps.setdefault(name, []).append(seconds)
    rows = [
        (f"{name} (Pakistan, 10,000 draws)", f"{statistics.median(v):.3f} s", "")
        for name, v in laps.items()
    ]
    cheapest = statistics.median(laps["cheapest package"])
    rows.append(
        (
            "cheapest package search",
            f"{cheapest:.3f} s",
            f"< 1 s: {'ok' if cheapest < 1 else 'MISSED'}",
        )
    )
    rows.append(("whole engine run, median", f"{statistics.median(totals):.3f} s", ""))
    return rows


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row))
