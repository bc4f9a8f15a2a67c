"""Properties of the version-2 engine: shocks, rank correlations, chunking, levers in force."""

from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from unittest import mock

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from tests.builders import correlation_row, valid_builder
from tests.factories import collapse_ranges, make_inputs, replace_lever, replace_parameter

from policybrief.domain import Correlation, Lever
from policybrief.model import METRICS, engine, run
from policybrief.model.correlation import normal_scores_target
from policybrief.model.engine import intensity_matrix
from policybrief.model.levers import schedule
from policybrief.model.projection import project
from policybrief.model.rankcorr import input_id, rank_correlation
from policybrief.model.sampling import (
    BLOCK_SIZE,
    central_theta,
    sample_theta,
    uncertain_quantities,
)
from policybrief.model.simulation import simulate
from policybrief.workbook.reader import read_workbook_bytes

SEEDS = st.integers(0, 2**32 - 1)


def _inputs(horizon, **overrides):
    """Default inputs over ``horizon`` years, keeping only the targets inside it."""
    targets = [t for t in make_inputs().targets if t.year <= 2025 + horizon]
    return make_inputs(horizon=horizon, targets=targets, **overrides)


def _with_cost_share(inputs, lever_id="skills", share=0.01):
    return replace_lever(inputs, lever_id, cost_share=share)


CORRELATIONS = (
    Correlation("productivity_growth", "skills", 0.5, "Correlations!C2"),
    Correlation("emigration_rate", "retention", -0.4, "Correlations!C3"),
    Correlation("absorption_rate", "graduates_growth", 0.3, "Correlations!C4"),
)


def _shocks_and_correlations(sigma=0.1, horizon=5):
    """Default inputs with yearly shocks, a cost share and three correlated pairs."""
    inputs = _with_cost_share(_inputs(horizon, correlations=CORRELATIONS))
    return replace_parameter(inputs, "shock_sd", value=sigma)


# --- shocks: mean one ------------------------------------------------------------------------


@settings(max_examples=10, deadline=None)
@given(seed=SEEDS, sigma=st.floats(0.02, 0.3), horizon=st.integers(1, 10))
def test_with_shocks_alone_the_mean_of_the_draws_stays_near_the_central_path(seed, sigma, horizon):
    # Nothing but the shocks is uncertain, so a draw's exports are the central path times
    # exp(S_t − tσ²/2), S_t ~ N(0, tσ²): mean 1, variance exp(tσ²) − 1 (lognormal). The mean
    # over n draws is within 4 standard errors; without the −σ²/2 term it would be off by
    # exp(tσ²/2) − 1, up to 57% here.
    n = 20_000
    inputs = collapse_ranges(_with_cost_share(_inputs(horizon)))
    inputs = replace_parameter(inputs, "shock_sd", value=sigma)
    results = run(inputs, draws=n, seed=seed)
    t = np.arange(horizon + 1)
    relative_se = np.sqrt(np.expm1(t * sigma**2) / n)
    for s in results.scenarios:
        # fiscal cost = fixed + share · E has at most E's relative error
        for m in ("exports", "earnings", "productivity", "fiscal_cost"):
            central, mean = s.central[m], s.mean[m]
            bound = 4 * relative_se * np.abs(central) + 1e-9 * np.abs(central)
            assert np.all(np.abs(mean - central) <= bound), (s.name, m, mean, central)
        # the workforce and realization take no shocks
        for m in ("workforce", "realization", "entrants", "emigrants"):
            assert_allclose(s.mean[m], s.central[m], rtol=1e-12, err_msg=m)


# --- chunk size --------------------------------------------------------------------------------


def _assert_same_summary(a, b):
    for m in METRICS:
        assert_array_equal(a.mean[m], b.mean[m], err_msg=m)
        for q in a.percentiles:
            assert_array_equal(a.percentiles[q][m], b.percentiles[q][m], err_msg=m)
    assert_array_equal(a.meeting, b.meeting)
    assert_array_equal(a.first_year, b.first_year)
    assert_array_equal(a.kept.params, b.kept.params)
    assert_array_equal(a.kept.effects, b.kept.effects)
    assert_array_equal(a.kept.shocks, b.kept.shocks)


