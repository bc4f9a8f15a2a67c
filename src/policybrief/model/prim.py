"""Scenario discovery: PRIM (Friedman & Fisher's patient rule induction method) in numpy.

``prim(x, y)`` finds a box ``{lower ≤ x ≤ upper}`` over the inputs in which the cases of
interest ``y`` are concentrated:

- **Peeling** (``peeling.peel``): a trajectory of ever smaller boxes, each step removing the
  ``alpha`` slice at one end of one dimension that leaves the densest box, down to
  ``min_mass`` of the draws. Bounds are inclusive and sit on data values; a side never peeled
  is unbounded.
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
  looked at. Coverage, density and mass are then counted afresh for the final box, which
  may therefore lie off the trajectory.

Degenerate inputs: with no case of interest, or only cases, nothing is peeled and the box is
unbounded (coverage 0 and density 0 with no cases; both 1 with only cases). Constant columns
are never peeled. Everything is deterministic (no randomness; ties are broken as above).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

import numpy as np

from policybrief.model.peeling import peel

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from policybrief.model.arrays import BoolArray, FloatArray
    from policybrief.model.peeling import Trajectory

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


class PrimOptions(TypedDict, total=False):
    """``prim``'s keyword options, for a caller that passes them on (``discovery.discover``)."""

    alpha: float
    min_density: float
    min_coverage: float
    min_mass: float
    z: float
    tolerance: float


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
    values, cases = _checked(x, y, alpha)
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
        inside=n_in,
        cases=n_cases,
        coverage=n_cases / total if total else 0.0,
        density=n_cases / n_in if n_in else 0.0,
        mass=n_in / values.shape[0],
        chosen=chosen,
        dropped=dropped,
        density_loss=loss,
        trajectory=path,
    )


def _checked(x: ArrayLike, y: ArrayLike, alpha: float) -> tuple[FloatArray, BoolArray]:
    """``x`` and ``y`` as arrays, refused when unusable (see ``prim``)."""
    values = np.asarray(x, dtype=np.float64)
    cases = np.asarray(y, dtype=np.bool_)
    if values.ndim != 2 or cases.shape != (values.shape[0],) or values.shape[0] == 0:
        raise ValueError("prim: x must be (n, d) with n ≥ 1 and y (n,)")
    if not np.all(np.isfinite(values)):
        raise ValueError("prim: x must be finite")
    if not 0 < alpha <= 0.5:
        raise ValueError("prim: alpha must be in (0, 0.5]")
    return values, cases


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
