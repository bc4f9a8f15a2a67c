"""The brief's PNGs clip no label (issue 13): every text drawn lies inside its figure.

Each chart is drawn for the Pakistan example and for a crowded workbook made here (12
scenarios, 25 levers, a 30-year horizon, every name 60 characters long); the window extent of
every text artist drawn (title, tick labels, axis labels, legend entries, annotations) must lie
inside the figure's box, and no two tick labels of an axis may overlap.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import pytest
from matplotlib.text import Text
from tests.factories import default_parameters, make_inputs

from policybrief.domain import Lever, Scenario, Target
from policybrief.model import run
from policybrief.report.brief.figures import CHART_NAMES, RC, chart_specs, draw_figure
from policybrief.report.brief.figures.kit import wrap
from policybrief.report.story.labels import change_label, quantity_label
from policybrief.workbook import read_workbook

if TYPE_CHECKING:
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

    from policybrief.model.results import Results

ROOT = Path(__file__).resolve().parents[2]
PAKISTAN = ROOT / "workbooks" / "pakistan_it_exports.xlsx"
NAME_LENGTH = 60
_WORDS = [
    "reliable",
    "broadband",
    "and",
    "power",
    "for",
    "information",
    "technology",
    "clusters",
    "in",
    "every",
    "province",
    "with",
    "training",
    "grants",
    "tax",
    "credits",
    "and",
    "payment",
    "gateways",
    "for",
    "small",
    "exporters",
]
#: Per channel: effect (low, central, high) of one unit of intensity.
_EFFECTS = {
    "productivity": (0.001, 0.002, 0.003),
    "emigration": (0.01, 0.02, 0.03),
    "absorption": (0.005, 0.01, 0.015),
    "inflow": (50.0, 100.0, 150.0),
    "realization": (0.002, 0.004, 0.006),
}


def long_name(prefix: str, i: int) -> str:
    """A name of exactly ``NAME_LENGTH`` characters made of whole words (the last one
    lengthened to fit), e.g. ``Lever 07 clusters province grants …``."""
    text = f"{prefix} {i:02d}"
    k = i
    while len(text) + 1 + len(_WORDS[k % len(_WORDS)]) <= NAME_LENGTH:
        text += " " + _WORDS[k % len(_WORDS)]
        k += 3
    return text.ljust(NAME_LENGTH, "s")


def crowded_inputs() -> Any:
    """12 scenarios, 25 levers, a 30-year horizon, 10 targets; every name 60 characters."""
    channels = list(_EFFECTS)
    levers = tuple(
        Lever(
            id=f"lever_{i:02d}",
            name=long_name("Lever", i),
            channel=channels[i % len(channels)],  # type: ignore[arg-type]
            effect_low=_EFFECTS[channels[i % len(channels)]][0],
            effect_central=_EFFECTS[channels[i % len(channels)]][1],
            effect_high=_EFFECTS[channels[i % len(channels)]][2],
            cost_per_unit=1.0 + i,
            max_intensity=3.0,
        )
        for i in range(25)
    )
    names = [long_name("Scenario", j) for j in range(12)]
    scenarios = tuple(
        Scenario(name, {lv.id: float((i + j) % 3) for i, lv in enumerate(levers)})
        for j, name in enumerate(names)
    )
    targets = tuple(
        Target(long_name("Target", k), 2500.0 + 400.0 * k, 2027 + 3 * k) for k in range(10)
    )
    parameters = tuple(
        dataclasses.replace(p, description=long_name(p.name.split("_")[0].title(), n))
        for n, p in enumerate(default_parameters())
    )
    return make_inputs(
        horizon=30,
        baseline=names[0],
        headline=names[1],
        levers=levers,
        scenarios=scenarios,
        targets=targets,
        parameters=parameters,
    )


def crowded_results() -> Results:
    return run(crowded_inputs(), draws=500)


def pakistan_results() -> Results:
    return run(read_workbook(PAKISTAN), draws=1000)


def _drawn_texts(fig: Figure) -> list[Text]:
    """Every visible, non-empty text of the figure, leaving out the labels of ticks that lie
    outside their axis's view (matplotlib keeps but does not draw them)."""
    hidden: set[int] = set()
    for ax in fig.axes:
        for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            low, high = min(lo, hi), max(lo, hi)
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                if not low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    hidden.update({id(tick.label1), id(tick.label2)})
    return [
        t
        for t in fig.findobj(Text)
        if isinstance(t, Text) and t.get_visible() and t.get_text().strip() and id(t) not in hidden
    ]


def clipped_texts(fig: Figure, renderer: RendererBase) -> list[str]:
    """The texts of ``fig`` whose drawn box reaches outside the figure (half a pixel slack)."""
    box = fig.bbox
    out = []
    for text in _drawn_texts(fig):
        ext = text.get_window_extent(renderer)
        if (
            ext.x0 < box.x0 - 0.5
            or ext.y0 < box.y0 - 0.5
            or ext.x1 > box.x1 + 0.5
            or ext.y1 > box.y1 + 0.5
        ):
            out.append(text.get_text())
    return out


