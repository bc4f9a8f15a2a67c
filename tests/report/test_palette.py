"""One palette for the deck's native charts and the brief's PNGs (``report/palette.py``).

Each chart is drawn by both renderers from the same results; the colours are read back from
the deck chart's XML and from the matplotlib artists, and must be the palette's, for the same
series, in the same order.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import pytest
from matplotlib.colors import to_hex
from pptx import Presentation
from pptx.oxml.ns import qn
from tests.factories import make_inputs, replace_lever, with_intensities

from policybrief.model import run
from policybrief.report import palette
from policybrief.report.brief.figures import RC, draw_figure
from policybrief.report.deck import analysis_charts, charts, waterfall

if TYPE_CHECKING:
    from policybrief.model.results import Results

REPORT = Path(__file__).resolve().parents[2] / "src" / "policybrief" / "report"
BOX = (457200, 457200, 8229600, 4572000)


@pytest.fixture(scope="module")
def results() -> Results:
    # A lever that lowers exports, used more by the headline: the waterfall has a fall too.
    inputs = replace_lever(make_inputs(), "visas", effect_central=-300.0, effect_low=-400.0,
                           effect_high=-200.0)  # fmt: skip
    inputs = with_intensities(inputs, "Reform", visas=2.0)
    return run(inputs, draws=500)


def _deck_chart(results: Results, build: Any) -> Any:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    frame = build(slide, BOX, results)
    return frame.chart


def _srgb(element: Any, path: str) -> str | None:
    found = element.find(path)
    return None if found is None else found.get("val")


def _deck_colours(chart: Any) -> dict[str, str]:
    """Each visible series' colour by name: its line, else its fill, else its markers'."""
    out: dict[str, str] = {}
    for ser in chart._chartSpace.iter(qn("c:ser")):
        name = ser.find(f"{qn('c:tx')}//{qn('c:v')}").text
        colour = (
            _srgb(ser, f"{qn('c:spPr')}/{qn('a:ln')}/{qn('a:solidFill')}/{qn('a:srgbClr')}")
            or _srgb(ser, f"{qn('c:spPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}")
            or _srgb(ser, f"{qn('c:marker')}/{qn('c:spPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}")
        )
        if colour is not None:
            out[name] = colour
    return out


def _hex(colour: Any) -> str:
    return to_hex(colour).removeprefix("#").upper()


def _brief_colours(results: Results, name: str) -> dict[str, str]:
    """Each labelled artist's colour by label: lines, bars and filled areas."""
    with mpl.rc_context(RC):
        fig, _canvas = draw_figure(results, name, name)
    ax = fig.axes[0]
    out: dict[str, str] = {}
    for line in ax.get_lines():
        out[line.get_label()] = _hex(line.get_color())
    for container in ax.containers:
        out[container.get_label()] = _hex(container.patches[0].get_facecolor())
    for collection in ax.collections:
        out[collection.get_label()] = _hex(collection.get_facecolor()[0])
    return {k: v for k, v in out.items() if not k.startswith("_")}


def test_the_palette_is_okabe_ito_with_fixed_roles() -> None:
    assert palette.OKABE_ITO == {
        "black": "000000",
        "orange": "E69F00",
        "sky blue": "56B4E9",
        "bluish green": "009E73",
        "yellow": "F0E442",
        "blue": "0072B2",
        "vermillion": "D55E00",
        "reddish purple": "CC79A7",
    }
    assert (palette.HEADLINE, palette.BASELINE, palette.HISTORY) == ("0072B2", "8C8C8C", "404040")
    assert palette.OTHERS == ("E69F00", "009E73", "CC79A7", "56B4E9", "D55E00")
    assert (palette.GAIN, palette.LOSS, palette.TOTAL) == ("009E73", "D55E00", "0072B2")
    assert (palette.TARGET, palette.BAND) == ("000000", "AAD9F4")
    assert (palette.INPUT_LOW, palette.INPUT_HIGH) == ("E69F00", "0072B2")


def test_scenario_colours_headline_blue_baseline_grey_others_in_order_repeating() -> None:
    names = ["Base", *[f"S{i}" for i in range(1, 11)], "Head"]
    colours = palette.scenario_colours(names, headline="Head", baseline="Base")
    assert colours["Head"] == "0072B2"
    assert colours["Base"] == "8C8C8C"
    assert [colours[f"S{i}"] for i in range(1, 11)] == [*palette.OTHERS, *palette.OTHERS]


