"""Every slide stays legible at the edges of the workbook's limits (PRODUCT.md, "Deck").

Five generated workbooks (``tests/layout_cases.py``) cover 2, 7 and 12 scenarios; 1, 11 and 25
levers; horizons of 1, 10 and 30 years; 60-character scenario, lever and target names; a
baseline that is not "current policy"; a headline worse than the baseline; and the shipped
template at 4:3 as well as 16:9. Each is built by ``policybrief.build`` and rendered by
LibreOffice (one call for all five); the PDF is then checked by ``tests/layout.py`` for text
off its slide, overlapping or cut with an ellipsis, and for rows dropped: every generated name
carries a token (``S07``, ``L23``) that must be found on the slides that list them.
"""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING, Any

import pytest
from pptx import Presentation
from pptx.util import Inches
from tests.layout import check_pdf, page_texts
from tests.layout_cases import CASES, LayoutCase, marker
from tests.libreoffice import needs_soffice

from policybrief.build import build

if TYPE_CHECKING:
    from pathlib import Path

DRAWS = 300
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def _convert_all(decks: list[Path], outdir: Path) -> None:
    """One LibreOffice run converts every deck (each run costs seconds to start)."""
    profile = outdir.parent / ".lo-profile-layout"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(outdir), *map(str, decks)],
        check=True, capture_output=True, timeout=480,
    )  # fmt: skip


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Case name -> (deck, PDF), all built through ``build`` and rendered once."""
    folder = tmp_path_factory.mktemp("layout")
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        decks = []
        for case in CASES:
            workbook, templates = case.save(folder)
            build(workbook, folder / "out", draws=DRAWS, template_dir=templates,
                  only=frozenset({"deck"}))  # fmt: skip
            decks.append(folder / "out" / case.name / f"{case.name}.pptx")
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    _convert_all(decks, folder / "pdf")
    return {
        c.name: (d, folder / "pdf" / f"{c.name}.pdf") for c, d in zip(CASES, decks, strict=True)
    }


def _pages_titled(texts: list[str], title: str) -> list[str]:
    return [t for t in texts if t.startswith(title)]


@pytest.mark.render
@needs_soffice
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_no_text_is_off_its_slide_overlapping_or_cut(
    case: LayoutCase, rendered: dict[str, tuple[Path, Path]]
) -> None:
    _, pdf = rendered[case.name]
    assert [str(d) for d in check_pdf(pdf)] == []


@pytest.mark.render
@needs_soffice
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_no_scenario_lever_or_target_is_dropped(
    case: LayoutCase, rendered: dict[str, tuple[Path, Path]]
) -> None:
    deck, pdf = rendered[case.name]
    texts = page_texts(pdf)
    levers = " ".join(_pages_titled(texts, "Levers"))
    comparison = " ".join(_pages_titled(texts, "Scenario comparison"))
    waterfall = " ".join(_pages_titled(texts, "Where the"))
    scenarios = [marker("S", k) for k in range(1, case.scenarios + 1)]
    lever_ids = [marker("L", i) for i in range(1, case.levers + 1)]
    assert [s for s in scenarios if s not in comparison or s not in levers] == []
    assert [x for x in lever_ids if x not in levers] == []
    assert [x for x in lever_ids if x not in waterfall] == []  # a labelled bar for each
    goal_seek = " ".join(_pages_titled(texts, "What it would take"))
    targets = [marker("T", k) for k in range(1, case.targets + 1)]
    assert [t for t in targets if t not in goal_seek or t not in comparison] == []
    # narrow columns widen for their longest word: no header broken mid-word ("Confidenc/e")
    assumptions = " ".join(_pages_titled(texts, "Assumptions log")).split()
    assert {"Confidence", "Central", "Source"} <= set(assumptions)
    # the PDF's pages are the deck's slides
    prs = Presentation(str(deck))
    assert len(texts) == len(prs.slides)
    # every key message and every point of the method and caveats stays on its slide
    for slide in prs.slides:
        if slide.shapes.title.text in ("Key messages", "Method and caveats"):
            points = [ln for ln in slide.notes_slide.notes_text_frame.text.split("\n") if ln]
            shown = [
                p.text.removeprefix("•  ")
                for shape in slide.shapes
                if shape.has_text_frame
                for p in shape.text_frame.paragraphs
            ]
            assert [p for p in points if p not in shown] == []


@pytest.mark.render
@needs_soffice
def test_four_three_template_gives_a_four_three_deck(
    rendered: dict[str, tuple[Path, Path]],
) -> None:
    prs = Presentation(str(rendered["wide43"][0]))
    assert (prs.slide_width, prs.slide_height) == (Inches(10), Inches(7.5))


def _table_cells(slides: list[Any]) -> set[str]:
    return {
        cell.text
        for slide in slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    }


def test_long_tables_continue_with_every_lever_and_scenario_uncut(tmp_path: Path) -> None:
    case = CASES[0]  # 12 scenarios, 25 levers, 60-character names
    workbook, templates = case.save(tmp_path)
    result = build(workbook, tmp_path / "out", draws=DRAWS, template_dir=templates,
                   only=frozenset({"deck"}))  # fmt: skip
    prs = Presentation(str(result.out_dir / f"{case.name}.pptx"))
    titles = [slide.shapes.title.text for slide in prs.slides]
    levers = [s for s, t in zip(prs.slides, titles, strict=True) if t.startswith("Levers")]
    n = len(levers)
    assert n > 1
    assert [t[-8:] for t in titles if t.startswith("Levers")] == [
        f"({k} of {n})"[-8:] for k in range(1, n + 1)
    ]
    cells = _table_cells(levers)
    builder = case.builder()
    assert {str(row["Name"]) for row in builder.levers} <= cells
    assert set(builder.scenarios) <= cells
    comparison = [s for s, t in zip(prs.slides, titles, strict=True) if "comparison" in t]
    assert {f"{name}" for name in builder.scenarios} <= {
        c.removesuffix(" (dominated)") for c in _table_cells(comparison)
    }
    assert not [c for c in _table_cells(list(prs.slides)) if "…" in c]
