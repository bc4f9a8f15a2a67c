"""Lever schedules: effective intensity, weights by year, channel loads and fiscal cost.

A ``Schedule`` fixes everything about a batch of intensity vectors ("cases": scenarios,
Shapley coalitions, goal-seek scales) that does not depend on the draw, so that a channel's
effect for a batch of draws is one matrix product:
``Λ_c[n, k, t] = Σ_l β[n, l] · f(x[k, l]) · w_l(t)`` for the levers ``l`` of channel ``c``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from policybrief.workbook.types import CHANNELS

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from numpy.typing import NDArray

    from policybrief.workbook.types import Channel, Lever

    FloatArray = NDArray[np.float64]
    IntArray = NDArray[np.intp]


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
    ``columns[c]`` (their positions in the workbook's lever order). ``cost`` is the fiscal cost,
    ``(cases, horizon)``.
    """

    cases: int
    horizon: int
    columns: Mapping[Channel, IntArray]
    loads: Mapping[Channel, FloatArray]
    cost: FloatArray


def schedule(
    levers: Sequence[Lever], intensities: FloatArray, base_year: int, horizon: int
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

    Returns
    -------
    Schedule
    """
    x = np.asarray(intensities, dtype=np.float64).reshape(-1, len(levers))
    cases = x.shape[0]
    years = list(range(base_year + 1, base_year + horizon + 1))
    cost = np.zeros((cases, horizon))
    columns: dict[Channel, IntArray] = {}
    loads: dict[Channel, FloatArray] = {}
    for channel in CHANNELS:
        cols = np.array([j for j, lv in enumerate(levers) if lv.channel == channel], dtype=np.intp)
        if cols.size == 0:
            continue
        rows = []
        for j in cols:
            lever = levers[j]
            fx = effective_intensity(x[:, j], lever.saturation)  # (cases,)
            # year-major (index t * cases + k) so Λ reshapes to (horizon, cases, draws)
            rows.append(np.outer(weights(lever, years, base_year), fx).reshape(-1))
        columns[channel] = cols
        loads[channel] = np.stack(rows)
    for j, lever in enumerate(levers):
        if lever.cost_per_unit:
            cost += lever.cost_per_unit * np.outer(x[:, j], active(lever, years, base_year))
    return Schedule(cases, horizon, columns, loads, cost)


def capped(levers: Sequence[Lever], intensities: FloatArray) -> FloatArray:
    """Intensities capped at each lever's ``max_intensity`` (when it has one)."""
    caps = np.array(
        [np.inf if lv.max_intensity is None else lv.max_intensity for lv in levers],
        dtype=np.float64,
    )
    return np.minimum(np.asarray(intensities, dtype=np.float64), caps)
