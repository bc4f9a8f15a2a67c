"""The slide titles that state a finding (``report.story.titles``), with literal sentences:
the sign of the waterfall's title follows the headline's gain."""

from __future__ import annotations

import dataclasses

from tests.factories import HEADLINE, fake_results, make_inputs

from policybrief.model.results import Attribution
from policybrief.report.story import titles


def _with_attribution(baseline: float, scenario: float, *contributions: tuple[str, float]):
    results = fake_results(make_inputs())
    att = Attribution(HEADLINE, baseline, scenario, tuple(contributions), "exact")
    return dataclasses.replace(results, attribution=(att,))


def test_a_gain_adds_and_each_lever_is_signed() -> None:
    results = _with_attribution(1000.0, 1250.0, ("skills", 300.0), ("retention", -50.0))
    assert titles.waterfall_title(results) == (
        "Where the gain comes from: the Reform scenario adds $250m in FY30"
    )
    assert titles.waterfall_lines(results) == [
        "Advanced skills programme: +$300m",
        "Retention incentives: -$50m",
    ]


def test_a_loss_loses_never_adds() -> None:
    results = _with_attribution(1000.0, 900.0, ("skills", -100.0))
    assert titles.waterfall_title(results) == (
        "Where the change comes from: the Reform scenario loses $100m in FY30"
    )


def test_without_an_attribution_the_title_states_no_figure() -> None:
    results = dataclasses.replace(fake_results(make_inputs()), attribution=())
    assert titles.waterfall_title(results) == "Where the gain comes from"
    assert titles.waterfall_lines(results) == []
    assert titles.headline_attribution(results) is None
