"""Workbook text that looks like a formula, a link or a number stays text in every output.

One hostile workbook is built through the real command line: its scenario names, lever names,
target labels, descriptions and notes start with ``=``, ``+``, ``-``, ``@`` or ``http://``.
The deck's embedded chart workbooks, the results workbook and the brief must carry that text as
plain text: string cells (never formulas, hyperlinks or numbers) and escaped Markdown.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from typing import TYPE_CHECKING

import openpyxl
import pytest
from tests.builders import valid_builder

if TYPE_CHECKING:
    from pathlib import Path

SCENARIOS = {
    "Current policy": "=1+1 policy",
    "Reform": '=HYPERLINK("http://evil.example/x","Reform")',
    "Stretch": "http://evil.example/stretch",
}
LEVER_NAMES = ("=2+3 skills", "+cmd|' /C calc'!A0", "-1+2 onboarding")
TARGETS = ("@SUM(A1:A9) interim", "http://evil.example/final")
HOSTILE = re.compile(r"^(=|\+|-1\+2|@|http://)")


def _hostile_workbook(path: Path) -> Path:
    b = valid_builder()
    b.scenarios = {SCENARIOS[k]: v for k, v in b.scenarios.items()}
    b.scenario_notes = {SCENARIOS[k]: f"@cmd {v}" for k, v in b.scenario_notes.items()}
    b.settings["baseline_scenario"] = SCENARIOS["Current policy"]
    b.settings["headline_scenario"] = SCENARIOS["Reform"]
    for lever, name in zip(b.levers, LEVER_NAMES, strict=True):
        lever["Name"] = name
    for target, label in zip(b.targets, TARGETS, strict=True):
        target["Target"] = label
    for i, param in enumerate(b.baseline):
        param["Description"] = ("=", "+", "-", "@", "http://x.example/")[i % 5] + "described"
    wb = b.workbook()
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # typed as text in Excel (a leading apostrophe)
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inert")
    workbook = _hostile_workbook(folder / "hostile.xlsx")
    command = ("build", str(workbook), "--out", str(folder / "out"), "--draws", "200")
    proc = subprocess.run(
        [sys.executable, "-m", "policybrief", *command],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CI": "1", "MPLBACKEND": "Agg"},
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return folder / "out" / "hostile"


def _text_cells(wb: openpyxl.Workbook) -> list[openpyxl.cell.Cell]:
    return [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]


def test_chart_workbooks_in_the_deck_hold_hostile_text_as_plain_strings(built: Path) -> None:
    seen: set[str] = set()
    with zipfile.ZipFile(built / "hostile.pptx") as deck:
        embedded = [n for n in deck.namelist() if n.startswith("ppt/embeddings/")]
        assert embedded
        for name in embedded:
            data = deck.read(name)
            with zipfile.ZipFile(io.BytesIO(data)) as xlsx:
                sheets = [n for n in xlsx.namelist() if n.startswith("xl/worksheets/")]
                for sheet in sheets:
                    xml = xlsx.read(sheet)
                    assert b"<f>" not in xml, (name, sheet)
                    assert b"<hyperlink" not in xml, (name, sheet)
                assert not [n for n in xlsx.namelist() if "worksheets/_rels" in n]
            wb = openpyxl.load_workbook(io.BytesIO(data))
            for cell in _text_cells(wb):
                assert cell.hyperlink is None, (name, cell.coordinate)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (name, cell.coordinate, cell.value)
                    if HOSTILE.match(cell.value):
                        # a crowded legend's names are wrapped onto lines: compare the words
                        seen.add(" ".join(cell.value.split()).split(" (")[0])
    # Scenario names, lever names and target labels all reached a chart workbook.
    assert set(SCENARIOS.values()) <= seen
    assert {LEVER_NAMES[0], LEVER_NAMES[2]} <= seen
    assert {label.split(" (")[0] for label in TARGETS} <= seen


def test_results_workbook_holds_hostile_text_as_plain_strings(built: Path) -> None:
    wb = openpyxl.load_workbook(built / "hostile-results.xlsx")
    hostile = [c for c in _text_cells(wb) if isinstance(c.value, str) and HOSTILE.match(c.value)]
    assert {c.value for c in hostile} >= set(SCENARIOS.values()) | set(LEVER_NAMES)
    assert all(c.data_type == "s" and c.hyperlink is None for c in hostile)


def test_brief_escapes_hostile_text_where_markdown_would_read_it(built: Path) -> None:
    text = (built / "hostile.md").read_text(encoding="utf-8")
    assert r"| \=1+1 policy |" in text
    assert r"| \=HYPERLINK(" in text
    assert "\n=" not in text
    assert "\n+" not in text
