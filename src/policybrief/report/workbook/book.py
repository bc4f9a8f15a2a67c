"""``<stem>-results.xlsx``: the numbers, in the schema other tools rely on (PRODUCT.md).

A ``Summary`` sheet for people comes first (``report/workbook/summary.py``: one row per scenario,
native charts); the long sheets after it and their columns are a contract (``SHEETS``).
``report/xlsx.py`` writes the package with XlsxWriter (text always as text, never a formula,
link or number: workbook text such as ``=SUM(A1)`` stays inert).
"""

from __future__ import annotations

import dataclasses
import io
import json
from typing import TYPE_CHECKING, Any

from policybrief.model.results import METRICS
from policybrief.report import charts
from policybrief.report.story.assumptions import FLAG_TEXT, assumption_log
from policybrief.report.story.labels import change_label
from policybrief.report.workbook import analysis_rows, detail_rows
from policybrief.report.workbook.schema import (
    COLUMN_FORMAT,
    METRIC_FORMAT,
    SHEET_NAMES,
    SHEETS,
    WIDTH,
)
from policybrief.report.workbook.summary import add_summary_sheet
from policybrief.report.xlsx import Row, Sheet, add_table_sheet, new_workbook

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from pathlib import Path

    from policybrief.changes import Changes
    from policybrief.model.results import Results

__all__ = [
    "SHEETS",
    "SHEET_NAMES",
    "path_rows",
    "results_workbook_bytes",
    "write_results_workbook",
]


def path_rows(results: Results) -> list[Row]:
    """Rows of the ``Paths`` sheet, long format.

    One row per scenario × year (base year and every projection year) × metric × statistic,
    with ``statistic`` in ``central``, ``mean`` and ``p<N>`` per configured percentile.
    """
    rows: list[Row] = []
    percentiles = results.inputs.settings.percentiles
    for sc in results.scenarios:
        for metric in METRICS:
            series = [("central", sc.central[metric]), ("mean", sc.mean[metric])]
            series += [(f"p{p}", sc.percentiles[p][metric]) for p in percentiles]
            columns = [[float(v) for v in values] for _, values in series]
            for t, year in enumerate(results.years):
                for (stat, _), col in zip(series, columns, strict=True):
                    rows.append((sc.name, int(year), metric, stat, col[t]))
    return rows


def _target_rows(results: Results) -> list[Row]:
    """One row per scenario and target; years blank when after the horizon (or never)."""
    rows: list[Row] = []
    for sc in results.scenarios:
        for t in results.targets:
            o = sc.outcomes[t.label]
            rows.append(
                (
                    sc.name,
                    t.label,
                    t.year,
                    t.value,
                    o.probability,
                    o.draws_meeting,
                    o.std_error,
                    o.year_p10,
                    o.year_p50,
                    o.year_p90,
                    o.year_central,
                    o.feasible,
                    t.required_growth,
                )
            )
    return rows


def _attribution_rows(results: Results) -> list[Row]:
    """One row per lever and scenario; ``description`` says what the scenario does with the
    lever, as the waterfall labels it ("Ending internet shutdowns ...")."""
    return [
        (a.scenario, lever, change_label(results, a.scenario, lever), value)
        for a in results.attribution
        for lever, value in a.contributions
    ]


def _sensitivity_rows(results: Results) -> list[Row]:
    head = results.headline.name
    return [
        (head, r.parameter, r.low, r.high, r.exports_at_low, r.exports_at_high, r.swing)
        for r in results.sensitivity
    ]


def _goal_seek_rows(results: Results) -> list[Row]:
    return [
        (
            g.scenario,
            g.target,
            g.scale,
            g.annual_cost,
            g.reachable,
            g.saturation_scale,
            g.probability,
        )
        for g in results.goal_seek
    ]


def _assumption_rows(results: Results) -> list[Row]:
    """Every row of the assumptions log (``report.story.assumptions``), most influential first."""
    return [
        (
            a.name,
            a.label,
            a.unit,
            a.central,
            a.low,
            a.high,
            a.varied,
            a.source,
            a.confidence,
            a.rank,
            FLAG_TEXT if a.flagged else None,
        )
        for a in assumption_log(results)
    ]


def _change_rows(changes: Changes | None) -> list[Row]:
    """Changed input cells (a group's effect on its first cell), then the moved results."""
    if changes is None:
        return []
    return [
        (r.kind, r.where, _echo(r.old), _echo(r.new), r.effect_on_headline, r.group)
        for r in changes.rows()
    ]


def _echo(value: object) -> object:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)):
        return ",".join(str(v) for v in value)
    return str(value)


