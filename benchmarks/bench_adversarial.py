"""Adversarial corpus: wall time and peak memory of `policybrief build` on each hostile file.

Budget per case (issue: hostile and broken inputs): under 5 s and under 500 MiB, measured on
a fresh process from start to exit (interpreter start-up and imports included). Peak memory is
the child's max RSS as GNU ``time`` reports it: ``time`` is a small process, so the figure is
the build's own (a child forked from this process would start with this process's memory).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.corpus import CASES

GNU_TIME = "/usr/bin/time"  # Debian package "time"
TIME_BUDGET = 5.0
MEMORY_BUDGET_MIB = 500.0


def _measure(path: Path, out: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB and exit status of one build in a fresh process."""
    argv = [sys.executable, "-m", "policybrief", "build", str(path), "--out", str(out)]
    argv += ["--draws", "200", "--only", "results"]
    report = out.parent / "time.txt"
    start = time.perf_counter()
    proc = subprocess.run(
        [GNU_TIME, "-f", "%M", "-o", str(report), *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "CI": "1"},
        check=False,
    )
    seconds = time.perf_counter() - start
    kib = float(report.read_text().split()[-1])
    return seconds, kib / 1024, proc.returncode


def run() -> list[tuple[str, str, str]]:
    """One row per corpus case, and a summary row."""
    if not Path(GNU_TIME).exists():
        return [("adversarial corpus", "skipped", f"needs {GNU_TIME} (apt-get install time)")]
    rows = []
    worst_t = worst_m = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for i, case in enumerate(CASES):
            folder = Path(tmp) / str(i)
            folder.mkdir()
            path = folder / case.filename
            case.make(path)
            seconds, mib, code = _measure(path, folder / "out")
            worst_t, worst_m = max(worst_t, seconds), max(worst_m, mib)
            ok = seconds < TIME_BUDGET and mib < MEMORY_BUDGET_MIB
            verdict = f"exit {code}; {'ok' if ok else 'OVER BUDGET'}"
            rows.append((f"{case.name}", f"{seconds:.2f} s, {mib:.0f} MiB", verdict))
    within = worst_t < TIME_BUDGET and worst_m < MEMORY_BUDGET_MIB
    rows.append(
        (
            f"worst of {len(CASES)} cases",
            f"{worst_t:.2f} s, {worst_m:.0f} MiB",
            f"< {TIME_BUDGET:.0f} s, < {MEMORY_BUDGET_MIB:.0f} MiB: {'ok' if within else 'MISSED'}",
        )
    )
    return rows
