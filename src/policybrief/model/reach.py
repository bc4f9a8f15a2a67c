"""Whether and when each scenario reaches each target (MODEL.md v2).

- **Chance** with its Monte Carlo standard error ``sqrt(p(1 − p)/n)``; a count of 0 (or n) of
  n draws is kept as a count so the report never prints a bare 0% or 100%.
- **Year reached**: per draw, the first projection year whose exports reach the target value;
  P10/P50/P90 of that year come from the exact per-year counts of every draw (the inverted
  CDF: the first year by which at least q% of draws have reached the value; None when fewer
  than q% ever do within the horizon), and the central path's own first year.
- **Feasibility corner**: the target year's exports with every uncertain input at whichever of
  its bounds raises them (judged one at a time at the target year, for that scenario) and no
  shocks. When the corner misses, the target is out of reach within the workbook's ranges,
  whatever share of draws exceptional years may carry past it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from policybrief.model.projection import project
from policybrief.model.results import TargetOutcome
from policybrief.model.sampling import Theta

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    from policybrief.domain import Target
    from policybrief.model.arrays import FloatArray
    from policybrief.model.levers import Schedule
    from policybrief.model.sampling import Quantity
    from policybrief.model.simulation import DrawSummary

    IntArray = NDArray[np.int64]

#: The year-reached percentiles reported.
YEAR_PERCENTILES = (10, 50, 90)


def _with_bounds(central: Theta, quantities: Sequence[Quantity], values: FloatArray) -> Theta:
    """One draw per row of ``values`` (``(rows, quantities)``), the rest at Central."""
    n = values.shape[0]
    params = np.repeat(central.params[:, :1], n, axis=1)
    effects = np.repeat(central.effects[:, :1], n, axis=1)
    for j, q in enumerate(quantities):
        (params if q.kind == "baseline" else effects)[q.column] = values[:, j]
    return Theta(params, effects)


def corner_exports(
    central: Theta, quantities: Sequence[Quantity], sched: Schedule, year_index: Sequence[int]
) -> FloatArray:
    """Exports at the most favourable corner, ``(cases, targets)``.

    Parameters
    ----------
    central
        One row with every quantity at Central (no shocks).
    quantities
        The uncertain quantities.
    sched
        The cases (scenarios).
    year_index
        Each target's year, counted from the base year.

    Returns
    -------
    numpy.ndarray
        For case ``k`` and target ``i``: exports in the target's year with each quantity at
        the bound that, moved alone, gives case ``k`` the higher exports that year.
    """
    k, n_t = sched.cases, len(year_index)
    if not quantities:
        path = project(central.rows(0, 1), sched)["exports"][:, :, 0]  # (years, cases)
        return np.array([[path[t, c] for t in year_index] for c in range(k)])
    lows = np.array([q.low for q in quantities])
    highs = np.array([q.high for q in quantities])
    base = np.array([q.central for q in quantities])
    trial = np.repeat(base[None, :], 2 * len(quantities), axis=0)
    idx = np.arange(len(quantities))
    trial[2 * idx, idx], trial[2 * idx + 1, idx] = lows, highs
    one_at_a_time = project(_with_bounds(central, quantities, trial), sched)["exports"]
    corners = np.empty((k * n_t, len(quantities)))
    for c in range(k):
        for i, t in enumerate(year_index):
            at = one_at_a_time[t, c]  # (2Q,)
            corners[c * n_t + i] = np.where(at[1::2] >= at[0::2], highs, lows)
    paths = project(_with_bounds(central, quantities, corners), sched)["exports"]
    out = np.empty((k, n_t))
    for c in range(k):
        for i, t in enumerate(year_index):
            out[c, i] = paths[t, c, c * n_t + i]
    return out


def year_quantile(counts: IntArray, draws: int, q: float, base_year: int) -> int | None:
    """First fiscal year by which at least ``q``% of draws reached the value, or None.

    ``counts[t]`` is the number of draws first reaching it in projection year ``t``
    (index 0 unused, the last index: never).
    """
    reached = np.cumsum(counts[1:-1])
    need = math.ceil(q / 100 * draws - 1e-9)
    hits = np.flatnonzero(reached >= max(need, 1))
    return base_year + 1 + int(hits[0]) if hits.size else None


def first_year(path: FloatArray, value: float, base_year: int) -> int | None:
    """First projection year of ``path`` (base year first) at or above ``value``, or None."""
    hits = np.flatnonzero(np.asarray(path)[1:] >= value)
    return base_year + 1 + int(hits[0]) if hits.size else None


def outcomes(
    targets: Sequence[Target],
    summary: DrawSummary,
    *,
    case: int,
    central_exports: FloatArray,
    corner: FloatArray,
    base_year: int,
) -> dict[str, TargetOutcome]:
    """Every target's ``TargetOutcome`` for scenario ``case``, from the run's counts."""
    draws, first_years = summary.draws, summary.first_year
    found = {}
    for i, t in enumerate(targets):
        hits = int(summary.meeting[i, case])
        p = hits / draws
        years = [year_quantile(first_years[i, case], draws, q, base_year) for q in YEAR_PERCENTILES]
        found[t.label] = TargetOutcome(
            target=t.label,
            probability=p,
            draws_meeting=hits,
            draws=draws,
            std_error=math.sqrt(p * (1 - p) / draws),
            year_p10=years[0],
            year_p50=years[1],
            year_p90=years[2],
            year_central=first_year(central_exports, t.value, base_year),
            feasible=bool(corner[case, i] >= t.value),
            corner_exports=float(corner[case, i]),
        )
    return found
