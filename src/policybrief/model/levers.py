"""Lever schedules: effective intensity, weights by year, channel loads and fiscal cost.

A ``Schedule`` fixes everything about a batch of intensity vectors ("cases": scenarios,
Shapley coalitions, goal-seek scales) that does not depend on the draw, so that a term's
effect for a batch of draws is one matrix product:
``Λ_c[n, k, t] = Σ_l β[n, l] · f(x[k, l]) · w_l(t)`` for the levers ``l`` of term ``c``.

Terms are the channels, with productivity split by form (MODEL.md v2): ``productivity``
(growth form, compounding) and ``level`` (level form). ``reference`` holds each term's loads
in the base year for the *baseline* scenario's intensities: levers already in force in the
base year are part of the observed base-year rates, so the projection takes every effect
relative to ``Λ*_c(Y0) = Σ_l β_l · reference_l``.

Fiscal cost (v2): ``C = fixed + share · E`` per case and year, where ``fixed`` sums
``x · a(Y) · cost_per_unit`` and ``share`` sums ``x · a(Y) · cost_share`` (a share of the
scenario's recorded exports that year, so the cost varies by draw).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from policybrief.domain import CHANNELS

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from policybrief.domain import Inputs, Lever
    from policybrief.model.arrays import FloatArray, IntArray

#: The lever terms of the recursion: the channels, productivity split by form.
TERMS: tuple[str, ...] = (*CHANNELS[:1], "level", *CHANNELS[1:])


def term(lever: Lever) -> str:
    """The lever's term: its channel, or ``level`` for a level-form productivity lever."""
    return "level" if lever.channel == "productivity" and lever.form == "level" else lever.channel


def effective_intensity(x: FloatArray, saturation: float | None) -> FloatArray:
    """``f(x) = x``, or ``S · (1 − exp(−x / S))`` with saturation ``S`` (diminishing returns)."""
    if saturation is None:
        return np.asarray(x, dtype=np.float64)
    return saturation * -np.expm1(-np.asarray(x, dtype=np.float64) / saturation)


def first_year(lever: Lever, base_year: int) -> int:
    """Start year ``A``: the lever's ``start_year``, else the first projection year."""
    return lever.start_year if lever.start_year is not None else base_year + 1


def weights(lever: Lever, years: Sequence[int], base_year: int) -> FloatArray:
    """Phase-in weight ``w(Y)``: 0 before ``A + lag`` or after the end year, then a linear ramp.

    ``w(Y) = min(1, (Y − A − L + 1) / R)`` with start ``A``, lag ``L``, ramp ``R`` (at least 1).
    """
    y = np.asarray(years, dtype=np.float64)
    begin = first_year(lever, base_year) + lever.lag
    ramp = max(lever.ramp, 1)
    w = np.minimum(1.0, (y - begin + 1.0) / ramp)
    on = y >= begin
    if lever.end_year is not None:
        on &= y <= lever.end_year
    return np.where(on, w, 0.0)


def active(lever: Lever, years: Sequence[int], base_year: int) -> FloatArray:
    """``a(Y) = 1`` when the lever is funded (start year to end year, no lag), else 0."""
    y = np.asarray(years)
    on = y >= first_year(lever, base_year)
    if lever.end_year is not None:
        on &= y <= lever.end_year
    return on.astype(np.float64)


@dataclass(frozen=True)
class Schedule:
    """Draw-independent lever terms for ``cases`` intensity vectors over ``horizon`` years.

    ``loads[c]`` is ``(levers of c, horizon * cases)``: ``f(x) · w(t)`` for the levers listed in
    ``columns[c]`` (their positions in the workbook's lever order); ``reference[c]`` is
    ``(levers of c,)``, the baseline's loads in the base year (absent when all are 0).
    ``cost`` (fixed part) and ``cost_share`` are ``(cases, horizon)``.
    """

    cases: int
    horizon: int
    columns: Mapping[str, IntArray]
    loads: Mapping[str, FloatArray]
    cost: FloatArray
    cost_share: FloatArray
    reference: Mapping[str, FloatArray]

    @property
    def has_cost_share(self) -> bool:
        """True when some case pays a cost that scales with exports."""
        return bool(self.cost_share.any())


def intensity_matrix(inputs: Inputs) -> FloatArray:
    """Scenario × lever intensities, in workbook order."""
    return np.array(
        [[s.intensity(lv.id) for lv in inputs.levers] for s in inputs.scenarios],
        dtype=np.float64,
    ).reshape(len(inputs.scenarios), len(inputs.levers))


