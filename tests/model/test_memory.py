"""The engine's memory does not grow with the draws: percentiles keep a bounded subset."""

from __future__ import annotations

import numpy as np
from tests.factories import make_inputs

from policybrief.model.attribution import shapley
from policybrief.model.engine import intensity_matrix
from policybrief.model.levers import schedule
from policybrief.model.sampling import central_theta, uncertain_quantities
from policybrief.model.simulation import PERCENTILE_DRAWS, PERCENTILE_VALUES, simulate


def test_kept_draws_shrink_with_scenarios_and_years_as_model_md_says():
    inputs = make_inputs(horizon=30, targets=())
    x = np.repeat(intensity_matrix(inputs), 4, axis=0)  # 12 cases
    sched = schedule(inputs.levers, x, 2025, 30, reference=None)
    summary = simulate(
        sched,
        central_theta(inputs),
        uncertain_quantities(inputs),
        draws=30_000,
        seed=1,
        percentiles=(10, 50, 90),
        targets=[],
        chunk_size=8192,
    )
    kept = min(PERCENTILE_DRAWS, PERCENTILE_VALUES // (12 * 31))
    assert kept == 21_505
    assert summary.kept.size == kept
    assert summary.draws == 30_000


def test_shapley_in_batches_gives_the_same_values(monkeypatch):
    from policybrief.model import attribution

    inputs = make_inputs()
    x = intensity_matrix(inputs)
    args = (x[1], x[0], inputs.levers, central_theta(inputs), 2025, 5)
    whole = shapley("Reform", *args, seed=3)
    monkeypatch.setattr(attribution, "_BATCH", 3)
    assert shapley("Reform", *args, seed=3) == whole
