"""Validation against history (MODEL.md v2): does the model reproduce the record?

For each start year ``Y_s`` in {earliest History year, ``Y0 − 5``, ``Y0 − 3``} that has a
recorded value (the value at ``Y0`` is ``exports_base``), the model is run forward from the
recorded exports of ``Y_s`` to the base year with the base rates as observed and no lever
effects (levers in force in the base year are part of those rates; later ones did not exist):

1. Workforce at ``Y_s``: History's ``Workforce`` if given, else the base workforce run backwards
   with the base rates, ``W_{t−1} = (W_t − grads_t) / (1 − attrition − emigration +
   other_entry_rate)``, with ``grads_t = graduates_base · absorption_rate ·
   (1 + graduates_growth)^t`` for ``t ≤ 0`` — central values for the central hindcast, each
   draw's own for that draw (a draw whose backward workforce falls to 1% of ``W_0`` or below is
   left out of the band and counted).
2. Forward: ``P(Y_s) = E(Y_s) / (W(Y_s) · Rz)``, ``P`` grows at ``productivity_growth`` (times
   each draw's shocks; none centrally), ``W_t = W_{t−1} · (1 − attrition − emigration +
   other_entry_rate) + grads_t``, ``Rz = realization_base``, ``E = W · P · Rz``.
3. Per start year: the central error at ``Y0`` (percent), the RMSE of log errors over the
   recorded years ``Y_s+1 .. Y0``, and the share of those years inside the draws' P10–P90 band.
4. One year ahead: the share of recorded annual growth rates (consecutive recorded years) inside
   the P10–P90 band of the baseline's first projected year's growth; the standard deviation of
   recorded log growth beside ``shock_sd``.
5. The ``productivity_growth`` that makes each central hindcast end exactly at ``E(Y0)``, in
   closed form (the workforce path does not depend on it): ``(E(Y0) · W(Y_s) / (W(Y0) ·
   E(Y_s)))^(1/T) − 1``.

Warnings (``Validation.warnings``, plain sentences): the central error from the earliest start
year beyond ``MAX_ERROR_PCT``; band coverage below ``MIN_COVERAGE`` over a window of at least
``MIN_COVERAGE_WINDOW`` years; suggested growth rates that differ across start years by more
than ``MAX_SPREAD``. With fewer than ``MIN_HISTORY`` recorded years nothing is computed and
``skipped`` says why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from policybrief.domain import BASELINE_PARAMETERS

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from policybrief.domain import Inputs
    from policybrief.model.arrays import FloatArray
    from policybrief.model.sampling import Theta

#: Recorded years needed for a validation (WORKBOOK.md, History).
MIN_HISTORY = 4
#: Warning thresholds (MODEL.md): central error from the earliest start year, band coverage
#: over a long enough window, spread of the suggested productivity growth across start years.
MAX_ERROR_PCT = 25.0
MIN_COVERAGE = 0.5
MIN_COVERAGE_WINDOW = 6
MAX_SPREAD = 0.02
#: A draw whose backward workforce falls to this share of ``W_0`` or below leaves the band.
MIN_WORKFORCE_SHARE = 0.01
#: Band of the hindcast and of the one-year-ahead check (the deck's P10–P90).
BAND = (10.0, 90.0)
#: Draws used for the hindcast bands (the run's first; a band needs far fewer than 10^6).
HINDCAST_DRAWS = 10_000

_COL = {name: i for i, name in enumerate(BASELINE_PARAMETERS)}


@dataclass(frozen=True)
class Hindcast:
    """One start year's hindcast: paths over ``years`` (start year to base year) and its fit."""

    start_year: int
    years: tuple[int, ...]
    recorded: tuple[float | None, ...]  #: None where History has no value
    central: tuple[float, ...]
    p10: tuple[float, ...]
    p50: tuple[float, ...]
    p90: tuple[float, ...]
    workforce_start: float  #: central workforce at the start year
    workforce_from: str  #: "history" or "backward"
    error_pct: float  #: 100 · (modelled − recorded) / recorded at the base year, central
    rmse_log: float  #: RMSE of log(modelled / recorded) over the recorded years after the start
    coverage: float  #: share of those recorded years inside the draws' P10–P90 band
    window: int  #: number of those recorded years
    draws_excluded: int  #: draws left out of the band (backward workforce collapsed)
    suggested_productivity_growth: float


@dataclass(frozen=True)
class Validation:
    """Everything the validation found (``skipped`` non-empty when it did not run)."""

    hindcasts: tuple[Hindcast, ...]
    growth_inside: int  #: recorded annual growth rates inside the one-year-ahead band
    growth_count: int  #: recorded annual growth rates (consecutive recorded years)
    growth_band: tuple[float, float]  #: the baseline's first-year growth, P10 and P90
    history_sd: float | None  #: standard deviation of recorded log growth
    shock_sd: float
    productivity_growth: float  #: the workbook's central value
    warnings: tuple[str, ...]
    skipped: str = ""

    @property
    def passed(self) -> bool:
        """True when it ran and raised no warning."""
        return not self.skipped and not self.warnings


