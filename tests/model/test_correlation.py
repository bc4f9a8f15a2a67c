"""Rank correlations: nearest correlation matrix and repair report."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from policybrief.model.correlation import MIN_EIGENVALUE, nearest_correlation, repair_spearman

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
