"""The chunked Monte Carlo run: draws -> means, percentiles and target probabilities.

Memory and time (measured by ``benchmarks/bench_engine.py``). Exact percentiles need every
draw of a (scenario, metric, year) at once, and storing every metric of every draw is
``8 metrics × scenarios × years × draws`` floats: 2.1 GB in float64 for 10^6 draws × 3
scenarios × 11 years (the memory target is 1 GiB), and selecting the percentiles of 10^6
draws would cost ~1.4 s even with the fast selection below.
The choice made here:

- Draws are processed in chunks of whole random-stream blocks (``sampling.BLOCK_SIZE``), so
  memory per chunk is bounded and the draws do not depend on ``chunk_size``. Each chunk's
  years come from ``projection.years`` and are reduced while still in cache; no
  draws × years array is built for a chunk (only for the kept draws below).
- Means and target probabilities use **every** draw: per-block sums (``np.add.reduceat``)
  and integer counts, combined in block order, so they too are identical for any chunk size.
  A year whose values repeat the previous year's (see ``projection.Year.repeated``) reuses
  its sums.
- Percentiles are **exact over the first** ``percentile_draws`` **draws** (all draws when there
  are fewer): ``min(draws, PERCENTILE_DRAWS, ⌊PERCENTILE_VALUES / (scenarios · years)⌋)``
  (MODEL.md), at most 64 MB per metric (21,505 draws at the limits, 12 scenarios × 31 years,
  where 10^5 draws would need 2.4 GB). Those draws' paths are kept in float64 (185 MB at 3
  scenarios × 11 years) and reduced once at the end by ``percentiles_along_last_axis``
  (bit-identical to ``np.percentile``, ~0.1 s for 7 metrics × 33 lanes × 10^5 draws). Above
  that count they are an estimate whose sampling error is below 0.5 % of a standard deviation
  for the 10th-90th percentiles at 10^5 draws (about 1 % at 21,505), far below the spread the
  deck shows. ``fiscal_cost`` does not depend on the
  draw unless some lever's cost scales with exports, and is then not stored.
- The first year each draw reaches each target is counted per year (a histogram), so the
  year-reached percentiles are exact over every draw and independent of the chunk size.
- The leading kept draws are returned for the goal seek (see ``goalseek.GOAL_SEEK_DRAWS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from policybrief.model.projection import years
from policybrief.model.results import METRICS
from policybrief.model.sampling import BLOCK_SIZE, Theta, sample_theta, shock_sd

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from numpy.typing import NDArray

    from policybrief.model.arrays import FloatArray
    from policybrief.model.levers import Schedule
    from policybrief.model.sampling import Quantity

    IntArray = NDArray[np.int64]

#: Percentiles (and the goal seek) use at most the first this-many draws; means and
#: probabilities use all.
PERCENTILE_DRAWS = 100_000
#: ... and at most this many values per metric (draws × scenarios × years, 64 MB in float64).
PERCENTILE_VALUES = 8_000_000
#: Metrics that may not depend on the draw (then their percentiles and mean are the central
#: path): fiscal cost, unless a lever's cost scales with exports.
DETERMINISTIC: frozenset[str] = frozenset({"fiscal_cost"})


@dataclass(frozen=True)
class DrawSummary:
    """Reductions over the draws, per case (scenario) and year.

    ``mean[metric]`` and ``percentiles[q][metric]`` have shape ``(cases, horizon + 1)``;
    ``meeting[i, k]`` counts the draws with exports in target ``i``'s year at or above its
    value in case ``k``; ``first_year[i, k, t]`` counts the draws whose exports first reach
    target ``i``'s value in projection year ``t`` (1..horizon; index ``horizon + 1``: never,
    index 0 unused). ``kept`` holds the first ``kept.size`` draws (with their shocks).
    """

    draws: int
    mean: Mapping[str, FloatArray]
    percentiles: Mapping[int, Mapping[str, FloatArray]]
    meeting: IntArray
    first_year: IntArray
    kept: Theta

    @property
    def probability(self) -> FloatArray:
        """Share of draws meeting each target, ``(targets, cases)``."""
        share: FloatArray = self.meeting / self.draws
        return share


def percentiles_along_last_axis(values: FloatArray, q: FloatArray) -> FloatArray:
    """``np.percentile(values, q, axis=-1)`` (method "linear"), reordering ``values`` in place.

    Same result as numpy, about 3× faster: numpy partitions at every needed index at once,
    which falls back from its SIMD selection to introselect; here each lane is partitioned at
    one index at a time (largest first, each time only the part below the previous index), and
    the next order statistic above an index is the minimum of the segment up to the next one.

    Parameters
    ----------
    values
        Array ``(..., n)``; partially reordered along its last axis on return.
    q
        Percentiles in ``[0, 100]``.

    Returns
    -------
    numpy.ndarray
        ``(len(q), ...)``.
    """
    n = values.shape[-1]
    lanes = values.reshape(-1, n)
    virtual = (n - 1) * (np.asarray(q, dtype=np.float64) / 100)
    below = np.floor(virtual)
    top = virtual >= n - 1
    kth = sorted({int(k) for k in below[~top]}, reverse=True)
    at: dict[int, FloatArray] = {}
    after: dict[int, FloatArray] = {}
    end = n
    for k in kth:
        lanes[:, :end].partition(k, axis=-1)
        at[k] = lanes[:, k].copy()
        after[k] = lanes[:, k + 1 : end + 1 if end < n else n].min(axis=-1) if k + 1 < n else at[k]
        end = k
    result = np.empty((len(virtual), lanes.shape[0]))
    for i, (v, k) in enumerate(zip(virtual, below, strict=True)):
        if top[i]:
            result[i] = lanes.max(axis=-1)
            continue
        a, b = at[int(k)], after[int(k)]
        gamma = v - k
        # numpy's _lerp, for identical results
        diff = b - a
        result[i] = b - diff * (1 - gamma) if gamma >= 0.5 else a + diff * gamma
    return result.reshape(len(virtual), *values.shape[:-1])


def percentile_draws(draws: int, cases: int, horizon: int) -> int:
    """Leading draws the percentiles are exact over (MODEL.md, "Uncertainty").

    ``min(draws, PERCENTILE_DRAWS, ⌊PERCENTILE_VALUES / (cases · (horizon + 1))⌋)``, at least 1.
    """
    by_memory = PERCENTILE_VALUES // (cases * (horizon + 1))
    return max(1, min(draws, PERCENTILE_DRAWS, by_memory))


def chunk_rows(chunk_size: int, block_size: int = BLOCK_SIZE) -> int:
    """Draws per chunk: ``chunk_size`` rounded to a whole number (at least 1) of blocks."""
    return max(1, round(chunk_size / block_size)) * block_size


def simulate(
    sched: Schedule,
    central: Theta,
    quantities: tuple[Quantity, ...],
    *,
    draws: int,
    seed: int,
    percentiles: Sequence[int],
    targets: Sequence[tuple[float, int]],
    chunk_size: int,
    progress: Callable[[float, float, str], None] | None = None,
    block_size: int = BLOCK_SIZE,
    kept_draws: int | None = None,
    correlate: Callable[[FloatArray], None] | None = None,
) -> DrawSummary:
    """Project ``draws`` Monte Carlo draws of every case, chunk by chunk, and reduce them.

    Parameters
    ----------
    sched
        Lever terms of the cases (the scenarios), shared by every draw (common random numbers).
    central
        One row with every quantity at Central.
    quantities
        The uncertain quantities.
    draws, seed
        Sample size and seed.
    percentiles
        Percentiles to report (0-100).
    targets
        ``(value, year index)`` per target; the year index counts from the base year (0).
    chunk_size
        Approximate draws per chunk (rounded to whole blocks); does not change the results.
    progress
        Optional ``progress(done, total, what)`` callback, called after each chunk.
    block_size, kept_draws
        Random-stream block size; how many leading draws are kept for percentiles (default
        ``percentile_draws``).
    correlate
        Optional rank-correlation step for each block's uniforms (see ``sample_theta``).

    Returns
    -------
    DrawSummary
    """
    if draws < 1:
        raise ValueError("draws must be at least 1")
    step, h = chunk_rows(chunk_size, block_size), sched.horizon
    if kept_draws is None:
        kept_draws = percentile_draws(draws, sched.cases, h)
    tally = _Tally.empty(sched, central, targets, min(draws, kept_draws))
    for start in range(0, draws, step):
        stop = min(start + step, draws)
        theta = sample_theta(
            central, quantities, seed, start, stop, block_size, horizon=h, correlate=correlate
        )
        tally.add(theta, sched, start, block_size)
        del theta
        if progress is not None:
            progress(stop, draws, "Monte Carlo draws")
    return tally.summary(draws, percentiles)


@dataclass(frozen=True)
class _Tally:
    """What ``simulate`` accumulates chunk by chunk (its arrays and lists grow in place).

    ``sums[metric]`` holds one ``(years, cases, blocks)`` array of per-block sums per chunk;
    ``paths[metric]`` the kept draws' values ``(years, cases, kept)``; ``kept`` their draws;
    ``meeting`` and ``first_year`` as in ``DrawSummary``. ``metrics`` are the metrics that
    depend on the draw; ``deterministic`` the others' central paths ``(cases, years)``.
    """

    metrics: list[str]
    deterministic: dict[str, FloatArray]
    targets: Sequence[tuple[float, int]]
    by_year: dict[int, list[tuple[int, float]]]  #: year index -> (target index, value)
    sums: dict[str, list[FloatArray]]
    paths: dict[str, FloatArray]
    kept: Theta
    meeting: IntArray
    first_year: IntArray

    @classmethod
    def empty(
        cls, sched: Schedule, central: Theta, targets: Sequence[tuple[float, int]], n_keep: int
    ) -> _Tally:
        """Nothing counted yet; room for ``n_keep`` kept draws."""
        h = sched.horizon
        fixed = DETERMINISTIC if not sched.has_cost_share else frozenset()
        metrics = [m for m in METRICS if m not in fixed]
        deterministic: dict[str, FloatArray] = {}
        if fixed:
            deterministic["fiscal_cost"] = np.zeros((sched.cases, h + 1))
            deterministic["fiscal_cost"][:, 1:] = sched.cost
        by_year: dict[int, list[tuple[int, float]]] = {}
        for i, (value, year_index) in enumerate(targets):
            by_year.setdefault(year_index, []).append((i, value))
        sigma_on = shock_sd(central) > 0 and h > 0
        return cls(
            metrics=metrics,
            deterministic=deterministic,
            targets=targets,
            by_year=by_year,
            sums={m: [] for m in metrics},
            paths={m: np.empty((h + 1, sched.cases, n_keep)) for m in metrics},
            kept=Theta(
                np.empty((central.params.shape[0], n_keep)),
                np.empty((central.effects.shape[0], n_keep)),
                np.empty((h, n_keep)) if sigma_on else None,
            ),
            meeting=np.zeros((len(targets), sched.cases), dtype=np.int64),
            first_year=np.zeros((len(targets), sched.cases, h + 2), dtype=np.int64),
        )

    def add(self, theta: Theta, sched: Schedule, start: int, block_size: int) -> None:
        """Count the chunk of draws ``start:start + theta.size`` (``start`` on a block)."""
        n, h = theta.size, sched.horizon
        segments = np.arange(0, n, block_size)
        n_rows = max(0, min(n, self.kept.size - start))
        sums = {m: np.empty((h + 1, sched.cases, segments.size)) for m in self.metrics}
        reached = np.full((len(self.targets), sched.cases, n), h + 1, dtype=np.int64)
        for t, year in enumerate(years(theta, sched)):
            # Each year is reduced while it is in cache; nothing of size draws × years is kept.
            for m in self.metrics:
                values = np.broadcast_to(year.metric(m), (sched.cases, n))
                if m in year.repeated:  # same values as last year (see projection)
                    sums[m][t] = sums[m][t - 1]
                else:
                    sums[m][t] = np.add.reduceat(values, segments, axis=-1)
                if n_rows:
                    self.paths[m][t, :, start : start + n_rows] = values[..., :n_rows]
            if t:
                _first_years(year.exports, self.targets, reached, t, never=h + 1)
            for i, value in self.by_year.get(t, ()):
                exports = np.broadcast_to(year.exports, (sched.cases, n))
                self.meeting[i] += np.count_nonzero(exports >= value, axis=1)
        for i in range(len(self.targets)):
            for k in range(sched.cases):
                self.first_year[i, k] += np.bincount(reached[i, k], minlength=h + 2)
        for m in self.metrics:
            self.sums[m].append(sums[m])
        if n_rows:
            kept = self.kept
            kept.params[:, start : start + n_rows] = theta.params[:, :n_rows]
            kept.effects[:, start : start + n_rows] = theta.effects[:, :n_rows]
            if kept.shocks is not None and theta.shocks is not None:
                kept.shocks[:, start : start + n_rows] = theta.shocks[:, :n_rows]

    def summary(self, draws: int, percentiles: Sequence[int]) -> DrawSummary:
        """Means over every draw, percentiles over the kept ones (their paths are released)."""
        mean = {
            m: (np.concatenate(self.sums[m], axis=2).sum(axis=2) / draws).T for m in self.metrics
        }
        mean.update(self.deterministic)
        by_q: dict[int, dict[str, FloatArray]] = {int(q): {} for q in percentiles}
        qs = np.asarray(percentiles, dtype=np.float64)
        for m in self.metrics:
            values = percentiles_along_last_axis(self.paths[m], qs).transpose(
                0, 2, 1
            )  # (q, case, year)
            del self.paths[m]  # release as we go
            for q, v in zip(by_q, values, strict=True):
                by_q[q][m] = v
        for by_metric in by_q.values():
            by_metric.update({m: v.copy() for m, v in self.deterministic.items()})
        ordered = {q: {m: by_q[q][m] for m in METRICS} for q in by_q}
        return DrawSummary(
            draws=draws,
            mean={m: mean[m] for m in METRICS},
            percentiles=ordered,
            meeting=self.meeting,
            first_year=self.first_year,
            kept=self.kept,
        )


def _first_years(
    exports: FloatArray,
    targets: Sequence[tuple[float, int]],
    reached: IntArray,
    t: int,
    *,
    never: int,
) -> None:
    """Record year ``t`` for draws reaching a target's value for the first time."""
    for i, (value, _) in enumerate(targets):
        new = (reached[i] == never) & (exports >= value)
        reached[i][new] = t
