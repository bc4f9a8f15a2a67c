"""PRIM: recovery of a known box, counted coverage and density, the choice rule, edge cases."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from policybrief.model.prim import ALPHA, MIN_MASS, TOLERANCE, Z_MIN, PrimBox, choose, prim

#: The synthetic box of the issue: dims 0 and 1 of five, the rest do not matter.
BOX_LOW, BOX_HIGH = np.array([0.2, 0.5]), np.array([0.6, 1.0])


def _synthetic(seed=0, n=5000, d=5, low=BOX_LOW, high=BOX_HIGH, noise=0.05):
    """Uniform x in [0, 1]^d; y = inside [low, high] on the first dims, each label flipped
    with probability ``noise``."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, d))
    inside = np.all((x[:, : low.size] >= low) & (x[:, : low.size] <= high), axis=1)
    return x, inside ^ (rng.random(n) < noise)


def _bounds_in_range(box: PrimBox, x):
    """The box's bounds with each unrestricted side at the data's own min / max."""
    return (
        np.where(np.isfinite(box.lower), box.lower, x.min(axis=0)),
        np.where(np.isfinite(box.upper), box.upper, x.max(axis=0)),
    )


def _assert_counts(box: PrimBox, x, y):
    inside = box.contains(x)
    assert box.inside == np.count_nonzero(inside)
    assert box.cases == np.count_nonzero(y[inside])
    assert box.mass == np.count_nonzero(inside) / len(y)
    assert box.density == (np.count_nonzero(y[inside]) / box.inside if box.inside else 0.0)
    total = np.count_nonzero(y)
    assert box.coverage == (np.count_nonzero(y[inside]) / total if total else 0.0)


# --- recovering a known box -------------------------------------------------------------------


def test_prim_recovers_the_known_box_within_five_percent_of_each_range():
    # The density threshold sits just below the box's own density (95 %: 5 % label noise).
    # At the default 0.8 the chosen box is, by design, the widest with 80 % cases: looser.
    x, y = _synthetic()
    box = prim(x, y, min_density=0.9)
    low, high = _bounds_in_range(box, x)
    assert_allclose(low[:2], BOX_LOW, atol=0.05)
    assert_allclose(high[:2], BOX_HIGH, atol=0.05)
    assert_array_equal(box.restricted, [True, True, False, False, False])
    assert np.isinf(box.upper[1])  # the box reaches the top of dim 1: no bound there
    assert box.density >= 0.9


def test_the_default_box_is_the_widest_with_density_of_at_least_80_percent():
    x, y = _synthetic()
    box = prim(x, y)
    tight = prim(x, y, min_density=0.9)
    assert_array_equal(box.restricted, [True, True, False, False, False])
    assert box.density >= 0.8 - TOLERANCE
    assert box.coverage >= tight.coverage
    assert np.all(box.lower[:2] <= tight.lower[:2])
    assert box.upper[0] >= tight.upper[0]


@settings(max_examples=12, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 2**32 - 1),
    corner=st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)),
    width=st.tuples(st.floats(0.3, 0.6), st.floats(0.3, 0.6)),
)
def test_prim_recovers_any_box_within_five_percent(seed, corner, width):
    w = np.array(width)
    low = np.array(corner) * (1 - w)
    x, y = _synthetic(seed, low=low, high=low + w)
    box = prim(x, y, min_density=0.9)
    lo, hi = _bounds_in_range(box, x)
    assert_allclose(lo, [*low, 0, 0, 0], atol=0.05)
    assert_allclose(hi, [*(low + w), 1, 1, 1], atol=0.05)
    assert not box.restricted[2:].any()


def test_an_input_that_does_not_matter_is_left_unrestricted():
    # the cases depend on dim 0 only, and only partly: peeling buys density from noise on
    # the other dims, and those bounds are dropped
    rng = np.random.default_rng(5)
    x = rng.random((10_000, 8))
    y = rng.random(10_000) < 0.1 + 0.4 * x[:, 0]
    box = prim(x, y)
    assert_array_equal(np.flatnonzero(box.restricted), [0])
    assert np.isfinite(box.lower[0])
    assert np.isinf(box.upper[0])


