"""Exchange search on a constraint: minimise ``f`` subject to ``g ≥ bound``, from feasible packages.

The polish step of the cheapest package and of the frontier (``cheapest``). Greedy ascent
(``packages.climb``) is optimal for separable diminishing returns, but exports are a product
``W · P · Rz`` with compounding growth (increasing returns), caps and cost shares that grow with
the exports the other levers bring; near its answer the cheapest mix is usually an exchange of
one lever for another *along* the constraint, which a single-lever move cannot find. So:

- at each step size (``FRACTIONS`` of each lever's range), every moving lever is projected one
  step down and one step up (one batch for all problems);
- a single step that keeps ``g ≥ bound`` and lowers ``f`` is a candidate with known values;
- for every pair (lever ``l`` down by a fraction ``a`` of its step, lever ``m`` up by ``b``),
  a linear model of ``f`` and ``g`` from those steps gives a two-variable LP,
  ``min a·Δf_l + b·Δf_m`` subject to ``g + a·Δg_l + b·Δg_m ≥ bound``, ``a, b ∈ [0, 1]``,
  solved at its vertices (one of ``a``, ``b`` at 0 or 1, the other on the constraint);
- the ``PAIRS`` pairs with the best predicted gain are projected (each with a variant that
  leaves more margin) and the best evaluated, feasible package that lowers ``f`` by more than
  ``tol`` is taken. When none does, the step halves.

Only evaluated, feasible packages are accepted, so the result is never worse than the start.
For the cheapest package ``f`` is the cost and ``g`` the chance's order statistic; for the
frontier ``f`` is minus exports and ``g`` minus the cost (``bound`` minus the budget).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from policybrief.model.arrays import BoolArray, FloatArray, IntArray
    from policybrief.model.packages import Evaluate, PackageSpace

#: Step sizes, as fractions of each lever's range, and rounds tried at each.
FRACTIONS = (1 / 4, 1 / 10, 1 / 20, 1 / 40, 1 / 80, 1 / 160)
ROUNDS = 8
#: Exchange candidates projected per problem and round (each with a safer variant).
PAIRS = 3
#: Improvements below this share of the problem's scale are ties (not taken) ...
TOLERANCE = 1e-7
#: ... and a round that gains less than this share moves on to the next, finer step.
SETTLED = 1e-4


def polish(
    space: PackageSpace, objective: Evaluate, x: FloatArray, bound: FloatArray, scale: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Lower ``f`` while keeping ``g ≥ bound`` (see the module docstring).

    Parameters
    ----------
    space
        The package space (bounds of each lever).
    objective
        ``objective(x, owner) -> (f, g)`` per row.
    x
        Feasible packages, one row per problem (updated in place).
    bound, scale
        Per problem: the constraint's bound, and the size of ``f`` that ``TOLERANCE`` and
        ``SETTLED`` are shares of (e.g. the top corner's cost).

    Returns
    -------
    tuple
        The packages and their ``f``.
    """
    p = x.shape[0]
    f, g = objective(x, np.arange(p))
    span = space.upper - space.lower
    tol = TOLERANCE * scale
    for fraction in FRACTIONS if space.variable.size else ():
        active = np.ones(p, dtype=bool)
        for _ in range(ROUNDS):
            todo = np.flatnonzero(active)
            if not todo.size:
                break
            before = f[todo].copy()
            _round(space, objective, (x, f, g), bound, tol, todo, fraction * span)
            active[todo] = before - f[todo] > SETTLED * scale[todo]
    return x, f


