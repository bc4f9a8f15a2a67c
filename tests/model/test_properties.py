"""Hypothesis properties of the engine: ordering, Shapley efficiency, monotonicity, chunking."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from tests.factories import collapse_ranges, make_inputs, replace_lever, with_intensities

from policybrief.domain import Lever, Scenario
from policybrief.model import METRICS, run
from policybrief.model.attribution import shapley
from policybrief.model.engine import intensity_matrix
from policybrief.model.levers import schedule
from policybrief.model.projection import project
from policybrief.model.sampling import central_theta, sample_theta, uncertain_quantities
from policybrief.model.simulation import percentiles_along_last_axis, simulate

intensity = st.floats(0.0, 6.0, allow_nan=False)


def _inputs(horizon, **overrides):
    """Default inputs over ``horizon`` years, keeping only the targets inside it."""
    targets = [t for t in make_inputs().targets if t.year <= 2025 + horizon]
    return make_inputs(horizon=horizon, targets=targets, **overrides)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), horizon=st.integers(1, 12))
def test_percentiles_are_ordered_for_every_metric_and_year(seed, horizon):
    results = run(_inputs(horizon, percentiles=(10, 50, 90)), draws=200, seed=seed)
    for s in results.scenarios:
        for m in METRICS:
            p10, p50, p90 = (s.percentiles[q][m] for q in (10, 50, 90))
            assert np.all(p10 <= p50 + 1e-9 * np.abs(p50))
            assert np.all(p50 <= p90 + 1e-9 * np.abs(p90))


@settings(max_examples=15, deadline=None)
@given(skills=intensity, retention=intensity, visas=intensity)
def test_shapley_contributions_sum_to_the_scenario_gain(skills, retention, visas):
    inputs = with_intensities(
        make_inputs(), "Reform", skills=skills, retention=retention, visas=visas
    )
    results = run(inputs, draws=20)
    for a in results.attribution:
        total = sum(c for _, c in a.contributions)
        assert_allclose(total, a.scenario_value - a.baseline_value, atol=1e-9)
        assert_allclose(a.scenario_value, results.scenario(a.scenario).central["exports"][-1])
        assert a.method == "exact"


def _many_levers(n):
    channels = ("productivity", "emigration", "inflow", "absorption", "realization")
    scale = {
        "productivity": 0.01,
        "emigration": 0.05,
        "inflow": 100.0,
        "absorption": 0.02,
        "realization": 0.01,
    }
    return tuple(
        Lever(
            f"l{i}",
            f"Lever {i}",
            channels[i % 5],
            scale[channels[i % 5]],
            0.5 * scale[channels[i % 5]],
            1.5 * scale[channels[i % 5]],
            saturation=2.0 if i % 3 == 0 else None,
            lag=i % 2,
            ramp=1 + i % 3,
        )
        for i in range(n)
    )


@settings(max_examples=5, deadline=None)
@given(x=st.lists(st.floats(0.1, 6.0), min_size=14, max_size=14), seed=st.integers(0, 1000))
def test_permutation_estimate_still_sums_exactly_to_the_gain_above_12_players(x, seed):
    levers = _many_levers(14)
    inputs = make_inputs(
        levers=levers,
        scenarios=(
            Scenario("Current policy", {lv.id: 0.0 for lv in levers}),
            Scenario("Reform", {lv.id: v for lv, v in zip(levers, x, strict=True)}),
            Scenario("Stretch", {lv.id: 2 * v for lv, v in zip(levers, x, strict=True)}),
        ),
    )
    xs = intensity_matrix(inputs)
    a = shapley(
        "Reform", xs[1], xs[0], levers, central_theta(inputs), 2025, 5, seed=seed, permutations=50
    )
    assert a.method.startswith("permutation estimate (50 permutations")
    total = sum(c for _, c in a.contributions)
    assert_allclose(total, a.scenario_value - a.baseline_value, rtol=1e-10, atol=1e-9)


def test_permutation_estimate_is_close_to_the_exact_values():
    inputs = make_inputs()
    xs = intensity_matrix(inputs)
    args = ("Stretch", xs[2], xs[0], inputs.levers, central_theta(inputs), 2025, 5)
    exact = shapley(*args, seed=1)
    estimate = shapley(*args, seed=1, exact_max=0, permutations=3000)
    assert_allclose(
        [c for _, c in estimate.contributions], [c for _, c in exact.contributions], rtol=0.05
    )


def _central_exports(inputs, lever_id, x):
    xs = intensity_matrix(inputs)[1:2].copy()
    j = [lv.id for lv in inputs.levers].index(lever_id)
    xs = np.repeat(xs, len(x), axis=0)
    xs[:, j] = x
    sched = schedule(inputs.levers, xs, 2025, inputs.settings.horizon, reference=None)
    return project(central_theta(inputs), sched)["exports"][:, :, 0].T  # (cases, years)


@settings(max_examples=25, deadline=None)
@given(
    lever=st.sampled_from(["skills", "retention", "visas"]),
    x=intensity,
    more=st.floats(0.0, 10.0, allow_nan=False),
)
def test_more_of_a_helpful_lever_never_lowers_central_exports(lever, x, more):
    # Every default lever helps: productivity (+), emigration (relative cut), inflow (+).
    exports = _central_exports(make_inputs(horizon=8), lever, [x, x + more])
    assert np.all(exports[1] >= exports[0] - 1e-9 * exports[0])


def test_emigration_cut_beyond_100_percent_does_not_raise_exports_further():
    exports = _central_exports(make_inputs(), "retention", [20.0, 40.0, 80.0])
    assert_allclose(exports[1], exports[0])
    assert_allclose(exports[2], exports[0])


@settings(max_examples=6, deadline=None)
@given(
    chunks=st.lists(st.integers(1, 40_000), min_size=2, max_size=2), seed=st.integers(0, 2**32 - 1)
)
def test_results_are_identical_for_any_chunk_size(chunks, seed):
    inputs = make_inputs()
    a, b = (run(inputs, draws=9000, seed=seed, chunk_size=c) for c in chunks)
    for sa, sb in zip(a.scenarios, b.scenarios, strict=True):
        assert sa.target_probability == sb.target_probability
        for m in METRICS:
            assert_array_equal(sa.mean[m], sb.mean[m])
            for q in sa.percentiles:
                assert_array_equal(sa.percentiles[q][m], sb.percentiles[q][m])
    assert a.goal_seek == b.goal_seek


def test_chunks_smaller_than_a_block_and_larger_than_the_run_agree():
    inputs = make_inputs()
    a = run(inputs, draws=10_000, chunk_size=1)
    b = run(inputs, draws=10_000, chunk_size=1_000_000)
    assert_array_equal(a.headline.mean["exports"], b.headline.mean["exports"])
    assert_array_equal(
        a.headline.percentiles[10]["workforce"], b.headline.percentiles[10]["workforce"]
    )


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), horizon=st.integers(1, 10))
def test_with_all_ranges_collapsed_every_percentile_and_the_mean_equal_the_central_path(
    seed, horizon
):
    inputs = collapse_ranges(_inputs(horizon))
    results = run(inputs, draws=300, seed=seed)
    for s in results.scenarios:
        for m in METRICS:
            assert_allclose(s.mean[m], s.central[m], rtol=1e-12, atol=1e-12)
            for q in s.percentiles:
                assert_allclose(s.percentiles[q][m], s.central[m], rtol=1e-12, atol=1e-12)


def test_central_path_uses_central_values_not_the_median_of_draws():
    # Skewed range: the PERT median lies above the mode, so a median path would differ.
    inputs = make_inputs()
    p = dataclasses.replace(inputs.parameter("productivity_growth"), low=0.029, high=0.1)
    inputs = dataclasses.replace(
        inputs, parameters=tuple(p if q.name == p.name else q for q in inputs.parameters)
    )
    results = run(collapse_ranges(inputs), draws=10)
    skewed = run(inputs, draws=2000)
    assert_allclose(skewed.headline.central["exports"], results.headline.central["exports"])
    assert skewed.headline.percentiles[50]["exports"][-1] > skewed.headline.central["exports"][-1]


def test_streamed_reductions_equal_a_direct_reduction_of_the_stored_paths():
    # Lags, ramps and an end year make some lever terms change, repeat and switch off.
    inputs = replace_lever(make_inputs(horizon=8), "retention", lag=1, ramp=3, end_year=2031)
    inputs = replace_lever(inputs, "skills", lag=0, ramp=2)
    sched = schedule(inputs.levers, intensity_matrix(inputs), 2025, 8, reference=None)
    central, quantities = central_theta(inputs), uncertain_quantities(inputs)
    draws, kept = 3 * 4096 + 100, 5000
    summary = simulate(
        sched,
        central,
        quantities,
        draws=draws,
        seed=7,
        percentiles=(10, 50, 90),
        targets=[(2600.0, 5)],
        chunk_size=4096,
        kept_draws=kept,
    )
    paths = project(sample_theta(central, quantities, 7, 0, draws), sched)
    for m in METRICS:
        assert_allclose(summary.mean[m], paths[m].mean(axis=2).T, rtol=1e-12, err_msg=m)
        for q in (10, 50, 90):
            direct = np.percentile(paths[m][:, :, :kept], q, axis=2).T
            assert_allclose(summary.percentiles[q][m], direct, rtol=1e-12, err_msg=m)
    assert_array_equal(summary.probability[0], (paths["exports"][5] >= 2600.0).mean(axis=1))
    assert 0 < summary.probability[0].max() < 1  # the target splits the draws


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 300),
    lanes=st.integers(1, 4),
    qs=st.lists(st.floats(0.0, 100.0), min_size=1, max_size=6),
    decimals=st.integers(0, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_fast_percentiles_equal_numpy_percentiles_exactly(n, lanes, qs, decimals, seed):
    # rounding makes ties, which the segment-minimum step must handle
    values = np.round(np.random.default_rng(seed).normal(size=(lanes, 2, n)), decimals)
    expected = np.percentile(values, qs, axis=-1)
    assert_array_equal(percentiles_along_last_axis(values.copy(), np.array(qs)), expected)