def test_every_bound_left_matters():
    x, y = _synthetic(3, noise=0.2)
    box = prim(x, y)
    assert box.restricted.any()
    for j in np.flatnonzero(box.restricted):
        for side in ("lower", "upper"):
            bound = getattr(box, side)
            if not np.isfinite(bound[j]):
                continue
            without = np.array(bound)
            without[j] = -np.inf if side == "lower" else np.inf
            inside = np.all(
                (x >= (without if side == "lower" else box.lower))
                & (x <= (without if side == "upper" else box.upper)),
                axis=1,
            )
            assert box.density - y[inside].mean() >= TOLERANCE


# --- coverage, density and the trajectory, by counting ------------------------------------


def test_coverage_and_density_are_those_counted_directly():
    x, y = _synthetic(1)
    box = prim(x, y)
    _assert_counts(box, x, y)
    inside = (x[:, 0] >= box.lower[0]) & (x[:, 0] <= box.upper[0])
    inside &= (x[:, 1] >= box.lower[1]) & (x[:, 1] <= box.upper[1])
    assert box.coverage == np.count_nonzero(y & inside) / np.count_nonzero(y)
    assert box.density == np.count_nonzero(y & inside) / np.count_nonzero(inside)


def _check_trajectory(x, y, path, alpha=ALPHA, min_mass=MIN_MASS):
    n = len(y)
    for i in range(len(path)):
        inside = np.all((x >= path.lower[i]) & (x <= path.upper[i]), axis=1)
        assert path.mass[i] == np.count_nonzero(inside) / n
        assert path.density[i] == np.count_nonzero(y[inside]) / np.count_nonzero(inside)
        if y.any():
            assert path.coverage[i] == np.count_nonzero(y[inside]) / np.count_nonzero(y)
    assert path.mass[0] == 1.0
    assert np.all(np.diff(path.mass) < 0)
    assert np.all(path.mass >= min_mass - 1e-12) or len(path) == 1


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 400),
    d=st.integers(0, 4),
    levels=st.sampled_from([0, 2, 5]),  # 0: continuous; else that many distinct values (ties)
    share=st.floats(0.0, 1.0),
)
def test_counts_hold_for_any_data_including_ties(seed, n, d, levels, share):
    rng = np.random.default_rng(seed)
    x = rng.random((n, d))
    if levels:
        x = np.floor(x * levels)
    y = rng.random(n) < share
    box = prim(x, y)
    _assert_counts(box, x, y)
    _check_trajectory(x, y, box.trajectory)
    assert box.chosen == choose(box.trajectory.coverage, box.trajectory.density)


def test_each_peel_removes_an_alpha_slice_of_continuous_data():
    x, y = _synthetic(2)
    path = prim(x, y).trajectory
    removed = -np.diff(np.rint(path.mass * len(y)))
    kept = np.rint(path.mass[:-1] * len(y))
    assert_array_equal(removed, np.maximum(1, np.floor(ALPHA * kept)))
    assert path.mass[-1] >= MIN_MASS
    assert path.mass[-1] * (1 - ALPHA) < MIN_MASS + 1 / len(y)  # no further peel allowed


# --- the choice on the trajectory ----------------------------------------------------------


def test_choose_takes_the_highest_coverage_with_density_of_at_least_80_percent():
    coverage = [1.0, 0.9, 0.8, 0.6, 0.4, 0.2]
    density = [0.2, 0.5, 0.79, 0.85, 0.9, 1.0]
    assert choose(coverage, density) == 3


def test_choose_otherwise_takes_the_densest_box_with_coverage_of_at_least_30_percent():
    coverage = [1.0, 0.9, 0.8, 0.6, 0.31, 0.29]
    density = [0.2, 0.5, 0.6, 0.7, 0.75, 0.78]
    assert choose(coverage, density) == 4


def test_choose_breaks_ties_by_the_other_measure_then_the_first_box():
    assert choose([1.0, 0.6, 0.6, 0.5], [0.3, 0.8, 0.9, 0.95]) == 2
    assert choose([1.0, 0.5, 0.4, 0.4], [0.3, 0.7, 0.7, 0.7]) == 1
    assert choose([1.0, 0.5, 0.5], [0.3, 0.7, 0.7]) == 1


def test_choose_falls_back_to_the_densest_box_when_none_covers_enough():
    assert choose([0.2, 0.1], [0.3, 0.5]) == 1


