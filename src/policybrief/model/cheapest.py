"""Decision analysis (MODEL.md v2): the cheapest package that gives each target its chance.

**Cheapest package.** Per target, the package (see ``packages.PackageSpace``) of least present
value of central fiscal cost, years 1..H, with ``P(E_year ≥ value) ≥ target_probability`` over
the first ``min(draws, SEARCH_DRAWS)`` Monte Carlo draws (common random numbers, shocks on),
then re-checked on every draw given.

Method, and why. With ``m = ⌈p·n⌉`` the chance constraint is exactly "the ``m``-th largest
draw of target-year exports is ≥ the value" (``packages.order_statistic``). That order
statistic moves continuously with the intensities where the chance moves in steps of ``1/n``,
so it gives the search a slope to follow everywhere; and it rises with every lever whose
effect cannot be negative, as the cost does, so the optimum lies on the constraint.

1. Feasibility first: with every moving lever at its most helpful bound (helpful levers at
   their max, the others at 0) a target that is still missed is *infeasible* and reported so,
   with the chance at that corner; nothing is searched.
2. ``packages.climb``: a greedy ascent from the least package, raising at each step the lever
   whose fifth-of-range step buys the most of the order statistic per unit of PV cost, until
   the target is met; that last step is then landed by bisection. Greedy ascent is optimal
   for separable diminishing returns (saturation) and linear costs, and close otherwise.
3. ``exchange.polish``: a pattern search *on* the constraint for what greedy misses
   (compounding growth, which has increasing returns; interactions between channels — exports
   are a product ``W · P · Rz`` — caps on absorption, realization and emigration, cost shares
   that grow with the exports the other levers bring, levers whose effect can be negative):
   exchanges of one lever down a step for another up by the amount that a local linear model
   says restores the constraint, step sizes from a quarter to 1/160 of each range. Only
   evaluated, feasible, cheaper packages are accepted, so the answer always meets the
   constraint on the search draws.

Costs are the central path's (no shocks); the cost share of a lever is charged on central
exports, which the other levers raise, so cost is not separable by lever and is computed by
projecting each candidate. A helpful lever that costs nothing starts at its max and leaves it
only if that is strictly cheaper (a cost share charged on the exports it brings), so ties in
cost go to the higher exports; a lever whose central effect is negative or nil stays at 0.

Why not SciPy: ``differential_evolution`` needs thousands of evaluations of a constraint
that is a step function of ``1/n`` (each ~0.3 ms a package over 4,096 draws), and a ``milp``
on a piecewise model would need the chance separable by lever, which it is not; both would
also add SciPy's import to every build. This search needs a few hundred package-evaluations
per target, batched across targets, and is deterministic. Measured (``benchmarks/
bench_cheapest.py``): 0.01 s for the Pakistan example's three targets (all out of reach, so
only the corner is checked), ~0.5 s with every target moved to where a full search is needed.

Against an exhaustive grid of max/20 steps (tests/model/test_cheapest, and a sweep of lever
sets × 8 targets × chances 0.2, 0.5, 0.8 × 2 seeds) it was never more than 0.4% dearer: 336
cases on two to four levers with 1,000 search draws, 240 on two and three levers with 4,096;
usually it is cheaper (the grid rounds every lever up to a step). With very few search draws
(400) the chance's boundary is jagged enough to hold local minima: 2 of 240 cases came out
1.1% dearer. Property-based testing later found cases beyond that sweep: 7.7% dearer than a
random package at 300 search draws, and 1.7% dearer at 1,000 (three levers, one of them free;
``tests/model/test_cheapest.py``). A second start from the top corner fixed the first but
made the search 6 times slower (1.3 s on the benchmark), so it was not kept; a better search
is open work.

A found package meets the chance on the search draws *exactly* (it is the cheapest that
does), so on all draws its chance falls a little short about half the time: ``borderline``
is the expected status then, not a fault; ``failed`` (short by more than two standard errors
of the all-draw estimate) happens by sampling alone a few times in a hundred.

The frontier and dominance are in ``frontier``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from policybrief.model.exchange import polish
from policybrief.model.packages import (
    central_paths,
    climb,
    draw_exports,
    order_statistic,
    package_space,
)

if TYPE_CHECKING:
    from policybrief.domain import Inputs
    from policybrief.model.arrays import BoolArray, FloatArray, IntArray
    from policybrief.model.packages import Evaluate, PackageSpace
    from policybrief.model.sampling import Theta

#: The chance constraint is searched over the first this-many draws (MODEL.md v2).
SEARCH_DRAWS = 4096

Status = Literal["ok", "borderline", "failed", "infeasible"]


@dataclass(frozen=True)
class CheapestPackage:
    """The cheapest package giving one target its required chance.

    ``status``: ``ok`` (the chance, re-checked on all draws, meets the requirement),
    ``borderline`` (it falls short by at most two standard errors), ``failed`` (by more: the
    search draws misled the search) or ``infeasible`` (even every lever at its most helpful
    bound misses it on the search draws; then ``intensities`` is empty, ``pv_cost`` and
    ``exports_central`` are None, and the chances are those of that corner, the best there is).

    ``intensities`` holds every lever, in workbook order; ``pv_cost`` is the present value
    of central fiscal cost over years 1..H; ``probability_search`` is the chance over the
    ``draws_search`` search draws, ``probability`` over all ``draws`` with its standard error
    ``std_error``; ``exports_central`` is the package's central exports in the target year.
    """

    target: str
    year: int
    value: float
    required: float
    status: Status
    intensities: tuple[tuple[str, float], ...]
    pv_cost: float | None
    probability_search: float
    draws_search: int
    probability: float
    std_error: float
    draws: int
    exports_central: float | None

    @property
    def feasible(self) -> bool:
        """False when no package in the space gives the target its chance."""
        return self.status != "infeasible"


def needed_draws(probability: float, n: int) -> int:
    """``m = ⌈p·n⌉``: the draws that must meet a target for a chance of at least ``p``."""
    return max(0, math.ceil(probability * n - 1e-9))


def classify(feasible: bool, hits: int, draws: int, probability: float) -> Status:
    """Status of a package whose chance is ``hits / draws`` on all draws (see ``CheapestPackage``).

    The shortfall is judged against the standard error ``sqrt(p̂(1 − p̂)/n)`` of that chance.
    """
    if not feasible:
        return "infeasible"
    if hits >= needed_draws(probability, draws):
        return "ok"
    chance = hits / draws
    se = math.sqrt(chance * (1.0 - chance) / draws)
    return "borderline" if probability - chance <= 2 * se else "failed"


def pairs(space: PackageSpace, x: FloatArray) -> tuple[tuple[str, float], ...]:
    """``(lever id, intensity)`` for every lever of package ``x``, in workbook order."""
    return tuple((lever_id, float(v)) for lever_id, v in zip(space.ids, x, strict=True))


def _chance_metric(space: PackageSpace, draws: Theta, year_index: IntArray, m: int) -> Evaluate:
    """``(m-th largest target-year exports over draws, PV cost)`` per package and target."""

    def evaluate(x: FloatArray, owner: IntArray) -> tuple[FloatArray, FloatArray]:
        cost, _ = central_paths(space, x)
        return order_statistic(draw_exports(space, draws, x, year_index[owner]), m), cost

    return evaluate


def _minimise_cost(metric: Evaluate, subset: IntArray) -> Evaluate:
    """Objective ``(f, g) = (cost, metric)`` for the problems ``subset`` (renumbered from 0)."""

    def objective(x: FloatArray, owner: IntArray) -> tuple[FloatArray, FloatArray]:
        value, cost = metric(x, subset[owner])
        return cost, value

    return objective


def least_cost(
    space: PackageSpace, metric: Evaluate, goal: FloatArray
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Cheapest packages with ``metric ≥ goal`` per problem: (packages, costs, reachable).

    ``climb`` then ``exchange.polish``; ``metric(x, owner)`` returns ``(metric, PV cost)``.

    Unreachable problems (the top corner misses) keep the top corner and a NaN cost.
    """
    p = goal.size
    top = np.repeat(space.upper[None, :], p, axis=0)
    top_metric, top_cost = metric(top, np.arange(p))
    reachable: BoolArray = top_metric >= goal
    cost = np.full(p, np.nan)
    if reachable.any():
        r = np.flatnonzero(reachable)
        objective = _minimise_cost(metric, r)

        def renumbered(x: FloatArray, owner: IntArray) -> tuple[FloatArray, FloatArray]:
            return metric(x, r[owner])

        x, _ = climb(space, renumbered, goal[r])
        x, cost[r] = polish(space, objective, x, goal[r], np.maximum(top_cost[r], 1.0))
        top[r] = x
    return top, cost, reachable