def _input_rows(results: Results) -> list[Row]:
    """An echo of what was read: one row per (section, item, field)."""
    inputs = results.inputs
    rows: list[Row] = [
        ("settings", f.name, "value", _echo(getattr(inputs.settings, f.name)))
        for f in dataclasses.fields(inputs.settings)
    ]
    sections: Sequence[tuple[str, str, Iterable[Any]]] = (
        ("baseline", "name", inputs.parameters),
        ("levers", "id", inputs.levers),
        ("targets", "label", inputs.targets),
        ("history", "year", inputs.history),
        ("correlations", "cell", inputs.correlations),
    )
    for section, key, items in sections:
        for item in items:
            for f in dataclasses.fields(item):
                if f.name != key:
                    rows.append((section, getattr(item, key), f.name, _echo(getattr(item, f.name))))
    for sc in inputs.scenarios:
        rows.append(("scenarios", sc.name, "description", sc.description))
        rows.extend(("scenarios", sc.name, lv.id, sc.intensity(lv.id)) for lv in inputs.levers)
    return rows


def _manifest_rows(manifest: Mapping[str, Any], prefix: str = "") -> list[Row]:
    rows: list[Row] = []
    for key in sorted(manifest):
        value = manifest[key]
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows.extend(_manifest_rows(value, f"{name}."))
        elif isinstance(value, list):
            rows.append((name, json.dumps(value)))
        else:
            rows.append((name, value))
    return rows


def results_workbook_bytes(
    results: Results,
    *,
    manifest: Mapping[str, Any] | None = None,
    changes: Changes | None = None,
) -> bytes:
    """The results workbook as ``.xlsx`` bytes.

    Parameters
    ----------
    results
        The engine's results.
    manifest
        Provenance for the ``Manifest`` sheet (``report.manifest.manifest_data``).
    changes
        What changed since the previous build, for the ``Changes`` sheet (empty without one).

    Returns
    -------
    bytes
        The workbook (not yet normalised for reproducibility: see ``report.reproducible``).
    """
    producers = {
        "Paths": path_rows,
        "Targets": _target_rows,
        "Attribution": _attribution_rows,
        "Sensitivity": _sensitivity_rows,
        "Sobol": analysis_rows.sobol_rows,
        "Discovery": analysis_rows.discovery_rows,
        "GoalSeek": _goal_seek_rows,
        "Cheapest": analysis_rows.cheapest_rows,
        "Frontier": analysis_rows.frontier_rows,
        "Dominance": analysis_rows.dominance_rows,
        "Backtest": analysis_rows.backtest_rows,
        "BacktestFit": analysis_rows.backtest_fit_rows,
        "Correlations": analysis_rows.correlation_rows,
        "Changes": lambda _: _change_rows(changes),
        "Assumptions": _assumption_rows,
        "Inputs": _input_rows,
        "LeverCosts": detail_rows.lever_cost_rows,
        "History": detail_rows.history_rows,
        "FrontierScenarios": detail_rows.frontier_scenario_rows,
    }
    buffer = io.BytesIO()
    workbook, formats = new_workbook(buffer, title=results.inputs.settings.title)
    add_summary_sheet(workbook, formats, results)
    for name, columns in SHEETS.items():
        rows = _manifest_rows(manifest or {}) if name == "Manifest" else producers[name](results)
        widths = [WIDTH.get(c, max(12, len(c) + 4)) for c in columns]
        add_table_sheet(
            workbook, formats, Sheet(name, columns, rows, widths, _formats(name, columns))
        )
    for name, figures in charts.figure_sheets(results):
        names = [c.name for c in figures.columns]
        widths = [WIDTH.get(c, max(12, len(c) + 4)) for c in names]
        sheet = Sheet(name, names, figures.rows, widths, _kind_formats(figures))
        add_table_sheet(workbook, formats, sheet)
    workbook.close()
    return buffer.getvalue()


def _kind_formats(figures: charts.Figures) -> Callable[[Row], Sequence[str | None]]:
    """Number formats of a chart's figures, by each column's kind."""
    fixed = [charts.KIND_FORMAT.get(c.kind) for c in figures.columns]
    return lambda _row: fixed


def _formats(name: str, columns: Sequence[str]) -> Callable[[Row], Sequence[str | None]]:
    """Number formats of a row: per column, and per metric for the ``Paths`` values."""
    fixed = [COLUMN_FORMAT.get((name, c)) for c in columns]
    if name != "Paths":
        return lambda _row: fixed
    return lambda row: [*fixed[:4], METRIC_FORMAT.get(row[2])]


def write_results_workbook(
    results: Results,
    path: Path,
    *,
    manifest: Mapping[str, Any] | None = None,
    changes: Changes | None = None,
) -> Path:
    """Write the results workbook to ``path`` (see ``results_workbook_bytes``); returns ``path``."""
    path.write_bytes(results_workbook_bytes(results, manifest=manifest, changes=changes))
    return path
