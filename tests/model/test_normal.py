"""The vectorised standard normal quantile function."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
from numpy.testing import assert_allclose

from policybrief.model.normal import normal_quantile


def test_normal_quantile_matches_the_standard_library():
    rng = np.random.default_rng(0)
    u = np.concatenate((rng.random(2000), [2.0**-54, 1e-300, 1e-12, 0.075, 0.5, 0.925]))
    u = np.concatenate((u, 1.0 - u[u > 2.0**-53]))
    expected = [NormalDist().inv_cdf(float(p)) for p in u]
    assert_allclose(normal_quantile(u), expected, rtol=1e-15, atol=1e-15)


def test_normal_quantile_keeps_the_shape_and_is_odd_about_one_half():
    u = np.random.default_rng(1).random((3, 5))
    got = normal_quantile(u)
    assert got.shape == (3, 5)
    assert_allclose(normal_quantile(1.0 - u), -got, atol=1e-12)
