"""The space of lever packages and the search over it (cheapest package, frontier).

A package sets the intensity of every lever that has a max intensity, continuous in
``[0, max]``; every other lever stays at the headline scenario's intensity (MODEL.md v2,
"cheapest package"). Within that space only *helpful* levers (central effect > 0, which raises
exports in every channel) move; a lever whose central effect is negative or nil sits at 0
(more of it cannot raise exports). A lever that costs nothing starts at its max, so that a
tie in cost goes to the higher exports.

Two evaluations of a batch of packages (rows of ``X``, one column per lever):

- ``central_paths``: central path (no shocks), giving the present value of fiscal cost over
  years 1..H, cost per unit and cost share × central exports, and central exports by year;
- ``draw_exports``: each draw's exports in a given year, for the chance constraint.

The search (``climb`` and ``ratio_path`` here, ``exchange.polish``) is generic over two
callables. A *metric* evaluator returns ``(metric, cost)`` per row, metric being what a helpful lever raises (the
chance's order statistic, or central exports); an *objective* returns ``(f, g)`` per row for
"minimise f subject to g ≥ v". Both take the rows and, per row, the index of the problem
(target or budget) it belongs to, so several problems share each batch of projections: the
recursion's cost is per year and term, not per row, up to a few dozen rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from policybrief.model.levers import discount_factors, intensity_matrix, schedule
from policybrief.model.projection import years
from policybrief.model.sampling import central_theta

if TYPE_CHECKING:
    from collections.abc import Callable

    from policybrief.domain import Inputs, Lever
    from policybrief.model.arrays import FloatArray, IntArray
    from policybrief.model.sampling import Theta

    #: ``evaluate(X, owner) -> (metric, cost)`` or ``-> (f, g)``, one value per row of ``X``.
    Evaluate = Callable[[FloatArray, IntArray], tuple[FloatArray, FloatArray]]

#: Rows projected at once over the search draws (keeps a year's ``(rows, draws)`` slices in
#: cache; measured at 4,096 draws: ~0.3 ms a row up to 64 rows, ~0.9 ms a row at 256).
CASE_CHUNK = 32
#: Draws projected at once when re-checking on many draws.
DRAW_CHUNK = 8192
#: Greedy steps: a fifth of each lever's range, then the polish refines.
CLIMB_STEPS = 5
#: Interior points per landing round (two rounds: the step is resolved to 1/64).
LAND_POINTS = 7


@dataclass(frozen=True)
class PackageSpace:
    """The packages a search may choose, and how to cost and project them.

    ``lower``/``upper`` bound each lever (equal for a lever that does not move: no max
    intensity, or not helpful); ``start`` is the least package (moving levers at 0, those that
    cost nothing at their max). ``reference`` is the baseline scenario's intensities (levers
    in force in the base year); ``discount`` the factors of years 1..H.
    """

    levers: tuple[Lever, ...]
    lower: FloatArray
    upper: FloatArray
    start: FloatArray
    reference: FloatArray
    base_year: int
    horizon: int
    discount: FloatArray
    central: Theta

    @property
    def variable(self) -> IntArray:
        """Positions of the levers the search moves."""
        found: IntArray = np.flatnonzero(self.upper > self.lower)
        return found

    @property
    def ids(self) -> tuple[str, ...]:
        """Lever ids, in workbook order."""
        return tuple(lv.id for lv in self.levers)


def package_space(inputs: Inputs) -> PackageSpace:
    """The package space of ``inputs`` (see the module docstring)."""
    settings = inputs.settings
    names = [s.name for s in inputs.scenarios]
    x = intensity_matrix(inputs)
    headline = x[names.index(settings.headline_scenario)]
    lower, upper, start = headline.copy(), headline.copy(), headline.copy()
    for j, lever in enumerate(inputs.levers):
        if lever.max_intensity is None:
            continue
        helpful = lever.effect_central > 0
        lower[j] = 0.0
        upper[j] = lever.max_intensity if helpful else 0.0
        start[j] = upper[j] if lever.costs_nothing else 0.0
    horizon = settings.horizon
    return PackageSpace(
        levers=inputs.levers,
        lower=lower,
        upper=upper,
        start=start,
        reference=x[names.index(settings.baseline_scenario)],
        base_year=settings.base_year,
        horizon=horizon,
        discount=discount_factors(settings.discount_rate, horizon)[1:],
        central=central_theta(inputs),
    )


def central_paths(space: PackageSpace, x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Present value of central fiscal cost ``(rows,)`` and central exports ``(H + 1, rows)``."""
    k = x.shape[0]
    sched = schedule(space.levers, x, space.base_year, space.horizon, reference=space.reference)
    exports = np.empty((space.horizon + 1, k))
    cost = np.zeros(k)
    for t, year in enumerate(years(space.central, sched)):
        exports[t] = np.broadcast_to(year.exports, (k, 1))[:, 0]
        if t:
            cost += space.discount[t - 1] * np.broadcast_to(year.fiscal_cost, (k, 1))[:, 0]
    return cost, exports