def test_simulate_with_shocks_and_correlations_is_bit_identical_for_any_chunk_size():
    inputs = _shocks_and_correlations()
    x = intensity_matrix(inputs)
    sched = schedule(inputs.levers, x, 2025, 5, reference=x[0])
    assert sched.has_cost_share  # fiscal cost is a per-draw metric here
    central, quantities = central_theta(inputs), uncertain_quantities(inputs)
    rank = rank_correlation(inputs, quantities)
    assert rank is not None

    def summary(chunk_size):
        return simulate(
            sched,
            central,
            quantities,
            draws=3 * BLOCK_SIZE + 123,  # a partial last block
            seed=5,
            percentiles=(10, 50, 90),
            targets=[(2400.0, 3), (3000.0, 5)],
            chunk_size=chunk_size,
            kept_draws=2 * BLOCK_SIZE + 7,
            correlate=rank.apply,
        )

    first = summary(BLOCK_SIZE)
    assert first.kept.shocks is not None
    # the targets split the draws
    assert first.meeting.min() > 0
    assert first.meeting.max() < 3 * BLOCK_SIZE + 123
    for chunk_size in (2 * BLOCK_SIZE, 3 * BLOCK_SIZE, 10**6):
        _assert_same_summary(first, summary(chunk_size))


@settings(max_examples=4, deadline=None)
@given(seed=SEEDS, chunks=st.lists(st.integers(1, 40_000), min_size=2, max_size=2))
def test_run_with_shocks_and_correlations_is_bit_identical_for_any_chunk_size(seed, chunks):
    inputs = _shocks_and_correlations()
    a, b = (run(inputs, draws=9000, seed=seed, chunk_size=c) for c in chunks)
    for sa, sb in zip(a.scenarios, b.scenarios, strict=True):
        assert sa.outcomes == sb.outcomes  # chance, count, year reached, corner
        for m in METRICS:
            assert_array_equal(sa.mean[m], sb.mean[m], err_msg=m)
            for q in sa.percentiles:
                assert_array_equal(sa.percentiles[q][m], sb.percentiles[q][m], err_msg=m)
    assert a.goal_seek == b.goal_seek
    assert a.correlations == b.correlations


# --- correlations that are not consistent ------------------------------------------------------


def test_inconsistent_correlations_run_with_a_warning_per_moved_pair_and_the_matrix_used():
    # 0.9, 0.9 and −0.9 cannot hold together (productivity_growth would be strongly tied to
    # two inputs that move against each other). By symmetry the nearest correlation matrix is
    # [[1, x, x], [x, 1, y], [x, y, 1]] with 1 + y = 2x² (singular) and x the real root of
    # 32x³ + (8 − 16(1 + b))x − 8a = 0 for a = 0.9, b = −0.9 (see test_correlation): x ≈ 0.5436.
    # The engine floors the smallest eigenvalue at 1e-6, so it is met to about 1e-5.
    b = valid_builder()
    b.correlations.extend(
        [
            correlation_row("productivity_growth", "absorption_rate", 0.9),
            correlation_row("productivity_growth", "emigration_rate", 0.9),
            correlation_row("absorption_rate", "emigration_rate", -0.9),
        ]
    )
    inputs = read_workbook_bytes(b.to_fast_bytes(), "book.xlsx")
    assert inputs.warnings == ()  # the reader checks cells, not the matrix
    results = run(inputs, draws=500)
    roots = np.roots([32.0, 0.0, 8.0 - 16.0 * (1.0 - 0.9), -8.0 * 0.9])
    x = float(roots[np.abs(roots.imag) < 1e-12].real.max())
    y = 2 * x * x - 1
    used = [(c.input_a, c.input_b, c.requested, c.used) for c in results.correlations]
    assert [u[:3] for u in used] == [
        ("productivity_growth", "absorption_rate", 0.9),
        ("productivity_growth", "emigration_rate", 0.9),
        ("absorption_rate", "emigration_rate", -0.9),
    ]
    assert_allclose([u[3] for u in used], [x, x, y], atol=1e-4)
    assert [(w.location, w.severity) for w in results.warnings] == [
        ("Correlations!C2", "warning"),
        ("Correlations!C3", "warning"),
        ("Correlations!C4", "warning"),
    ]
    for w, (a, b_, rho, value) in zip(results.warnings, used, strict=True):
        assert f"{a}–{b_} {rho:g} was used as {value:.3f}, the nearest valid value" in w.message
        assert "not positive definite" in w.message