def discount_factors(rate: float, horizon: int) -> FloatArray:
    """``(1 + rate)^−t`` for t = 0..horizon (the base year is the present)."""
    return (1.0 + rate) ** -np.arange(horizon + 1, dtype=np.float64)


@lru_cache(maxsize=4096)
def _phases(lever: Lever, base_year: int, horizon: int) -> tuple[FloatArray, FloatArray, float]:
    """The lever's weights and funded flags over the projection years, and its weight in the
    base year: they depend on the lever and the years only, so every schedule of a run (the
    scenarios, Shapley's coalitions, the searches' packages) shares them. Read-only arrays."""
    years = list(range(base_year + 1, base_year + horizon + 1))
    w, a = weights(lever, years, base_year), active(lever, years, base_year)
    w.flags.writeable = a.flags.writeable = False
    return w, a, float(weights(lever, [base_year], base_year)[0])


def schedule(
    levers: Sequence[Lever],
    intensities: FloatArray,
    base_year: int,
    horizon: int,
    *,
    reference: FloatArray | None,
) -> Schedule:
    """Build the ``Schedule`` of intensity vectors ``intensities`` (shape ``(cases, levers)``).

    Parameters
    ----------
    levers
        The workbook's levers (column order of ``intensities``).
    intensities
        One row per case.
    base_year, horizon
        Projection years are ``base_year + 1 .. base_year + horizon``.
    reference
        The baseline scenario's intensities, whose levers in force in the base year are part
        of the base-year rates (MODEL.md v2); None when no lever is taken as in force.

    Returns
    -------
    Schedule
    """
    # (cases, levers), a vector being one case; not ``reshape(-1, len(levers))``, which cannot
    # infer the number of cases when there are no levers (a valid workbook may have none)
    x = np.atleast_2d(np.asarray(intensities, dtype=np.float64))
    phases = [_phases(lever, base_year, horizon) for lever in levers]
    columns: dict[str, IntArray] = {}
    loads: dict[str, FloatArray] = {}
    in_force: dict[str, FloatArray] = {}
    for name in TERMS:
        cols = np.array([j for j, lv in enumerate(levers) if term(lv) == name], dtype=np.intp)
        if cols.size == 0:
            continue
        columns[name] = cols
        fx = [effective_intensity(x[:, j], levers[j].saturation) for j in cols]  # (cases,) each
        # year-major (index t * cases + k) so Λ reshapes to (horizon, cases, draws)
        loads[name] = np.stack(
            [np.outer(phases[j][0], f).reshape(-1) for j, f in zip(cols, fx, strict=True)]
        )
        if reference is not None and (star := _in_force(levers, cols, phases, reference)).any():
            in_force[name] = star
    cost, cost_share = _costs(levers, x, phases, horizon)
    return Schedule(x.shape[0], horizon, columns, loads, cost, cost_share, in_force)


def _in_force(
    levers: Sequence[Lever],
    cols: IntArray,
    phases: Sequence[tuple[FloatArray, FloatArray, float]],
    reference: FloatArray,
) -> FloatArray:
    """The levers ``cols``'s terms in the base year at the ``reference`` intensities."""
    star = np.empty(cols.size)
    for i, j in enumerate(cols):
        at = effective_intensity(np.array([reference[j]]), levers[j].saturation)
        star[i] = phases[j][2] * float(at[0])
    return star


def _costs(
    levers: Sequence[Lever],
    x: FloatArray,
    phases: Sequence[tuple[FloatArray, FloatArray, float]],
    horizon: int,
) -> tuple[FloatArray, FloatArray]:
    """Fixed cost and cost share, ``(cases, horizon)``: each lever's rates times its funded
    intensity (the intensity in the years the lever is funded)."""
    cost = np.zeros((x.shape[0], horizon))
    cost_share = np.zeros((x.shape[0], horizon))
    for j, lever in enumerate(levers):
        funded = np.outer(x[:, j], phases[j][1])
        if lever.cost_per_unit:
            cost += lever.cost_per_unit * funded
        if lever.cost_share:
            cost_share += lever.cost_share * funded
    return cost, cost_share


def capped(levers: Sequence[Lever], intensities: FloatArray) -> FloatArray:
    """Intensities capped at each lever's ``max_intensity`` (when it has one)."""
    caps = np.array(
        [np.inf if lv.max_intensity is None else lv.max_intensity for lv in levers],
        dtype=np.float64,
    )
    return np.minimum(np.asarray(intensities, dtype=np.float64), caps)
