"""The deck's slide titles that state a finding ("Export outlook: $24.8bn by FY35 under the
Reform package"), worded once here so a title's number and its sign are the story's: a gain
"adds", a loss "loses", never the other way round."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policybrief.report.story.formatting import money, signed_money
from policybrief.report.story.labels import (
    axis_label,
    band_label,
    change_label,
    final_exports,
    scenario_ref,
)

if TYPE_CHECKING:
    from policybrief.model.results import Attribution, Results

__all__ = [
    "headline_attribution",
    "outlook_title",
    "tornado_title",
    "uncertainty_title",
    "waterfall_lines",
    "waterfall_title",
]


def _final_year(results: Results) -> str:
    s = results.inputs.settings
    return s.year_label(s.final_year)


def outlook_title(results: Results) -> str:
    """``Export outlook: $24.8bn by FY35 under the Reform package``."""
    head = results.headline
    value = money(float(head.central["exports"][-1]), results.inputs.settings.currency_label)
    return f"Export outlook: {value} by {_final_year(results)} under {scenario_ref(head.name)}"


def uncertainty_title(results: Results) -> str:
    """``Uncertainty: P10–P90 of $13.6bn–$37.5bn in FY35``."""
    _central, lo, hi = final_exports(results, results.headline)
    unit = results.inputs.settings.currency_label
    return (
        f"Uncertainty: {band_label(results)} of {money(lo, unit)}–{money(hi, unit)} in "
        f"{_final_year(results)}"
    )


def headline_attribution(results: Results) -> Attribution | None:
    """The headline's Shapley attribution, None when it uses the baseline's levers."""
    head = results.inputs.settings.headline_scenario
    return next((a for a in results.attribution if a.scenario == head), None)


def waterfall_title(results: Results) -> str:
    """``Where the gain comes from: the Reform package adds $4.1bn in FY35``; a headline below
    the baseline ``loses``; ``Where the gain comes from`` without an attribution."""
    att = headline_attribution(results)
    if att is None:
        return "Where the gain comes from"
    gain = att.scenario_value - att.baseline_value
    word, what = ("adds", "gain") if gain >= 0 else ("loses", "change")
    unit = results.inputs.settings.currency_label
    return (
        f"Where the {what} comes from: {scenario_ref(att.scenario)} {word} "
        f"{money(abs(gain), unit)} in {_final_year(results)}"
    )


def waterfall_lines(results: Results) -> list[str]:
    """Each lever's signed contribution, in the waterfall's order: ``Skills: +$1.20bn``."""
    att = headline_attribution(results)
    if att is None:
        return []
    unit = results.inputs.settings.currency_label
    return [
        f"{change_label(results, att.scenario, lever)}: {signed_money(v, unit)}"
        for lever, v in att.contributions
    ]


def tornado_title(results: Results) -> str:
    """``What matters most: <the input with the largest swing>``."""
    rows = results.sensitivity
    return (
        f"What matters most: {axis_label(results, rows[0].parameter)}"
        if rows
        else "What matters most"
    )
