"""Validation against history: synthetic records the model made itself, and ones it cannot follow."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from tests.factories import collapse_ranges, make_inputs, replace_parameter

from policybrief.domain import HistoryPoint, Scenario
from policybrief.model import run
from policybrief.model.validation import MAX_ERROR_PCT, start_years

TRUE_GROWTH = 0.06


def _no_levers(inputs):
    scenarios = tuple(Scenario(s.name, dict.fromkeys(s.intensities, 0.0)) for s in inputs.scenarios)
    return dataclasses.replace(inputs, scenarios=scenarios)


def _history_from_the_engine():
    """A record produced by the engine itself: no levers, central values, from FY2016.

    Returns the 2016-based inputs and their central exports and workforce paths to FY2025.
    """
    past = make_inputs(base_year=2016, horizon=9, targets=(), history=())
    past = replace_parameter(_no_levers(collapse_ranges(past)), "productivity_growth", value=0.06)
    result = run(past, draws=100)
    central = result.baseline.central
    return past, central["exports"], central["workforce"]


def _validated_inputs(*, shock_sd: float = 0.03):
    """Inputs based in FY2025 whose History is the engine's own path from FY2016."""
    past, exports, workforce = _history_from_the_engine()
    growth = past.parameter("graduates_growth").central
    inputs = make_inputs(
        history=tuple(HistoryPoint(2016 + i, float(e)) for i, e in enumerate(exports)),
        targets=(),
    )
    inputs = _no_levers(inputs)
    for name in [p.name for p in past.parameters]:
        p = past.parameter(name)
        inputs = replace_parameter(inputs, name, value=p.central)
    # The 2025 state of that path, with ranges around it for the bands.
    grads_2025 = past.parameter("graduates_base").central * (1 + growth) ** 9
    inputs = replace_parameter(inputs, "exports_base", value=float(exports[-1]))
    inputs = replace_parameter(inputs, "workforce_base", value=float(workforce[-1]))
    inputs = replace_parameter(inputs, "graduates_base", value=grads_2025)
    inputs = replace_parameter(inputs, "productivity_growth", low=0.03, central=0.06, high=0.09)
    inputs = replace_parameter(inputs, "realization_base", low=0.7, central=0.8, high=0.85)
    return replace_parameter(inputs, "shock_sd", value=shock_sd)


def test_a_record_the_model_made_itself_is_reproduced_exactly() -> None:
    inputs = _validated_inputs()
    v = run(inputs, draws=2000).validation
    assert v is not None
    assert not v.skipped
    assert [h.start_year for h in v.hindcasts] == [2016, 2020, 2022]
    for h in v.hindcasts:
        assert abs(h.error_pct) < 1e-9, h.start_year
        assert h.rmse_log < 1e-10
        assert h.coverage >= 0.9
        assert h.workforce_from == "backward"
        assert math.isclose(h.suggested_productivity_growth, TRUE_GROWTH, abs_tol=1e-6)
        recorded = [r for r in h.recorded if r is not None]
        assert_allclose(h.central, recorded, rtol=1e-10)
    assert v.passed
    assert v.warnings == ()


def test_a_recorded_workforce_is_used_instead_of_the_backward_run() -> None:
    inputs = _validated_inputs()
    _, _, workforce = _history_from_the_engine()
    history = tuple(
        dataclasses.replace(p, workforce=float(workforce[p.year - 2016]) * 1.5)
        if p.year == 2020
        else p
        for p in inputs.history
    )
    v = run(dataclasses.replace(inputs, history=history), draws=500).validation
    assert v is not None
    by_year = {h.start_year: h for h in v.hindcasts}
    assert by_year[2020].workforce_from == "history"
    assert_allclose(by_year[2020].workforce_start, workforce[4] * 1.5)
    assert by_year[2016].workforce_from == "backward"
    # With half as much revenue per worker at the start, the fitted growth must be higher.
    assert by_year[2020].suggested_productivity_growth > TRUE_GROWTH


def test_a_collapse_mid_record_fires_the_warnings() -> None:
    inputs = _validated_inputs()
    history = tuple(
        dataclasses.replace(p, exports=p.exports * (0.35 if 2019 <= p.year <= 2021 else 1.0))
        for p in inputs.history
    )
    history = (
        HistoryPoint(2012, history[0].exports * 4.0),
        HistoryPoint(2013, history[0].exports * 3.5),
        *history,
    )
    v = run(dataclasses.replace(inputs, history=history), draws=2000).validation
    assert v is not None
    assert v.hindcasts[0].start_year == 2012
    assert abs(v.hindcasts[0].error_pct) > MAX_ERROR_PCT
    assert v.warnings
    assert any("misses the base year's recorded exports" in w for w in v.warnings)
    assert not v.passed


def test_fewer_than_four_recorded_years_skip_the_validation_and_say_why() -> None:
    inputs = make_inputs(history=(HistoryPoint(2024, 1900.0), HistoryPoint(2025, 2000.0)))
    v = run(inputs, draws=200).validation
    assert v is not None
    assert v.hindcasts == ()
    assert v.skipped == (
        "the History sheet has 2 recorded years up to the base year; the validation needs at "
        "least 4"
    )


@pytest.mark.parametrize(
    ("years", "expected"),
    [((2016, 2020, 2022, 2025), [2016, 2020, 2022]), ((2021, 2022, 2025), [2021, 2022])],
)
def test_start_years_are_the_earliest_and_five_and_three_years_back_when_recorded(
    years, expected
) -> None:
    assert start_years(dict.fromkeys(years, 1.0), 2025) == expected


def test_the_one_year_ahead_check_counts_recorded_growth_inside_the_band() -> None:
    inputs = _validated_inputs(shock_sd=0.0)
    v = run(inputs, draws=2000).validation
    assert v is not None
    rates = np.diff([p.exports for p in inputs.history]) / [p.exports for p in inputs.history][:-1]
    low, high = v.growth_band
    assert v.growth_count == len(rates)
    assert v.growth_inside == int(np.sum((rates >= low) & (rates <= high)))
    logs = np.log1p(rates)
    assert v.history_sd is not None
    assert_allclose(v.history_sd, np.std(logs, ddof=1))
