"""Rows of the results workbook's v2 analysis sheets (``Sobol``, ``Discovery``, ``Cheapest``,
``Frontier``, ``Dominance``, ``Backtest``, ``BacktestFit``, ``Correlations``), in the column
order of ``results_workbook.SHEETS``; blanks are None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policybrief.model.results import Results
    from policybrief.report.xlsx import Row

__all__ = [
    "backtest_fit_rows",
    "backtest_rows",
    "cheapest_rows",
    "correlation_rows",
    "discovery_rows",
    "dominance_rows",
    "frontier_rows",
    "sobol_rows",
]


def backtest_rows(results: Results) -> list[Row]:
    v = results.validation
    if v is None:
        return []
    return [
        (h.start_year, year, recorded, central, p10, p50, p90)
        for h in v.hindcasts
        for year, recorded, central, p10, p50, p90 in zip(
            h.years, h.recorded, h.central, h.p10, h.p50, h.p90, strict=True
        )
    ]


def backtest_fit_rows(results: Results) -> list[Row]:
    v = results.validation
    if v is None:
        return []
    return [
        (
            h.start_year,
            h.workforce_start,
            h.workforce_from,
            h.error_pct,
            h.rmse_log,
            h.coverage,
            h.draws_excluded,
            h.suggested_productivity_growth,
        )
        for h in v.hindcasts
    ]


def sobol_rows(results: Results) -> list[Row]:
    head = results.headline.name
    return [
        (head, r.output, r.parameter, r.first_order, r.total, r.total_ci_low, r.total_ci_high)
        for r in results.sobol
    ]


def discovery_rows(results: Results) -> list[Row]:
    """One row per restricted input of each box (a box without restrictions: one blank row)."""
    rows: list[Row] = []
    for d in results.discovery:
        found: list[tuple[str | None, float | None, float | None]] = [
            (r.label, r.lower, r.upper) for r in d.restrictions
        ] or [(None, None, None)]
        rows += [(d.scenario, d.target, d.coverage, d.density, *r) for r in found]
    return rows


def cheapest_rows(results: Results) -> list[Row]:
    """One row per lever of each target's package; one blank-lever row when there is none."""
    rows: list[Row] = []
    for c in results.cheapest:
        levers: list[tuple[str | None, float | None]] = list(c.intensities) or [(None, None)]
        rows += [(c.target, lever, x, c.pv_cost, c.probability) for lever, x in levers]
    return rows


def frontier_rows(results: Results) -> list[Row]:
    fr = results.frontier
    if fr is None:
        return []
    return [
        (p.budget, p.pv_cost, p.exports, lever, x) for p in fr.points for lever, x in p.intensities
    ]


def dominance_rows(results: Results) -> list[Row]:
    return [
        (d.scenario, d.pv_cost, d.exports, d.dominated, d.dominated_by) for d in results.dominance
    ]


def correlation_rows(results: Results) -> list[Row]:
    return [(c.input_a, c.input_b, c.requested, c.used) for c in results.correlations]
