"""Variance-based sensitivity: first-order and total Sobol indices with bootstrap intervals.

``sobol_indices`` is a generic estimator for any vectorised model of independent inputs;
``headline_sobol`` applies it to the engine (MODEL.md v2, "variance-based sensitivity").

Design (Saltelli et al. 2010, "Variance based sensitivity analysis of model output"): two
independent ``n × d`` matrices of base samples ``A`` and ``B`` and, for each factor ``i``,
``A_B^i``: ``A`` with factor ``i``'s columns taken from ``B``. A factor is a *group* of
columns swapped together (the engine's yearly shocks are ``horizon`` normal variates and one
factor). With ``V`` the variance of the outputs over ``A`` and ``B`` together,

- first order (Saltelli et al. 2010): ``S_i = mean(f(B) · (f(A_B^i) − f(A))) / V``;
- total (Jansen 1999): ``ST_i = mean((f(A) − f(A_B^i))²) / (2 V)``.

That is ``n · (factors + 2)`` model evaluations. The outputs are centred on their mean over
``A`` and ``B`` first (as SALib does): the estimators are unbiased either way, but the
first-order one has a much smaller variance when the output's mean is large against its spread.

Base samples are pseudo-random uniforms from the ``Generator`` passed in (no SciPy, and a
quasi-random design would gain little at the sizes used here while needing a dependency or a
Sobol' sequence generator of our own). Confidence intervals are bootstrap percentiles over the
``n`` rows (a row is the ``A``, ``B`` and every ``A_B^i`` sample of one base point, resampled
together). Every bootstrap replicate is a weighted mean of per-row terms, so all replicates
are one matrix product of the resampling counts with those terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from policybrief.model.levers import schedule
from policybrief.model.normal import normal_quantile
from policybrief.model.projection import final_exports
from policybrief.model.sampling import Theta, central_theta, pert_quantile, shock_sd

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from policybrief.domain import Inputs
    from policybrief.model.arrays import FloatArray, IntArray
    from policybrief.model.levers import Schedule
    from policybrief.model.sampling import Quantity

#: Base samples per design matrix on the engine (``n``). On the Pakistan example (21 quantities
#: and the shocks, 10 years) that is 98,304 evaluations of two scenarios, about 0.1 s of CPU,
#: and 95% intervals at most 0.08 wide on a total index and 0.10 on a first-order one, narrow
#: enough to rank the leading inputs (``benchmarks/bench_sobol.py``).
SOBOL_SAMPLES = 4096
#: Bootstrap replicates for the confidence intervals.
SOBOL_BOOTSTRAP = 500
#: The factor that stands for every year's shock to revenue per worker (MODEL.md v2).
SHOCKS_LABEL = "year-to-year shocks"
#: The engine outputs, in column order: headline final-year exports, its gain over the baseline.
OUTPUTS: tuple[str, ...] = ("exports", "gain")
#: Spawn key of the Sobol stream: ``SeedSequence(seed, spawn_key=SOBOL_SPAWN_KEY)``. The Monte
#: Carlo's blocks use keys ``(block,)`` and ``(block, stream)``; no run reaches this block.
SOBOL_SPAWN_KEY: tuple[int, ...] = (2**32 - 1,)
#: Model rows evaluated per call (bounds memory; results do not depend on it).
BATCH_ROWS = 1 << 17

# smallest value a uniform may take: Generator.random gives multiples of 2**-53 in [0, 1)
_TINY = 2.0**-54


@dataclass(frozen=True)
class SobolIndices:
    """First-order and total indices of ``k`` outputs with respect to ``factors`` factors.

    Index arrays have shape ``(factors, k)``: row ``i`` is factor ``i``, column ``j`` output
    ``j``. ``*_low`` and ``*_high`` bound the bootstrap percentile interval at level
    ``confidence`` (nan when ``bootstrap`` is 0). ``mean`` and ``variance`` (``(k,)``) are the
    outputs' over the ``2n`` samples of ``A`` and ``B``. When an output does not vary
    (``variance`` 0) every index of it is 0.
    """

    first: FloatArray
    total: FloatArray
    first_low: FloatArray
    first_high: FloatArray
    total_low: FloatArray
    total_high: FloatArray
    mean: FloatArray
    variance: FloatArray
    n: int
    evaluations: int
    bootstrap: int
    confidence: float


def _groups(factors: int | Sequence[Sequence[int]]) -> tuple[list[IntArray], int]:
    """The factors' column groups and the number of columns ``d``; they must partition 0..d-1."""
    if isinstance(factors, int | np.integer):
        factors = int(factors)
        if factors < 0:
            raise ValueError("sobol_indices: the number of factors cannot be negative")
        return [np.array([i], dtype=np.intp) for i in range(factors)], factors
    groups = [np.asarray(g, dtype=np.intp).reshape(-1) for g in factors]
    if any(g.size == 0 for g in groups):
        raise ValueError("sobol_indices: every factor needs at least one column")
    columns = np.sort(np.concatenate([np.empty(0, dtype=np.intp), *groups]))
    if not np.array_equal(columns, np.arange(columns.size)):
        raise ValueError("sobol_indices: the factors' columns must partition 0..d-1")
    return groups, int(columns.size)


