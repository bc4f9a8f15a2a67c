"""What changed since the last brief: ``previous/`` kept per build, and ``policybrief diff``."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from tests.builders import WorkbookBuilder, valid_builder

from policybrief.build import build

DRAWS = 200


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _edited(b: WorkbookBuilder) -> WorkbookBuilder:
    new = b.copy()
    next(r for r in new.baseline if r["Parameter"] == "productivity_growth")["Central"] = 0.035
    return new


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "book.xlsx"
    path.write_bytes(valid_builder().to_fast_bytes())
    return path


def test_a_first_build_has_no_previous_and_keeps_its_snapshot(book: Path, tmp_path: Path) -> None:
    result = build(book, tmp_path / "out", draws=DRAWS, only=frozenset({"results"}))
    assert not (result.out_dir / "previous").exists()
    assert (result.out_dir / "snapshot" / "book.xlsx").read_bytes() == book.read_bytes()


def test_a_changed_workbook_rotates_the_same_one_keeps_watch_never_rotates(
    book: Path, tmp_path: Path
) -> None:
    out, only = tmp_path / "out", frozenset({"results"})
    first = book.read_bytes()
    build(book, out, draws=DRAWS, only=only)
    book.write_bytes(_edited(valid_builder()).to_fast_bytes())
    second = build(book, out, draws=DRAWS, only=only).out_dir
    previous = second / "previous"
    assert (previous / "snapshot" / "book.xlsx").read_bytes() == first
    assert {p.name for p in previous.iterdir()} == {
        "snapshot",
        "book-results.xlsx",
        "manifest.json",
    }
    kept = _digest(previous)

    build(book, out, draws=DRAWS, only=only)  # the same workbook again: the comparison stays
    assert _digest(previous) == kept

    third = _edited(valid_builder())
    third.settings["seed"] = 7
    book.write_bytes(third.to_fast_bytes())
    build(book, out, draws=DRAWS, only=only, keep_previous=True)  # watch: never rotates
    assert _digest(previous) == kept
    watched = book.read_bytes()
    build(book, out, draws=DRAWS, only=only)  # the same workbook: still kept as it was
    assert _digest(previous) == kept
    third.settings["seed"] = 8
    book.write_bytes(third.to_fast_bytes())
    build(book, out, draws=DRAWS, only=only)  # a changed workbook: the build it replaces
    assert (previous / "snapshot" / "book.xlsx").read_bytes() == watched


def test_diff_through_the_console_script(book: Path, tmp_path: Path) -> None:
    new = tmp_path / "new.xlsx"
    new.write_bytes(_edited(valid_builder()).to_fast_bytes())
    script = Path(sys.executable).with_name("policybrief")
    done = subprocess.run(
        [str(script), "diff", str(book), str(new)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"What changed from {book} to {new}"
    assert lines[2].startswith("Central FY30 exports under Reform moved from $")
    assert "  Baseline!E6: 0.03 → 0.035  [Baseline productivity_growth]  +$" in done.stdout


def test_diff_of_a_folder_that_is_no_build_says_so(tmp_path: Path, book: Path) -> None:
    script = Path(sys.executable).with_name("policybrief")
    done = subprocess.run(
        [str(script), "diff", str(tmp_path), str(book)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 2
    assert "is not a build folder" in done.stderr
    assert "Traceback" not in done.stderr
