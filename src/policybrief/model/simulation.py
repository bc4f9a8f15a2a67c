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
- Percentiles are **exact over the first** ``min(draws, PERCENTILE_DRAWS, KEPT_VALUES //
  (scenarios × (horizon + 1)))`` **draws** (MODEL.md): those draws' paths are kept in float64
  (185 MB at 3 scenarios × 11 years, never more than 7 metrics × ``KEPT_VALUES`` × 8 bytes =
  448 MB however many scenarios and years; the largest model the workbook allows, 12 scenarios
  × 31 years, keeps 21,505 draws) and
  reduced once at the end by ``percentiles_along_last_axis`` (bit-identical to
  ``np.percentile``, ~0.1 s for 7 metrics × 33 lanes × 10^5 draws). Above that count they are
  an estimate whose sampling error is below 0.5 % of a standard deviation for the 10th-90th
  percentiles, far below the spread the deck shows. ``fiscal_cost`` does not depend on the
  draw and is never stored.
- The leading kept draws are returned for the goal seek (see ``goalseek.GOAL_SEEK_DRAWS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from policybrief.model.projection import years
from policybrief.model.results import METRICS
from policybrief.model.sampling import BLOCK_SIZE, Theta, sample_theta

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from numpy.typing import NDArray

    from policybrief.model.levers import Schedule
    from policybrief.model.sampling import Quantity

    FloatArray = NDArray[np.float64]

#: Percentiles (and the goal seek) use the first this-many draws; means and probabilities all.
PERCENTILE_DRAWS = 100_000
#: ... and at most this many values per metric: draws kept × scenarios × (horizon + 1).
KEPT_VALUES = 8_000_000
#: Metrics that do not depend on the draw (their percentiles and mean are the central path).
DETERMINISTIC: frozenset[str] = frozenset({"fiscal_cost"})


@dataclass(frozen=True)
class DrawSummary:
    """Reductions over the draws, per case (scenario) and year.

    ``mean[metric]`` and ``percentiles[q][metric]`` have shape ``(cases, horizon + 1)``;
    ``probability[i, k]`` is the share of draws with exports in target ``i``'s year at or above
    its value in case ``k``. ``kept`` holds the first ``kept.size`` draws.
    """

    draws: int
    mean: Mapping[str, FloatArray]
    percentiles: Mapping[int, Mapping[str, FloatArray]]
    probability: FloatArray
    kept: Theta


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
    kept_draws: int = PERCENTILE_DRAWS,
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
        Random-stream block size; how many leading draws are kept for percentiles (at most;
        fewer when ``KEPT_VALUES`` would be exceeded).

    Returns
    -------
    DrawSummary
    """
    if draws < 1:
        raise ValueError("draws must be at least 1")
    step = chunk_rows(chunk_size, block_size)
    n_keep = min(draws, kept_draws, max(1, KEPT_VALUES // (sched.cases * (sched.horizon + 1))))
    random_metrics = [m for m in METRICS if m not in DETERMINISTIC]
    kept_paths = {m: np.empty((sched.horizon + 1, sched.cases, n_keep)) for m in random_metrics}
    kept = Theta(
        np.empty((central.params.shape[0], n_keep)), np.empty((central.effects.shape[0], n_keep))
    )
    block_sums: dict[str, list[FloatArray]] = {m: [] for m in random_metrics}
    counts = np.zeros((len(targets), sched.cases), dtype=np.int64)

    h = sched.horizon
    deterministic: dict[str, FloatArray] = {"fiscal_cost": np.zeros((sched.cases, h + 1))}
    deterministic["fiscal_cost"][:, 1:] = sched.cost
    target_years: dict[int, list[tuple[int, float]]] = {}
    for i, (value, year_index) in enumerate(targets):
        target_years.setdefault(year_index, []).append((i, value))

    for start in range(0, draws, step):
        stop = min(start + step, draws)
        theta = sample_theta(central, quantities, seed, start, stop, block_size)
        segments = np.arange(0, stop - start, block_size)
        n_rows = max(0, min(stop, n_keep) - start)
        sums = {m: np.empty((h + 1, sched.cases, segments.size)) for m in random_metrics}
        for t, year in enumerate(years(theta, sched)):
            # Each year is reduced while it is in cache; nothing of size draws × years is kept.
            for m in random_metrics:
                values = year.metric(m)
                if m in year.repeated:  # same values as last year (see projection)
                    sums[m][t] = sums[m][t - 1]
                else:
                    sums[m][t] = np.add.reduceat(values, segments, axis=-1)
                if n_rows:
                    kept_paths[m][t, :, start : start + n_rows] = values[..., :n_rows]
            for i, value in target_years.get(t, ()):
                exports = np.broadcast_to(year.exports, (sched.cases, stop - start))
                counts[i] += np.count_nonzero(exports >= value, axis=1)
        for m in random_metrics:
            block_sums[m].append(sums[m])
        if n_rows:
            kept.params[:, start : start + n_rows] = theta.params[:, :n_rows]
            kept.effects[:, start : start + n_rows] = theta.effects[:, :n_rows]
        del theta
        if progress is not None:
            progress(stop, draws, "Monte Carlo draws")

    mean = {
        m: (np.concatenate(block_sums[m], axis=2).sum(axis=2) / draws).T for m in random_metrics
    }
    mean.update(deterministic)
    by_q: dict[int, dict[str, FloatArray]] = {int(q): {} for q in percentiles}
    qs = np.asarray(percentiles, dtype=np.float64)
    for m in random_metrics:
        values = percentiles_along_last_axis(kept_paths[m], qs).transpose(
            0, 2, 1
        )  # (q, case, year)
        del kept_paths[m]  # release as we go
        for q, v in zip(by_q, values, strict=True):
            by_q[q][m] = v
    for by_metric in by_q.values():
        by_metric.update({m: v.copy() for m, v in deterministic.items()})
    ordered = {q: {m: by_q[q][m] for m in METRICS} for q in by_q}
    return DrawSummary(
        draws=draws,
        mean={m: mean[m] for m in METRICS},
        percentiles=ordered,
        probability=counts / draws,
        kept=kept,
    )