def _as_outputs(y: FloatArray, rows: int) -> FloatArray:
    """The model's outputs as ``(rows, k)``."""
    out = np.asarray(y, dtype=np.float64)
    if out.ndim == 1:
        out = out[:, None]
    if out.ndim != 2 or out.shape[0] != rows:
        raise ValueError(f"sobol_indices: the model returned shape {out.shape} for {rows} rows")
    return out


def _evaluate(
    model: Callable[[FloatArray], FloatArray],
    a: FloatArray,
    b: FloatArray,
    groups: list[IntArray],
    batch_rows: int,
) -> FloatArray:
    """``f`` on ``A``, ``B``, ``A_B^1..A_B^p`` as ``(p + 2, n, k)``, in calls of few rows."""
    n = a.shape[0]
    matrices = len(groups) + 2
    per_call = max(1, batch_rows // n)
    parts = []
    for first in range(0, matrices, per_call):
        count = min(per_call, matrices - first)
        x = np.tile(a, (count, 1))
        for j in range(count):
            m = first + j  # 0 is A, 1 is B, 2 + i is A_B^i
            rows = slice(j * n, (j + 1) * n)
            if m == 1:
                x[rows] = b
            elif m > 1:
                cols = groups[m - 2]
                x[rows, cols] = b[:, cols]
        parts.append(_as_outputs(model(x), count * n))
    y = np.concatenate(parts)
    return y.reshape(matrices, n, y.shape[1])


def _row_terms(y: FloatArray) -> FloatArray:
    """Per-row terms whose means give every estimate, ``(n, 2k + 2pk)``.

    ``y`` is ``(p + 2, n, k)``, centred. Columns: ``(y_A + y_B)/2``, ``(y_A² + y_B²)/2``, then
    ``y_B · (y_AB^i − y_A)`` and ``(y_A − y_AB^i)² / 2`` for each factor ``i`` and output.
    """
    y_a, y_b, y_ab = y[0], y[1], y[2:]
    n = y_a.shape[0]
    first = (y_b * (y_ab - y_a)).transpose(1, 0, 2).reshape(n, -1)
    total = (0.5 * (y_a - y_ab) ** 2).transpose(1, 0, 2).reshape(n, -1)
    return np.hstack(((y_a + y_b) / 2, (y_a**2 + y_b**2) / 2, first, total))


def _indices(means: FloatArray, factors: int, floor: FloatArray) -> tuple[FloatArray, FloatArray]:
    """First-order and total indices ``(..., factors, k)`` from means of the row terms.

    An output whose variance is at most ``floor`` (``(k,)``: rounding noise) does not vary and
    gets 0.
    """
    k = floor.size
    lead = means.shape[:-1]
    mean, square = means[..., :k], means[..., k : 2 * k]
    variance = (square - mean**2)[..., None, :]
    first = means[..., 2 * k : 2 * k + factors * k].reshape(*lead, factors, k)
    total = means[..., 2 * k + factors * k :].reshape(*lead, factors, k)
    varies = ~(variance <= floor)  # nan (a model returning nan) stays nan
    safe = np.where(varies, variance, 1.0)
    return np.where(varies, first / safe, 0.0), np.where(varies, total / safe, 0.0)


def _bootstrap_counts(n: int, replicates: int, rng: np.random.Generator) -> FloatArray:
    """How often each of ``n`` rows is drawn in each replicate, ``(replicates, n)``."""
    picks = rng.integers(0, n, size=(replicates, n)) + n * np.arange(replicates)[:, None]
    counts = np.bincount(picks.reshape(-1), minlength=replicates * n)
    return counts.reshape(replicates, n).astype(np.float64)


def sobol_indices(
    model: Callable[[FloatArray], FloatArray],
    factors: int | Sequence[Sequence[int]],
    n: int,
    rng: np.random.Generator,
    *,
    transform: Callable[[FloatArray], FloatArray] | None = None,
    bootstrap: int = SOBOL_BOOTSTRAP,
    confidence: float = 0.95,
    batch_rows: int = BATCH_ROWS,
) -> SobolIndices:
    """First-order and total Sobol indices of ``model``, with bootstrap confidence intervals.

    Parameters
    ----------
    model
        Maps ``(m, d)`` inputs to outputs ``(m,)`` or ``(m, k)`` (``k`` outputs of the same
        samples). Inputs are uniforms in ``(0, 1)``, or ``transform`` of them.
    factors
        ``d`` (each column its own factor) or the factors' column groups, which must
        partition ``0..d-1``; a group's columns are swapped together.
    n
        Base samples per design matrix (at least 2): ``n · (factors + 2)`` evaluations.
    rng
        Draws the ``2 n d`` base uniforms (``A`` then ``B``), then the bootstrap rows.
    transform
        Optional column-wise map from uniforms ``(2n, d)`` to input values, applied to ``A``
        and ``B`` once before the ``A_B^i`` are formed (each ``A_B^i`` is a mix of their
        columns, so this equals transforming every matrix, at a fraction of the cost).
    bootstrap
        Replicates for the confidence intervals (0: none, the bounds are nan).
    confidence
        Level of the percentile intervals.
    batch_rows
        Rows per ``model`` call (a call has at least ``n``); bounds memory, does not change
        the results.

    Returns
    -------
    SobolIndices
        Indices and bounds of shape ``(factors, k)``.
    """
    groups, d = _groups(factors)
    if n < 2:
        raise ValueError("sobol_indices: n must be at least 2")
    if not 0 < confidence < 1:
        raise ValueError("sobol_indices: confidence must be in (0, 1)")
    u = rng.random((2 * n, d))
    np.maximum(u, _TINY, out=u)  # (0, 1): a normal quantile of 0 would be -inf
    x = u if transform is None else np.asarray(transform(u), dtype=np.float64)
    if x.shape != u.shape:
        raise ValueError(f"sobol_indices: transform returned shape {x.shape} for {u.shape}")
    y = _evaluate(model, x[:n], x[n:], groups, batch_rows)
    p, k = len(groups), y.shape[2]
    centre = y[:2].mean(axis=(0, 1))
    # a constant output's centred values are rounding noise, not variance
    floor = (1e-12 * np.abs(y[:2]).max(axis=(0, 1))) ** 2
    terms = _row_terms(y - centre)
    first, total = _indices(terms.mean(axis=0), p, floor)
    mean = centre + terms[:, :k].mean(axis=0)
    variance = terms[:, k : 2 * k].mean(axis=0) - terms[:, :k].mean(axis=0) ** 2
    bounds = _bootstrap_bounds(terms, p, floor, bootstrap, confidence, rng)
    return SobolIndices(
        first=first,
        total=total,
        first_low=bounds[0, 0],
        first_high=bounds[0, 1],
        total_low=bounds[1, 0],
        total_high=bounds[1, 1],
        mean=mean,
        variance=np.where(variance > floor, variance, 0.0),
        n=n,
        evaluations=n * (p + 2),
        bootstrap=bootstrap,
        confidence=confidence,
    )


def _bootstrap_bounds(
    terms: FloatArray,
    factors: int,
    floor: FloatArray,
    bootstrap: int,
    confidence: float,
    rng: np.random.Generator,
) -> FloatArray:
    """Percentile intervals ``(first | total, low | high, factor, output)`` of the indices over
    ``bootstrap`` resamples of the ``terms``' rows; nan without resamples."""
    n, k = terms.shape[0], floor.size
    bounds = np.full((2, 2, factors, k), np.nan)
    if bootstrap > 0:
        boot = _bootstrap_counts(n, bootstrap, rng) @ terms / n
        tail = (1 - confidence) / 2
        for j, replicate in enumerate(_indices(boot, factors, floor)):
            bounds[j] = np.quantile(replicate, [tail, 1 - tail], axis=0)
    return bounds


def _intensities(inputs: Inputs, scenario: str) -> FloatArray:
    """One scenario's lever intensities, in workbook order."""
    found = inputs.scenario(scenario)
    return np.array([found.intensity(lv.id) for lv in inputs.levers], dtype=np.float64)


@dataclass(frozen=True)
class _Headline:
    """The engine as a Sobol model: factor values ``(m, d)`` -> ``(m, 2)`` outputs.

    Columns ``0..q-1`` are the quantities (PERT values), ``q..q+horizon-1`` the log shocks.
    """

    quantities: Sequence[Quantity]
    central: Theta
    sched: Schedule
    sigma: float  #: 0: no shock factor

    @classmethod
    def of(cls, inputs: Inputs, quantities: Sequence[Quantity]) -> _Headline:
        """The baseline and the headline scenario of ``inputs``, ``quantities`` the factors."""
        settings = inputs.settings
        baseline = _intensities(inputs, settings.baseline_scenario)
        headline = _intensities(inputs, settings.headline_scenario)
        sched = schedule(
            inputs.levers,
            np.vstack((baseline, headline)),
            settings.base_year,
            settings.horizon,
            reference=baseline,
        )
        central = central_theta(inputs)
        sigma = shock_sd(central) if settings.horizon > 0 else 0.0
        return cls(tuple(quantities), central, sched, max(sigma, 0.0))

    @property
    def groups(self) -> list[list[int]]:
        q = len(self.quantities)
        shocks = [list(range(q, q + self.sched.horizon))] if self.sigma > 0 else []
        return [[i] for i in range(q)] + shocks

    def transform(self, u: FloatArray) -> FloatArray:
        """Uniforms to values: Beta-PERT quantiles, then normal shocks ``ε · σ − σ²/2``."""
        x = np.empty_like(u)
        for i, quantity in enumerate(self.quantities):
            column = np.ascontiguousarray(u[:, i])
            x[:, i] = pert_quantile(column, quantity.low, quantity.central, quantity.high)
        q, sigma = len(self.quantities), self.sigma
        if sigma > 0:
            x[:, q:] = normal_quantile(u[:, q:]) * sigma - sigma * sigma / 2
        return x

    def __call__(self, x: FloatArray) -> FloatArray:
        """Headline exports and headline minus baseline in the final year, ``(m, 2)``."""
        m, q = x.shape[0], len(self.quantities)
        params = np.repeat(self.central.params, m, axis=1)
        effects = np.repeat(self.central.effects, m, axis=1)
        for i, quantity in enumerate(self.quantities):
            (params if quantity.kind == "baseline" else effects)[quantity.column] = x[:, i]
        shocks = np.ascontiguousarray(x[:, q:].T) if self.sigma > 0 else None
        base, head = final_exports(Theta(params, effects, shocks), self.sched)
        return np.column_stack((head, head - base))


def headline_sobol(
    inputs: Inputs,
    quantities: Sequence[Quantity],
    *,
    seed: int,
    n: int = SOBOL_SAMPLES,
    bootstrap: int = SOBOL_BOOTSTRAP,
    confidence: float = 0.95,
) -> tuple[tuple[str, ...], SobolIndices]:
    """Sobol indices of the headline's final-year exports and of its gain over the baseline.

    Every uncertain quantity is one factor, sampled independently from its Beta-PERT
    distribution (the workbook's correlations are not applied); with ``shock_sd > 0`` the
    yearly shocks ``ε_t − σ²/2`` of every projection year are one more factor,
    ``SHOCKS_LABEL``, the same for both scenarios (common random numbers). Each evaluation
    projects the baseline and the headline scenario, every lever effect relative to the
    baseline's levers in force in the base year, as the engine does.

    Parameters
    ----------
    inputs
        Validated inputs (the Settings name the baseline and headline scenarios).
    quantities
        The uncertain quantities (``uncertain_quantities(inputs)``), in the order of the rows.
    seed
        The run's seed; the design is drawn from a stream of its own (``SOBOL_SPAWN_KEY``).
    n, bootstrap, confidence
        As in ``sobol_indices``; ``n · (factors + 2)`` evaluations of two scenarios.

    Returns
    -------
    labels : tuple of str
        One per factor: each quantity's label, then ``SHOCKS_LABEL`` when there are shocks.
    indices : SobolIndices
        Columns in ``OUTPUTS`` order: headline exports, then headline minus baseline, both in
        the final projection year (no rows when nothing is uncertain).
    """
    problem = _Headline.of(inputs, quantities)
    labels = tuple(q.label for q in quantities) + ((SHOCKS_LABEL,) if problem.sigma else ())
    key = np.random.SeedSequence(seed, spawn_key=SOBOL_SPAWN_KEY)
    indices = sobol_indices(
        problem,
        problem.groups,
        n,
        np.random.Generator(np.random.PCG64(key)),
        transform=problem.transform,
        bootstrap=bootstrap,
        confidence=confidence,
    )
    return labels, indices