def start_years(history: dict[int, float], base_year: int) -> list[int]:
    """Earliest recorded year, ``Y0 − 5`` and ``Y0 − 3``, those recorded, distinct, sorted."""
    wanted = {min(history), base_year - 5, base_year - 3}
    return sorted(y for y in wanted if y in history and y < base_year)


def _rates(params: FloatArray) -> tuple[FloatArray, ...]:
    """Per draw: retention ``1 − a − m + r_o`` and graduates absorbed in the base year, growth."""
    keep = (
        1.0
        - params[_COL["attrition_rate"]]
        - params[_COL["emigration_rate"]]
        + params[_COL["other_entry_rate"]]
    )
    grads0 = params[_COL["graduates_base"]] * params[_COL["absorption_rate"]]
    return keep, grads0, 1.0 + params[_COL["graduates_growth"]]


def backward_workforce(params: FloatArray, steps: int) -> FloatArray:
    """Workforce ``steps`` years before the base year, per draw (MODEL.md step 1)."""
    keep, grads0, growth = _rates(params)
    w = params[_COL["workforce_base"]].copy()
    for t in range(0, -steps, -1):  # W_{t-1} from W_t, t = 0, -1, ...
        w = (w - grads0 * growth**t) / keep
    return np.asarray(w, dtype=np.float64)


def forward(
    params: FloatArray,
    w_start: FloatArray,
    e_start: float,
    steps: int,
    log_shocks: FloatArray | None,
) -> tuple[FloatArray, FloatArray]:
    """Exports and workforce ``(steps + 1, draws)`` from the start year to the base year."""
    keep, grads0, growth = _rates(params)
    g = params[_COL["productivity_growth"]]
    rz = params[_COL["realization_base"]]
    n = params.shape[1]
    exports = np.empty((steps + 1, n))
    workforce = np.empty((steps + 1, n))
    w = np.array(w_start, dtype=np.float64)
    prod = e_start / (w * rz)
    exports[0], workforce[0] = e_start, w
    for s in range(1, steps + 1):
        t = s - steps  # year relative to the base year: -steps+1 .. 0
        prod = prod * (1.0 + g)
        if log_shocks is not None:
            prod = prod * np.exp(log_shocks[s - 1])
        w = w * keep + grads0 * growth**t
        exports[s], workforce[s] = w * prod * rz, w
    return exports, workforce


def _fit(
    years: Sequence[int],
    recorded: dict[int, float],
    central: FloatArray,
    low: FloatArray,
    high: FloatArray,
) -> tuple[float, float, int]:
    """RMSE of log errors, band coverage and window over the recorded years after the start."""
    logs, inside = [], []
    for i, y in enumerate(years[1:], start=1):
        if y in recorded and recorded[y] > 0:
            logs.append(math.log(central[i] / recorded[y]))
            inside.append(low[i] <= recorded[y] <= high[i])
    if not logs:
        return math.nan, math.nan, 0
    rmse = math.sqrt(sum(v * v for v in logs) / len(logs))
    return rmse, sum(inside) / len(inside), len(logs)


def hindcast(
    inputs: Inputs, central: Theta, draws: Theta, start: int, log_shocks: FloatArray | None
) -> Hindcast:
    """The hindcast from ``start`` to the base year (see the module docstring)."""
    base = inputs.settings.base_year
    recorded = {p.year: p.exports for p in inputs.history}
    recorded[base] = inputs.parameter("exports_base").central
    known = {p.year: p.workforce for p in inputs.history if p.workforce is not None}
    steps = base - start
    years = tuple(range(start, base + 1))
    if start in known:
        w_c = np.array([known[start]])
        w_d = np.full(draws.size, known[start])
        source = "history"
    else:
        w_c = backward_workforce(central.params[:, :1], steps)
        w_d = backward_workforce(draws.params, steps)
        source = "backward"
    path_c, work_c = forward(central.params[:, :1], w_c, recorded[start], steps, None)
    ok = w_d > MIN_WORKFORCE_SHARE * draws.params[_COL["workforce_base"]]
    shocks = None if log_shocks is None else log_shocks[:steps, ok]
    path_d, _ = forward(draws.params[:, ok], w_d[ok], recorded[start], steps, shocks)
    if path_d.shape[1]:
        p10, p50, p90 = np.percentile(path_d, (BAND[0], 50.0, BAND[1]), axis=1)
    else:
        p10 = p50 = p90 = np.full(steps + 1, math.nan)
    rmse, coverage, window = _fit(years, recorded, path_c[:, 0], p10, p90)
    e_end = recorded[base]
    suggested = (e_end * w_c[0] / (work_c[-1, 0] * recorded[start])) ** (1.0 / steps) - 1.0
    return Hindcast(
        start_year=start,
        years=years,
        recorded=tuple(recorded.get(y) for y in years),
        central=tuple(float(v) for v in path_c[:, 0]),
        p10=tuple(float(v) for v in p10),
        p50=tuple(float(v) for v in p50),
        p90=tuple(float(v) for v in p90),
        workforce_start=float(w_c[0]),
        workforce_from=source,
        error_pct=100.0 * (float(path_c[-1, 0]) - e_end) / e_end,
        rmse_log=rmse,
        coverage=coverage,
        window=window,
        draws_excluded=int(draws.size - np.count_nonzero(ok)),
        suggested_productivity_growth=float(suggested),
    )