def cheapest_package(
    inputs: Inputs, draws: Theta, *, search_draws: int = SEARCH_DRAWS
) -> tuple[CheapestPackage, ...]:
    """The cheapest package per target (see the module docstring for the method).

    Parameters
    ----------
    inputs
        Validated inputs (levers, scenarios, targets and Settings ``target_probability``,
        ``discount_rate``, ``headline_scenario``, ``baseline_scenario``).
    draws
        Monte Carlo draws with their shocks (the run's kept draws): the search uses the first
        ``min(draws.size, search_draws)``, the re-check all of them.
    search_draws
        Draws the search runs on.

    Returns
    -------
    tuple of CheapestPackage
        One per target, in the workbook's order.
    """
    targets = inputs.targets
    if not targets:
        return ()
    space = package_space(inputs)
    p = inputs.settings.target_probability
    n = min(draws.size, search_draws)
    year_index = np.array([t.year - space.base_year for t in targets], dtype=np.intp)
    value = np.array([t.value for t in targets], dtype=np.float64)
    metric = _chance_metric(space, draws.rows(0, n), year_index, needed_draws(p, n))
    x, cost, feasible = least_cost(space, metric, value)
    on_search = draw_exports(space, draws.rows(0, n), x, year_index) >= value[:, None]
    on_all = draw_exports(space, draws, x, year_index) >= value[:, None]
    _, exports = central_paths(space, x)
    found = []
    for i, t in enumerate(targets):
        chance = float(on_all[i].mean())
        se = math.sqrt(chance * (1.0 - chance) / draws.size)
        status = classify(bool(feasible[i]), int(on_all[i].sum()), draws.size, p)
        found.append(
            CheapestPackage(
                target=t.label,
                year=t.year,
                value=t.value,
                required=p,
                status=status,
                intensities=pairs(space, x[i]) if feasible[i] else (),
                pv_cost=float(cost[i]) if feasible[i] else None,
                probability_search=float(on_search[i].mean()),
                draws_search=n,
                probability=chance,
                std_error=se,
                draws=draws.size,
                exports_central=float(exports[year_index[i], i]) if feasible[i] else None,
            )
        )
    return tuple(found)
