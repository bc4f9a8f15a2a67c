from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from numpy.testing import assert_allclose
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from tests.factories import make_inputs

if TYPE_CHECKING:
    from policybrief.model.results import Results

from tests.libreoffice import convert, needs_soffice

from policybrief.errors import TemplateError
from policybrief.report.charts import more_charts
from policybrief.report.context import BuildInfo
from policybrief.report.deck.slides import write_deck
from policybrief.report.story.labels import axis_label, wrap_label

ROOT = Path(__file__).resolve().parents[2]
#: The deck's seventeen slides, and one more for each chart registered with a slide of its own.
SLIDES = 17 + len(more_charts())
INFO = BuildInfo(
    workbook_name="test_country.xlsx",
    workbook_sha256="0123456789abcdef" * 4,
    build_time=dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC),
    version="0.1.0",
)


def _run(inputs, draws: int = 500) -> Results:
    from policybrief.model import run

    return run(inputs, draws=draws)


@pytest.fixture(scope="module")
def results() -> Results:
    return _run(make_inputs())


@pytest.fixture(scope="module")
def deck_path(results: Results, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("deck") / "deck.pptx"
    write_deck(results, INFO, path)
    return path


def _charts(prs):
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.has_chart:
                yield number, shape


def _chart_on(prs, slide_number: int, index: int = 0):
    return [s for n, s in _charts(prs) if n == slide_number][index]


def _values(series) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in series.values], dtype=float)


def test_deck_has_seventeen_slides_with_native_charts_notes_alt_text_and_footer(
    deck_path: Path,
) -> None:
    prs = Presentation(str(deck_path))
    assert len(prs.slides) == SLIDES
    frames = list(_charts(prs))
    assert len(frames) >= 6
    types = {frame.chart.chart_type for _, frame in frames}
    assert types & {XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS}
    assert {
        XL_CHART_TYPE.AREA_STACKED,
        XL_CHART_TYPE.COLUMN_STACKED,
        XL_CHART_TYPE.BAR_CLUSTERED,
    } <= types
    for slide in prs.slides:
        assert all(shape.shape_type != MSO_SHAPE_TYPE.PICTURE for shape in slide.shapes)
        assert slide.has_notes_slide
        assert slide.notes_slide.notes_text_frame.text.strip()
        texts = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert INFO.footer in texts
    for _, frame in frames:
        descr = frame._element.nvGraphicFramePr.cNvPr.get("descr")
        assert descr
        assert any(ch.isdigit() for ch in descr)


def test_outlook_chart_holds_history_and_every_central_path(
    deck_path: Path, results: Results
) -> None:
    chart = _chart_on(Presentation(str(deck_path)), 3).chart
    series = {s.name: _values(s) for s in chart.plots[0].series}
    history = results.inputs.history
    assert_allclose(series["History"][: len(history)], [h.exports for h in history])
    assert np.isnan(series["History"][len(history) :]).all()
    offset = len(history) - 1  # history ends in the base year
    for sc in results.scenarios:
        assert np.isnan(series[sc.name][:offset]).all()
        assert_allclose(series[sc.name][offset:], sc.central["exports"])
    categories = list(chart.plots[0].categories)
    assert categories[0] == "FY21"
    assert categories[-1] == "FY30"
    for target in results.targets:
        values = next(v for name, v in series.items() if name.startswith(target.label))
        assert_allclose(np.nansum(values), target.value)
        assert np.isfinite(values).sum() == 1


def test_fan_chart_stacks_an_invisible_base_under_the_band_with_p50_as_a_line(
    deck_path: Path, results: Results
) -> None:
    chart = _chart_on(Presentation(str(deck_path)), 4).chart
    area, line = chart.plots[0], chart.plots[1]
    head = results.headline
    base, band = (_values(s) for s in area.series)
    assert_allclose(base, head.percentiles[10]["exports"])
    assert_allclose(base + band, head.percentiles[90]["exports"])
    assert_allclose(_values(line.series[0]), head.percentiles[50]["exports"])
    legend = chart._chartSpace.chart.find(
        "{http://schemas.openxmlformats.org/drawingml/2006/chart}legend"
    )
    deleted = legend.xpath("c:legendEntry[c:delete/@val='1']/c:idx/@val")
    assert deleted == ["0"]
    assert chart._chartSpace.xpath("//c:dispBlanksAs/@val") == ["gap"]


def test_waterfall_bars_are_the_shapley_contributions(deck_path: Path, results: Results) -> None:
    chart = _chart_on(Presentation(str(deck_path)), 6).chart
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    _base, rise, fall, total = (_values(s) for s in chart.plots[0].series)
    att = next(a for a in results.attribution if a.scenario == results.headline.name)
    steps = np.nan_to_num(rise[1:-1]) - np.nan_to_num(fall[1:-1])
    assert_allclose(steps, [c for _, c in att.contributions])
    assert_allclose([total[0], total[-1]], [att.baseline_value, att.scenario_value])
    assert "delete" in chart._chartSpace.xml.split("<c:legend>")[1]


def test_tornado_shows_the_ten_largest_swings_around_the_central_value(
    deck_path: Path, results: Results
) -> None:
    chart = _chart_on(Presentation(str(deck_path)), 10).chart
    plot = chart.plots[0]
    assert plot.overlap == 100
    rows = list(results.sensitivity[:10])[::-1]
    central = results.headline.central["exports"][-1]
    assert list(plot.categories) == [wrap_label(axis_label(results, r.parameter), 30) for r in rows]
    low, high = (_values(s) for s in plot.series)
    assert_allclose(low, [r.exports_at_low - central for r in rows])
    assert_allclose(high, [r.exports_at_high - central for r in rows])
    assert chart.value_axis.tick_labels.number_format == "#,##0;#,##0"