def test_an_unlisted_pair_moved_by_the_repair_is_one_warning_on_the_sheet():
    # 0.9 and 0.9 along a chain force the unlisted third pair (0) up: [[1, .9, 0], [.9, 1, .9],
    # [0, .9, 1]] has eigenvalue 1 − 0.9·√2 < 0.
    inputs = make_inputs(
        correlations=(
            Correlation("productivity_growth", "absorption_rate", 0.9, "Correlations!C2"),
            Correlation("absorption_rate", "emigration_rate", 0.9, "Correlations!C3"),
        )
    )
    results = run(inputs, draws=200)
    locations = [w.location for w in results.warnings]
    assert locations == ["Correlations!C2", "Correlations!C3", "Correlations"]
    unlisted = results.warnings[-1]
    assert unlisted.message.startswith(
        "to make the correlations consistent, pairs not listed (0) were used as: "
        "productivity_growth–emigration_rate 0."
    )
    assert all(c.used < c.requested for c in results.correlations)


def test_consistent_correlations_are_used_as_given_without_a_warning():
    results = run(make_inputs(correlations=CORRELATIONS), draws=200)
    assert results.warnings == ()
    assert [(c.requested, c.used) for c in results.correlations] == [
        (0.5, 0.5),
        (-0.4, -0.4),
        (0.3, 0.3),
    ]


# --- rank correlations induced in the run's draws ----------------------------------------------


@contextmanager
def _run_draws():
    """Wrap the engine's ``simulate``: yields the list of the draw summaries it returns."""
    captured = []

    def capture(*args, **kwargs):
        captured.append(simulate(*args, **kwargs))
        return captured[-1]

    with mock.patch.object(engine, "simulate", capture):
        yield captured


def _spearman(a, b):
    ra, rb = a.argsort().argsort(), b.argsort().argsort()
    return float(np.corrcoef(ra, rb)[0, 1])


def _row(theta, quantity):
    return (theta.params if quantity.kind == "baseline" else theta.effects)[quantity.column]


RHO = st.floats(-0.8, 0.8).map(lambda r: round(r, 2))


