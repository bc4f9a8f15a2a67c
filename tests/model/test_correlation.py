"""Rank correlations: nearest correlation matrix, repair report and Iman–Conover reordering."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from policybrief.model.correlation import (
    MIN_EIGENVALUE,
    iman_conover,
    nearest_correlation,
    normal_scores_target,
    repair_spearman,
    van_der_waerden_scores,
)
from policybrief.model.sampling import BLOCK_SIZE, pert_quantile

# Higham (2002), section 4: the nearest correlation matrix to HIGHAM_A is reported as
# [[1, 0.7607, 0.1573], [0.7607, 1, 0.7607], [0.1573, 0.7607, 1]]. It is invariant under
# reversing the order (so of the form [[1, x, z], [x, 1, x], [z, x, 1]]) and singular, with
# eigenvalue 1 - z on (1, 0, -1), so 1 + z = 2x²; minimising 4(x - 1)² + 2z² then gives
# 4x³ - x - 1 = 0: x = 0.76068985340228, z = 2x² - 1 = 0.15729810613838.
HIGHAM_A = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 1.0]])
HIGHAM_LITERATURE = np.array([[1, 0.7607, 0.1573], [0.7607, 1, 0.7607], [0.1573, 0.7607, 1]])
# the invalid "pr" matrix of R's Matrix::nearPD examples (smallest eigenvalue -0.063)
NEARPD_PR = np.array(
    [
        [1, 0.477, 0.644, 0.478, 0.651, 0.826],
        [0.477, 1, 0.516, 0.233, 0.682, 0.75],
        [0.644, 0.516, 1, 0.599, 0.581, 0.742],
        [0.478, 0.233, 0.599, 1, 0.741, 0.8],
        [0.651, 0.682, 0.581, 0.741, 1, 0.798],
        [0.826, 0.75, 0.742, 0.8, 0.798, 1],
    ]
)

TARGETS = {
    "three positive": [[1, 0.6, 0.3], [0.6, 1, 0.2], [0.3, 0.2, 1]],
    "three mixed signs": [[1, -0.5, 0.4], [-0.5, 1, -0.3], [0.4, -0.3, 1]],
    "four strong": [
        [1, 0.9, -0.7, 0],
        [0.9, 1, -0.6, 0],
        [-0.7, -0.6, 1, 0.2],
        [0, 0, 0.2, 1],
    ],
    "five, two groups": [
        [1, 0.5, -0.3, 0, 0],
        [0.5, 1, 0.2, 0, 0],
        [-0.3, 0.2, 1, 0, 0],
        [0, 0, 0, 1, -0.8],
        [0, 0, 0, -0.8, 1],
    ],
    "five, a chain and a free input": [
        [1, 0.7, 0, 0, 0],
        [0.7, 1, -0.4, 0, 0],
        [0, -0.4, 1, 0.5, 0],
        [0, 0, 0.5, 1, 0],
        [0, 0, 0, 0, 1],
    ],
}


def _closed_form_3(a, b):
    """Nearest correlation matrix to [[1, a, a], [a, 1, b], [a, b, 1]] when that is invalid.

    The answer keeps the symmetry (x, x, y) and is singular: 1 + y = 2x², with x the real root
    of d/dx [4(x - a)² + 2(2x² - 1 - b)²] = 32x³ + (8 - 16(1 + b))x - 8a = 0.
    """
    roots = np.roots([32.0, 0.0, 8.0 - 16.0 * (1.0 + b), -8.0 * a])
    x = float(roots[np.abs(roots.imag) < 1e-12].real.max())
    y = 2 * x * x - 1
    return np.array([[1, x, x], [x, 1, y], [x, y, 1]])


def _brute_force_nearest(a, iterations=40_000, step=0.05):
    """Nearest correlation matrix by projected gradient on a factor L with unit rows (X = LLᵀ)."""
    w, v = np.linalg.eigh(a)
    factor = v * np.sqrt(np.maximum(w, 0.01))
    factor /= np.linalg.norm(factor, axis=1, keepdims=True)
    for _ in range(iterations):
        previous = factor
        factor = factor - step * 4 * (factor @ factor.T - a) @ factor
        factor /= np.linalg.norm(factor, axis=1, keepdims=True)
        if np.abs(factor - previous).max() < 1e-15:
            break
    return factor @ factor.T


def _spearman(x):
    """Spearman correlation matrix of the columns of ``x`` (continuous, no ties)."""
    ranks = np.argsort(np.argsort(x, axis=0), axis=0).astype(np.float64)
    return np.corrcoef(ranks, rowvar=False)


def _pert_draws(rng, n, k):
    """``(n, k)`` independent Beta-PERT draws, each column with its own (skewed) shape."""
    shapes = [(0.0, 0.1, 1.0), (-2.0, 1.5, 2.0), (10.0, 10.5, 20.0), (0.0, 0.5, 1.0), (1, 1, 3)]
    return np.column_stack([pert_quantile(rng.random(n), *shapes[j % 5]) for j in range(k)])


def _random_correlation(rng, k, free):
    """A positive definite correlation matrix; inputs in ``free`` are uncorrelated."""
    b = rng.uniform(-1, 1, (k, k))
    s = b @ b.T + 0.1 * np.eye(k)
    d = np.sqrt(np.diag(s))
    c = s / np.outer(d, d)
    c[free, :] = 0.0
    c[:, free] = 0.0
    c = (c + c.T) / 2
    np.fill_diagonal(c, 1.0)
    return c


def _in_blocks(draws, target, block=BLOCK_SIZE, rng=None):
    """Iman–Conover block by block, as the engine calls it."""
    return np.vstack(
        [iman_conover(draws[i : i + block], target, rng=rng) for i in range(0, len(draws), block)]
    )


# --- nearest_correlation --------------------------------------------------------------------


def test_nearest_correlation_of_highams_example_matches_the_literature_and_the_closed_form():
    # HIGHAM_A with its middle input first is [[1, a, a], [a, 1, b], [a, b, 1]], a = 1, b = 0
    middle_first = [1, 0, 2]
    exact = _closed_form_3(1.0, 0.0)[np.ix_(middle_first, middle_first)]
    assert_allclose(exact[0, 1], 0.76068985340228, atol=1e-13)
    assert_allclose(exact[0, 2], 0.15729810613838, atol=1e-13)
    assert_allclose(nearest_correlation(HIGHAM_A), HIGHAM_LITERATURE, atol=5e-5)
    # the 1e-6 eigenvalue floor moves the answer by about 1e-6
    assert_allclose(nearest_correlation(HIGHAM_A), exact, atol=2e-6)
    assert_allclose(nearest_correlation(HIGHAM_A, min_eigenvalue=1e-12), exact, atol=1e-9)


@pytest.mark.parametrize(
    "matrix",
    [
        HIGHAM_A,
        NEARPD_PR,
        np.array([[1, 0.9, 0.9], [0.9, 1, -0.2], [0.9, -0.2, 1]]),
        np.array(
            [[2.0, -1.5, 0.3, 0.0], [-1.5, 0.5, 0.8, 0.9], [0.3, 0.8, 1, 0.9], [0, 0.9, 0.9, 1]]
        ),
    ],
    ids=["higham", "nearpd-pr", "inconsistent-triangle", "non-unit-diagonal"],
)
def test_nearest_correlation_agrees_with_a_brute_force_minimisation(matrix):
    found = nearest_correlation(matrix, min_eigenvalue=1e-12)
    assert_allclose(found, _brute_force_nearest(matrix), atol=1e-8)


@settings(max_examples=60, deadline=None)
@given(k=st.integers(2, 8), seed=st.integers(0, 2**32 - 1), scale=st.sampled_from([1.0, 3.0]))
def test_repaired_matrix_is_symmetric_unit_diagonal_with_min_eigenvalue(k, seed, scale):
    rng = np.random.default_rng(seed)
    a = rng.uniform(-scale, scale, (k, k))
    a = (a + a.T) / 2
    if scale == 1.0:
        np.fill_diagonal(a, 1.0)
    found = nearest_correlation(a)
    assert_array_equal(found, found.T)
    assert_array_equal(np.diag(found), 1.0)
    assert np.linalg.eigvalsh(found)[0] >= MIN_EIGENVALUE
    # no farther from a than the naive repair (clip the eigenvalues, rescale the diagonal)
    w, v = np.linalg.eigh(a)
    naive = (v * np.maximum(w, 1e-3)) @ v.T
    naive /= np.sqrt(np.outer(np.diag(naive), np.diag(naive)))
    assert np.linalg.norm(found - a) <= np.linalg.norm(naive - a) + 1e-9


@pytest.mark.parametrize(
    "matrix",
    [
        np.eye(4),
        np.array(TARGETS["four strong"]),
        np.array([[1, 0.6, 0.6], [0.6, 1, -0.2], [0.6, -0.2, 1]]),
    ],
)
def test_valid_matrix_is_returned_unchanged(matrix):
    matrix = np.asarray(matrix, dtype=np.float64)
    found = nearest_correlation(matrix)
    assert_array_equal(found, matrix)
    assert found is not matrix
    repair = repair_spearman(matrix)
    assert_array_equal(repair.used, matrix)
    assert not repair.repaired
    assert repair.moved == ()


def test_singular_matrix_is_lifted_to_the_eigenvalue_floor_without_reporting_a_move():
    singular = np.array([[1, 0.7, 0.7], [0.7, 1, -0.02], [0.7, -0.02, 1]])  # eigenvalue 0
    repair = repair_spearman(singular)
    assert repair.repaired
    assert repair.moved == ()
    assert np.linalg.eigvalsh(repair.used)[0] >= MIN_EIGENVALUE
    assert_allclose(repair.used, singular, atol=1e-5)


def test_truncated_projections_still_give_a_valid_matrix():
    found = nearest_correlation(NEARPD_PR, max_iterations=2)
    assert_array_equal(np.diag(found), 1.0)
    assert np.linalg.eigvalsh(found)[0] >= MIN_EIGENVALUE


@pytest.mark.parametrize("floor", [0.0, -1e-6, 1.0])
def test_nearest_correlation_rejects_an_eigenvalue_floor_outside_0_1(floor):
    with pytest.raises(ValueError, match="min_eigenvalue"):
        nearest_correlation(HIGHAM_A, min_eigenvalue=floor)


def test_non_symmetric_input_is_treated_as_its_symmetric_part():
    a = HIGHAM_A + np.array([[0, 0.2, 0], [-0.2, 0, 0], [0, 0, 0]])
    assert_array_equal(nearest_correlation(a), nearest_correlation(HIGHAM_A))


# --- repair_spearman ------------------------------------------------------------------------


def test_repair_reports_the_pairs_that_moved_by_more_than_0_005():
    requested = np.array([[1, 0.708, 0.708], [0.708, 1, -0.02], [0.708, -0.02, 1]])
    repair = repair_spearman(requested)
    exact = _closed_form_3(0.708, -0.02)
    assert_allclose(repair.used, exact, atol=2e-6)
    # (0, 1) and (0, 2) move by 0.0064; (1, 2) by 0.0046, under the threshold
    assert_allclose(exact[0, 1] - 0.708, -0.00638, atol=1e-5)
    assert_allclose(exact[1, 2] + 0.02, 0.00455, atol=1e-5)
    assert repair.moved == ((0, 1), (0, 2))
    assert repair.repaired
    assert_array_equal(repair.requested, requested)


def test_repair_does_not_move_pairs_of_an_unrelated_input():
    requested = np.zeros((4, 4))
    requested[1:, 1:] = HIGHAM_A
    requested[0, 0] = 1.0
    repair = repair_spearman(requested)
    assert repair.moved == ((1, 2), (1, 3), (2, 3))
    assert_array_equal(repair.used[0], [1, 0, 0, 0])
    assert_allclose(repair.used[1:, 1:], HIGHAM_LITERATURE, atol=5e-5)


@pytest.mark.parametrize(
    "matrix",
    [
        [[1, 0.5], [0.4, 1]],  # not symmetric
        [[1, 0.5], [0.5, 0.9]],  # diagonal not 1
        [[1, 1.2], [1.2, 1]],  # out of range
        [[1, 0.5, 0.1], [0.5, 1, 0.1]],  # not square
        [[1, np.nan], [np.nan, 1]],
    ],
)
def test_repair_rejects_a_matrix_that_is_not_a_correlation_matrix(matrix):
    with pytest.raises(ValueError, match="must be"):
        repair_spearman(matrix)


# --- scores ---------------------------------------------------------------------------------


def test_normal_scores_target_is_two_sine_pi_rho_over_six():
    rho = np.array([[1.0, 0.5, -1.0], [0.5, 1.0, 0.0], [-1.0, 0.0, 1.0]])
    found = normal_scores_target(rho)
    assert_array_equal(np.diag(found), 1.0)
    assert found[0, 2] == -1.0
    assert found[1, 2] == 0.0
    assert_allclose(found[0, 1], 2 * np.sin(np.pi / 12), rtol=1e-15)


def test_van_der_waerden_scores_are_normal_quantiles_of_i_over_n_plus_one():
    scores = van_der_waerden_scores(7)
    expected = [NormalDist().inv_cdf(i / 8) for i in range(1, 8)]
    assert_allclose(scores, expected, rtol=1e-15)
    assert_allclose(scores, -scores[::-1], atol=1e-15)
    assert not scores.flags.writeable


# --- iman_conover ---------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(1, 300),
    k=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
    ties=st.booleans(),
    with_rng=st.booleans(),
)
def test_iman_conover_keeps_every_columns_sorted_values(n, k, seed, ties, with_rng):
    rng = np.random.default_rng(seed)
    draws = _pert_draws(rng, n, k)
    if ties:
        draws = np.round(draws, 1)
    free = rng.random(k) < 0.3
    target = _random_correlation(rng, k, free)
    out = iman_conover(draws, target, rng=np.random.default_rng(seed) if with_rng else None)
    assert out.shape == draws.shape
    assert_array_equal(np.sort(out, axis=0), np.sort(draws, axis=0))
    involved = np.any(target != np.eye(k), axis=1)
    assert_array_equal(out[:, ~involved], draws[:, ~involved])


@pytest.mark.parametrize("with_rng", [False, True], ids=["own-order", "rng"])
@pytest.mark.parametrize("name", list(TARGETS))
def test_iman_conover_hits_target_spearman_within_0_03_at_10000_draws(name, with_rng):
    target = np.array(TARGETS[name], dtype=np.float64)
    rng = np.random.default_rng(20240601)
    draws = _pert_draws(rng, 10_000, len(target))
    involved = np.any(target != np.eye(len(target)), axis=1)
    pairs = np.ix_(involved, involved)
    for out in (
        _in_blocks(draws, target, rng=np.random.default_rng(7) if with_rng else None),
        iman_conover(draws, target),  # one block of 10,000
    ):
        found = _spearman(out)
        assert_allclose(found[pairs], target[pairs], atol=0.03)
        # an uncorrelated input keeps its independent draws: sampling noise, sd 1/√n = 0.01
        assert_allclose(found, target, atol=0.04)


def test_iman_conover_meets_a_target_at_the_eigenvalue_floor():
    # the repaired Higham matrix: its normal-scores target is not positive definite
    target = repair_spearman(nearest_correlation(HIGHAM_A)).used
    assert np.linalg.eigvalsh(normal_scores_target(target))[0] < 0
    draws = _pert_draws(np.random.default_rng(3), 10_000, 3)
    out = _in_blocks(draws, target)
    assert_array_equal(np.sort(out, axis=0), np.sort(draws, axis=0))
    assert_allclose(_spearman(out), target, atol=0.03)


def test_iman_conover_leaves_uncorrelated_columns_and_the_first_correlated_one_in_place():
    target = np.array(TARGETS["five, a chain and a free input"], dtype=np.float64)
    draws = _pert_draws(np.random.default_rng(11), BLOCK_SIZE, 5)
    out = iman_conover(draws, target)
    assert_array_equal(out[:, 4], draws[:, 4])
    assert_array_equal(out[:, 0], draws[:, 0])  # default order: the first input never moves
    assert not np.array_equal(out[:, 1], draws[:, 1])


def test_iman_conover_is_deterministic_and_layout_independent():
    target = np.array(TARGETS["five, two groups"], dtype=np.float64)
    rows = np.ascontiguousarray(_pert_draws(np.random.default_rng(5), BLOCK_SIZE, 5).T)
    first = iman_conover(rows.T, target)  # the engine's (quantities, draws) rows, transposed
    assert_array_equal(first, iman_conover(np.ascontiguousarray(rows.T), target))
    assert_array_equal(first, iman_conover(rows.T.copy(), target))
    with_rng = iman_conover(rows.T, target, rng=np.random.default_rng(9))
    assert_array_equal(with_rng, iman_conover(rows.T, target, rng=np.random.default_rng(9)))
    assert_array_equal(rows.T, _pert_draws(np.random.default_rng(5), BLOCK_SIZE, 5))  # input kept


@pytest.mark.parametrize("n", [1, 2, 3, 5, 6])
def test_iman_conover_permutes_blocks_with_no_more_draws_than_inputs(n):
    target = np.array(TARGETS["five, two groups"], dtype=np.float64)
    draws = _pert_draws(np.random.default_rng(n), n, 5)
    out = iman_conover(draws, target)
    assert_array_equal(np.sort(out, axis=0), np.sort(draws, axis=0))


def test_iman_conover_permutes_draws_whose_scores_are_perfectly_correlated():
    # identical orders make the score correlation singular: no correction is possible
    column = np.linspace(0.0, 1.0, 10)
    draws = np.column_stack([column, 2 * column])
    out = iman_conover(draws, [[1, -0.5], [-0.5, 1]])
    assert_array_equal(np.sort(out, axis=0), draws)


def test_iman_conover_without_correlations_returns_the_draws():
    draws = _pert_draws(np.random.default_rng(1), 100, 3)
    assert_array_equal(iman_conover(draws, np.eye(3)), draws)


@pytest.mark.parametrize(
    ("draws", "target"),
    [
        (np.zeros((10, 3)), np.eye(2)),
        (np.zeros(10), np.eye(1)),
        (np.zeros((10, 2)), [[1, 0.5], [0.4, 1]]),
    ],
)
def test_iman_conover_rejects_mismatched_or_invalid_arguments(draws, target):
    with pytest.raises(ValueError, match="must be"):
        iman_conover(draws, target)