def recorded_growth(inputs: Inputs) -> list[float]:
    """Annual growth rates between consecutive recorded years (base year = exports_base)."""
    recorded = {p.year: p.exports for p in inputs.history}
    recorded[inputs.settings.base_year] = inputs.parameter("exports_base").central
    return [
        recorded[y] / recorded[y - 1] - 1.0
        for y in sorted(recorded)
        if y - 1 in recorded and recorded[y - 1] > 0
    ]


def _warnings(
    found: Sequence[Hindcast], workbook_growth: float, year: Callable[[int], str] = str
) -> list[str]:
    """The validation's warnings; ``year`` labels a year (``Settings.year_label``)."""
    warn = []
    first = found[0]
    if abs(first.error_pct) > MAX_ERROR_PCT:
        warn.append(
            f"run from {year(first.start_year)}, the model misses the base year's recorded exports "
            f"by {first.error_pct:+.0f}% (more than {MAX_ERROR_PCT:.0f}%)"
        )
    for h in found:
        if h.window >= MIN_COVERAGE_WINDOW and h.coverage < MIN_COVERAGE:
            inside = round(h.coverage * h.window)
            share = "none" if inside == 0 else f"only {inside} of {h.window}"
            warn.append(
                f"run from {year(h.start_year)}, {share} of the recorded years fall inside the "
                f"model's P10–P90 band (below {MIN_COVERAGE:.0%})"
            )
    suggested = [h.suggested_productivity_growth for h in found]
    if max(suggested) - min(suggested) > MAX_SPREAD:
        warn.append(
            "the productivity growth that reproduces the record ranges from "
            f"{min(suggested):.1%} to {max(suggested):.1%} a year across start years (more "
            f"than {MAX_SPREAD * 100:.0f} percentage points apart; the workbook has "
            f"{workbook_growth:.1%})"
        )
    return warn


def validate(
    inputs: Inputs,
    central: Theta,
    draws: Theta,
    log_shocks: FloatArray | None,
    first_year_growth: FloatArray,
) -> Validation:
    """Hindcasts from each start year, the one-year-ahead check and the warnings.

    Parameters
    ----------
    inputs
        The workbook's inputs.
    central
        One row with every quantity at Central.
    draws
        Parameter draws for the bands (the run's first ``HINDCAST_DRAWS``), without shocks.
    log_shocks
        ``(years, draws)`` log shocks ``ε − σ²/2`` for the hindcast years (None: no shocks).
    first_year_growth
        The baseline's growth of exports in its first projected year, per draw (with shocks).
    """
    base = inputs.settings.base_year
    history = {p.year: p.exports for p in inputs.history if p.year < base}
    history[base] = inputs.parameter("exports_base").central
    growth_g = inputs.parameter("productivity_growth").central
    sigma = inputs.parameter("shock_sd").central
    if len(history) < MIN_HISTORY:
        why = (
            f"the History sheet has {len(history)} recorded year"
            f"{'s' if len(history) != 1 else ''} up to the base year; the validation needs "
            f"at least {MIN_HISTORY}"
        )
        return Validation((), 0, 0, (math.nan, math.nan), None, sigma, growth_g, (), why)
    found = tuple(
        hindcast(inputs, central, draws, y, log_shocks) for y in start_years(history, base)
    )
    rates = recorded_growth(inputs)
    low, high = (float(v) for v in np.percentile(first_year_growth, BAND))
    logs = [math.log1p(r) for r in rates]
    sd = float(np.std(logs, ddof=1)) if len(logs) > 1 else None
    return Validation(
        hindcasts=found,
        growth_inside=sum(low <= r <= high for r in rates),
        growth_count=len(rates),
        growth_band=(low, high),
        history_sd=sd,
        shock_sd=sigma,
        productivity_growth=growth_g,
        warnings=tuple(_warnings(found, growth_g, inputs.settings.year_label)),
    )
