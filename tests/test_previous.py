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
EPOCH = "1767225600"


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


def test_the_changes_sheet_names_each_cell_and_effects_sum_to_the_headline_move(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "out"
    build(book, out, draws=DRAWS, only=frozenset({"results"}))
    new = _edited(valid_builder())
    new.scenarios["Reform"]["digital_skills"] = 7
    new.scenarios["Bold"] = {"digital_skills": 12}
    book.write_bytes(new.to_fast_bytes())
    result = build(book, out, draws=DRAWS, only=frozenset({"results"}))
    wb = openpyxl.load_workbook(result.out_dir / "book-results.xlsx", read_only=True)
    rows = list(wb["Changes"].iter_rows(values_only=True))
    wb.close()
    header, body = rows[0], rows[1:]
    assert header[:5] == ("kind", "where", "old", "new", "effect_on_headline")
    inputs = [r for r in body if r[0] == "input"]
    assert [r[1] for r in inputs] == ["Baseline!E6", "Scenarios!C2", "Scenarios!E2:E4"]
    (headline,) = [r for r in body if r[1] == "headline"]
    assert sum(r[4] or 0 for r in inputs) == pytest.approx(headline[4], rel=1e-12)
    assert headline[3] - headline[2] == pytest.approx(headline[4], rel=1e-12)

    again = _digest(result.out_dir)  # same workbook, seed, epoch and previous: identical
    rebuilt = build(book, out, draws=DRAWS, only=frozenset({"results"}))
    assert _digest(rebuilt.out_dir) == again


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
    assert (
        "  test value for productivity_growth (productivity_growth): Baseline!E6 (Central): "
        "3% → 3.5%  +$"
    ) in done.stdout
    assert lines[2].endswith(")."), "diff names both workbooks on its first line, not 'since'"


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


def test_the_brief_has_the_section_only_when_a_previous_build_exists(
    book: Path, tmp_path: Path
) -> None:
    out, only = tmp_path / "out", frozenset({"brief"})
    first = build(book, out, draws=DRAWS, only=only).out_dir / "book.md"
    assert "What changed since the last brief" not in first.read_text(encoding="utf-8")
    book.write_bytes(_edited(valid_builder()).to_fast_bytes())
    text = (build(book, out, draws=DRAWS, only=only).out_dir / "book.md").read_text("utf-8")
    section = text.split("## What changed since the last brief", 1)[1].split("\n## ", 1)[0]
    assert "since the previous build." in section
    assert (
        "| test value for productivity\\_growth (productivity\\_growth) | "
        "Baseline!E6 (Central): 3% → 3.5% | +$"
    ) in section


def test_the_deck_has_the_slide_only_when_a_previous_build_exists(
    book: Path, tmp_path: Path
) -> None:
    from pptx import Presentation

    def titles(path: Path) -> list[str]:
        return [s.shapes.title.text for s in Presentation(str(path)).slides if s.shapes.title]

    out, only = tmp_path / "out", frozenset({"deck"})
    first = titles(build(book, out, draws=DRAWS, only=only).out_dir / "book.pptx")
    assert not any(t.startswith("What changed") for t in first)
    book.write_bytes(_edited(valid_builder()).to_fast_bytes())
    deck = build(book, out, draws=DRAWS, only=only).out_dir / "book.pptx"
    second = titles(deck)
    assert len(second) == len(first) + 1
    at = second.index(next(t for t in second if t.startswith("What changed")))
    assert second[at - 1] == "Does the model reproduce history?"  # main story 10, after 9
    assert second[at].startswith("What changed since the last brief: FY30 headline +$")
    slide = Presentation(str(deck)).slides[at]
    cells = [c.text for s in slide.shapes if s.has_table for r in s.table.rows for c in r.cells]
    assert "Baseline!E6 (Central): 3% → 3.5%" in cells
    notes = slide.notes_slide.notes_text_frame.text
    assert "moved from $" in notes
