"""The chart registry (``report.charts``): one list of every chart, and the seam a new chart
uses: one module with ``title``, ``alt``, ``png`` and ``native``, one ``Chart`` in ``CHARTS``.
A registered chart then has a slide of its own in the deck, a section in the brief and a PNG.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
import types
from typing import TYPE_CHECKING, Any

import pytest
from pptx import Presentation
from tests.factories import fake_results, make_inputs

from policybrief.report import charts
from policybrief.report.assets import shipped_template
from policybrief.report.brief.figures import CHART_NAMES, render_charts
from policybrief.report.brief.render import render_brief
from policybrief.report.context import BuildInfo
from policybrief.report.deck.slides import write_deck
from policybrief.report.story.story import Story

if TYPE_CHECKING:
    from pathlib import Path

    from policybrief.model.results import Results

INFO = BuildInfo("test.xlsx", "ab" * 32, dt.datetime(2026, 12, 1, tzinfo=dt.UTC), "0.1.0")


def _stub_module() -> types.ModuleType:
    """What a newcomer writes in ``report/charts/<name>.py``: exports per worker by scenario."""
    module = types.ModuleType("stub_chart")

    def title(_results: Results) -> str:
        return "Stub exports per worker"

    def alt(results: Results) -> str:
        head = results.headline.name
        return f"Workers per million of exports: {_per_worker(results)[head]:,.1f} under {head}."

    def png(results: Results, ax: Any) -> None:
        names = [sc.name for sc in results.scenarios]
        per = [
            float(sc.central["exports"][-1] / sc.central["workforce"][-1])
            for sc in results.scenarios
        ]
        ax.bar(names, per)

    def native(slide: Any, box: tuple[int, int, int, int], results: Results) -> Any:
        from pptx.chart.data import CategoryChartData
        from pptx.enum.chart import XL_CHART_TYPE

        data = CategoryChartData()
        data.categories = [sc.name for sc in results.scenarios]
        data.add_series(
            "Exports per worker",
            [
                float(sc.central["exports"][-1] / sc.central["workforce"][-1])
                for sc in results.scenarios
            ],
        )
        return slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, *box, data)

    def figures(results: Results) -> charts.Figures:
        columns = (charts.Column("scenario", "text"), charts.Column("exports_per_worker", "ratio"))
        return charts.Figures(columns, [(name, v) for name, v in _per_worker(results).items()])

    module.__dict__.update(title=title, alt=alt, png=png, native=native, figures=figures)
    return module


def _per_worker(results: Results) -> dict[str, float]:
    """Final-year workers per million of exports (a figure no other sheet holds)."""
    return {
        sc.name: float(sc.central["workforce"][-1]) / float(sc.central["exports"][-1])
        for sc in results.scenarios
    }


@pytest.fixture
def stub_chart(monkeypatch: pytest.MonkeyPatch) -> charts.Chart:
    module = _stub_module()
    monkeypatch.setitem(sys.modules, "stub_chart", module)
    chart = charts.Chart(
        "stub_per_worker",
        module.title,
        module.alt,
        png="stub_chart:png",
        native="stub_chart:native",
        figures="stub_chart:figures",
    )
    monkeypatch.setattr(charts, "CHARTS", (*charts.CHARTS, chart))
    return chart


def test_every_registered_drawing_resolves_to_a_function() -> None:
    for chart in charts.CHARTS:
        assert callable(charts.drawing(chart.png)), chart.name
        if chart.native is not None:
            assert callable(charts.drawing(chart.native)), chart.name
    assert tuple(c.name for c in charts.CHARTS) == CHART_NAMES
    assert len(set(CHART_NAMES)) == len(CHART_NAMES)


def test_the_registry_imports_no_renderer() -> None:
    """The brief's titles and alt texts come from the registry without python-pptx or
    matplotlib: a chart's drawings import them when they draw."""
    code = (
        "import sys, policybrief.report.charts as c; c.chart_specs; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pptx', 'matplotlib'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_main_story_charts_are_placed_by_the_shipped_brief_template() -> None:
    """A chart without a slide of its own is laid out by the main story: the shipped brief
    template places it by name; every other chart is listed in "More charts"."""
    template = shipped_template("brief.md.j2").decode("utf-8")
    for chart in charts.CHARTS:
        placed = f"charts.{chart.name}.file" in template
        assert placed == (chart.native is None), chart.name
    assert "{% for c in more_charts %}" in template
    results = fake_results(make_inputs())
    more = [c.name for c in charts.more_charts()]
    assert [c.name for c in Story(results, INFO).more_charts] == more


def test_a_registered_chart_gets_a_png_a_deck_slide_and_a_brief_section(
    stub_chart: charts.Chart, tmp_path: Path
) -> None:
    results = fake_results(make_inputs())
    pngs = render_charts(results)
    assert list(pngs)[-1] == "stub_per_worker"
    assert pngs["stub_per_worker"].startswith(b"\x89PNG")

    path = tmp_path / "deck.pptx"
    write_deck(results, INFO, path)
    prs = Presentation(str(path))
    slides = [
        s
        for s in prs.slides
        if s.shapes.title is not None and s.shapes.title.text == "Stub exports per worker"
    ]
    assert len(slides) == 1
    (frame,) = [sh for sh in slides[0].shapes if sh.has_chart]
    alt = stub_chart.alt(results)
    assert frame._element.nvGraphicFramePr.cNvPr.get("descr") == alt
    assert alt in slides[0].notes_slide.notes_text_frame.text
    titles = [s.shapes.title.text for s in prs.slides if s.shapes.title is not None]
    # in the appendix, after the talent pipeline and the charts registered before it
    more = len(charts.more_charts())
    assert titles.index("Stub exports per worker") == titles.index("Talent pipeline") + more

    brief = render_brief(results, INFO)
    assert "## More charts\n\n" in brief
    assert f"### Stub exports per worker\n\n![{alt}](charts/stub_per_worker.png)" in brief


def test_without_more_charts_the_brief_has_no_such_section(monkeypatch: pytest.MonkeyPatch) -> None:
    main_story = tuple(c for c in charts.CHARTS if c.native is None)
    monkeypatch.setattr(charts, "CHARTS", main_story)
    results = fake_results(make_inputs())
    assert "More charts" not in render_brief(results, INFO)


def _traced_problems(results: Results, folder: Path) -> list[str]:
    """The number-trace guard over a deck, a brief and a results workbook written here."""
    from tests.numbertrace import (
        Exceptions,
        WorkbookValues,
        brief_texts,
        chart_kinds,
        deck_texts,
        untraced,
    )

    from policybrief.model.goalseek import GOAL_SEEK_DRAWS
    from policybrief.report.story.formatting import unit_symbol
    from policybrief.report.workbook.book import write_results_workbook
    from policybrief.report.workbook.summary import summary_columns

    book = write_results_workbook(results, folder / "r-results.xlsx")
    write_deck(results, INFO, folder / "r.pptx")
    (folder / "r.md").write_text(render_brief(results, INFO), encoding="utf-8")
    symbol, scale = unit_symbol(results.inputs.settings.currency_label)
    kinds = {c.header: c.kind for c in summary_columns(results)}
    values = WorkbookValues.read(book, scale, kinds, chart_kinds(results))
    draws = (
        results.draws,
        min(results.draws, GOAL_SEEK_DRAWS),
        *(c.draws_search for c in results.cheapest),
    )
    texts = [*deck_texts(folder / "r.pptx"), *brief_texts(folder / "r.md")]
    return untraced(texts, values, Exceptions(draws=draws, seed=results.seed), symbol)


def test_a_chart_s_own_figures_go_to_its_sheet_and_trace(
    stub_chart: charts.Chart, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from policybrief.model import run

    results = run(make_inputs(), draws=300)
    assert _traced_problems(results, tmp_path) == []
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "r-results.xlsx", read_only=True)
    rows = list(wb["Chart stub_per_worker"].iter_rows(values_only=True))
    wb.close()
    assert rows[0] == ("scenario", "exports_per_worker")
    assert [r[0] for r in rows[1:]] == [sc.name for sc in results.scenarios]

    # Without its figures, the number the chart states traces to nothing: the guard says so.
    bare = dataclasses.replace(stub_chart, figures=None)
    monkeypatch.setattr(charts, "CHARTS", (*charts.CHARTS[:-1], bare))
    (tmp_path / "bare").mkdir()
    problems = _traced_problems(results, tmp_path / "bare")
    assert problems
    assert all("Workers per million of exports" in p for p in problems)
