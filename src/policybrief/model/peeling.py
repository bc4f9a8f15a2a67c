"""PRIM's peeling (Friedman & Fisher): ever smaller boxes around the cases of interest.

Starting from the box holding every draw, each step considers, for each dimension and side,
removing the slice of the draws in the box that lie beyond the ``alpha``-quantile of that
dimension (the ``k = max(1, ⌊alpha·m⌋)`` smallest or largest of the ``m`` draws in the box,
fewer when values tie at the quantile; when every value up to the quantile ties, as in a
discrete column, the whole tied group). It takes the peel that leaves the highest density
(share of the draws in the box that are cases); ties go to the peel that removes fewer draws,
then to the lower dimension, lower side first. A peel is allowed only when it removes
something and leaves at least ``min_mass`` of all draws; peeling stops when no peel is
allowed. Every box on the way is recorded (``Trajectory``). Bounds are inclusive and sit on
data values: a peeled lower bound is the smallest value kept. A side never peeled is
unbounded (``-inf`` / ``+inf``). Constant columns are never peeled; with no case of interest,
or only cases, nothing is peeled. ``prim`` chooses a box on the trajectory and drops the
restrictions that do not matter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from policybrief.model.arrays import BoolArray, FloatArray, IntArray


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
