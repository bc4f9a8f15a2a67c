"""Rows of the results workbook's long sheets for figures the deck and the brief show beside
the analyses: ``LeverCosts`` (each lever's annual cost per scenario, the levers table),
``History`` (recorded growth and the one-year-ahead check of the validation slide) and
``FrontierScenarios`` (each scenario against the cost–exports frontier, with the least-cost
package reaching its exports). Column order as ``results_workbook.SHEETS``; blanks are None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from policybrief.model.validation import BAND

if TYPE_CHECKING:
    from policybrief.model.results import Results
    from policybrief.report.xlsx import Row

__all__ = ["COLUMN_FORMAT", "SHEETS", "frontier_scenario_rows", "history_rows", "lever_cost_rows"]

#: These sheets' columns, in order (a contract, as ``results_workbook.SHEETS``).
SHEETS: dict[str, tuple[str, ...]] = {
    "LeverCosts": ("scenario", "lever", "intensity", "annual_cost", "cost_share_of_exports"),
    "History": ("measure", "from_year", "to_year", "value"),
    "FrontierScenarios": (
        "scenario",
        "pv_cost",
        "exports_central",
        "best_exports",
        "least_cost",
        "lever",
        "intensity",
    ),
}
_MONEY = "#,##0.0"
#: Number format per (sheet, column); money in the workbook's currency unit.
COLUMN_FORMAT = {
    ("LeverCosts", "intensity"): "0.00",
    ("LeverCosts", "annual_cost"): _MONEY,
    ("LeverCosts", "cost_share_of_exports"): "0.00%",
    ("History", "value"): "0.00%",
    ("FrontierScenarios", "pv_cost"): _MONEY,
    ("FrontierScenarios", "exports_central"): _MONEY,
    ("FrontierScenarios", "best_exports"): _MONEY,
    ("FrontierScenarios", "least_cost"): _MONEY,
    ("FrontierScenarios", "intensity"): "0.00",
}


def lever_cost_rows(results: Results) -> list[Row]:
    """One row per scenario and lever: the intensity, the annual cost at full ramp (in the
    workbook's currency unit) and, for a lever costed as a share of exports, that share."""
    inputs = results.inputs
    rows: list[Row] = []
    for sc in inputs.scenarios:
        for lv in inputs.levers:
            x = sc.intensity(lv.id)
            rows.append((sc.name, lv.id, x, lv.cost_per_unit * x, lv.cost_share * x))
    return rows


def history_rows(results: Results) -> list[Row]:
    """Recorded growth and the validation's one-year-ahead band: (measure, from, to, value).

    ``recorded_growth``: compound annual growth of recorded exports over the whole History
    sheet, then over the last 3 and 5 years to the base year (each when recorded);
    ``first_year_growth_p10`` / ``_p90``: the band of the baseline's growth in its first
    projected year; ``recorded_growth_sd``: the standard deviation of recorded log growth
    (the base year's exports are the workbook's ``exports_base``). The last two only when the
    validation ran.
    """
    base = results.inputs.settings.base_year
    years = sorted(p.year for p in results.inputs.history)
    rows: list[Row] = []
    if results.historical_cagr is not None and years:
        rows.append(("recorded_growth", years[0], years[-1], results.historical_cagr))
    rows += [("recorded_growth", base - n, base, g) for n, g in results.recent_cagr]
    v = results.validation
    if v is not None and not v.skipped:
        low, high = (f"first_year_growth_p{p:.0f}" for p in BAND)
        rows += [(low, base, base + 1, v.growth_band[0]), (high, base, base + 1, v.growth_band[1])]
        if v.history_sd is not None:
            first = min([*years, base])
            rows.append(("recorded_growth_sd", first, base, v.history_sd))
    return rows


def frontier_scenario_rows(results: Results) -> list[Row]:
    """Each scenario against the frontier, one row per lever of the least-cost package that
    reaches its central final-year exports (one blank-lever row when no package does)."""
    fr = results.frontier
    if fr is None:
        return []
    rows: list[Row] = []
    for f in fr.scenarios:
        levers: list[tuple[str | None, float | None]] = list(f.package) or [(None, None)]
        rows += [
            (f.scenario, f.pv_cost, f.exports, f.best_exports, f.least_cost, lever, x)
            for lever, x in levers
        ]
    return rows
