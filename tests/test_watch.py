"""``policybrief watch`` through the real console script: saves, a broken save, a fix."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.builders import valid_builder

from policybrief.watch import changed_workbooks

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.slow


class Lines:
    """The watch process's merged stdout and stderr, line by line."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        assert proc.stdout is not None
        stream = proc.stdout
        self.reader = threading.Thread(target=lambda: [self.queue.put(x) for x in stream])
        self.reader.start()

    def until(self, text: str, timeout: float = 180) -> list[str]:
        """Lines up to and including the first containing ``text``."""
        got: list[str] = []
        end = time.monotonic() + timeout
        while True:
            line = self.queue.get(timeout=max(0.1, end - time.monotonic()))
            got.append(line)
            self.seen.append(line)
            if text in line:
                return got

    def quiet(self, seconds: float) -> list[str]:
        """Lines printed in the next ``seconds``."""
        got: list[str] = []
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            try:
                got.append(self.queue.get(timeout=left))
            except queue.Empty:
                break
        self.seen.extend(got)
        return got


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[tuple[Path, Path, Lines]]:
    books = tmp_path / "workbooks"
    books.mkdir()
    book = books / "book.xlsx"
    book.write_bytes(valid_builder().to_fast_bytes())
    out = tmp_path / "output"
    script = Path(sys.executable).with_name("policybrief")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "policybrief"]
    proc = subprocess.Popen(
        [*command, "watch", str(book), "--out", str(out), "--draws", "200", "--only", "results"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        cwd=tmp_path,
    )
    lines = Lines(proc)
    try:
        lines.until("watching ")  # the first build is done and the watch has started
        yield book, out / "book", lines
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        lines.reader.join(timeout=10)  # it ends at EOF
        assert proc.stdout is not None
        proc.stdout.close()


def test_three_quick_saves_one_rebuild_a_broken_save_keeps_the_output_a_fix_rebuilds(
    watching: tuple[Path, Path, Lines],
) -> None:
    book, folder, lines = watching
    assert any(": built " in line for line in lines.seen)  # the start-up build
    b = valid_builder()
    for value in (0.031, 0.032, 0.033):  # three saves within a millisecond
        next(r for r in b.baseline if r["Parameter"] == "productivity_growth")["Central"] = value
        book.write_bytes(b.to_fast_bytes())
    burst = lines.until("watching for the next save")
    assert sum(": built " in line for line in burst) == 1
    assert not any(": built " in line for line in lines.quiet(1.5))  # and no second rebuild
    good = (folder / "manifest.json").read_bytes()

    b.settings["horizon"] = "five"
    book.write_bytes(b.to_fast_bytes())
    broken = lines.until("watching for the next save")
    assert any("Settings!B" in line and "horizon" in line for line in broken)
    assert any("nothing was written" in line for line in broken)
    assert (folder / "manifest.json").read_bytes() == good  # the last good output is kept

    b.settings["horizon"] = 5
    book.write_bytes(b.to_fast_bytes())
    fixed = lines.until("watching for the next save")
    assert sum(": built " in line for line in fixed) == 1
    assert (folder / "manifest.json").read_bytes() != good


def test_lock_files_and_other_files_never_trigger_a_rebuild(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"x")
    for name in ("~$book.xlsx", ".~lock.book.xlsx#", "notes.txt", "other.ods"):
        (tmp_path / name).write_bytes(b"x")
    events = [(1, str(tmp_path / n)) for n in ("~$book.xlsx", ".~lock.book.xlsx#", "notes.txt")]
    events.append((1, str(tmp_path / "other.ods")))
    assert changed_workbooks(events, set(), {tmp_path.resolve()}) == []
    assert changed_workbooks([(2, str(book))], set(), {tmp_path.resolve()}) == [book.resolve()]
    assert changed_workbooks([(2, str(book))], {book.resolve()}, set()) == [book.resolve()]
    book.unlink()  # deleted (a save in progress): nothing to build yet
    assert changed_workbooks([(3, str(book))], {book.resolve()}, set()) == []
    shutil.rmtree(tmp_path)