def draw_exports(
    space: PackageSpace, draws: Theta, x: FloatArray, year_index: IntArray
) -> FloatArray:
    """Each draw's exports, ``(rows, draws)``: row ``i`` in year ``year_index[i]`` (≥ 1).

    Rows are projected by target year (no row is carried past its own year), in chunks of
    ``CASE_CHUNK`` rows and ``DRAW_CHUNK`` draws.
    """
    k, n = x.shape[0], draws.size
    out = np.empty((k, n))
    for year in np.unique(year_index):
        same = np.flatnonzero(year_index == year)
        for first in range(0, same.size, CASE_CHUNK):
            rows = same[first : first + CASE_CHUNK]
            sched = schedule(
                space.levers, x[rows], space.base_year, int(year), reference=space.reference
            )
            for start in range(0, n, DRAW_CHUNK):
                chunk = draws.rows(start, start + DRAW_CHUNK)
                *_, last = years(chunk, sched)
                out[rows, start : start + chunk.size] = np.broadcast_to(
                    last.exports, (rows.size, chunk.size)
                )
    return out


def order_statistic(values: FloatArray, m: int) -> FloatArray:
    """The ``m``-th largest value of each row (the largest float when ``m`` is 0).

    ``P(E ≥ v) ≥ m / n`` over a row's ``n`` draws exactly when this is ``≥ v``: a continuous
    stand-in for the chance, which moves in steps of ``1/n``. (Finite when ``m`` is 0, so that
    differences between packages stay 0 rather than nan.)
    """
    n = values.shape[1]
    if m <= 0:
        return np.full(values.shape[0], np.finfo(np.float64).max)
    part: FloatArray = np.partition(values, n - m, axis=1)[:, n - m]
    return part


def _up_moves(
    space: PackageSpace, x: FloatArray, step: FloatArray
) -> tuple[FloatArray, IntArray, IntArray]:
    """Every single-lever step up from each row of ``x``: (rows, owner row, lever moved)."""
    var = space.variable
    owners, levers = np.nonzero(x[:, var] < space.upper[var])
    moved = x[owners].copy()
    j = var[levers]
    moved[np.arange(j.size), j] = np.minimum(moved[np.arange(j.size), j] + step[j], space.upper[j])
    return moved, owners.astype(np.intp), j.astype(np.intp)


def _best_ratio(gain: FloatArray, spend: FloatArray) -> int:
    """Index of the step with the most metric per unit of cost (free gains first).

    Without any gain, the cheapest step (the search still moves towards the top corner,
    where the caller has checked the goal is reached).
    """
    tiny = 1e-12 * max(1.0, float(np.abs(spend).max(initial=0.0)))
    free = (spend <= tiny) & (gain > 0)
    if free.any():
        return int(np.argmax(np.where(free, gain, -np.inf)))
    if (gain > 0).any():
        return int(np.argmax(np.where(gain > 0, gain / np.maximum(spend, tiny), -np.inf)))
    return int(np.argmin(spend))