@settings(max_examples=8, deadline=None)
@given(seed=SEEDS, rhos=st.tuples(RHO, RHO, RHO))
def test_run_draws_have_the_target_rank_correlations_and_unchanged_marginals(seed, rhos):
    # productivity_growth–skills, emigration_rate–retention, productivity_growth–emigration_rate
    pairs = (
        ("productivity_growth", "skills"),
        ("emigration_rate", "retention"),
        ("productivity_growth", "emigration_rate"),
    )
    ids = ["productivity_growth", "skills", "emigration_rate", "retention"]
    matrix = np.eye(4)
    for (a, b), rho in zip(pairs, rhos, strict=True):
        matrix[ids.index(a), ids.index(b)] = matrix[ids.index(b), ids.index(a)] = rho
    # well inside the valid matrices, so no repair is needed (that case is tested above)
    assume(np.linalg.eigvalsh(matrix)[0] > 0.05)
    assume(np.linalg.eigvalsh(normal_scores_target(matrix))[0] > 0.05)
    correlations = tuple(
        Correlation(a, b, rho, f"Correlations!C{i + 2}")
        for i, ((a, b), rho) in enumerate(zip(pairs, rhos, strict=True))
    )
    inputs = _with_cost_share(make_inputs(correlations=correlations))
    inputs = replace_parameter(inputs, "shock_sd", value=0.1)
    draws = 10_000
    with _run_draws() as summaries:
        results = run(inputs, draws=draws, seed=seed)
    assert results.warnings == ()
    (summary,) = summaries
    kept = summary.kept  # every draw the run made (fewer than 100,000 are all kept)
    assert kept.size == draws
    quantities = uncertain_quantities(inputs)
    by_id = {input_id(q): q for q in quantities}
    for c in correlations:
        got = _spearman(_row(kept, by_id[c.input_a]), _row(kept, by_id[c.input_b]))
        assert abs(got - c.rho) <= 0.03, (c, got)
    # Each input's draws are a reordering of its independent draws within each block (the
    # marginal exactly as drawn); inputs in no pair are not touched at all.
    plain = sample_theta(central_theta(inputs), quantities, seed, 0, draws, horizon=5)
    for q in quantities:
        mine, theirs = _row(kept, q), _row(plain, q)
        if input_id(q) in ids:
            for start in range(0, draws, BLOCK_SIZE):
                block = slice(start, start + BLOCK_SIZE)
                assert_array_equal(np.sort(mine[block]), np.sort(theirs[block]), err_msg=q.label)
        else:
            assert_array_equal(mine, theirs, err_msg=q.label)
    assert_array_equal(kept.shocks, plain.shocks)  # the shocks are never reordered


# --- levers in force in the base year ----------------------------------------------------------

_EFFECTS = {
    ("productivity", "growth"): (-0.05, 0.05),
    ("productivity", "level"): (-0.3, 0.3),
    ("emigration", "growth"): (-0.5, 0.9),
    ("absorption", "growth"): (-0.2, 0.2),
    ("inflow", "growth"): (-500.0, 500.0),
    ("realization", "growth"): (-0.2, 0.1),
}


@settings(max_examples=30, deadline=None)
@given(
    kind=st.sampled_from(sorted(_EFFECTS)),
    where=st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)),
    spread=st.floats(0.0, 0.5),
    x=st.floats(0.1, 3.0),
    lag=st.integers(0, 3),
    ramp=st.integers(1, 3),
    before=st.integers(0, 4),
    saturation=st.sampled_from([None, 1.0, 4.0]),
)
def test_a_lever_in_force_in_the_base_year_leaves_the_baseline_as_if_it_did_not_exist(
    kind, where, spread, x, lag, ramp, before, saturation
):
    # Start year early enough that the lever is at full weight in the base year (and so in
    # every later year): w(Y0) = min(1, (Y0 − A − L + 1) / R) = 1.
    channel, form = kind
    lo, hi = _EFFECTS[kind]
    central = lo + (hi - lo) * where[0]
    width = (hi - lo) * spread
    lever = Lever(
        "old",
        "Old measure",
        channel,
        central,
        central - width * where[1],
        central + width * (1 - where[1]),
        lag=lag,
        ramp=ramp,
        saturation=saturation,
        start_year=2025 - lag - ramp + 1 - before,
        form=form,
    )
    inputs = make_inputs(horizon=6, levers=(*make_inputs().levers, lever))
    inputs = dataclasses.replace(
        inputs,
        scenarios=tuple(
            dataclasses.replace(s, intensities={**s.intensities, "old": x if i == 0 else 0.0})
            for i, s in enumerate(inputs.scenarios)
        ),
    )
    theta = sample_theta(central_theta(inputs), uncertain_quantities(inputs), 3, 0, 500)
    xs = intensity_matrix(inputs)
    never = xs.copy()
    never[:, -1] = 0.0
    with_lever = project(theta, schedule(inputs.levers, xs[:1], 2025, 6, reference=xs[0]))
    without = project(theta, schedule(inputs.levers, never[:1], 2025, 6, reference=never[0]))
    for m in METRICS:
        if m != "fiscal_cost":
            assert_allclose(with_lever[m], without[m], rtol=1e-12, atol=1e-9, err_msg=m)