def _rectangle(text: Text, renderer: RendererBase) -> tuple[float, float, float, float, float]:
    """A text's drawn rectangle: centre x, y, width and height along its own baseline, angle.

    The centre of the axis-aligned window extent is the rotated rectangle's centre; its own
    width and height are the extent of the same text unrotated.
    """
    ext = text.get_window_extent(renderer)
    angle = text.get_rotation()
    text.set_rotation(0)
    flat = text.get_window_extent(renderer)
    text.set_rotation(angle)
    return (ext.x0 + ext.x1) / 2, (ext.y0 + ext.y1) / 2, flat.width, flat.height, angle


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two rectangles of the same angle overlap (separating axes: along and across the
    baseline), with half a pixel of slack."""
    ux, uy = math.cos(math.radians(a[4])), math.sin(math.radians(a[4]))
    dx, dy = b[0] - a[0], b[1] - a[1]
    along, across = abs(dx * ux + dy * uy), abs(-dx * uy + dy * ux)
    return along < (a[2] + b[2]) / 2 - 0.5 and across < (a[3] + b[3]) / 2 - 0.5


def overlapping_tick_labels(fig: Figure, renderer: RendererBase) -> list[tuple[str, str]]:
    """Pairs of tick labels of one axis whose drawn (rotated) rectangles overlap."""
    drawn = {id(t) for t in _drawn_texts(fig)}
    pairs = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = [t for t in axis.get_ticklabels() if id(t) in drawn]
            rects = [_rectangle(t, renderer) for t in labels]
            for i in range(len(labels)):
                for j in range(i + 1, len(labels)):
                    if rects[i][4] == rects[j][4] and _overlap(rects[i], rects[j]):
                        pairs.append((labels[i].get_text(), labels[j].get_text()))
    return pairs


@pytest.fixture(scope="module", params=["pakistan", "crowded"])
def results(request: pytest.FixtureRequest) -> Results:
    return pakistan_results() if request.param == "pakistan" else crowded_results()


def test_the_crowded_workbook_is_as_crowded_as_issue_13_asks() -> None:
    inputs = crowded_inputs()
    assert len(inputs.scenarios) == 12
    assert len(inputs.levers) == 25
    assert inputs.settings.horizon == 30
    names = [s.name for s in inputs.scenarios] + [lv.name for lv in inputs.levers]
    assert {len(n) for n in names} == {NAME_LENGTH}


def _draw(results: Results, name: str) -> tuple[Figure, Any]:
    spec = next(s for s in chart_specs(results) if s.name == name)
    with mpl.rc_context(RC):
        return draw_figure(results, name, spec.title)


@pytest.mark.parametrize("name", CHART_NAMES)
def test_no_text_of_a_brief_chart_is_clipped_or_overlaps(results: Results, name: str) -> None:
    fig, canvas = _draw(results, name)
    renderer = canvas.get_renderer()
    assert clipped_texts(fig, renderer) == []
    assert overlapping_tick_labels(fig, renderer) == []
    assert [t.get_text() for t in _drawn_texts(fig) if "…" in t.get_text()] == []


def _one_line(text: str) -> str:
    return " ".join(text.split())


def test_names_on_the_bar_charts_are_whole_words_wrapped_never_cut(results: Results) -> None:
    fig, _canvas = _draw(results, "tornado")
    shown = [_one_line(t.get_text()) for t in fig.axes[0].get_yticklabels()]
    full = [quantity_label(results, r.parameter, width=10_000) for r in results.sensitivity]
    assert shown == full[: len(shown)][::-1]
    fig, _canvas = _draw(results, "waterfall")
    shown = [_one_line(t.get_text()) for t in fig.axes[0].get_xticklabels()]
    head = results.inputs.settings.headline_scenario
    attribution = next(a for a in results.attribution if a.scenario == head)
    levers = [change_label(results, head, lever) for lever, _value in attribution.contributions]
    assert shown == [results.baseline.name, *levers, results.headline.name]


def test_the_check_finds_a_label_pushed_off_the_figure() -> None:
    results = pakistan_results()
    fig, canvas = _draw(results, "tornado")
    renderer = canvas.get_renderer()
    assert clipped_texts(fig, renderer) == []
    label = fig.axes[0].get_yticklabels()[0]
    label.set_x(-0.5)  # in axes coordinates: half the axes' width left of it, off the figure
    assert clipped_texts(fig, renderer) == [label.get_text()]
    fig.text(0.99, 0.5, "a label running off the right edge")
    assert "a label running off the right edge" in clipped_texts(fig, renderer)


def test_wrap_breaks_between_words_only_and_drops_none() -> None:
    text = "Ending internet shutdowns and platform bans in every province and district " * 3
    wrapped = wrap(text, 20)
    assert wrapped.split() == text.split()  # every word, in order
    assert all(len(line) <= 20 for line in wrapped.splitlines())
    assert wrap("Supercalifragilisticexpialidocious policy", 10) == (
        "Supercalifragilisticexpialidocious\npolicy"
    )
    assert wrap("self-taught freelancers", 8) == "self-taught\nfreelancers"