def test_outlook_and_workforce_colour_each_scenario_alike_in_deck_and_brief(
    results: Results,
) -> None:
    expected = {sc.name: palette.scenario_colours(
        [s.name for s in results.scenarios], "Reform", "Current policy")[sc.name]
        for sc in results.scenarios}  # fmt: skip
    assert expected == {"Current policy": "8C8C8C", "Reform": "0072B2", "Stretch": "E69F00"}
    for build, name in ((charts.outlook_chart, "outlook"), (charts.talent_charts, "workforce")):
        if name == "workforce":
            prs = Presentation()
            slide = prs.slides.add_slide(prs.slide_layouts[6])
            deck = _deck_colours(build(slide, BOX, BOX, results)[0].chart)
        else:
            deck = _deck_colours(_deck_chart(results, build))
        brief = _brief_colours(results, name)
        for scenario, colour in expected.items():
            assert deck[scenario] == brief[scenario] == colour, (name, scenario)
    deck = _deck_colours(_deck_chart(results, charts.outlook_chart))
    brief = _brief_colours(results, "outlook")
    assert deck["History"] == brief["Actual"] == palette.HISTORY
    targets = [c for n, c in deck.items() if n.startswith(("Interim goal", "Export goal"))]
    assert targets == [palette.TARGET, palette.TARGET]
    with mpl.rc_context(RC):
        fig, _canvas = draw_figure(results, "outlook", "outlook")
    assert {_hex(c.get_facecolor()[0]) for c in fig.axes[0].collections} == {palette.TARGET}


def test_fan_band_and_paths_take_the_palette_in_deck_and_brief(results: Results) -> None:
    deck = _deck_colours(_deck_chart(results, charts.fan_chart))
    brief = _brief_colours(results, "fan")
    assert deck["P10–P90 range"] == brief["P10–P90"] == palette.BAND
    assert deck["Median (P50)"] == brief["P50"] == palette.HEADLINE
    assert deck["Central path"] == brief["Central"] == palette.HEADLINE


def test_waterfall_gain_loss_and_totals_take_the_palette_in_deck_and_brief(
    results: Results,
) -> None:
    deck = _deck_colours(_deck_chart(results, waterfall.waterfall_chart))
    assert (deck["Increase"], deck["Decrease"], deck["Total"]) == ("009E73", "D55E00", "0072B2")
    with mpl.rc_context(RC):
        fig, _canvas = draw_figure(results, "waterfall", "waterfall")
    bars = [_hex(p.get_facecolor()) for p in fig.axes[0].containers[0].patches]
    attribution = next(a for a in results.attribution if a.scenario == "Reform")
    signs = [value >= 0 for _lever, value in attribution.contributions]
    assert True in signs  # the fixture has a rise
    assert False in signs  # and a fall
    assert bars == [
        deck["Total"],
        *(deck["Increase"] if up else deck["Decrease"] for up in signs),
        deck["Total"],
    ]


def test_tornado_and_sobol_bars_take_the_palette_in_deck_and_brief(results: Results) -> None:
    deck = _deck_colours(_deck_chart(results, charts.tornado_chart))
    brief = _brief_colours(results, "tornado")
    assert deck == brief == {"Input at Low": "E69F00", "Input at High": "0072B2"}
    deck = _deck_colours(_deck_chart(results, analysis_charts.sobol_chart))
    brief = _brief_colours(results, "sobol")
    assert deck == brief == {"Total index": "0072B2", "First-order index": "AAD9F4"}


def test_frontier_and_backtest_take_the_palette_in_deck_and_brief(results: Results) -> None:
    deck = _deck_colours(_deck_chart(results, analysis_charts.frontier_chart))
    brief = _brief_colours(results, "frontier")
    line = "Best package for each budget"
    assert deck[line] == brief[line] == palette.FRONTIER
    with mpl.rc_context(RC):
        fig, _canvas = draw_figure(results, "frontier", "frontier")
    points = [_hex(c.get_facecolor()[0]) for c in fig.axes[0].collections]
    assert points == [deck[sc.name] for sc in results.scenarios] == ["8C8C8C", "0072B2", "E69F00"]
    deck = _deck_colours(_deck_chart(results, analysis_charts.backtest_chart))
    brief = _brief_colours(results, "backtest")
    models = [n for n in brief if n.startswith("Model from")]
    assert models
    for i, label in enumerate(models):
        assert brief[label] == deck[label.removesuffix(" (P10–P90 shaded)")]
        assert brief[label] == palette.hindcast_colour(i)
    assert deck["Recorded"] == brief["Recorded"] == palette.HISTORY


_HEX = re.compile(r"""["'#](?:[0-9A-Fa-f]{6})["']|#[0-9A-Fa-f]{6}\b""")


def test_no_renderer_spells_a_colour_outside_the_palette() -> None:
    offenders = [
        f"{path.relative_to(REPORT)}:{n}: {line.strip()}"
        for path in sorted(REPORT.rglob("*.py"))
        if path.name != "palette.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _HEX.search(line) and "calcId" not in line
    ]
    assert offenders == []
