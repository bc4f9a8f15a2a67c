"""The brief's cost–exports frontier: the best package for each budget as a line, every
scenario as a point named in the legend (as on the deck's chart)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policybrief.report.brief.figures.kit import money_axis, scenario_colours
from policybrief.report.palette import FRONTIER, css

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from policybrief.model.results import Results

__all__ = ["frontier"]


def frontier(results: Results, ax: Axes) -> None:
    """Exports against fiscal cost (present value); scenarios as points."""
    fr = results.frontier
    unit = results.inputs.settings.currency_label
    if fr is None or not fr.points:
        ax.text(0.5, 0.5, "No frontier", ha="center", transform=ax.transAxes)
        return
    ax.plot([p.pv_cost for p in fr.points], [p.exports for p in fr.points], color=css(FRONTIER),
            linewidth=2, label="Best package for each budget")  # fmt: skip
    colours = scenario_colours(results)
    for sc in results.scenarios:
        ax.scatter([sc.pv_cost], [float(sc.central["exports"][-1])], color=colours[sc.name],
                   marker="D", zorder=5, s=30, label=sc.name)  # fmt: skip
    money_axis(ax, unit)
    money_axis(ax, unit, axis="x")
    ax.set_xlabel("Fiscal cost, present value")
    ax.legend(loc="lower right", frameon=False)