def climb(
    space: PackageSpace, evaluate: Evaluate, goal: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Greedy ascent from ``start`` until each problem's metric reaches its goal.

    Each step raises, for every unfinished problem, the one lever whose step of a
    ``CLIMB_STEPS``-th of its range adds the most metric per unit of cost. The steps that first
    reach the goal are landed (the moved lever bisected down to where the goal is just met)
    and the cheapest landed step is kept. The caller checks that ``upper`` meets every goal.

    Returns
    -------
    tuple
        Packages ``(problems, levers)`` and their costs.
    """
    p = goal.size
    step = (space.upper - space.lower) / CLIMB_STEPS
    x = np.repeat(space.start[None, :], p, axis=0)
    metric, cost = evaluate(x, np.arange(p))
    done = metric >= goal
    while not done.all():
        todo = np.flatnonzero(~done)
        moved, row, _ = _up_moves(space, x[todo], step)
        owner = todo[row]
        m, c = evaluate(moved, owner) if moved.size else (np.empty(0), np.empty(0))
        met = np.flatnonzero(m >= goal[owner])
        if met.size:
            landed, landed_cost = land(
                evaluate, x[owner[met]], moved[met], c[met], owner[met], goal
            )
            for i in np.unique(owner[met]):
                pick = np.flatnonzero(owner[met] == i)
                best = pick[np.argmin(landed_cost[pick])]
                x[i], cost[i], done[i] = landed[best], landed_cost[best], True
        for i in todo[~done[todo]]:
            mine = np.flatnonzero(owner == i)
            if not mine.size:  # at the top: nothing left to raise
                done[i] = True
                continue
            best = mine[_best_ratio(m[mine] - metric[i], c[mine] - cost[i])]
            x[i], metric[i], cost[i] = moved[best], m[best], c[best]
    return x, cost


def land(
    evaluate: Evaluate,
    below: FloatArray,
    above: FloatArray,
    above_cost: FloatArray,
    owner: IntArray,
    goal: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Bisect between ``below`` (goal missed) and ``above`` (met) for the least package meeting it.

    Rows of ``below`` and ``above`` differ in one lever. Two rounds of ``LAND_POINTS``
    interior points each (the step resolved to 1/64); returns packages that meet the goal and
    their costs.
    """
    lo, hi, cost = below.copy(), above.copy(), above_cost.copy()
    r, n_levers = lo.shape
    fractions = np.arange(1, LAND_POINTS + 1) / (LAND_POINTS + 1)
    for _ in range(2):
        trial = lo[:, None, :] + fractions[None, :, None] * (hi - lo)[:, None, :]
        m, c = evaluate(trial.reshape(-1, n_levers), np.repeat(owner, LAND_POINTS))
        ok = (m >= np.repeat(goal[owner], LAND_POINTS)).reshape(r, LAND_POINTS)
        c = c.reshape(r, LAND_POINTS)
        first = np.where(ok.any(axis=1), ok.argmax(axis=1), LAND_POINTS)
        for i, j in enumerate(first):
            if j < LAND_POINTS:
                hi[i], cost[i] = trial[i, j], c[i, j]
            if j > 0:
                lo[i] = trial[i, j - 1]
    return hi, cost


def ratio_path(
    space: PackageSpace, evaluate: Evaluate
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The greedy path from ``start`` to ``upper`` (one problem): packages, metrics, costs.

    Each step raises the lever whose step of a tenth of its range adds the most metric per
    unit of cost, as in ``climb``; every budget then starts from the best point it affords.
    """
    step = (space.upper - space.lower) / (2 * CLIMB_STEPS)
    x = space.start[None, :].copy()
    one = np.zeros(1, dtype=np.intp)
    metric, cost = evaluate(x, one)
    path, metrics, costs = [x[0]], [metric[0]], [cost[0]]
    while True:
        moved, _, _ = _up_moves(space, x, step)
        if not moved.size:
            break
        m, c = evaluate(moved, np.zeros(moved.shape[0], dtype=np.intp))
        best = _best_ratio(m - metric[0], c - cost[0])
        x, metric, cost = moved[best : best + 1], m[best : best + 1], c[best : best + 1]
        path.append(x[0])
        metrics.append(metric[0])
        costs.append(cost[0])
    return np.array(path), np.array(metrics), np.array(costs)