def _fraction(need: FloatArray, df: FloatArray, dg: FloatArray) -> tuple[FloatArray, BoolArray]:
    """``min c·df`` subject to ``c·dg ≥ need``, ``c ∈ [0, 1]``: the best ``c`` and feasibility."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = need / dg
    rises, better = dg > 0, df < 0
    within = np.clip(np.nan_to_num(ratio, nan=0.0), 0.0, 1.0)
    c = np.where(
        rises,
        np.where(better, 1.0, within),
        np.where(better, np.where(dg < 0, within, 1.0), 0.0),
    )
    ok: BoolArray = np.where(rises, ratio <= 1.0, need <= 0)
    return c, ok


def _plan(
    slack: FloatArray, down: FloatArray, up: FloatArray, can_down: BoolArray, can_up: BoolArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Best ``(a, b)`` and predicted gain for every pair (index 0: no lever), ``(T, F+1, F+1)``.

    ``slack`` is ``g − bound`` ``(T, 1, 1)``; ``down``/``up`` hold ``(Δf, Δg)`` of each
    lever's step, ``(2, T, F)``.
    """
    n_t, n_v = can_down.shape
    pad = np.zeros((2, n_t, 1))
    lf, lg = np.concatenate([pad, np.where(can_down, down, 0.0)], axis=2)[:, :, :, None]
    mf, mg = np.concatenate([pad, np.where(can_up, up, 0.0)], axis=2)[:, :, None, :]
    shape = (n_t, n_v + 1, n_v + 1)
    one, zero = np.ones(shape), np.zeros(shape)
    b1, ok1 = _fraction(np.broadcast_to(-slack - lg, shape), mf, mg)  # a = 1
    a2, ok2 = _fraction(np.broadcast_to(-slack - mg, shape), lf, lg)  # b = 1
    b3, ok3 = _fraction(np.broadcast_to(-slack, shape), mf, mg)  # a = 0
    a4, ok4 = _fraction(np.broadcast_to(-slack, shape), lf, lg)  # b = 0
    a = np.stack([one, a2, zero, a4])
    b = np.stack([b1, one, b3, zero])
    lid = np.arange(n_v + 1)[:, None]
    mid = np.arange(n_v + 1)[None, :]
    a, b = a * (lid > 0), b * (mid > 0)  # no lever: no step
    # single full steps (and no step) are evaluated already
    exact = ((a == 0) & ((b == 0) | (b == 1))) | ((a == 1) & (b == 0))
    usable = (
        np.concatenate([np.ones((n_t, 1), bool), can_down], axis=1)[:, :, None]
        & (np.concatenate([np.ones((n_t, 1), bool), can_up], axis=1)[:, None, :])
    )
    valid = np.stack([ok1, ok2, ok3, ok4]) & ~exact & usable & (lid != mid)
    gain = np.where(valid, -(a * lf + b * mf), -np.inf)
    best = np.argmax(gain, axis=0)[None]
    pick = np.take_along_axis
    return pick(a, best, 0)[0], pick(b, best, 0)[0], pick(gain, best, 0)[0]


def _moves(space: PackageSpace, x: FloatArray, step: FloatArray) -> FloatArray:
    """Each row of ``x`` with each moving lever one step down, then one step up: ``(T, 2F, L)``."""
    var = space.variable
    f = np.arange(var.size)
    down = np.repeat(x[:, None, :], var.size, axis=1)
    up = down.copy()
    down[:, f, var] = np.maximum(x[:, var] - step[var], space.lower[var])
    up[:, f, var] = np.minimum(x[:, var] + step[var], space.upper[var])
    return np.concatenate([down, up], axis=1)


def _safer(c: FloatArray, dg: FloatArray) -> FloatArray:
    """A fraction moved towards more ``g`` (more of a step that raises it, less of one that
    lowers it); unused steps stay unused."""
    return np.where(c > 0, np.where(dg > 0, np.minimum(1.0, 1.25 * c + 0.02), 0.8 * c), 0.0)


