from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np
import openpyxl
from numpy.testing import assert_allclose
from tests.factories import fake_results, make_inputs, replace_lever

from policybrief.model.results import METRICS
from policybrief.report.charts import CHARTS, sheet_name
from policybrief.report.workbook.book import (
    SHEETS,
    results_workbook_bytes,
    write_results_workbook,
)

if TYPE_CHECKING:
    from pathlib import Path

EXPECTED = {
    "Paths": ["scenario", "fiscal_year", "metric", "statistic", "value"],
    "Targets": [
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
    ],
    "Attribution": ["scenario", "lever", "description", "contribution"],
    "Sensitivity": [
        "scenario",
        "parameter",
        "low",
        "high",
        "exports_at_low",
        "exports_at_high",
        "swing",
    ],
    "Sobol": [
        "scenario",
        "output",
        "parameter",
        "first_order",
        "total",
        "total_ci_low",
        "total_ci_high",
    ],
    "Discovery": ["scenario", "target", "coverage", "density", "parameter", "lower", "upper"],
    "GoalSeek": [
        "scenario",
        "target",
        "scale",
        "annual_cost",
        "reachable",
        "saturation_scale",
        "probability",
    ],
    "Cheapest": ["target", "lever", "intensity", "pv_cost", "probability"],
    "Frontier": ["budget", "pv_cost", "exports_central", "lever", "intensity"],
    "Dominance": ["scenario", "pv_cost", "exports_central", "dominated", "dominated_by"],
    "Backtest": ["start_year", "fiscal_year", "recorded", "central", "p10", "p50", "p90"],
    "BacktestFit": [
        "start_year",
        "workforce_start",
        "workforce_from",
        "error_pct",
        "rmse_log",
        "coverage",
        "draws_excluded",
        "suggested_productivity_growth",
    ],
    "Correlations": ["input_a", "input_b", "requested", "used"],
    "Changes": ["kind", "where", "old", "new", "effect_on_headline", "group"],
    "Assumptions": [
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
    ],
    "LeverCosts": ["scenario", "lever", "intensity", "annual_cost", "cost_share_of_exports"],
    "History": ["measure", "from_year", "to_year", "value"],
    "FrontierScenarios": [
        "scenario",
        "pv_cost",
        "exports_central",
        "best_exports",
        "least_cost",
        "lever",
        "intensity",
    ],
}
FORMULA_LIKE = ("=SUM(A1:A9)", "+cmd", "-1+2", "@import")


def _write(tmp_path: Path, results=None) -> openpyxl.Workbook:
    results = results or fake_results(make_inputs())
    path = write_results_workbook(results, tmp_path / "r.xlsx", manifest={"seed": 1})
    return openpyxl.load_workbook(path)


def test_results_workbook_has_exactly_the_contract_sheets_and_columns(tmp_path: Path) -> None:
    wb = _write(tmp_path)
    contract = [
        "Summary",
        "Paths",
        "Targets",
        "Attribution",
        "Sensitivity",
        "Sobol",
        "Discovery",
        "GoalSeek",
        "Cheapest",
        "Frontier",
        "Dominance",
        "Backtest",
        "BacktestFit",
        "Correlations",
        "Changes",
        "Assumptions",
        "Inputs",
        "Manifest",
        "LeverCosts",
        "History",
        "FrontierScenarios",
    ]
    # then a sheet for each registered chart with figures of its own (``report.charts``)
    own = [sheet_name(c) for c in CHARTS if c.figures is not None]
    assert wb.sheetnames == [*contract, *own]
    for name, columns in EXPECTED.items():
        assert [c.value for c in wb[name][1]] == columns
        assert list(SHEETS[name]) == columns
        assert wb[name].freeze_panes == "A2"


def test_paths_cover_every_scenario_year_metric_and_statistic(tmp_path: Path) -> None:
    inputs = make_inputs(horizon=7)
    results = fake_results(inputs)
    rows = list(_write(tmp_path, results)["Paths"].iter_rows(min_row=2, values_only=True))
    stats = ["central", "mean", *(f"p{p}" for p in inputs.settings.percentiles)]
    years = list(range(inputs.settings.base_year, inputs.settings.base_year + 8))
    assert len(rows) == len(inputs.scenarios) * len(years) * len(METRICS) * len(stats)
    keys = {(r[0], r[1], r[2], r[3]) for r in rows}
    assert keys == {
        (sc.name, y, m, s) for sc in inputs.scenarios for y in years for m in METRICS for s in stats
    }
    assert all(type(r[1]) is int for r in rows)
    head = results.headline
    got = [r[4] for r in rows if r[0] == head.name and r[2] == "exports" and r[3] == "central"]
    assert_allclose(got, head.central["exports"])
    p90 = [r[4] for r in rows if r[0] == head.name and r[2] == "workforce" and r[3] == "p90"]
    assert_allclose(p90, head.percentiles[90]["workforce"])


