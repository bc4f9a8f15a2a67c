"""Sobol indices: the estimator against analytic indices, and on the engine."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from tests.factories import (
    BASELINE,
    HEADLINE,
    collapse_ranges,
    make_inputs,
    replace_parameter,
    with_intensities,
)

from policybrief.model import run
from policybrief.model.normal import normal_quantile
from policybrief.model.sampling import uncertain_quantities
from policybrief.model.sobol import SHOCKS_LABEL, SOBOL_SAMPLES, headline_sobol, sobol_indices

ISHIGAMI_A, ISHIGAMI_B = 7.0, 0.1


def ishigami(u):
    """The Ishigami function of uniforms on (0, 1), each mapped to [−π, π]."""
    x = np.pi * (2.0 * u - 1.0)
    a, b = ISHIGAMI_A, ISHIGAMI_B
    return np.sin(x[:, 0]) * (1.0 + b * x[:, 2] ** 4) + a * np.sin(x[:, 1]) ** 2


def ishigami_indices():
    """Analytic (first-order, total) indices of the Ishigami function.

    With ``X_i`` uniform on [−π, π]: ``V_1 = (1 + bπ⁴/5)² / 2``, ``V_2 = a²/8``,
    ``V_13 = b²π⁸ (1/18 − 1/50)`` and no other partial variance.
    """
    a, b, pi = ISHIGAMI_A, ISHIGAMI_B, np.pi
    v1 = (1.0 + b * pi**4 / 5.0) ** 2 / 2.0
    v2 = a**2 / 8.0
    v13 = b**2 * pi**8 * (1.0 / 18.0 - 1.0 / 50.0)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def test_ishigami_analytic_values_are_the_published_ones():
    first, total = ishigami_indices()
    assert_allclose(first, [0.3139, 0.4424, 0.0], atol=1e-4)
    assert_allclose(total, [0.5576, 0.4424, 0.2437], atol=1e-4)


def test_ishigami_indices_match_the_analytic_values():
    first, total = ishigami_indices()
    got = sobol_indices(ishigami, 3, 2**16, np.random.default_rng(2024), bootstrap=0)
    assert got.first.shape == got.total.shape == (3, 1)
    assert_allclose(got.first[:, 0], first, atol=0.02)
    assert_allclose(got.total[:, 0], total, atol=0.02)
    assert got.evaluations == 5 * 2**16


def test_bootstrap_intervals_contain_the_ishigami_values():
    first, total = ishigami_indices()
    got = sobol_indices(ishigami, 3, SOBOL_SAMPLES, np.random.default_rng(12))
    assert np.all((got.first_low[:, 0] <= first) & (first <= got.first_high[:, 0]))
    assert np.all((got.total_low[:, 0] <= total) & (total <= got.total_high[:, 0]))
    assert np.all(got.first_low <= got.first_high)
    # intervals about as wide as the estimator's spread at this n, not vacuous
    assert np.all(got.total_high - got.total_low < 0.12)


def test_bootstrap_intervals_cover_about_as_often_as_their_level():
    first, total = ishigami_indices()
    inside = []
    for seed in range(40):
        got = sobol_indices(ishigami, 3, 1024, np.random.default_rng(seed), bootstrap=300)
        inside += list((got.first_low[:, 0] <= first) & (first <= got.first_high[:, 0]))
        inside += list((got.total_low[:, 0] <= total) & (total <= got.total_high[:, 0]))
    assert 0.88 <= np.mean(inside) <= 1.0


def _linear(coefficients, widths):
    """``Y = Σ a_i X_i`` with ``X_i`` uniform on ``[0, width_i]``; its analytic index."""
    a, w = np.asarray(coefficients), np.asarray(widths)

    def model(u):
        return (u * w) @ a

    share = (a * w) ** 2 / 12.0
    return model, share / share.sum()


@settings(max_examples=25, deadline=None)
@given(
    terms=st.lists(
        st.tuples(st.floats(-5.0, 5.0).filter(lambda c: abs(c) > 0.1), st.floats(0.1, 3.0)),
        min_size=1,
        max_size=4,
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_linear_model_indices_are_the_variance_shares(terms, seed):
    coefficients, widths = zip(*terms, strict=True)
    model, share = _linear(coefficients, widths)
    got = sobol_indices(model, len(share), 2**16, np.random.default_rng(seed), bootstrap=0)
    assert_allclose(got.first[:, 0], share, atol=0.02)
    assert_allclose(got.total[:, 0], share, atol=0.02)


def test_a_group_factor_has_the_summed_indices_of_its_members():
    model, share = _linear([1.0, -2.0, 0.5, 3.0], [1.0, 0.5, 2.0, 0.3])
    n = 2**15
    alone = sobol_indices(model, 4, n, np.random.default_rng(3), bootstrap=0)
    grouped = sobol_indices(model, [[0, 2], [1], [3]], n, np.random.default_rng(3), bootstrap=0)
    expected = np.array([share[0] + share[2], share[1], share[3]])
    assert_allclose(grouped.first[:, 0], expected, atol=0.02)
    assert_allclose(grouped.total[:, 0], expected, atol=0.02)
    for name in ("first", "total"):
        members = getattr(alone, name)[:, 0]
        assert getattr(grouped, name)[0, 0] == pytest.approx(members[0] + members[2], abs=0.02)


@settings(max_examples=15, deadline=None)
@given(scale=st.floats(1e-3, 1e6), shift=st.floats(-1e6, 1e6), sign=st.sampled_from([-1, 1]))
def test_indices_do_not_depend_on_the_output_scale_or_shift(scale, shift, sign):
    def moved(u):
        return sign * scale * ishigami(u) + shift

    plain = sobol_indices(ishigami, 3, 512, np.random.default_rng(1), bootstrap=50)
    got = sobol_indices(moved, 3, 512, np.random.default_rng(1), bootstrap=50)
    for name in ("first", "total", "first_low", "first_high", "total_low", "total_high"):
        assert_allclose(getattr(got, name), getattr(plain, name), atol=1e-6)


def test_outputs_evaluated_together_get_the_indices_each_gets_alone():
    model, _ = _linear([1.0, 2.0, -1.0], [1.0, 1.0, 1.0])

    def both(u):
        return np.column_stack((ishigami(u), model(u)))

    together = sobol_indices(both, 3, 1024, np.random.default_rng(5))
    for column, alone_model in enumerate((ishigami, model)):
        alone = sobol_indices(alone_model, 3, 1024, np.random.default_rng(5))
        for name in ("first", "total", "first_low", "total_high"):
            assert_allclose(getattr(together, name)[:, column], getattr(alone, name)[:, 0])
    assert together.mean.shape == together.variance.shape == (2,)


def test_batches_of_model_calls_do_not_change_the_indices():
    calls = []

    def counted(u):
        calls.append(u.shape[0])
        return ishigami(u)

    whole = sobol_indices(counted, 3, 256, np.random.default_rng(9))
    assert calls == [5 * 256]
    calls.clear()
    batched = sobol_indices(counted, 3, 256, np.random.default_rng(9), batch_rows=300)
    assert calls == [256] * 5
    assert_array_equal(batched.total, whole.total)
    assert_array_equal(batched.first_low, whole.first_low)


def test_transform_is_applied_to_the_base_samples():
    def normal(u):
        return normal_quantile(u) * np.array([1.0, 3.0])

    rng = np.random.default_rng(4)
    got = sobol_indices(lambda x: x.sum(axis=1), 2, 2**15, rng, transform=normal, bootstrap=0)
    assert_allclose(got.total[:, 0], [0.1, 0.9], atol=0.02)
    assert got.variance[0] == pytest.approx(10.0, rel=0.03)


def test_an_output_that_does_not_vary_has_zero_indices():
    got = sobol_indices(lambda u: np.full(u.shape[0], 0.1), 2, 64, np.random.default_rng(0))
    for name in ("first", "total", "first_low", "first_high", "total_low", "total_high"):
        assert_array_equal(getattr(got, name), 0.0)
    assert got.variance[0] == 0.0


@pytest.mark.parametrize("factors", [[[0, 1], [1, 2]], [[0], [2]], [[0], []], -1], ids=str)
def test_factors_must_partition_the_columns(factors):
    with pytest.raises(ValueError, match="factor"):
        sobol_indices(ishigami, factors, 16, np.random.default_rng(0))


def test_a_model_returning_nan_gets_nan_indices_not_zeros():
    def broken(u):
        y = ishigami(u)
        y[0] = np.nan
        return y

    got = sobol_indices(broken, np.int64(3), 64, np.random.default_rng(0), bootstrap=10)
    assert np.isnan(got.total).all()
    assert np.isnan(got.first).all()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"n": 1}, "n must be"),
        ({"confidence": 1.0}, "confidence"),
        ({"transform": lambda u: u[:, :1]}, "transform returned shape"),
    ],
    ids=["n", "confidence", "transform"],
)
def test_bad_settings_are_errors(options, message):
    kwargs = {"n": 16, **options}
    with pytest.raises(ValueError, match=message):
        sobol_indices(ishigami, 3, rng=np.random.default_rng(0), **kwargs)


def test_a_model_returning_the_wrong_shape_is_an_error():
    with pytest.raises(ValueError, match="shape"):
        sobol_indices(lambda u: u[:3, 0], 2, 16, np.random.default_rng(0))


# --- on the engine -------------------------------------------------------------------------


def _visas_only():
    """The headline adds only talent visas (an inflow lever) to the baseline's levers.

    The gain is then ``P_t · Rz_t · D_t`` with ``D_t = D_{t-1}(1 − attrition − m + other) +
    inflow``: graduates (their growth, the absorption rate) enter both scenarios' workforce
    alike and cancel; realization has no lever, so ``P_0 · Rz_t = E_0 / W_0``; retention
    has intensity 0 in both.
    """
    inputs = with_intensities(make_inputs(), HEADLINE, skills=0.5, retention=0.0, visas=1.0)
    return replace_parameter(inputs, "shock_sd", value=0.05)


def test_inputs_that_do_not_enter_the_gain_have_no_total_index_on_it():
    inputs = _visas_only()
    labels, got = headline_sobol(inputs, uncertain_quantities(inputs), seed=11)
    total = dict(zip(labels, got.total, strict=True))
    low = dict(zip(labels, got.total_low, strict=True))
    for absent in ("graduates_growth", "absorption_rate", "realization_base", "retention effect"):
        assert abs(total[absent][1]) < 1e-9, absent
    # graduates do matter for the level of exports
    assert low["absorption_rate"][0] > 0.02
    assert low["graduates_growth"][0] > 0.0
    # everything else enters the gain, if only a little (its interval excludes 0)
    for present in set(labels) - {"graduates_growth", "absorption_rate", "realization_base",
                                  "retention effect"}:  # fmt: skip
        assert low[present][1] > 0.0, present
    assert total["visas effect"][1] > 0.5


def test_shocks_are_one_factor_and_only_when_they_have_a_size():
    inputs = _visas_only()
    quantities = uncertain_quantities(inputs)
    labels, got = headline_sobol(inputs, quantities, seed=1, n=256, bootstrap=20)
    assert labels == (*(q.label for q in quantities), SHOCKS_LABEL)
    assert got.first.shape == (len(quantities) + 1, 2)
    calm = replace_parameter(inputs, "shock_sd", value=0.0)
    labels, got = headline_sobol(calm, quantities, seed=1, n=256, bootstrap=20)
    assert SHOCKS_LABEL not in labels
    assert got.total.shape == (len(quantities), 2)


def test_headline_sobol_is_deterministic_for_a_seed():
    inputs = _visas_only()
    quantities = uncertain_quantities(inputs)
    first = headline_sobol(inputs, quantities, seed=5, n=512)
    again = headline_sobol(inputs, quantities, seed=5, n=512)
    other = headline_sobol(inputs, quantities, seed=6, n=512)
    assert first[0] == again[0]
    for name in ("first", "total", "first_low", "total_high", "mean"):
        assert_array_equal(getattr(first[1], name), getattr(again[1], name))
    assert not np.array_equal(first[1].total, other[1].total)


def test_the_outputs_are_the_engines_final_year_exports_and_gain():
    inputs = make_inputs(draws=20_000)
    inputs = replace_parameter(inputs, "shock_sd", value=0.05)
    results = run(inputs)
    head, base = (next(s for s in results.scenarios if s.name == n) for n in (HEADLINE, BASELINE))
    mc = np.array([head.mean["exports"][-1], head.mean["exports"][-1] - base.mean["exports"][-1]])
    _, got = headline_sobol(inputs, uncertain_quantities(inputs), seed=3, bootstrap=0)
    error = np.sqrt(got.variance / (2 * got.n) + got.variance / 20_000)
    assert np.all(np.abs(got.mean - mc) < 4 * error)


def test_a_headline_like_the_baseline_gives_no_gain_to_explain():
    inputs = with_intensities(make_inputs(), HEADLINE, skills=0.5, retention=0.0, visas=0.0)
    _, got = headline_sobol(inputs, uncertain_quantities(inputs), seed=2, n=256)
    assert got.variance[1] == 0.0
    assert_array_equal(got.total[:, 1], 0.0)
    assert np.all(np.isfinite(got.first_low))
    assert got.total[:, 0].max() > 0.1


def test_without_uncertain_inputs_there_is_no_factor():
    inputs = collapse_ranges(make_inputs())
    labels, got = headline_sobol(inputs, uncertain_quantities(inputs), seed=2, n=64)
    assert labels == ()
    assert got.first.shape == got.total_high.shape == (0, 2)
    assert got.variance[0] == 0.0