def test_talent_slide_charts_workforce_and_emigrants_averted(
    deck_path: Path, results: Results
) -> None:
    prs = Presentation(str(deck_path))
    workforce = _chart_on(prs, 11, 0).chart
    for series, sc in zip(workforce.plots[0].series, results.scenarios, strict=True):
        assert_allclose(_values(series), sc.central["workforce"])
    averted = _chart_on(prs, 11, 1).chart
    others = [sc for sc in results.scenarios if sc is not results.baseline]
    assert_allclose(_values(averted.plots[0].series[0]), [sc.emigrants_averted for sc in others])


def test_deck_sets_core_properties_from_the_build(deck_path: Path, results: Results) -> None:
    props = Presentation(str(deck_path)).core_properties
    assert props.title == results.inputs.settings.title
    assert props.author == results.inputs.settings.organisation
    assert props.revision == 1
    when = INFO.build_time.replace(tzinfo=None)
    assert props.created == props.modified == props.last_printed == when


def test_deck_builds_with_python_pptx_default_template(results: Results, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Presentation().save(buffer)
    path = tmp_path / "default.pptx"
    write_deck(results, INFO, path, template=buffer.getvalue())
    prs = Presentation(str(path))
    assert len(prs.slides) == SLIDES
    assert len(list(_charts(prs))) >= 6


def test_template_without_a_needed_layout_gives_a_clear_error(
    results: Results, tmp_path: Path
) -> None:
    prs = Presentation()
    layouts = prs.slide_layouts
    title_only = next(layout for layout in layouts if layout.name == "Title Only")
    layouts.remove(title_only)
    buffer = io.BytesIO()
    prs.save(buffer)
    with pytest.raises(TemplateError, match=r"'Title Only'.*'Title Slide'"):
        write_deck(results, INFO, tmp_path / "x.pptx", template=buffer.getvalue())
    assert not (tmp_path / "x.pptx").exists()


def test_sample_slides_in_a_template_are_removed_without_orphan_parts(
    results: Results, tmp_path: Path
) -> None:
    prs = Presentation()
    for _ in range(2):
        prs.slides.add_slide(prs.slide_layouts[0]).shapes.title.text = "SAMPLE SLIDE"
    buffer = io.BytesIO()
    prs.save(buffer)
    path = tmp_path / "deck.pptx"
    write_deck(results, INFO, path, template=buffer.getvalue())
    with zipfile.ZipFile(path) as zf:
        slides = [n for n in zf.namelist() if n.startswith("ppt/slides/slide")]
        body = b"".join(zf.read(n) for n in slides)
    assert len(slides) == SLIDES
    assert b"SAMPLE SLIDE" not in body


def test_shipped_template_copies_are_identical_and_16_by_9() -> None:
    user = ROOT / "templates" / "deck.pptx"
    package = ROOT / "src" / "policybrief" / "templates" / "deck.pptx"
    assert user.read_bytes() == package.read_bytes()
    prs = Presentation(str(user))
    assert prs.slide_width * 9 == prs.slide_height * 16
    assert len(prs.slides) == 0


def test_other_country_with_a_worse_headline_builds_and_says_so(tmp_path: Path) -> None:
    from tests.factories import default_levers, default_scenarios, with_intensities

    from policybrief.report.story.messages import key_messages

    scenarios = default_scenarios()[:2]
    inputs_kw = {
        "horizon": 15,
        "title": "Kenya digital exports",
        "currency_label": "KES billion",
        "scenarios": scenarios,
        "levers": default_levers(),
    }
    inputs = make_inputs(**inputs_kw)
    # The headline drops the lever current policy funds: worse than baseline.
    inputs = with_intensities(inputs, "Reform", skills=0.0, retention=0.0, visas=0.0)
    results = _run(inputs, 300)
    assert results.headline.central["exports"][-1] < results.baseline.central["exports"][-1]
    path = tmp_path / "kenya.pptx"
    write_deck(results, INFO, path)
    prs = Presentation(str(path))
    assert len(prs.slides) == SLIDES
    assert "does worse than Current policy" in key_messages(results)[0]
    key_slide = " ".join(s.text_frame.text for s in prs.slides[1].shapes if s.has_text_frame)
    assert "less than under Current policy" in key_slide
    assert "FY40" in list(_chart_on(prs, 3).chart.plots[0].categories)


def _other_country_deck(folder: Path) -> Path:
    """The reader's very different workbook (Testland: 2 scenarios, 3 levers, a worse headline,
    horizon 15), read, projected and rendered like any analyst's."""
    from tests.builders import other_country_builder

    from policybrief.workbook import read_workbook

    workbook = other_country_builder().save(folder / "testland.xlsx")
    path = folder / "testland.pptx"
    write_deck(_run(read_workbook(workbook), 300), INFO, path)
    return path


def _default_template_deck(folder: Path, results: Results) -> Path:
    """The same deck on python-pptx's own default template (a swapped-in template)."""
    buffer = io.BytesIO()
    Presentation().save(buffer)
    path = folder / "plain.pptx"
    write_deck(results, INFO, path, template=buffer.getvalue())
    return path


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(next(ln for ln in info.stdout.splitlines() if ln.startswith("Pages:")).split()[1])


@pytest.mark.render
@needs_soffice
@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("deck", ["shipped template", "other country", "default template"])
def test_libreoffice_renders_one_page_per_slide(
    deck: str, deck_path: Path, results: Results, tmp_path: Path
) -> None:
    path = {
        "shipped template": lambda: deck_path,
        "other country": lambda: _other_country_deck(tmp_path),
        "default template": lambda: _default_template_deck(tmp_path, results),
    }[deck]()
    assert _pages(convert(path, "pdf", tmp_path / "pdf")) == SLIDES
