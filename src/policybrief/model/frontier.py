"""Decision analyses (MODEL.md v2): the cost–exports frontier and dominated scenarios.

**Frontier.** The most central final-year exports (no shocks) for each budget from 0 to the
most expensive scenario's PV cost: the greedy path of ``packages.ratio_path`` on central
exports gives each budget a start (the best path point or scenario it affords), then the same
pattern search maximises exports within the budget. Exports are made non-decreasing in the
budget (a package affordable at one budget is affordable at a larger one). Each scenario is
placed against it: the most exports within its cost, and the cheapest package reaching its
exports.

**Dominance.** A scenario is dominated when another has a PV cost no higher and central
final-year exports no lower, one of them strictly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from policybrief.model.cheapest import least_cost, pairs
from policybrief.model.exchange import polish
from policybrief.model.levers import intensity_matrix
from policybrief.model.packages import (
    central_paths,
    package_space,
    ratio_path,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policybrief.domain import Inputs
    from policybrief.model.arrays import BoolArray, FloatArray, IntArray
    from policybrief.model.packages import Evaluate, PackageSpace

#: Budgets on the frontier (MODEL.md asks for at least 8), evenly spaced from 0.
FRONTIER_POINTS = 11


@dataclass(frozen=True)
class FrontierPoint:
    """The package with the most central final-year exports within a PV budget.

    ``within_budget`` is False only when even the least package costs more than ``budget``
    (levers without a max intensity carry a cost); that package is then given.
    """

    budget: float
    pv_cost: float
    exports: float
    intensities: tuple[tuple[str, float], ...]
    within_budget: bool = True


@dataclass(frozen=True)
class ScenarioPoint:
    """A scenario's PV cost (years 1..H) and central final-year exports."""

    scenario: str
    pv_cost: float
    exports: float


@dataclass(frozen=True)
class FrontierScenario:
    """A scenario placed against the frontier.

    ``best_exports``: the most central final-year exports a package reaches within the
    scenario's PV cost; ``least_cost`` and ``package``: the cheapest package reaching the
    scenario's exports (None and empty when no package in the space reaches them).
    """

    scenario: str
    pv_cost: float
    exports: float
    best_exports: float
    least_cost: float | None
    package: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Frontier:
    """The cost–exports frontier (ascending budgets) and every scenario against it."""

    points: tuple[FrontierPoint, ...]
    scenarios: tuple[FrontierScenario, ...]


@dataclass(frozen=True)
class DominanceRow:
    """Whether a scenario is dominated; ``dominated_by`` names the cheapest dominating one."""

    scenario: str
    pv_cost: float
    exports: float
    dominated: bool
    dominated_by: str | None
    dominators: tuple[str, ...] = ()


def _central_metric(space: PackageSpace, year: int) -> Evaluate:
    """``(central exports in year index `year`, PV cost)`` per package."""

    def evaluate(x: FloatArray, _owner: IntArray) -> tuple[FloatArray, FloatArray]:
        cost, exports = central_paths(space, x)
        return exports[year], cost

    return evaluate


def scenario_points(inputs: Inputs) -> tuple[ScenarioPoint, ...]:
    """Every scenario's PV cost and central final-year exports (as the engine computes them)."""
    space = package_space(inputs)
    cost, exports = central_paths(space, intensity_matrix(inputs))
    return tuple(
        ScenarioPoint(s.name, float(cost[k]), float(exports[-1, k]))
        for k, s in enumerate(inputs.scenarios)
    )