def _round(
    space: PackageSpace,
    objective: Evaluate,
    state: tuple[FloatArray, FloatArray, FloatArray],
    bound: FloatArray,
    tol: FloatArray,
    todo: IntArray,
    step: FloatArray,
) -> None:
    """One round for problems ``todo``; updates ``state = (x, f, g)`` in place."""
    x, f, g = state
    var = space.variable
    n_t, n_v, n_l = todo.size, var.size, x.shape[1]
    xt = x[todo]
    moves = _moves(space, xt, step)
    fm, gm = objective(moves.reshape(-1, n_l), np.repeat(todo, 2 * n_v))
    fm, gm = fm.reshape(n_t, 2 * n_v), gm.reshape(n_t, 2 * n_v)
    moved = np.concatenate([xt[:, var] > space.lower[var], xt[:, var] < space.upper[var]], axis=1)
    f0, g0, v = f[todo][:, None], g[todo][:, None], bound[todo][:, None]
    single = np.where(moved & (gm >= v), fm, np.inf)
    delta = np.where(moved, np.stack([fm - f0, gm - g0]), 0.0)  # (2, T, 2F)
    a, b, gain = _plan(
        (g0 - v)[:, :, None], delta[:, :, :n_v], delta[:, :, n_v:], moved[:, :n_v], moved[:, n_v:]
    )
    gain = np.where(gain > tol[todo][:, None, None], gain, -np.inf).reshape(n_t, -1)
    top = np.argsort(-gain, axis=1, kind="stable")[:, :PAIRS]
    t_idx, k_idx = np.nonzero(np.isfinite(np.take_along_axis(gain, top, axis=1)))
    pick = top[t_idx, k_idx]
    li, mi = pick // (n_v + 1), pick % (n_v + 1)
    pad = np.zeros((n_t, 1, n_l))
    step_l = np.concatenate([pad, moves[:, :n_v] - xt[:, None, :]], axis=1)[t_idx, li]
    step_m = np.concatenate([pad, moves[:, n_v:] - xt[:, None, :]], axis=1)[t_idx, mi]
    dg = np.concatenate([np.zeros((n_t, 1)), delta[1]], axis=1)  # Δg: none, downs, ups
    aa, bb = a.reshape(n_t, -1)[t_idx, pick], b.reshape(n_t, -1)[t_idx, pick]
    a2, b2 = _safer(aa, dg[t_idx, li]), _safer(bb, dg[t_idx, np.where(mi > 0, n_v + mi, 0)])
    cand = np.concatenate(
        [
            xt[t_idx] + aa[:, None] * step_l + bb[:, None] * step_m,
            xt[t_idx] + a2[:, None] * step_l + b2[:, None] * step_m,
        ]
    )
    owner = np.concatenate([t_idx, t_idx])
    fc, gc = objective(cand, todo[owner]) if cand.size else (np.empty(0), np.empty(0))
    fc = np.where(gc >= bound[todo[owner]], fc, np.inf)
    _accept(state, todo, (single, moves, gm), (fc, cand, gc, owner), tol)


def _accept(
    state: tuple[FloatArray, FloatArray, FloatArray],
    todo: IntArray,
    singles: tuple[FloatArray, FloatArray, FloatArray],
    pairs: tuple[FloatArray, FloatArray, FloatArray, IntArray],
    tol: FloatArray,
) -> None:
    """Keep, per problem, the best feasible package if it lowers ``f`` by more than ``tol``.

    ``singles`` is ``(f or inf, packages, g)`` per problem and step; ``pairs`` is
    ``(f or inf, packages, g, problem position in todo)`` per evaluated exchange.
    """
    x, f, g = state
    single_f, single_x, single_g = singles
    pair_f, pair_x, pair_g, owner = pairs
    for t, i in enumerate(todo):
        j = int(np.argmin(single_f[t]))
        best = (single_f[t, j], single_x[t, j], single_g[t, j])
        mine = np.flatnonzero(owner == t)
        if mine.size:
            k = mine[np.argmin(pair_f[mine])]
            if pair_f[k] < best[0]:
                best = (pair_f[k], pair_x[k], pair_g[k])
        if best[0] < f[i] - tol[i]:
            f[i], x[i], g[i] = best