def test_choose_rejects_an_empty_or_mismatched_trajectory():
    with pytest.raises(ValueError, match="non-empty"):
        choose([], [])
    with pytest.raises(ValueError, match="non-empty"):
        choose([1.0], [0.5, 0.6])


# --- degenerate inputs and determinism --------------------------------------------------------


def test_no_case_of_interest_gives_the_whole_unrestricted_box():
    x = np.random.default_rng(0).random((100, 3))
    box = prim(x, np.zeros(100, dtype=bool))
    assert not box.restricted.any()
    assert (box.coverage, box.density, box.mass, box.inside, box.cases) == (0.0, 0.0, 1.0, 100, 0)
    assert len(box.trajectory) == 1


def test_only_cases_of_interest_gives_the_whole_unrestricted_box():
    x = np.random.default_rng(0).random((100, 3))
    box = prim(x, np.ones(100, dtype=bool))
    assert not box.restricted.any()
    assert (box.coverage, box.density, box.mass) == (1.0, 1.0, 1.0)


def test_constant_columns_are_never_restricted():
    x, y = _synthetic(4)
    x[:, 2] = 7.0
    box = prim(x, y)
    assert not box.restricted[2]
    assert not np.isfinite(box.trajectory.lower[:, 2]).any()
    assert not np.isfinite(box.trajectory.upper[:, 2]).any()


def test_a_binary_input_is_peeled_as_a_whole_tied_group():
    rng = np.random.default_rng(0)
    flag = np.repeat([0.0, 1.0], 500)
    y = (flag == 1) & (rng.random(1000) < 0.9)
    box = prim(np.c_[flag, rng.random(1000)], y)
    assert box.lower[0] == 1.0
    assert np.isinf(box.upper[0])
    assert not box.restricted[1]
    assert box.coverage == 1.0


def test_no_inputs_or_one_draw_do_not_crash():
    y = np.array([True, False, True])
    box = prim(np.empty((3, 0)), y)
    assert box.lower.shape == (0,)
    assert box.density == pytest.approx(2 / 3)
    assert prim(np.array([[1.0, 2.0]]), np.array([True])).coverage == 1.0


@pytest.mark.parametrize(
    ("x", "y", "alpha", "message"),
    [
        (np.empty((0, 2)), np.empty(0, dtype=bool), 0.05, "n ≥ 1"),
        (np.ones(3), np.ones(3, dtype=bool), 0.05, "n ≥ 1"),
        (np.ones((3, 2)), np.ones(2, dtype=bool), 0.05, "n ≥ 1"),
        (np.array([[np.nan], [1.0]]), np.ones(2, dtype=bool), 0.05, "finite"),
        (np.ones((3, 2)), np.ones(3, dtype=bool), 0.6, "alpha"),
    ],
)
def test_bad_inputs_are_refused(x, y, alpha, message):
    with pytest.raises(ValueError, match=message):
        prim(x, y, alpha=alpha)


def test_prim_is_deterministic():
    x, y = _synthetic(6, noise=0.2)
    a, b = prim(x, y), prim(x.copy(), y.copy())
    assert_array_equal(a.lower, b.lower)
    assert_array_equal(a.upper, b.upper)
    assert (a.coverage, a.density, a.chosen) == (b.coverage, b.density, b.chosen)
    assert a.dropped == b.dropped
    assert_array_equal(a.trajectory.density, b.trajectory.density)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1), levels=st.sampled_from([0, 3]))
def test_the_order_of_the_draws_does_not_matter(seed, levels):
    rng = np.random.default_rng(seed)
    x = rng.random((600, 3))
    if levels:
        x = np.floor(x * levels)
    y = rng.random(600) < 0.2 + 0.5 * (x[:, 0] > x[:, 0].mean())
    perm = rng.permutation(600)
    a, b = prim(x, y), prim(x[perm], y[perm])
    assert_array_equal(a.trajectory.lower, b.trajectory.lower)
    assert_array_equal(a.trajectory.upper, b.trajectory.upper)
    assert_array_equal(a.lower, b.lower)
    assert_array_equal(a.upper, b.upper)


def test_a_stricter_z_keeps_no_more_bounds():
    x, y = _synthetic(7, noise=0.3)
    loose, strict = prim(x, y, z=1.0), prim(x, y, z=Z_MIN + 3)
    assert np.count_nonzero(strict.restricted) <= np.count_nonzero(loose.restricted)
