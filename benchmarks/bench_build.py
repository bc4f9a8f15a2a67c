"""Whole-build time as a ratio to the time Python needs just to import the dependencies.

Both are measured in fresh subprocesses (wall time, interpreter start-up included, best of a
few runs), so the ratio says how much the build adds on top of loading its libraries.
Target: the default build (10,000 draws, all outputs) within 1.5x the import time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DRAWS = 10_000
RUNS = 3
TARGET = 1.5
DEPENDENCIES = ("numpy", "pandas", "openpyxl", "pptx", "jinja2", "matplotlib")
SHIPPED = ROOT / "workbooks" / "pakistan_it_exports.xlsx"


def _best_wall_time(code: str, runs: int = RUNS) -> float:
    """Best wall time of ``python -c code`` in a fresh process (fails loudly on error)."""
    env = {**os.environ, "MPLBACKEND": "Agg"}
    env.pop("SOURCE_DATE_EPOCH", None)
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env)
        best = min(best, time.perf_counter() - start)
    return best


def _workbook(folder: Path) -> Path:
    """The shipped example workbook, or the test builder's one when it is absent."""
    if SHIPPED.is_file():
        return SHIPPED
    sys.path.insert(0, str(ROOT))
    from tests.builders import valid_builder  # noqa: PLC0415 - only when no workbook ships

    return valid_builder().save(folder / "bench.xlsx")


def import_time(runs: int = RUNS) -> float:
    """Seconds to start Python and import the package's dependencies (best of ``runs``)."""
    return _best_wall_time(f"import {', '.join(DEPENDENCIES)}", runs)


def build_time(workbook: Path, out: Path, runs: int = RUNS) -> float:
    """Seconds for ``build(workbook)`` with 10,000 draws and every output (best of ``runs``)."""
    code = (
        "from pathlib import Path\n"
        "from policybrief.build import build\n"
        f"build(Path({str(workbook)!r}), Path({str(out)!r}), draws={DRAWS})\n"
    )
    return _best_wall_time(code, runs)


def run() -> list[tuple[str, str, str]]:
    """Rows ``(measure, value, target/verdict)`` for ``benchmarks/run.py``."""
    with tempfile.TemporaryDirectory(prefix="policybrief-bench-") as tmp:
        folder = Path(tmp)
        workbook = _workbook(folder)
        imports = import_time()
        build = build_time(workbook, folder / "out")
    ratio = build / imports
    verdict = "ok" if ratio <= TARGET else "TOO SLOW"
    return [
        ("import dependencies (fresh process)", f"{imports:.2f} s", "reference"),
        (f"build {workbook.name}, {DRAWS:,} draws, all outputs", f"{build:.2f} s", ""),
        ("build / import", f"{ratio:.2f}x", f"<= {TARGET}x: {verdict}"),
    ]


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row))
