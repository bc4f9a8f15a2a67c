"""The results workbook's schema: its sheets, their columns (a contract other tools read by
name), number formats and widths. ``results_workbook.py`` fills them."""

from __future__ import annotations

from policybrief.report.workbook import detail_rows
from policybrief.report.workbook.summary import SUMMARY

__all__ = ["COLUMN_FORMAT", "METRIC_FORMAT", "SHEETS", "SHEET_NAMES", "WIDTH"]

#: Sheet name -> column names, in order. Other tools read these by name: do not rename. The
#: ``Summary`` sheet before them has a column per target and is for people (``SHEET_NAMES``).
SHEETS: dict[str, tuple[str, ...]] = {
    "Paths": ("scenario", "fiscal_year", "metric", "statistic", "value"),
    "Targets": (
        "scenario",
        "target",
        "fiscal_year",
        "value",
        "probability",
        "draws_meeting",
        "std_error",
        "year_p10",
        "year_p50",
        "year_p90",
        "year_central",
        "feasible",
        "required_growth",
    ),
    "Attribution": ("scenario", "lever", "description", "contribution"),
    "Sensitivity": (
        "scenario",
        "parameter",
        "low",
        "high",
        "exports_at_low",
        "exports_at_high",
        "swing",
    ),
    "Sobol": (
        "scenario",
        "output",
        "parameter",
        "first_order",
        "total",
        "total_ci_low",
        "total_ci_high",
    ),
    "Discovery": ("scenario", "target", "coverage", "density", "parameter", "lower", "upper"),
    "GoalSeek": (
        "scenario",
        "target",
        "scale",
        "annual_cost",
        "reachable",
        "saturation_scale",
        "probability",
    ),
    "Cheapest": ("target", "lever", "intensity", "pv_cost", "probability"),
    "Frontier": ("budget", "pv_cost", "exports_central", "lever", "intensity"),
    "Dominance": ("scenario", "pv_cost", "exports_central", "dominated", "dominated_by"),
    "Backtest": ("start_year", "fiscal_year", "recorded", "central", "p10", "p50", "p90"),
    "BacktestFit": (
        "start_year",
        "workforce_start",
        "workforce_from",
        "error_pct",
        "rmse_log",
        "coverage",
        "draws_excluded",
        "suggested_productivity_growth",
    ),
    "Correlations": ("input_a", "input_b", "requested", "used"),
    "Changes": ("kind", "where", "old", "new", "effect_on_headline", "group"),
    "Assumptions": (
        "assumption",
        "label",
        "unit",
        "central",
        "low",
        "high",
        "varied",
        "source",
        "confidence",
        "rank",
        "flag",
    ),
    "Inputs": ("section", "item", "field", "value"),
    "Manifest": ("key", "value"),
    # Added later, at the end so that positions stay: LeverCosts, History, FrontierScenarios.
    **detail_rows.SHEETS,
}
#: Every sheet of the workbook, in order.
SHEET_NAMES: tuple[str, ...] = (SUMMARY, *SHEETS)

_MONEY = "#,##0.0"
_COUNT = "#,##0"
_SHARE = "0.00%"
_FINE = "#,##0.0000"
METRIC_FORMAT = {
    "exports": _MONEY,
    "earnings": _MONEY,
    "fiscal_cost": _MONEY,
    "workforce": _COUNT,
    "entrants": _COUNT,
    "emigrants": _COUNT,
    "productivity": _FINE,
    "realization": _SHARE,
    "emigration_rate": _SHARE,
}
#: Number format per (sheet, column); columns not listed keep Excel's General.
COLUMN_FORMAT = {
    ("Targets", "value"): _MONEY,
    ("Targets", "probability"): "0.0%",
    ("Targets", "std_error"): "0.00%",
    ("Targets", "draws_meeting"): _COUNT,
    ("Targets", "required_growth"): "0.00%",
    ("GoalSeek", "saturation_scale"): "0.000",
    ("Cheapest", "intensity"): "0.00",
    ("Cheapest", "pv_cost"): _MONEY,
    ("Cheapest", "probability"): "0.0%",
    ("Frontier", "budget"): _MONEY,
    ("Frontier", "pv_cost"): _MONEY,
    ("Frontier", "exports_central"): _MONEY,
    ("Frontier", "intensity"): "0.00",
    ("Dominance", "pv_cost"): _MONEY,
    ("Dominance", "exports_central"): _MONEY,
    ("Sobol", "first_order"): "0.000",
    ("Sobol", "total"): "0.000",
    ("Sobol", "total_ci_low"): "0.000",
    ("Sobol", "total_ci_high"): "0.000",
    ("Discovery", "coverage"): "0.0%",
    ("Discovery", "density"): "0.0%",
    ("Backtest", "recorded"): _MONEY,
    ("Backtest", "central"): _MONEY,
    ("Backtest", "p10"): _MONEY,
    ("Backtest", "p50"): _MONEY,
    ("Backtest", "p90"): _MONEY,
    ("BacktestFit", "workforce_start"): _COUNT,
    ("BacktestFit", "error_pct"): "0.0",
    ("BacktestFit", "rmse_log"): "0.000",
    ("BacktestFit", "coverage"): "0%",
    ("BacktestFit", "suggested_productivity_growth"): "0.00%",
    ("Correlations", "requested"): "0.000",
    ("Correlations", "used"): "0.000",
    ("Attribution", "contribution"): _MONEY,
    ("Sensitivity", "exports_at_low"): _MONEY,
    ("Sensitivity", "exports_at_high"): _MONEY,
    ("Sensitivity", "swing"): _MONEY,
    ("GoalSeek", "scale"): "0.000",
    ("GoalSeek", "annual_cost"): _MONEY,
    ("GoalSeek", "probability"): "0.0%",
    **detail_rows.COLUMN_FORMAT,
}
WIDTH = {
    "value": 16,
    "scenario": 22,
    "parameter": 26,
    "lever": 24,
    "target": 24,
    "key": 28,
    "label": 40,
    "source": 40,
    "flag": 26,
}
