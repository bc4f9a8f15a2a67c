"""Rank correlations between uncertain inputs: repair of the requested matrix.

The ``Correlations`` sheet (MODEL.md, "Uncertainty", v2) gives Spearman rank correlations
between uncertain inputs. Once per run, ``repair_spearman`` replaces the requested matrix
(unlisted pairs 0), if its smallest eigenvalue is below ``MIN_EIGENVALUE``, by the nearest
correlation matrix whose smallest eigenvalue is that (``nearest_correlation``: Higham 2002),
and lists every pair that moved by more than ``MOVED_BY``: the caller warns per listed pair
with its cell and once for the unlisted ones, and writes ``Repair.used`` to the results. A
valid matrix is returned unchanged (bit for bit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    FloatArray = NDArray[np.float64]

#: Smallest eigenvalue of a correlation matrix the engine accepts (MODEL.md).
MIN_EIGENVALUE = 1e-6
#: A repaired entry that moved by more than this is reported.
MOVED_BY = 0.005
#: The final clip aims this far above the floor: the rescale to unit diagonal shrinks it.
_CLIP_MARGIN = 1e-3


@dataclass(frozen=True)
class Repair:
    """A requested Spearman matrix and the one used.

    ``moved`` lists the pairs ``(i, j)``, ``i < j``, whose entry moved by more than the
    threshold, in row-major order; it is empty when ``used`` is ``requested``.
    """

    requested: FloatArray
    used: FloatArray
    moved: tuple[tuple[int, int], ...]

    @property
    def repaired(self) -> bool:
        """Whether ``used`` differs from ``requested`` at all."""
        return not np.array_equal(self.requested, self.used)


def _square(matrix: ArrayLike, name: str) -> FloatArray:
    a = np.array(matrix, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be a square matrix of finite numbers")
    return a


def _check_correlation(matrix: ArrayLike, name: str) -> FloatArray:
    """``matrix`` as float64 if symmetric with unit diagonal and entries in [-1, 1]."""
    a = _square(matrix, name)
    if not np.array_equal(a, a.T) or np.any(np.diag(a) != 1.0) or np.any(np.abs(a) > 1.0):
        raise ValueError(f"{name} must be symmetric with unit diagonal and entries in [-1, 1]")
    return a


def _is_valid(a: FloatArray, min_eigenvalue: float) -> bool:
    return bool(np.all(np.diag(a) == 1.0) and np.linalg.eigvalsh(a)[0] >= min_eigenvalue)


def _clip(a: FloatArray, floor: float) -> FloatArray:
    """Projection of symmetric ``a`` onto the matrices with every eigenvalue ≥ ``floor``."""
    w, v = np.linalg.eigh(a)
    x: FloatArray = (v * np.maximum(w, floor)) @ v.T
    return (x + x.T) / 2


def nearest_correlation(
    matrix: ArrayLike,
    *,
    min_eigenvalue: float = MIN_EIGENVALUE,
    tolerance: float = 1e-12,
    max_iterations: int = 10_000,
) -> FloatArray:
    """The nearest correlation matrix whose smallest eigenvalue is at least ``min_eigenvalue``.

    Higham (2002) alternating projections with Dykstra's correction, between the unit-diagonal
    matrices and the matrices with every eigenvalue ≥ ``min_eigenvalue`` (both convex, so this
    converges to the nearest point of their intersection in the Frobenius norm). It stops when
    an iteration changes the matrix by less than ``tolerance`` (relative, Frobenius), then clips
    the eigenvalues and rescales to unit diagonal until both hold exactly.

    Parameters
    ----------
    matrix
        A square matrix of finite numbers. A non-symmetric one is replaced by its symmetric
        part ``(A + Aᵀ) / 2``, which has the same nearest symmetric matrices.
    min_eigenvalue
        Floor on the smallest eigenvalue (positive, below 1).
    tolerance, max_iterations
        Stopping rule of the projections (the final clip makes the result valid either way).

    Returns
    -------
    numpy.ndarray
        Symmetric, unit diagonal, smallest eigenvalue ≥ ``min_eigenvalue``. When the
        (symmetrised) input already is, it is returned unchanged (a copy, bit for bit).
    """
    a = _square(matrix, "matrix")
    if not 0.0 < min_eigenvalue < 1.0:
        raise ValueError("min_eigenvalue must be in (0, 1)")
    a = (a + a.T) / 2
    if _is_valid(a, min_eigenvalue):
        return a
    y, correction = a.copy(), np.zeros_like(a)
    for _ in range(max_iterations):
        r = y - correction
        x = _clip(r, min_eigenvalue)
        correction = x - r  # Dykstra's correction (only the eigenvalue step needs one)
        previous, y = y, x.copy()
        np.fill_diagonal(y, 1.0)
        if np.linalg.norm(y - previous) <= tolerance * np.linalg.norm(y):
            break
    floor = min_eigenvalue * (1 + _CLIP_MARGIN)
    for _ in range(1000):  # 1-2 rounds after convergence; ≤ 50 measured after 3 iterations
        if _is_valid(y, min_eigenvalue):
            return y
        x = _clip(y, floor)
        d = np.sqrt(np.diag(x))
        y = x / np.outer(d, d)
        y = (y + y.T) / 2
        np.fill_diagonal(y, 1.0)
    raise ArithmeticError("nearest_correlation did not converge")  # pragma: no cover


def repair_spearman(
    requested: ArrayLike,
    *,
    min_eigenvalue: float = MIN_EIGENVALUE,
    moved_by: float = MOVED_BY,
) -> Repair:
    """The Spearman matrix to use for ``requested``, and the pairs that moved.

    Parameters
    ----------
    requested
        Symmetric, unit diagonal, entries in [-1, 1] (unlisted pairs 0).
    min_eigenvalue
        Floor on the smallest eigenvalue of the matrix used.
    moved_by
        Pairs whose entry changed by more than this are listed in ``Repair.moved``.

    Returns
    -------
    Repair
        ``used`` is ``requested`` (unchanged) when its smallest eigenvalue is at least
        ``min_eigenvalue``, else ``nearest_correlation(requested)``.

    Raises
    ------
    ValueError
        If ``requested`` is not symmetric with unit diagonal and entries in [-1, 1].
    """
    a = _check_correlation(requested, "requested")
    used = nearest_correlation(a, min_eigenvalue=min_eigenvalue)
    rows, cols = np.nonzero(np.triu(np.abs(used - a) > moved_by, k=1))
    moved = tuple((int(i), int(j)) for i, j in zip(rows, cols, strict=True))
    return Repair(a, used, moved)
