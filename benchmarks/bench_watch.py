"""``policybrief watch``: from a save to the headline printed, and to the new folder in place.

The real console script watches a copy of the Pakistan example (default draws, every output);
the workbook is saved (rewritten with a changed Central) and the time to the two lines the
watch prints is measured, in a warm process (the first save is a warm-up, not counted).
Targets (PRODUCT.md): the headline within 0.5 s, the complete folder within 1.0 s.
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "workbooks" / "pakistan_it_exports.xlsx"
SAVES = 4
HEADLINE_TARGET, FOLDER_TARGET = 0.5, 1.0


def _save(book: Path, value: float) -> None:
    """Rewrite the workbook as an editor would, with productivity_growth's Central changed."""
    import openpyxl  # noqa: PLC0415

    wb = openpyxl.load_workbook(SHIPPED)
    ws = wb["Baseline"]
    row = next(r for r in ws.iter_rows() if r[0].value == "productivity_growth")
    row[4].value = value
    tmp = book.with_name("~tmp.xlsx.part")
    wb.save(tmp)
    tmp.replace(book)  # one rename: the way editors save


def run() -> list[tuple[str, str, str]]:
    """Rows ``(measure, value, target/verdict)`` for ``benchmarks/run.py``."""
    with tempfile.TemporaryDirectory(prefix="policybrief-watch-") as tmp:
        folder = Path(tmp) / "workbooks"
        folder.mkdir()
        book = folder / "pakistan.xlsx"
        shutil.copyfile(SHIPPED, book)
        script = Path(sys.executable).with_name("policybrief")
        proc = subprocess.Popen(
            [str(script), "watch", str(book), "--out", str(Path(tmp) / "out")],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "MPLBACKEND": "Agg"},
        )
        lines: queue.Queue[tuple[float, str]] = queue.Queue()
        assert proc.stdout is not None
        out = proc.stdout
        reader = threading.Thread(target=lambda: [lines.put((time.perf_counter(), x)) for x in out])
        reader.start()

        def until(text: str) -> float:
            while True:
                when, line = lines.get(timeout=300)
                if text in line:
                    return when

        until("watching ")
        headline, folder_done = [], []
        for i in range(SAVES):
            _save(book, 0.09 + 0.001 * (i + 1))
            saved = time.perf_counter()
            h = until(": validated: ")
            b = until(": built ")
            until("watching for the next save")
            if i:  # the first save warms the watch up
                headline.append(h - saved)
                folder_done.append(b - saved)
        proc.terminate()
        proc.wait(timeout=30)
        reader.join(timeout=10)
        out.close()
    h, f = min(headline), min(folder_done)
    return [
        ("watch: save -> headline printed (best)", f"{h:.2f} s", _verdict(h, HEADLINE_TARGET)),
        ("watch: save -> new folder in place (best)", f"{f:.2f} s", _verdict(f, FOLDER_TARGET)),
        ("watch: save -> folder (worst)", f"{max(folder_done):.2f} s", "reference"),
    ]


def _verdict(value: float, target: float) -> str:
    return f"<= {target} s: {'ok' if value <= target else 'TOO SLOW'}"


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row))
