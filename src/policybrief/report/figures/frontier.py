"""The brief's cost–exports frontier: the best package for each budget as a line, every
scenario as a labelled point."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policybrief.report.figures.kit import money_axis, scenario_colours, wrap
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
    right = max([p.pv_cost for p in fr.points] + [sc.pv_cost for sc in results.scenarios])
    colours = scenario_colours(results)
    for sc in results.scenarios:
        x, y = sc.pv_cost, float(sc.central["exports"][-1])
        ax.scatter([x], [y], color=colours[sc.name], zorder=5, s=30)
        late = x > 0.6 * right  # labels of points on the right run leftwards, inside the axes
        ax.annotate(wrap(sc.name, 18), (x, y), textcoords="offset points",
                    xytext=(-5 if late else 5, -12), ha="right" if late else "left",
                    fontsize=7)  # fmt: skip
    money_axis(ax, unit)
    money_axis(ax, unit, axis="x")
    ax.set_xlabel("Fiscal cost, present value")
    ax.legend(loc="lower right", frameon=False)
