"""Decision analyses on the shipped Pakistan example: cheapest package, frontier, dominance.

The draws are the run's kept draws (the first ``min(draws, 100,000)``, with shocks and the
workbook's rank correlations), sampled as ``engine.run`` samples them. Wall time, median of
``REPEATS`` calls in this process (imports and the Monte Carlo run excluded).

The shipped targets are all out of reach at the workbook's required chance, so the search
stops at the feasibility check. A second row times a real search: every target moved to
midway (in the target year's required order statistic) between the least package and the
most helpful one, so each is feasible and needs the whole climb and polish.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from pathlib import Path

import numpy as np

from policybrief.model.cheapest import SEARCH_DRAWS, cheapest_package, needed_draws
from policybrief.model.frontier import dominance, frontier, scenario_points
from policybrief.model.packages import draw_exports, order_statistic, package_space
from policybrief.model.rankcorr import rank_correlation
from policybrief.model.sampling import central_theta, sample_theta, uncertain_quantities
from policybrief.model.simulation import PERCENTILE_DRAWS
from policybrief.workbook import read_workbook

WORKBOOK = Path(__file__).resolve().parent.parent / "workbooks" / "pakistan_it_exports.xlsx"
REPEATS = 5


def _draws(inputs):
    quantities = uncertain_quantities(inputs)
    rank = rank_correlation(inputs, quantities)
    settings = inputs.settings
    return sample_theta(
        central_theta(inputs),
        quantities,
        settings.seed,
        0,
        min(settings.draws, PERCENTILE_DRAWS),
        horizon=settings.horizon,
        correlate=rank.apply if rank is not None else None,
    )


def _midway(inputs, draws):
    """The inputs with every target midway between the least and the most helpful package."""
    space = package_space(inputs)
    search = draws.rows(0, min(draws.size, SEARCH_DRAWS))
    m = needed_draws(inputs.settings.target_probability, search.size)
    targets = []
    for t in inputs.targets:
        year = np.full(2, t.year - inputs.settings.base_year, dtype=np.intp)
        ends = order_statistic(
            draw_exports(space, search, np.stack([space.start, space.upper]), year), m
        )
        targets.append(dataclasses.replace(t, value=float(ends.mean())))
    return dataclasses.replace(inputs, targets=tuple(targets))


def _time(fn) -> tuple[float, object]:
    times, out = [], None
    for _ in range(REPEATS):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def run() -> list[tuple[str, str, str]]:
    """Measure and return ``(measure, value, target/verdict)`` rows."""
    inputs = read_workbook(WORKBOOK)
    draws = _draws(inputs)
    midway = _midway(inputs, draws)
    shipped, found = _time(lambda: cheapest_package(inputs, draws))
    searched, solved = _time(lambda: cheapest_package(midway, draws))
    drawn, _ = _time(lambda: frontier(inputs))
    ranked, _ = _time(lambda: dominance(scenario_points(inputs)))
    statuses = ", ".join(p.status for p in found)
    solved_statuses = ", ".join(p.status for p in solved)

    def verdict(seconds: float) -> str:
        return "ok" if seconds < 1.0 else "MISSED"

    n = len(inputs.targets)
    return [
        (f"cheapest package, {n} shipped targets ({statuses})", f"{shipped:.3f} s",
         f"< 1 s: {verdict(shipped)}"),
        (f"cheapest package, {n} targets moved midway ({solved_statuses})", f"{searched:.3f} s",
         f"< 1 s: {verdict(searched)}"),
        ("frontier (11 budgets, every scenario placed)", f"{drawn:.3f} s", "-"),
        ("dominance (scenario points)", f"{ranked:.3f} s", "-"),
    ]  # fmt: skip


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row))
