"""The adversarial corpus through the real command line, one process per file.

Each case exits 2 with its message and no traceback, and writes nothing to the output folder
(the ``ok`` cases build, with their warnings); every case prints at most ``MAX_LINES`` lines,
none holding a control character or starting like a forged success line. Time and memory per case are measured by
``nox -s bench`` (``benchmarks/bench_adversarial.py``), not asserted here; the subprocess
timeout below only stops a hang from stalling the suite.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from tests.corpus import CASES, FORGED_OK, Case

if TYPE_CHECKING:
    from pathlib import Path

HANG_GUARD_SECONDS = 120
#: Output lines any one file may produce (problems are collapsed, errors.collapse).
MAX_LINES = 100
#: Control characters (C0 but newline, DEL, C1), line separators and bidirectional controls.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _build(path: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            *(sys.executable, "-m", "policybrief", "build", str(path)),
            *("--out", str(out), "--draws", "200", "--only", "results"),
        ],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
        env={**os.environ, "CI": "1"},
        check=False,
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_adversarial_file_is_answered_clearly_and_writes_nothing(
    case: Case, tmp_path: Path
) -> None:
    path = tmp_path / "in" / case.filename
    path.parent.mkdir()
    case.make(path)
    before = path.read_bytes() if path.is_file() else None
    out = tmp_path / "out"

    proc = _build(path, out)

    text = proc.stdout + proc.stderr
    assert "Traceback" not in text
    assert case.expect in text, text
    # The terminal gets inert, bounded text: one line per message, however hostile the file.
    lines = text.splitlines()
    assert len(lines) <= MAX_LINES, f"{len(lines)} lines"
    assert not UNSAFE.search(text.replace("\n", "")), text
    assert not any(line.startswith(FORGED_OK) for line in lines), text
    if before is not None:
        assert path.read_bytes() == before  # the input is never written
    if case.ok:
        assert proc.returncode == 0, text
        assert (out / path.stem / f"{path.stem}-results.xlsx").is_file()
    else:
        assert proc.returncode == 2, text
        assert not out.exists() or not any(out.iterdir())
