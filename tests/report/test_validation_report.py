"""The test against history in the deck, the brief and the results workbook, in words."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

import openpyxl
from pptx import Presentation
from tests.factories import make_inputs
from tests.model.test_validation import _validated_inputs

from policybrief.domain import HistoryPoint
from policybrief.model import run
from policybrief.report.brief.render import render_brief
from policybrief.report.context import BuildInfo
from policybrief.report.deck.slides import write_deck
from policybrief.report.story import findings
from policybrief.report.workbook.book import write_results_workbook

if TYPE_CHECKING:
    from pathlib import Path

INFO = BuildInfo(
    workbook_name="w.xlsx",
    workbook_sha256="cd" * 32,
    build_time=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
    version="0.1.0",
)
SLIDE = "Does the model reproduce history?"


def _slide_text(path: Path, title: str) -> str:
    for slide in Presentation(str(path)).slides:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        if slide.shapes.title is not None and slide.shapes.title.text == title:
            tables = [
                " | ".join(c.text for c in row.cells)
                for s in slide.shapes
                if s.has_table
                for row in s.table.rows
            ]
            return "\n".join([*texts, *tables])
    raise AssertionError(f"no slide titled {title!r}")


def _collapsed(inputs):
    history = tuple(
        dataclasses.replace(p, exports=p.exports * (0.35 if 2019 <= p.year <= 2021 else 1.0))
        for p in inputs.history
    )
    first = history[0].exports
    early = (HistoryPoint(2012, first * 4.0), HistoryPoint(2013, first * 3.5))
    return dataclasses.replace(inputs, history=(*early, *history))


def test_a_history_the_model_cannot_follow_is_said_on_the_slide_and_in_the_key_messages(
    tmp_path: Path,
) -> None:
    results = run(_collapsed(_validated_inputs()), draws=1000)
    caveat = findings.validation_caveat(results)
    assert caveat is not None
    assert caveat.startswith("Caution from the test against history: run from FY12, the model")
    path = tmp_path / "deck.pptx"
    write_deck(results, INFO, path)
    assert caveat in _slide_text(path, "Key messages")
    slide = _slide_text(path, SLIDE)
    assert findings.validation_caveat(results, refer=False) in slide
    assert "From FY12" in slide  # the fit table
    brief = render_brief(results, INFO)
    assert f"> {caveat[:40]}" in brief
    assert "## Does the model reproduce history?" in brief


def test_a_record_the_model_reproduces_gives_no_caveat_and_fills_both_sheets(
    tmp_path: Path,
) -> None:
    results = run(_validated_inputs(), draws=1000)
    assert findings.validation_caveat(results) is None
    first = findings.validation_sentences(results)[0]
    assert first.startswith("Run from FY16 with the base-year rates and no new policy")
    assert "(+0.0%)" in first
    path = write_results_workbook(results, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    fit = list(wb["BacktestFit"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in fit] == [2016, 2020, 2022]
    assert all(row[2] == "backward" for row in fit)
    rows = list(wb["Backtest"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 10 + 6 + 4  # FY16..FY25, FY20..FY25, FY22..FY25


def test_a_short_history_is_not_tested_and_the_slide_says_why(tmp_path: Path) -> None:
    inputs = make_inputs(history=(HistoryPoint(2024, 1900.0), HistoryPoint(2025, 2000.0)))
    results = run(inputs, draws=200)
    path = tmp_path / "deck.pptx"
    write_deck(results, INFO, path)
    slide = _slide_text(path, SLIDE)
    assert (
        "The model was not tested against history: the History sheet has 2 recorded years up "
        "to the base year; the validation needs at least 4." in slide
    )
    assert "not tested against history" in render_brief(results, INFO)
