"""Well-posedness of the recursion (MODEL.md): the workforce can never lose all of itself in a year.

``attrition_rate + emigration_rate · max(0, 1 − (Λ_emigration(Y) − Λ*_emigration(Y0))) < 1`` in
every year of every scenario, for every value the draws can take and in every mix of the
scenario with the baseline that Shapley attribution projects: attrition and emigration at their
High values, each emigration lever at whichever of its scenario and baseline intensities, and
whichever effect bound, gives the least relief (a harmful lever at its most harmful; a helpful
lever that a scenario ends, relative to the baseline, at its most helpful). The reader checks the base rates alone (``workbook/baseline.py``);
this check adds the levers, which need the lever schedule, so it runs before the projection and
in ``policybrief validate``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from policybrief.errors import Problem
from policybrief.model.levers import effective_intensity, weights

if TYPE_CHECKING:
    from policybrief.domain import Inputs


def problems(inputs: Inputs) -> list[Problem]:
    """One input error per scenario whose emigration levers can empty the workforce in a year.

    Parameters
    ----------
    inputs
        Validated inputs.

    Returns
    -------
    list of Problem
        Errors on the Scenarios sheet, naming the scenario, the year and the levers.
    """
    levers = [lv for lv in inputs.levers if lv.channel == "emigration"]
    if not levers:
        return []
    s = inputs.settings
    attrition = inputs.parameter("attrition_rate").high
    emigration = inputs.parameter("emigration_rate").high
    years = list(range(s.base_year + 1, s.final_year + 1))
    base = inputs.baseline
    star = [
        float(effective_intensity(np.array([base.intensity(lv.id)]), lv.saturation)[0])
        * float(weights(lv, [s.base_year], s.base_year)[0])
        for lv in levers
    ]
    found = []
    for scenario in inputs.scenarios:
        worst, when = 0.0, years[0] if years else s.base_year
        for y in years:
            relief = 0.0
            for lv, at_base in zip(levers, star, strict=True):
                mixes = np.array([scenario.intensity(lv.id), base.intensity(lv.id)])
                loads = effective_intensity(mixes, lv.saturation) * float(
                    weights(lv, [y], s.base_year)[0]
                )
                relief += min(
                    bound * (float(load) - at_base)
                    for load in loads
                    for bound in (lv.effect_low, lv.effect_high)
                )
            outflow = attrition + emigration * max(0.0, 1.0 - relief)
            if outflow > worst:
                worst, when = outflow, y
        if worst >= 1.0:
            sheet, _, cell = scenario.cell.rpartition("!")
            found.append(
                Problem(
                    sheet or "Scenarios",
                    cell,
                    f"in '{scenario.name}', attrition and emigration can reach {worst:.0%} of "
                    f"the workforce in {s.year_label(when)} (attrition_rate and emigration_rate at High, "
                    f"emigration levers {', '.join(lv.id for lv in levers)} at their least "
                    "favourable effect): the whole workforce would leave in a year",
                    "check the emigration levers' effects and intensities (an effect is a "
                    "relative change of the emigration rate: -0.5 means 50% more emigration)",
                )
            )
    return found
