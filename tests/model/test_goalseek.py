"""Goal seek, Beta-PERT sampling and run-level behaviours (progress, overrides, determinism)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from tests.factories import make_inputs, replace_lever, replace_settings, with_intensities

from policybrief.domain import Target
from policybrief.model import run
from policybrief.model.goalseek import TOLERANCE, scaled_intensities
from policybrief.model.sampling import GRID_CELLS, pert_quantile, pert_sample

DRAWS = 1000


def _probability_at(inputs, k):
    """Re-run the headline scenario with every intensity at min(k · x, max) and read P."""
    levers = inputs.levers
    x = np.array([inputs.headline.intensity(lv.id) for lv in levers])
    scaled = scaled_intensities(levers, x, np.array([k]))[0]
    rerun = with_intensities(
        inputs,
        inputs.settings.headline_scenario,
        **{lv.id: float(v) for lv, v in zip(levers, scaled, strict=True)},
    )
    return run(rerun, draws=DRAWS).headline.target_probability


def test_goal_seek_finds_the_smallest_scale_that_meets_the_target():
    inputs = make_inputs(draws=DRAWS)
    results = run(inputs)
    for goal in results.goal_seek:
        assert goal.reachable
        assert 0 < goal.scale < inputs.settings.goal_seek_max_scale
        p_at_k = _probability_at(inputs, goal.scale)[goal.target]
        p_below = _probability_at(inputs, goal.scale - 1.01 * TOLERANCE)[goal.target]
        assert p_at_k >= inputs.settings.target_probability
        assert p_below < inputs.settings.target_probability
        assert_allclose(goal.probability, p_at_k)


def test_goal_seek_reports_the_annual_cost_at_the_scale():
    inputs = make_inputs(draws=DRAWS)
    goal = run(inputs).goal_seek[1]
    # costs per unit: skills 10, retention 5, visas 2; Reform intensities are all 1 (no cap hit)
    assert_allclose(goal.annual_cost, goal.scale * (10 + 5 + 2))


def test_goal_seek_is_out_of_reach_when_the_scaled_package_cannot_get_there():
    inputs = make_inputs(draws=DRAWS, targets=(Target("Moonshot", 1e6, 2030),))
    (goal,) = run(inputs).goal_seek
    assert not goal.reachable
    assert goal.scale is None
    assert goal.annual_cost is None
    # at max scale every lever is capped at its max intensity
    assert_allclose(goal.probability, 0.0)


def test_goal_seek_gives_scale_zero_when_the_target_is_already_met():
    inputs = make_inputs(draws=DRAWS, targets=(Target("Easy", 1000.0, 2027),))
    (goal,) = run(inputs).goal_seek
    assert goal.reachable
    assert goal.scale == 0.0
    assert goal.annual_cost == 0.0
    assert goal.probability == 1.0


def test_goal_seek_holds_levers_that_can_hurt_at_the_package_intensity():
    inputs = replace_lever(make_inputs(), "visas", effect_low=-100.0)
    x = np.array([1.0, 1.0, 1.0])
    scaled = scaled_intensities(inputs.levers, x, np.array([0.0, 3.0, 10.0]))
    assert_allclose(scaled, [[0.0, 0.0, 1.0], [3.0, 3.0, 1.0], [5.0, 5.0, 1.0]])


def test_pert_samples_have_the_pert_mean_and_stay_within_the_range():
    rng = np.random.Generator(np.random.PCG64(3))
    for low, mode, high in [(0.0, 0.2, 1.0), (-5.0, 3.0, 4.0), (10.0, 10.0, 20.0)]:
        x = pert_sample(rng, low, mode, high, 200_000)
        assert x.min() >= low
        assert x.max() <= high
        assert_allclose(x.mean(), (low + 4 * mode + high) / 6, atol=0.005 * (high - low))


def test_pert_sample_of_a_fixed_quantity_is_constant():
    x = pert_sample(np.random.Generator(np.random.PCG64(0)), 2.0, 2.0, 2.0, 10)
    assert_allclose(x, 2.0)


def test_progress_only_moves_forward_up_to_the_total():
    calls = []
    run(make_inputs(), draws=9000, chunk_size=4096, progress=lambda *a: calls.append(a))
    draws = [c for c in calls if c[2] == "Monte Carlo draws"]
    # the Monte Carlo is the first 60% of the run, chunk by chunk: 4,096, 8,192, 9,000 draws
    assert [c[0] for c in draws] == pytest.approx([0.6 * 4096 / 9000, 0.6 * 8192 / 9000, 0.6])
    assert all(c[1] == 1.0 for c in calls)
    shares = [c[0] for c in calls]
    assert shares == sorted(shares)
    assert calls[-1] == (1.0, 1.0, "analyses")


def test_draws_and_seed_override_the_settings():
    inputs = make_inputs(draws=50, seed=1)
    default = run(inputs)
    overridden = run(inputs, draws=80, seed=2)
    assert (default.draws, default.seed) == (50, 1)
    assert (overridden.draws, overridden.seed) == (80, 2)
    same = run(replace_settings(inputs, draws=80, seed=2))
    assert_allclose(overridden.headline.mean["exports"], same.headline.mean["exports"])
    assert not np.array_equal(default.headline.mean["exports"], overridden.headline.mean["exports"])


def test_same_seed_gives_identical_results():
    inputs = make_inputs(draws=500)
    a, b = run(inputs), run(inputs)
    assert a.scenarios[1].target_probability == b.scenarios[1].target_probability
    np.testing.assert_array_equal(
        a.headline.percentiles[90]["exports"], b.headline.percentiles[90]["exports"]
    )
    assert a.goal_seek == b.goal_seek


def _beta_cdf_integer(x, a, b):
    """Regularised incomplete beta for integer ``a, b`` (a binomial tail), exact."""
    n = a + b - 1
    return sum(math.comb(n, j) * x**j * (1 - x) ** (n - j) for j in range(a, n + 1))


def test_pert_quantiles_are_within_two_grid_spacings_of_the_exact_quantiles():
    # mode at low + k/4 of the range gives integer Beta shapes (1 + k, 5 - k): exact CDF known
    u = np.random.Generator(np.random.PCG64(5)).random(20_000)
    for k in range(5):
        a, b = 1 + k, 5 - k
        lo, hi = np.zeros_like(u), np.ones_like(u)
        for _ in range(60):  # bisection on the exact CDF
            mid = (lo + hi) / 2
            below = _beta_cdf_integer(mid, a, b) < u
            lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
        x = pert_quantile(u, -2.0, -2.0 + 4.0 * k / 4, 2.0)
        assert np.abs(x - (-2.0 + 4.0 * lo)).max() <= 2 * 4.0 / GRID_CELLS
