"""The layout checker (``tests/layout.py``) finds what it must on PDFs drawn to order.

matplotlib writes small one-page PDFs with text placed exactly: apart, overlapping, off the
page, cut with an ellipsis, and turned 45 degrees like a chart's crowded category labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib as mpl
import pytest
from matplotlib.figure import Figure
from tests.layout import check_pdf

if TYPE_CHECKING:
    from pathlib import Path

#: (x, y in inches from the bottom left, text, rotation in degrees) on a 6 x 3 inch page.
Texts = list[tuple[float, float, str, float]]


def _pdf(tmp_path: Path, texts: Texts) -> Path:
    fig = Figure(figsize=(6, 3))
    for x, y, text, rotation in texts:
        fig.text(x / 6, y / 3, text, fontsize=12, rotation=rotation, rotation_mode="anchor")
    path = tmp_path / "page.pdf"
    with mpl.rc_context({"pdf.fonttype": 42}):
        fig.savefig(path)
    return path


def _kinds(tmp_path: Path, texts: Texts) -> list[str]:
    return sorted({d.kind for d in check_pdf(_pdf(tmp_path, texts))})


def test_text_apart_and_lines_of_a_paragraph_pass(tmp_path: Path) -> None:
    texts = [
        (0.5, 2.5, "Scenario comparison", 0),
        (0.5, 2.3, "second line of the same paragraph", 0),  # 14.4 pt below: line spacing
        (3.5, 2.5, "another box", 0),
        (0.5, 0.2, "footer · sha256 1a2b3c4d · built 2026-01-01", 0),
    ]
    assert _kinds(tmp_path, texts) == []


@pytest.mark.parametrize(
    ("texts", "kind"),
    [
        ([(0.5, 1.0, "Seven scenarios overlap", 0), (0.6, 1.05, "the footer text", 0)], "overlap"),
        ([(5.2, 1.0, "runs off the slide", 0)], "outside"),
        ([(0.5, 1.0, "Reliable broadband and po…", 0)], "cut"),
    ],
)
def test_overlap_outside_and_cut_words_are_found(tmp_path: Path, texts: Texts, kind: str) -> None:
    assert _kinds(tmp_path, texts) == [kind]


def test_turned_labels_are_checked_along_their_own_direction(tmp_path: Path) -> None:
    # 45-degree labels 0.35 in apart sit side by side although their boxes on the page overlap
    apart: Texts = [(0.5 + 0.35 * i, 0.8, f"Measure L{i:02d} effect", 45) for i in range(6)]
    assert _kinds(tmp_path, apart) == []
    crowded: Texts = [(0.5 + 0.05 * i, 0.8, f"Measure L{i:02d} effect", 45) for i in range(3)]
    assert _kinds(tmp_path, crowded) == ["overlap"]
