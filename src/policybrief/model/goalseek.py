"""Goal seek ("what it would take"): the smallest scale of a package that meets each target.

Scaling rule: the package's intensities become ``min(k · x, max_intensity)``. Bisection assumes
the probability of meeting a target rises with ``k``. That holds in every draw when every
scaled lever helps exports in every draw (effect Low >= 0 and intensity >= 0: more of it raises
productivity growth, absorption, inflow or realization, or lowers emigration). A lever that can
hurt (effect Low < 0, or a negative intensity) would break that, so such levers are **not
scaled**: they stay at the package's intensity for every ``k``, and their cost is still
counted in ``annual_cost``. All targets are searched together: each bisection step projects
one case per target, over the same draws (the run's kept draws).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from policybrief.model.levers import capped, schedule
from policybrief.model.projection import years
from policybrief.model.results import GoalSeekResult

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from policybrief.domain import Lever, Target
    from policybrief.model.arrays import FloatArray
    from policybrief.model.sampling import Theta

#: Bisection stops when the bracket on ``k`` is at most this wide.
TOLERANCE = 1e-3
#: The goal seek uses the run's first this-many draws (all when there are fewer): each of its
#: ~16 bisection steps re-projects them, and 25,000 draws resolve a probability to about ±0.3
#: percentage points (one standard error at 50 %).
GOAL_SEEK_DRAWS = 25_000
#: Draws projected at once (keeps each year's slices in cache: measured, 25,000 at once took
#: ~1.7× as long as 8,192). The whole goal seek costs ~0.12-0.2 s at the benchmark's size
#: (2 targets, 10 years), about a tenth of the 10^6-draw run.
_CHUNK = 8192


def scaled_intensities(levers: Sequence[Lever], package: FloatArray, k: FloatArray) -> FloatArray:
    """Intensities ``(len(k), levers)`` of the package at scales ``k`` (see the module rule)."""
    package = np.asarray(package, dtype=np.float64)
    helpful = np.array([lv.effect_low >= 0 for lv in levers], dtype=bool) & (package >= 0)
    scaled = capped(levers, np.asarray(k, dtype=np.float64)[:, None] * package[None, :])
    return np.where(helpful, scaled, package)


def saturation_scale(levers: Sequence[Lever], package: FloatArray) -> float | None:
    """The scale beyond which nothing changes: every scaled lever is at its max intensity.

    None when some scaled lever has no max intensity (it keeps growing with the scale); 0 when
    the package scales nothing.
    """
    package = np.asarray(package, dtype=np.float64)
    scales = []
    for lever, x in zip(levers, package, strict=True):
        if lever.effect_low < 0 or x <= 0:
            continue  # not scaled
        if lever.max_intensity is None:
            return None
        with np.errstate(over="ignore"):
            scales.append(float(lever.max_intensity / x))
    scale = max(scales, default=0.0)
    return scale if math.isfinite(scale) else None


def target_probability(
    levers: Sequence[Lever],
    package: FloatArray,
    draws: Theta,
    targets: Sequence[Target],
    k: FloatArray,
    base_year: int,
    reference: FloatArray | None = None,
) -> FloatArray:
    """``P(E_year ≥ value)`` over ``draws`` for ``targets[i]`` at scale ``k[i]`` (equal lengths).

    ``reference`` is the baseline's intensities (levers in force in the base year).
    """
    horizon = max(t.year for t in targets) - base_year
    x = scaled_intensities(levers, package, k)
    sched = schedule(levers, x, base_year, horizon, reference=reference)
    hits = np.zeros(len(targets))
    for start in range(0, draws.size, _CHUNK):
        chunk = draws.rows(start, start + _CHUNK)
        for index, year in enumerate(years(chunk, sched)):  # only exports are read
            exports = np.broadcast_to(year.exports, (sched.cases, chunk.size))
            for i, t in enumerate(targets):
                if t.year - base_year == index:
                    hits[i] += np.count_nonzero(exports[i] >= t.value)
    return hits / draws.size


def goal_seek(
    scenario: str,
    levers: Sequence[Lever],
    package: FloatArray,
    draws: Theta,
    targets: Sequence[Target],
    *,
    base_year: int,
    probability: float,
    max_scale: float,
    tolerance: float = TOLERANCE,
    reference: FloatArray | None = None,
    central: Theta | None = None,
) -> tuple[GoalSeekResult, ...]:
    """Smallest ``k`` in ``[0, max_scale]`` with ``P(E_year ≥ value) ≥ probability``, per target.

    Parameters
    ----------
    scenario
        Name of the package's scenario (for the results).
    levers, package
        The levers and the package's intensities.
    draws
        The Monte Carlo draws to evaluate the probability over.
    targets
        Targets; years after the base year.
    base_year
        The model's base year.
    probability
        Required probability (Settings ``target_probability``).
    max_scale
        Largest scale tried (Settings ``goal_seek_max_scale``).
    tolerance
        Width of the final bisection bracket on ``k``.
    reference
        The baseline scenario's intensities (levers in force in the base year).
    central
        One central row of quantities, for the fiscal cost at the found scale (a cost share
        scales with exports); without it only the cost per unit is counted.

    Returns
    -------
    tuple of GoalSeekResult
        One per target. Out of reach when ``k = max_scale`` does not meet it (``probability``
        is then the one at ``max_scale``); scale 0 when ``k = 0`` already meets it; otherwise
        the upper end of a bracket no wider than ``tolerance`` whose lower end does not.
    """
    if not targets:
        return ()

    def prob(k: FloatArray, cases: Sequence[Target] = targets) -> FloatArray:
        return target_probability(levers, package, draws, cases, k, base_year, reference)

    n = len(targets)
    ends = prob(np.concatenate([np.zeros(n), np.full(n, max_scale)]), [*targets, *targets])
    hi, p_hi = _bisect(prob, ends, probability, max_scale, tolerance)
    saturation = saturation_scale(levers, package)
    results = []
    for i, t in enumerate(targets):
        reachable = bool(ends[n + i] >= probability)
        scale: float | None = None
        cost: float | None = None
        reached = float(ends[n + i])
        if reachable:
            scale = 0.0 if ends[i] >= probability else float(hi[i])
            reached = float(ends[i]) if scale == 0.0 else float(p_hi[i])
            year_index = t.year - base_year
            cost = _annual_cost(levers, package, scale, year_index, base_year, reference, central)
        results.append(
            GoalSeekResult(
                scenario=scenario,
                target=t.label,
                year=t.year,
                value=t.value,
                reachable=reachable,
                scale=scale,
                annual_cost=cost,
                probability=reached,
                saturation_scale=saturation,
            )
        )
    return tuple(results)


def _bisect(
    prob: Callable[[FloatArray], FloatArray],
    ends: FloatArray,
    probability: float,
    max_scale: float,
    tolerance: float,
) -> tuple[FloatArray, FloatArray]:
    """Bisect every target's scale at once; the brackets' upper ends and their probabilities.

    ``ends`` holds each target's probability at scale 0, then each one's at ``max_scale``;
    a target met at 0 or out of reach at ``max_scale`` is not searched.
    """
    n = ends.size // 2
    p_lo, p_hi = ends[:n], ends[n:]
    lo, hi = np.zeros(n), np.full(n, float(max_scale))
    searching = (p_hi >= probability) & (p_lo < probability)
    steps = math.ceil(math.log2(max(max_scale, tolerance) / tolerance)) if max_scale > 0 else 0
    for _ in range(steps):
        if not searching.any():
            break
        mid = np.where(searching, (lo + hi) / 2, hi)
        p_mid = prob(mid)
        met = searching & (p_mid >= probability)
        missed = searching & ~met
        hi = np.where(met, mid, hi)
        p_hi = np.where(met, p_mid, p_hi)
        lo = np.where(missed, mid, lo)
        searching &= (hi - lo) > tolerance
    return hi, p_hi


def _annual_cost(
    levers: Sequence[Lever],
    package: FloatArray,
    k: float,
    year_index: int,
    base_year: int,
    reference: FloatArray | None,
    central: Theta | None,
) -> float:
    """Central fiscal cost in the target's year of the package at scale ``k``."""
    x = scaled_intensities(levers, package, np.array([k]))
    if central is None:
        return float(sum(lv.cost_per_unit * xi for lv, xi in zip(levers, x[0], strict=True)))
    sched = schedule(levers, x, base_year, year_index, reference=reference)
    *_, last = years(central.rows(0, 1).without_shocks(), sched)
    return float(np.broadcast_to(last.fiscal_cost, (1, 1))[0, 0])
