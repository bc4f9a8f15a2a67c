"""Domain facts defined once in ``policybrief.domain``, worked by hand."""

from __future__ import annotations

import pytest
from tests.factories import HEADLINE, STRETCH, make_inputs, replace_lever


def test_annual_cost_at_full_ramp_by_hand() -> None:
    inputs = make_inputs()
    # skills 10/unit, retention 5/unit, visas 2/unit
    assert inputs.annual_cost(HEADLINE) == (10.0 * 1 + 5.0 * 1 + 2.0 * 1, 0.0)
    assert inputs.annual_cost(STRETCH) == (10.0 * 2 + 5.0 * 2 + 2.0 * 3, 0.0)


def test_annual_cost_splits_a_share_of_exports_from_the_fixed_part() -> None:
    inputs = replace_lever(make_inputs(), "visas", cost_per_unit=0.0, cost_share=0.001)
    assert inputs.annual_cost(STRETCH) == pytest.approx((10.0 * 2 + 5.0 * 2, 0.001 * 3), rel=1e-15)


def test_annual_cost_of_an_unknown_scenario_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        make_inputs().annual_cost("No such scenario")