def frontier(inputs: Inputs, *, points: int = FRONTIER_POINTS) -> Frontier:
    """The most central final-year exports for each budget, and every scenario against it.

    Parameters
    ----------
    inputs
        Validated inputs.
    points
        Budgets, evenly spaced from 0 to the most expensive scenario's PV cost (at least 8).

    Returns
    -------
    Frontier
    """
    if points < 8:
        raise ValueError("the frontier needs at least 8 budgets")
    space = package_space(inputs)
    metric = _central_metric(space, space.horizon)
    placed = scenario_points(inputs)
    top_cost = max((s.pv_cost for s in placed), default=0.0)
    budgets = np.concatenate([np.linspace(0.0, top_cost, points), [s.pv_cost for s in placed]])
    x, exports, cost, within = _best_within(space, metric, budgets, intensity_matrix(inputs))
    for j in range(1, points):  # a package affordable at one budget is at a larger one
        if exports[j] < exports[j - 1]:
            x[j], exports[j], cost[j] = x[j - 1], exports[j - 1], cost[j - 1]
    goal = np.array([s.exports for s in placed])
    matched, matched_cost, reachable = least_cost(space, metric, goal)
    return Frontier(
        points=tuple(
            FrontierPoint(
                float(budgets[j]),
                float(cost[j]),
                float(exports[j]),
                pairs(space, x[j]),
                bool(within[j]),
            )
            for j in range(points)
        ),
        scenarios=tuple(
            FrontierScenario(
                s.scenario,
                s.pv_cost,
                s.exports,
                float(exports[points + k]),
                float(matched_cost[k]) if reachable[k] else None,
                pairs(space, matched[k]) if reachable[k] else (),
            )
            for k, s in enumerate(placed)
        ),
    )


def _best_within(
    space: PackageSpace, metric: Evaluate, budgets: FloatArray, scenarios: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray]:
    """Most ``metric`` with PV cost ≤ each budget: packages, metric, cost, within budget.

    Starts from the best greedy-path point or scenario (those inside the space) each budget
    affords, then ``polish`` maximises the metric within the budget.
    """
    path, path_metric, path_cost = ratio_path(space, metric)
    inside = scenarios[np.all((scenarios >= space.lower) & (scenarios <= space.upper), axis=1)]
    starts, start_metric, start_cost = path, path_metric, path_cost
    if inside.size:
        s_metric, s_cost = metric(inside, np.zeros(inside.shape[0], dtype=np.intp))
        starts = np.concatenate([path, inside])
        start_metric = np.concatenate([path_metric, s_metric])
        start_cost = np.concatenate([path_cost, s_cost])
    affords = start_cost[None, :] <= budgets[:, None]
    within: BoolArray = np.any(affords, axis=1)
    best = np.argmax(np.where(affords, start_metric[None, :], -np.inf), axis=1)
    x = starts[best].copy()
    exports, cost = start_metric[best].copy(), start_cost[best].copy()
    ok = np.flatnonzero(within)
    if ok.size:

        def objective(xs: FloatArray, owner: IntArray) -> tuple[FloatArray, FloatArray]:
            value, spend = metric(xs, owner)
            return -value, -spend

        scale = np.full(ok.size, max(float(path_metric.max()), 1.0))
        sub, f = polish(space, objective, x[ok], -budgets[ok], scale)
        x[ok], exports[ok] = sub, -f
        cost[ok] = central_paths(space, sub)[0]
    return x, exports, cost, within


def dominance(points: Sequence[ScenarioPoint]) -> tuple[DominanceRow, ...]:
    """Mark each scenario another one beats on cost or exports without losing on the other.

    Values equal to within a relative 1e-9 count as equal. ``dominated_by`` is the cheapest
    dominating scenario (ties: more exports, then workbook order); ``dominators`` lists them
    all in that order.
    """

    def le(a: float, b: float) -> bool:
        return a <= b + 1e-9 * max(abs(a), abs(b), 1.0)

    rows = []
    for s in points:
        beaten = [
            o
            for o in points
            if o is not s
            and le(o.pv_cost, s.pv_cost)
            and le(s.exports, o.exports)
            and not (le(s.pv_cost, o.pv_cost) and le(o.exports, s.exports))
        ]
        beaten.sort(key=lambda o: (o.pv_cost, -o.exports))
        names = tuple(o.scenario for o in beaten)
        rows.append(
            DominanceRow(
                s.scenario, s.pv_cost, s.exports, bool(names), names[0] if names else None, names
            )
        )
    return tuple(rows)
