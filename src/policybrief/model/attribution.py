"""Shapley attribution of a scenario's final-year central exports gain over the baseline.

Players are the levers whose intensity differs between the scenario and the baseline; the value
of a coalition ``S`` is final-year central exports with the levers in ``S`` at the scenario's
intensity and every other lever at the baseline's. All coalitions needed are projected as one
batch of cases.
"""

from __future__ import annotations

from math import factorial
from typing import TYPE_CHECKING

import numpy as np

from policybrief.model.levers import schedule
from policybrief.model.projection import final_exports
from policybrief.model.results import Attribution

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from policybrief.domain import Lever
    from policybrief.model.arrays import BoolArray, FloatArray
    from policybrief.model.sampling import Theta

#: Exact Shapley values up to this many players (2^12 = 4,096 coalitions).
EXACT_MAX_PLAYERS = 12
#: Permutations of the estimate used above ``EXACT_MAX_PLAYERS``.
PERMUTATIONS = 2000
#: Coalitions projected at once: bounds memory (each holds levers × years of loads) and does
#: not change any value. 2,000 permutations of 25 levers are 52,000 coalitions: at once they
#: took 430 MB.
_BATCH = 4096


def shapley_values(
    p: int,
    values: Callable[[BoolArray], FloatArray],
    *,
    seed: int,
    exact_max: int = EXACT_MAX_PLAYERS,
    permutations: int = PERMUTATIONS,
) -> tuple[FloatArray, float, float, str]:
    """Shapley values of ``p`` players for ``values(masks)`` (one value per ``(coalitions, p)``
    row): exact up to ``exact_max`` players, else a seeded ``permutations``-permutation estimate.

    Returns
    -------
    (phi, empty, full, method)
        Each player's value, the value of no player and of all, and how it was computed. The
        values sum to ``full - empty`` (exactly for the estimate too: each permutation's
        marginal contributions telescope).
    """
    if p <= exact_max:
        codes = np.arange(2**p)
        masks = ((codes[:, None] >> np.arange(p)) & 1).astype(bool)
        v = values(masks)
        sizes = masks.sum(axis=1)
        weight = np.array([factorial(s) * factorial(p - s - 1) / factorial(p) for s in range(p)])
        phi = np.empty(p)
        for i in range(p):
            without = codes[(codes >> i) & 1 == 0]
            phi[i] = np.sum(weight[sizes[without]] * (v[without | (1 << i)] - v[without]))
        empty, full = float(v[0]), float(v[-1])
        method = "exact"
    else:
        rng = np.random.Generator(np.random.PCG64(seed))
        order = np.argsort(rng.random((permutations, p)), axis=1)  # player at each position
        rank = np.argsort(order, axis=1)  # position of each player
        steps = np.arange(p + 1)
        masks = rank[:, None, :] < steps[None, :, None]  # (perm, step, player)
        v = values(masks.reshape(-1, p)).reshape(permutations, p + 1)
        marginal = np.diff(v, axis=1)  # marginal[m, i]: player order[m, i] joins
        phi = np.zeros(p)
        np.add.at(phi, order, marginal)
        phi /= permutations
        empty, full = float(v[0, 0]), float(v[0, -1])
        method = f"permutation estimate ({permutations:,} permutations, seed {seed})"
    return phi, empty, full, method


def shapley(
    name: str,
    scenario: FloatArray,
    baseline: FloatArray,
    levers: Sequence[Lever],
    central: Theta,
    base_year: int,
    horizon: int,
    *,
    seed: int,
    exact_max: int = EXACT_MAX_PLAYERS,
    permutations: int = PERMUTATIONS,
) -> Attribution:
    """Shapley contributions of the levers that differ between ``scenario`` and ``baseline``.

    Parameters
    ----------
    name
        Scenario name (for the result).
    scenario, baseline
        Intensity vectors, in lever order.
    levers, central, base_year, horizon
        The model: levers, one central row of quantities, and the projection years.
    seed
        Seed of the permutation estimate (used only above ``exact_max`` players).
    exact_max, permutations
        Exact up to ``exact_max`` players, else a ``permutations``-permutation estimate.

    Returns
    -------
    Attribution
        Contributions in lever order, summing to ``scenario_value - baseline_value`` (up to
        rounding; see ``shapley_values``).
    """
    players = [j for j in range(len(levers)) if scenario[j] != baseline[j]]
    cols = np.asarray(players, dtype=np.intp)
    only = central.rows(0, 1).without_shocks()

    def values(masks: BoolArray) -> FloatArray:
        """``v(S)`` for each row of ``masks`` (``(coalitions, players)``), ``_BATCH`` at a time."""
        value: FloatArray = np.empty(masks.shape[0])
        for start in range(0, masks.shape[0], _BATCH):
            batch = masks[start : start + _BATCH]
            x = np.tile(baseline, (batch.shape[0], 1))
            x[:, cols] = np.where(batch, scenario[cols], baseline[cols])
            sched = schedule(levers, x, base_year, horizon, reference=baseline)
            value[start : start + batch.shape[0]] = final_exports(only, sched)[:, 0]
        return value

    phi, empty, full, method = shapley_values(
        len(players), values, seed=seed, exact_max=exact_max, permutations=permutations
    )
    return Attribution(
        scenario=name,
        baseline_value=empty,
        scenario_value=full,
        contributions=tuple((levers[j].id, float(c)) for j, c in zip(players, phi, strict=True)),
        method=method,
    )
