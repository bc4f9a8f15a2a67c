"""Rules on what the levers of each scenario add up to (MODEL.md "Well-posedness").

Each lever's effect is bounded on its own (a share channel's effect per unit lies in [-1, 1]),
but a scenario multiplies it by an intensity and adds the levers of a channel together. These
rules bound the sums, so that the model's recursion stays meaningful and finite for every
scenario, every Shapley coalition between a scenario and the baseline, every draw and every
goal-seek scale (``limits.py`` gives the argument):

- productivity, absorption and realization levers together move their share by at most
  ``MAX_LEVER_TERM`` (100 percentage points) a year, counting each lever at the larger of its
  Effect low and Effect high in size;
- inflow levers together bring at most ``MAX_PERSONS`` entrants a year.

That emigration levers never make ``attrition_rate + emigration_rate · (1 − Λ_emigration)``
reach 1 is checked by ``model/wellposed.py``, before the projection and in ``validate``: it
needs each lever's weight by year and the levers in force in the base year.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from policybrief.errors import Problem, some
from policybrief.workbook.limits import MAX_LEVER_TERM, MAX_PERSONS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policybrief.domain import Lever, Parameter, Scenario

#: Channels whose lever effects add to a share (not emigration's relative change), and what
#: their sum moves.
_ADDITIVE_CHANNELS = {
    "productivity": "add to yearly growth in revenue per worker",
    "absorption": "add to the share of graduates absorbed",
    "realization": "add to the realization share",
}


def effective(lever: Lever, intensity: float) -> float:
    """``f(x)``: the intensity, or ``S · (1 − exp(−x / S))`` with saturation ``S`` (MODEL.md)."""
    if lever.saturation is None:
        return intensity
    return lever.saturation * -math.expm1(-intensity / lever.saturation)


def _size(lever: Lever) -> float:
    return max(abs(lever.effect_low), abs(lever.effect_high))


def check_lever_sums(
    parameters: Sequence[Parameter],
    levers: Sequence[Lever],
    scenarios: Sequence[Scenario],
    baseline: str,
    problems: list[Problem],
) -> None:
    """Append an error for each scenario whose levers add up to more than the model allows.

    Parameters
    ----------
    parameters
        The Baseline parameters (every one present).
    levers, scenarios
        The usable levers and the scenarios (each with an intensity for every lever).
    baseline
        The baseline scenario's name.
    problems
        Errors are appended here, at the scenario's name cell.
    """
    del parameters, baseline  # emigration: model/wellposed.py (it needs the levers in force)
    for scenario in scenarios:
        for channel, what in _ADDITIVE_CHANNELS.items():
            _share_sum(scenario, [lv for lv in levers if lv.channel == channel], what, problems)
        _inflow_sum(scenario, [lv for lv in levers if lv.channel == "inflow"], problems)


def _error(scenario: Scenario, message: str, hint: str, problems: list[Problem]) -> None:
    sheet, _, cell = scenario.cell.rpartition("!")
    problems.append(Problem(sheet or "Scenarios", cell, message, hint))


def _share_sum(scenario: Scenario, levers: list[Lever], what: str, problems: list[Problem]) -> None:
    terms = {lv.id: _size(lv) * effective(lv, scenario.intensity(lv.id)) for lv in levers}
    total = sum(terms.values())
    if total > MAX_LEVER_TERM:
        parts = some(f"{i} {t:.3g}" for i, t in terms.items() if t)
        _error(
            scenario,
            f"in scenario '{scenario.name}', the {levers[0].channel} levers together can "
            f"{what} {total:.3g} a year ({total:.0%}; the limit is {MAX_LEVER_TERM:.0%}): "
            f"{parts}",
            "an effect is per unit of intensity: check that effects are fractions "
            "(0.004 = 0.4 percentage points) and intensities are in the levers' units",
            problems,
        )


def _inflow_sum(scenario: Scenario, levers: list[Lever], problems: list[Problem]) -> None:
    total = sum(_size(lv) * effective(lv, scenario.intensity(lv.id)) for lv in levers)
    if total > MAX_PERSONS:
        _error(
            scenario,
            f"in scenario '{scenario.name}', the inflow levers together can bring "
            f"{total:.3g} entrants a year, more than the world's population "
            f"(the limit is {MAX_PERSONS:g})",
            "an inflow effect counts persons per unit of intensity",
            problems,
        )
