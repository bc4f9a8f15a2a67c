"""Brief charts over the years: the export outlook, the fan chart, the workforce and the test
against history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policybrief.report.brief.figures.kit import (
    TARGET_MARKERS,
    money_axis,
    scenario_colours,
    year_axis,
)
from policybrief.report.palette import BAND, HEADLINE, HISTORY, TARGET, css, hindcast_colour
from policybrief.report.story.formatting import number
from policybrief.report.story.labels import target_name

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from policybrief.model.results import Results

__all__ = ["backtest", "fan", "outlook", "workforce"]


def outlook(results: Results, ax: Axes) -> None:
    """History, the central path of every scenario and the targets as markers."""
    s = results.inputs.settings
    years = list(results.years)
    hist = [h for h in results.inputs.history if h.year <= s.base_year]
    if hist:
        ax.plot(
            [h.year for h in hist],
            [h.exports for h in hist],
            color=css(HISTORY),
            marker="o",
            markersize=3,
            label="Actual",
        )
    _scenario_paths(results, ax, "exports", thick_headline=True)
    _targets(results, ax)
    year_axis(ax, sorted({h.year for h in hist} | set(years)), s.year_label)
    money_axis(ax, s.currency_label)
    ax.legend(loc="upper left", frameon=False)


def _scenario_paths(
    results: Results, ax: Axes, metric: str, *, thick_headline: bool = False
) -> None:
    """Each scenario's central path of ``metric`` in its colour, the baseline dashed (and,
    with ``thick_headline``, the headline drawn heavier than the others)."""
    colours = scenario_colours(results)
    for sc in results.scenarios:
        width = None
        if thick_headline:
            width = 2.2 if sc.name == results.headline.name else 1.5
        ax.plot(
            list(results.years),
            sc.central[metric],
            color=colours[sc.name],
            linewidth=width,
            linestyle="--" if sc.name == results.baseline.name else "-",
            label=sc.name,
        )


def _targets(results: Results, ax: Axes) -> None:
    """Each target as a marker in its year, named in the legend (as on the deck's charts)."""
    for i, t in enumerate(results.targets):
        ax.scatter([t.year], [t.value], marker=TARGET_MARKERS[i % len(TARGET_MARKERS)],
                   color=css(TARGET), zorder=5, s=26, label=target_name(results, t.label))  # fmt: skip


def fan(results: Results, ax: Axes) -> None:
    """The headline's band, median and central path, with the targets as lines."""
    s = results.inputs.settings
    years = list(results.years)
    head = results.headline
    lo, hi = s.band
    ax.fill_between(
        years,
        head.percentiles[lo]["exports"],
        head.percentiles[hi]["exports"],
        color=css(BAND),
        linewidth=0,
        label=f"P{lo}–P{hi}",
    )
    if 50 in head.percentiles:
        ax.plot(years, head.percentiles[50]["exports"], color=css(HEADLINE), label="P50")
    ax.plot(years, head.central["exports"], color=css(HEADLINE), linestyle="--", linewidth=1.0,
            label="Central")  # fmt: skip
    _targets(results, ax)
    year_axis(ax, years, results.inputs.settings.year_label)
    money_axis(ax, s.currency_label)
    # Paths rise left to right, so the lower right is the emptiest corner.
    ax.legend(loc="lower right", frameon=False)


def workforce(results: Results, ax: Axes) -> None:
    """The export IT workforce of every scenario."""
    from matplotlib.ticker import FuncFormatter  # noqa: PLC0415 - see the package docstring

    years = list(results.years)
    _scenario_paths(results, ax, "workforce")
    year_axis(ax, years, results.inputs.settings.year_label)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v)))
    ax.legend(loc="upper left", frameon=False)


def backtest(results: Results, ax: Axes) -> None:
    """Recorded exports against each hindcast's central path and P10–P90 band."""
    s = results.inputs.settings
    v = results.validation
    hist = sorted((h.year, h.exports) for h in results.inputs.history if h.year <= s.base_year)
    if hist:
        ax.plot(*zip(*hist, strict=True), color=css(HISTORY), marker="o", markersize=3,
                label="Recorded", zorder=5)  # fmt: skip
    if v is None or v.skipped:
        ax.text(0.5, 0.5, "Not tested against history", ha="center", transform=ax.transAxes)
    else:
        for i, h in enumerate(v.hindcasts):
            colour = css(hindcast_colour(i))
            years = list(h.years)
            ax.fill_between(years, h.p10, h.p90, color=colour, alpha=0.12, linewidth=0)
            ax.plot(years, h.central, color=colour, linewidth=1.6,
                    label=f"Model from {s.year_label(h.start_year)} (P10–P90 shaded)")  # fmt: skip
    if hist:
        year_axis(ax, [y for y, _ in hist], s.year_label)
    money_axis(ax, s.currency_label)
    ax.legend(loc="upper left", frameon=False)
