"""Scenario discovery: PRIM (Friedman & Fisher's patient rule induction method) in numpy.

``prim(x, y)`` finds a box ``{lower ≤ x ≤ upper}`` over the inputs in which the cases of
interest ``y`` are concentrated:

- **Peeling.** Starting from the box holding every draw, each step considers, for each
  dimension and side, removing the slice of the draws in the box that lie beyond the
  ``alpha``-quantile of that dimension (the ``k = max(1, ⌊alpha·m⌋)`` smallest or largest of the
  ``m`` draws in the box, fewer when values tie at the quantile; when every value up to the
  quantile ties, as in a discrete column, the whole tied group). It takes the peel that
  leaves the highest density (share of the draws in the box that are cases); ties go to the
  peel that removes fewer draws, then to the lower dimension, lower side first. A peel is
  allowed only when it removes something and leaves at least ``min_mass`` of all draws;
  peeling stops when no peel is allowed. Every box on the way is recorded (``Trajectory``).
  Bounds are inclusive and sit on data values: a peeled lower bound is the smallest value
  kept. A side never peeled is unbounded (``-inf`` / ``+inf``).
- **Choice** (``choose``, MODEL.md): of the boxes with density ≥ ``min_density``, the one with
  the highest coverage (share of all cases that lie in the box); when there is none, the
  densest box with coverage ≥ ``min_coverage``.
- **Restrictions that do not matter are dropped.** Each finite bound is a restriction (so a
  dimension restricted on both sides may keep only one). Removing a bound brings back the
  draws that only it excludes. A bound matters when those draws meet the target less often
  than the draws in the box by at least ``z`` standard errors (two-proportion z statistic)
  *and* removing it lowers the box's density by at least ``tolerance`` (half a percentage
  point): the fall in density it guards against must be both real and big enough to name.
  The weakest bound that does not matter (lowest z) is removed and the rest are judged
  again, until every bound left matters. Why: peeling picks, out of ``2d`` candidates at each
  step, the slice that looks best, so on inputs that do not matter it buys density from
  noise; a tolerance fixed in density does not scale with the box's draws (on the Pakistan
  example, one percentage point let twelve bounds go in turn and halved a box's density,
  while a cap on the total fall kept bounds worth about one standard error each, one of them
  capping an input that only helps). ``z = 3`` allows for the many candidates peeling
  looked at. Coverage, density and
  mass are then counted afresh for the final box, which may therefore lie off the
  trajectory.

Degenerate inputs: with no case of interest, or only cases, nothing is peeled and the box is
unbounded (coverage 0 and density 0 with no cases; both 1 with only cases). Constant columns
are never peeled. Everything is deterministic (no randomness; ties are broken as above).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from policybrief.model.arrays import BoolArray, FloatArray, IntArray

#: Share of the draws in the box removed by one peel.
ALPHA = 0.05
#: The box sought: density at least this, with the most coverage (MODEL.md)...
MIN_DENSITY = 0.8
#: ...else the densest box covering at least this share of the cases.
MIN_COVERAGE = 0.3
#: Peeling stops before the box would hold less than this share of the draws.
MIN_MASS = 0.05
#: A bound is dropped unless the draws it excludes (and no other bound does) meet the target
#: less often than the draws in the box by at least this many standard errors...
Z_MIN = 3.0
#: ...and removing it would lower the box's density by at least this much.
TOLERANCE = 0.005


@dataclass(frozen=True)
class Trajectory:
    """The peeling trajectory: box ``i`` is the box after ``i`` peels (box 0 holds every draw).

    ``lower`` and ``upper`` are ``(boxes, d)``; the other arrays ``(boxes,)``.
    """

    lower: FloatArray
    upper: FloatArray
    coverage: FloatArray
    density: FloatArray
    mass: FloatArray

    def __len__(self) -> int:
        return int(self.coverage.size)


@dataclass(frozen=True)
class PrimBox:
    """The box PRIM found, after dropping restrictions that do not matter.

    ``lower`` and ``upper`` are ``(d,)``: inclusive bounds, ``-inf`` / ``+inf`` on a side that
    is not restricted. ``coverage`` is the share of all cases of interest inside the box,
    ``density`` the share of the draws inside that are cases, ``mass`` the share of all draws
    inside; ``inside`` and ``cases`` count the draws and the cases inside. ``chosen`` is the
    index of the box chosen on ``trajectory``, before ``dropped`` (the dimensions whose
    restrictions were removed) were dropped. ``density_loss[j]`` is how much the density
    falls when dimension ``j``'s remaining restriction is removed (0 when it has none).
    """

    lower: FloatArray
    upper: FloatArray
    coverage: float
    density: float
    mass: float
    inside: int
    cases: int
    chosen: int
    dropped: tuple[int, ...]
    density_loss: FloatArray
    trajectory: Trajectory

    @property
    def restricted(self) -> BoolArray:
        """``(d,)``: True for each dimension with a finite bound."""
        flags: BoolArray = np.isfinite(self.lower) | np.isfinite(self.upper)
        return flags

    def contains(self, x: ArrayLike) -> BoolArray:
        """Which rows of ``x`` (``(n, d)``) lie inside the box."""
        values = np.asarray(x, dtype=np.float64)
        found: BoolArray = np.all((values >= self.lower) & (values <= self.upper), axis=1)
        return found


def prim(
    x: ArrayLike,
    y: ArrayLike,
    *,
    alpha: float = ALPHA,
    min_density: float = MIN_DENSITY,
    min_coverage: float = MIN_COVERAGE,
    min_mass: float = MIN_MASS,
    z: float = Z_MIN,
    tolerance: float = TOLERANCE,
) -> PrimBox:
    """Peel a box around the cases of interest, choose it and drop what does not matter.

    Parameters
    ----------
    x
        Input values, ``(n, d)``, finite.
    y
        ``(n,)`` booleans: the draw is a case of interest (e.g. it meets the target).
    alpha
        Share of the draws in the box removed by each peel, in ``(0, 0.5]``.
    min_density, min_coverage
        The choice on the trajectory (see ``choose``).
    min_mass
        Smallest share of all draws a peeled box may hold.
    z, tolerance
        A bound is kept only when the draws it alone excludes meet the target less often than
        the draws in the box by at least ``z`` standard errors and removing it lowers the
        density by at least ``tolerance``.

    Returns
    -------
    PrimBox
        Bounds in the units of ``x``, with coverage, density and mass counted for the box.

    Raises
    ------
    ValueError
        When ``x`` is empty, not two-dimensional, not finite, or does not match ``y``, or
        ``alpha`` is outside ``(0, 0.5]``.
    """
    values = np.asarray(x, dtype=np.float64)
    cases = np.asarray(y, dtype=np.bool_)
    if values.ndim != 2 or cases.shape != (values.shape[0],) or values.shape[0] == 0:
        raise ValueError("prim: x must be (n, d) with n ≥ 1 and y (n,)")
    if not np.all(np.isfinite(values)):
        raise ValueError("prim: x must be finite")
    if not 0 < alpha <= 0.5:
        raise ValueError("prim: alpha must be in (0, 0.5]")
    path = peel(values, cases, alpha=alpha, min_mass=min_mass)
    chosen = choose(path.coverage, path.density, min_density=min_density, min_coverage=min_coverage)
    lower, upper, dropped, loss = _drop_restrictions(
        values, cases, path.lower[chosen], path.upper[chosen], z=z, tolerance=tolerance
    )
    inside = np.all((values >= lower) & (values <= upper), axis=1)
    n_in, n_cases, total = int(inside.sum()), int(cases[inside].sum()), int(cases.sum())
    return PrimBox(
        lower=lower,
        upper=upper,
        coverage=n_cases / total if total else 0.0,
        density=n_cases / n_in if n_in else 0.0,
        mass=n_in / values.shape[0],
        inside=n_in,
        cases=n_cases,
        chosen=chosen,
        dropped=dropped,
        density_loss=loss,
        trajectory=path,
    )


def peel(x: FloatArray, y: BoolArray, *, alpha: float, min_mass: float) -> Trajectory:
    """The peeling trajectory of PRIM (see the module docstring for the rule).

    Each dimension's draws are sorted once; after each peel the sorted lists drop the removed
    draws (every list loses the same draws, so they stay equally long), so finding a peel
    reads only the ``alpha`` share at each end of each list, not every draw in the box.

    Parameters
    ----------
    x, y
        ``(n, d)`` finite input values and ``(n,)`` cases of interest.
    alpha, min_mass
        Share removed per peel; smallest share of the draws a box may hold.

    Returns
    -------
    Trajectory
        At least the first box (every draw); only that one when ``y`` is all False or all
        True.
    """
    n, d = x.shape
    columns = np.ascontiguousarray(x.T)  # (d, n)
    order = np.argsort(columns, axis=1)  # each dimension's draws in box, in increasing order
    hits = int(y.sum())
    total = hits
    lower, upper = np.full(d, -np.inf), np.full(d, np.inf)
    rows: list[tuple[FloatArray, FloatArray, int, int]] = [(lower, upper, n, hits)]
    in_box = np.ones(n, dtype=np.bool_)
    min_count = max(1, math.ceil(min_mass * n - 1e-9))
    while 0 < total < n:
        best = _best_peel(columns, y, order, alpha, min_count)
        if best is None:
            break
        dim, side, n_out = best
        m = order.shape[1]
        gone = order[dim, :n_out] if side == 0 else order[dim, m - n_out :]
        in_box[gone] = False
        order = order[in_box[order]].reshape(d, m - n_out)
        hits -= int(y[gone].sum())
        lower, upper = lower.copy(), upper.copy()
        if side == 0:
            lower[dim] = columns[dim, order[dim, 0]]
        else:
            upper[dim] = columns[dim, order[dim, -1]]
        rows.append((lower, upper, m - n_out, hits))
    count = np.array([r[2] for r in rows], dtype=np.float64)
    found = np.array([r[3] for r in rows], dtype=np.float64)
    return Trajectory(
        lower=np.array([r[0] for r in rows]).reshape(len(rows), d),
        upper=np.array([r[1] for r in rows]).reshape(len(rows), d),
        coverage=found / total if total else np.zeros(len(rows)),
        density=found / count,
        mass=count / n,
    )


def _best_peel(
    columns: FloatArray, y: BoolArray, order: IntArray, alpha: float, min_count: int
) -> tuple[int, int, int] | None:
    """``(dimension, side, draws removed)`` of the best allowed peel; None if none.

    ``order`` is ``(d, m)``: the ``m`` draws in the box, sorted by each dimension. Side 0 peels
    the low end, side 1 the high end.
    """
    d, m = order.shape
    if m < 2 or d == 0:
        return None
    k = max(1, int(alpha * m))
    low = _peel_side(columns, y, order, k)
    high = _peel_side(columns, y, order[:, ::-1], k, negate=True)
    n_out = np.concatenate([low[0], high[0]])  # (2d,): side-major
    hits_out = np.concatenate([low[1], high[1]])
    left = m - n_out
    allowed = (n_out > 0) & (left >= min_count)
    if not allowed.any():
        return None
    hits = int(y[order[0]].sum())
    density = np.where(allowed, (hits - hits_out) / np.maximum(left, 1), -1.0)
    candidate = np.arange(2 * d)
    first = 2 * (candidate % d) + candidate // d  # dimension-major: (0 low, 0 high, 1 low, ...)
    # highest density, then most draws left, then the first dimension, low side first
    pick = int(np.lexsort((first, -left, -density))[0])
    side, dim = divmod(pick, d)
    return dim, side, int(n_out[pick])


def _peel_side(
    columns: FloatArray, y: BoolArray, order: IntArray, k: int, *, negate: bool = False
) -> tuple[IntArray, IntArray]:
    """Draws and cases each dimension's peel would remove from the start of ``order``.

    The peel removes the draws before the ``k``-th (0-based) in ``order`` whose value differs
    from it; when there are none (every value up to it ties), the whole tied group. ``negate``
    reads values negated (``order`` then runs from the high end).
    """
    idx = order[:, : k + 1]
    window = np.take_along_axis(columns, idx, axis=1)
    if negate:
        window = -window
    n_out = np.count_nonzero(window < window[:, k:], axis=1)
    cum = np.cumsum(y[idx], axis=1)
    hits_out = np.where(n_out > 0, cum[np.arange(idx.shape[0]), np.maximum(n_out - 1, 0)], 0)
    for j in np.flatnonzero(n_out == 0):  # ties at the quantile: remove the tied group
        values = columns[j, order[j]]
        tied = np.count_nonzero(values == values[k])
        n_out[j] = tied
        hits_out[j] = int(y[order[j, :tied]].sum())
    return n_out, hits_out


def choose(
    coverage: ArrayLike,
    density: ArrayLike,
    *,
    min_density: float = MIN_DENSITY,
    min_coverage: float = MIN_COVERAGE,
) -> int:
    """Index of the box chosen on a coverage–density trajectory (MODEL.md).

    The box with the highest coverage among those with density ≥ ``min_density`` (ties: the
    denser, then the first); when no box is that dense, the densest box with coverage ≥
    ``min_coverage`` (ties: the higher coverage, then the first); when no box covers that
    much either, the densest box.

    Parameters
    ----------
    coverage, density
        ``(boxes,)``, not empty.
    min_density, min_coverage
        The thresholds.

    Returns
    -------
    int
    """
    cov = np.asarray(coverage, dtype=np.float64)
    dens = np.asarray(density, dtype=np.float64)
    if cov.size == 0 or cov.shape != dens.shape:
        raise ValueError("choose: coverage and density must be equal, non-empty vectors")
    first = -np.arange(cov.size)  # later boxes rank lower on a tie
    dense = dens >= min_density
    if dense.any():
        keys = (first, np.where(dense, dens, -np.inf), np.where(dense, cov, -np.inf))
    else:
        wide = cov >= min_coverage
        if not wide.any():
            wide = np.ones(cov.size, dtype=np.bool_)
        keys = (first, np.where(wide, cov, -np.inf), np.where(wide, dens, -np.inf))
    return int(np.lexsort(keys)[-1])


def _drop_restrictions(
    x: FloatArray, y: BoolArray, lower: FloatArray, upper: FloatArray, *, z: float, tolerance: float
) -> tuple[FloatArray, FloatArray, tuple[int, ...], FloatArray]:
    """Remove the bounds that do not matter (see the module docstring), weakest first.

    Returns the new bounds, the dimensions the removals left unrestricted, and each
    dimension's density loss when its remaining bounds are removed (0 when it has none).
    """
    lower, upper = lower.copy(), upper.copy()
    d = x.shape[1]
    was = np.isfinite(lower) | np.isfinite(upper)
    while np.isfinite(lower).any() or np.isfinite(upper).any():
        loss, score = _bound_tests(x, y, lower, upper)  # (d, 2); nan where no bound
        weak = (score < z) | (loss < tolerance)  # False where nan
        if not weak.any():
            break
        dim, side = np.unravel_index(int(np.argmin(np.where(weak, score, np.inf))), weak.shape)
        if side == 0:
            lower[dim] = -np.inf
        else:
            upper[dim] = np.inf
    now = np.isfinite(lower) | np.isfinite(upper)
    dropped = tuple(int(j) for j in np.flatnonzero(was & ~now))
    density = _density(x, y, lower, upper)
    whole = np.zeros(d)
    for j in np.flatnonzero(now):
        lo, hi = lower.copy(), upper.copy()
        lo[j], hi[j] = -np.inf, np.inf
        whole[j] = density - _density(x, y, lo, hi)
    return lower, upper, dropped, whole


def _density(x: FloatArray, y: BoolArray, lower: FloatArray, upper: FloatArray) -> float:
    inside = np.all((x >= lower) & (x <= upper), axis=1)
    n_in = int(inside.sum())
    return int(y[inside].sum()) / n_in if n_in else 0.0


def _bound_tests(
    x: FloatArray, y: BoolArray, lower: FloatArray, upper: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """``(loss, z)``, each ``(d, 2)`` (low, high bound); nan where the bound is infinite.

    Removing a bound brings back the draws outside the box by that bound alone. ``loss`` is
    the resulting fall in density; ``z`` compares the share of cases among the draws brought
    back with the box's density (two-proportion z statistic, pooled; 0 when nothing comes
    back or the shares cannot differ).
    """
    d = x.shape[1]
    out = np.stack([x < lower, x > upper], axis=2).reshape(x.shape[0], 2 * d)  # dim-major
    misses = out.sum(axis=1)
    inside = misses == 0
    n_in, hits_in = int(inside.sum()), int(y[inside].sum())
    single = misses == 1
    which = np.argmax(out[single], axis=1)
    back = np.bincount(which, minlength=2 * d)
    back_hits = np.bincount(which[y[single]], minlength=2 * d)
    density = hits_in / max(n_in, 1)
    pooled = (hits_in + back_hits) / np.maximum(n_in + back, 1)
    loss = density - pooled
    spread = pooled * (1 - pooled) * (1 / max(n_in, 1) + 1 / np.maximum(back, 1))
    gap = density - back_hits / np.maximum(back, 1)
    score = np.where((back > 0) & (spread > 0), gap / np.sqrt(np.maximum(spread, 1e-300)), 0.0)
    bounded = np.isfinite(np.stack([lower, upper], axis=1)).reshape(-1)
    return (
        np.where(bounded, loss, np.nan).reshape(d, 2),
        np.where(bounded, score, np.nan).reshape(d, 2),
    )