def test_summary_sheets_carry_the_engine_numbers(tmp_path: Path) -> None:
    results = fake_results(make_inputs())
    wb = _write(tmp_path, results)
    targets = list(wb["Targets"].iter_rows(min_row=2, values_only=True))
    assert len(targets) == len(results.scenarios) * len(results.targets)
    for scenario, target, _year, _value, probability, meeting, error, *_years, ok, need in targets:
        outcome = results.scenario(scenario).outcomes[target]
        assert_allclose(probability, outcome.probability)
        assert meeting == outcome.draws_meeting
        assert_allclose(error, outcome.std_error)
        assert ok is outcome.feasible
        info = next(t for t in results.targets if t.label == target)
        assert_allclose(need, info.required_growth)
    attribution = list(wb["Attribution"].iter_rows(min_row=2, values_only=True))
    for a in results.attribution:
        total = sum(row[3] for row in attribution if row[0] == a.scenario)
        assert_allclose(total, a.scenario_value - a.baseline_value)
    sens = list(wb["Sensitivity"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in sens] == [r.parameter for r in results.sensitivity]
    assert_allclose([r[6] for r in sens], [r.swing for r in results.sensitivity])
    goal = list(wb["GoalSeek"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[4]) for r in goal] == [(g.target, g.reachable) for g in results.goal_seek]
    assert all(r[2] is None for r in goal if not r[4])


def test_workbook_text_starting_like_a_formula_stays_text(tmp_path: Path) -> None:
    inputs = make_inputs()
    ids = [lv.id for lv in inputs.levers]
    for lever_id, text in zip(ids, FORMULA_LIKE, strict=False):
        inputs = replace_lever(inputs, lever_id, name=text, source=text)
    settings = dataclasses.replace(inputs.settings, title=FORMULA_LIKE[-1])
    inputs = dataclasses.replace(inputs, settings=settings)
    wb = _write(tmp_path, fake_results(inputs))
    found = {}
    for row in wb["Inputs"].iter_rows(min_row=2):
        value = row[3]
        if value.value in FORMULA_LIKE:
            found[value.value] = value.data_type
    assert set(found) == set(FORMULA_LIKE)
    assert set(found.values()) == {"s"}


def test_inputs_sheet_echoes_what_was_read(tmp_path: Path) -> None:
    inputs = make_inputs()
    rows = list(
        _write(tmp_path, fake_results(inputs))["Inputs"].iter_rows(min_row=2, values_only=True)
    )
    sections = {r[0] for r in rows}
    assert sections == {"settings", "baseline", "levers", "scenarios", "targets", "history"}
    echo = {(r[0], r[1], r[2]): r[3] for r in rows}
    assert echo[("settings", "horizon", "value")] == inputs.settings.horizon
    p = inputs.parameters[0]
    assert_allclose(echo[("baseline", p.name, "central")], p.central)
    sc = inputs.headline
    lv = inputs.levers[0]
    assert_allclose(echo[("scenarios", sc.name, lv.id)], sc.intensity(lv.id))
    assert np.isfinite([r[3] for r in rows if r[0] == "history" and r[2] == "exports"]).all()


def test_text_with_markup_spaces_and_control_characters_reads_back_as_text(
    tmp_path: Path,
) -> None:
    inputs = make_inputs()
    lever_id = inputs.levers[0].id
    inputs = replace_lever(
        inputs, lever_id, name="  <b>R&D</b> \"tax\" 'credit'  ", source="a\x01b"
    )
    settings = dataclasses.replace(inputs.settings, title="Exports & <growth>")
    inputs = dataclasses.replace(inputs, settings=settings)
    wb = _write(tmp_path, fake_results(inputs))
    echo = {(r[0], r[1], r[2]): r[3] for r in wb["Inputs"].iter_rows(min_row=2, values_only=True)}
    assert echo[("levers", lever_id, "name")] == "  <b>R&D</b> \"tax\" 'credit'  "
    # XML cannot carry C0 control characters: they are dropped, the rest of the text kept.
    assert echo[("levers", lever_id, "source")] == "ab"
    assert wb.properties.title == "Exports & <growth>"


def test_results_workbook_bytes_are_the_same_for_the_same_results() -> None:
    results = fake_results(make_inputs())
    first = results_workbook_bytes(results, manifest={"seed": 1})
    assert results_workbook_bytes(results, manifest={"seed": 1}) == first


def test_every_sheet_is_sized_for_openpyxl_read_only_mode(tmp_path: Path) -> None:
    results = fake_results(make_inputs())
    path = write_results_workbook(results, tmp_path / "r.xlsx", manifest={"seed": 1})
    wb = openpyxl.load_workbook(path, read_only=True)
    for name, columns in SHEETS.items():
        ws = wb[name]
        assert ws.max_column == len(columns), name
        assert ws.max_row == 1 + sum(1 for _ in ws.iter_rows(min_row=2)), name
    wb.close()
