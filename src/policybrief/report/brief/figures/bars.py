"""Brief bar charts: the waterfall from the baseline to the headline, the tornado and the
Sobol indices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policybrief.report.brief.figures.kit import (
    money_axis,
    value_grid,
    wrap,
)
from policybrief.report.palette import (
    BAND,
    GAIN,
    HEADLINE,
    HISTORY,
    INPUT_HIGH,
    INPUT_LOW,
    LOSS,
    TOTAL,
    css,
)
from policybrief.report.story.chart_words import TOP_BARS, headline_contributions, sobol_rows
from policybrief.report.story.labels import change_label, quantity_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from policybrief.model.results import Results

__all__ = ["sobol", "tornado", "waterfall"]

#: A waterfall with more bars than this turns its names upright.
_SLANTED_BARS = 14
#: Input names on the tornado and Sobol charts are wrapped at this many characters.
_INPUT_WIDTH = 44


def _input_name(results: Results, parameter: str) -> str:
    """An input's full name (never cut), on lines of about ``_INPUT_WIDTH`` characters."""
    return wrap(quantity_label(results, parameter, width=10_000), _INPUT_WIDTH)


def waterfall(results: Results, ax: Axes) -> None:
    """Baseline total, one floating bar per lever (gain or loss), headline total."""
    unit = results.inputs.settings.currency_label
    base = float(results.baseline.central["exports"][-1])
    head = float(results.headline.central["exports"][-1])
    labels = [results.baseline.name]
    bottoms, heights, colours = [0.0], [base], [css(TOTAL)]
    level = base
    for lever_id, value in headline_contributions(results):
        labels.append(change_label(results, results.inputs.settings.headline_scenario, lever_id))
        bottoms.append(level if value >= 0 else level + value)
        heights.append(abs(value))
        colours.append(css(GAIN) if value >= 0 else css(LOSS))
        level += value
    labels.append(results.headline.name)
    bottoms.append(0.0)
    heights.append(head)
    colours.append(css(TOTAL))
    x = list(range(len(labels)))
    ax.bar(x, heights, bottom=bottoms, color=colours, width=0.6)
    # Slanted, so neighbouring names never run into each other; upright and on at most two
    # lines when there are many bars (``fit`` makes room below for however long they are).
    if len(labels) <= _SLANTED_BARS:
        ax.set_xticks(x, [wrap(n, 28) for n in labels], fontsize=7, rotation=30, ha="right")
    else:
        names = [wrap(n, max(20, (len(n) + 1) // 2 + 4)) for n in labels]
        ax.set_xticks(x, names, fontsize=7, rotation=90, ha="center", linespacing=1.0)
    money_axis(ax, unit)


def tornado(results: Results, ax: Axes) -> None:
    """Final-year exports with each input at its Low and High value, around the central."""
    unit = results.inputs.settings.currency_label
    rows = list(results.sensitivity[:TOP_BARS])[::-1]
    centre = float(results.headline.central["exports"][-1])
    if not rows:
        ax.text(0.5, 0.5, "No uncertain quantities", ha="center", transform=ax.transAxes)
        return
    y = list(range(len(rows)))
    ax.barh(y, [r.exports_at_low - centre for r in rows], left=centre, color=css(INPUT_LOW),
            label="Input at Low")  # fmt: skip
    ax.barh(y, [r.exports_at_high - centre for r in rows], left=centre, color=css(INPUT_HIGH),
            label="Input at High")  # fmt: skip
    ax.axvline(centre, color=css(HISTORY), linewidth=0.8)
    ax.set_yticks(y, [_input_name(results, r.parameter) for r in rows], fontsize=7)
    value_grid(ax)
    money_axis(ax, unit, axis="x")
    ax.legend(loc="lower right", frameon=False)


def sobol(results: Results, ax: Axes) -> None:
    """Total and first-order Sobol indices of the inputs the decision depends on most."""
    rows = sobol_rows(results)[::-1]
    if not rows or rows[-1].total <= 0:
        ax.text(0.5, 0.5, "No uncertain inputs", ha="center", transform=ax.transAxes)
        return
    y = list(range(len(rows)))
    ax.barh([v + 0.2 for v in y], [r.total for r in rows], height=0.4, color=css(HEADLINE),
            label="Total index")  # fmt: skip
    ax.barh([v - 0.2 for v in y], [r.first_order for r in rows], height=0.4, color=css(BAND),
            label="First-order index")  # fmt: skip
    ax.set_yticks(y, [_input_name(results, r.parameter) for r in rows], fontsize=7)
    value_grid(ax)
    from matplotlib.ticker import PercentFormatter  # noqa: PLC0415 - see the package docstring

    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.legend(loc="lower right", frameon=False)
