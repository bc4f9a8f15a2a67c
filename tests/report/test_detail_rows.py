"""The results workbook's ``LeverCosts``, ``History`` and ``FrontierScenarios`` sheets: the figures
the deck and the brief show beside the analyses, as long tables (and through ``read_results``)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from numpy.testing import assert_allclose
from tests.factories import fake_results, make_inputs, replace_lever

from policybrief.model.frontier import Frontier, FrontierScenario
from policybrief.model.summary import historical_cagr
from policybrief.model.validation import Validation
from policybrief.report.frames import read_results
from policybrief.report.workbook.book import write_results_workbook

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd


def _frames(results, tmp_path: Path) -> dict[str, pd.DataFrame]:
    path = write_results_workbook(results, tmp_path / "r.xlsx", manifest={"seed": 1})
    return read_results(path)


def test_lever_costs_give_each_levers_annual_cost_per_scenario(tmp_path: Path) -> None:
    inputs = make_inputs()
    first = inputs.levers[0]
    inputs = replace_lever(inputs, first.id, cost_share=0.01)
    frame = _frames(fake_results(inputs), tmp_path)["LeverCosts"]
    assert len(frame) == len(inputs.scenarios) * len(inputs.levers)
    for row in frame.itertuples():
        lever = next(lv for lv in inputs.levers if lv.id == row.lever)
        x = inputs.scenario(row.scenario).intensity(row.lever)
        assert_allclose(
            [row.intensity, row.annual_cost, row.cost_share_of_exports],
            [x, lever.cost_per_unit * x, lever.cost_share * x],
        )
    assert frame["annual_cost"].gt(0).any()
    assert frame.loc[frame["lever"] == first.id, "cost_share_of_exports"].gt(0).any()


def test_history_holds_recorded_growth_and_the_one_year_ahead_band(tmp_path: Path) -> None:
    inputs = make_inputs()
    base = inputs.settings.base_year
    validation = Validation((), 3, 4, (0.04, 0.33), 0.104, 0.05, 0.03, ())
    results = dataclasses.replace(
        fake_results(inputs),
        historical_cagr=historical_cagr(inputs.history),
        recent_cagr=((3, 0.133),),
        validation=validation,
    )
    frame = _frames(results, tmp_path)["History"]
    years = sorted(p.year for p in inputs.history)
    rows = [tuple(r) for r in frame.itertuples(index=False)]
    expected = [
        ("recorded_growth", years[0], years[-1], results.historical_cagr),
        ("recorded_growth", base - 3, base, 0.133),
        ("first_year_growth_p10", base, base + 1, 0.04),
        ("first_year_growth_p90", base, base + 1, 0.33),
        ("recorded_growth_sd", min(*years, base), base, 0.104),
    ]
    assert [r[:3] for r in rows] == [e[:3] for e in expected]
    assert_allclose([r[3] for r in rows], [e[3] for e in expected])
    skipped = dataclasses.replace(results, validation=dataclasses.replace(validation, skipped="x"))
    assert list(_frames(skipped, tmp_path)["History"]["measure"]) == ["recorded_growth"] * 2


def test_frontier_scenarios_place_each_scenario_with_its_least_cost_package(
    tmp_path: Path,
) -> None:
    results = fake_results(make_inputs())
    placed = (
        FrontierScenario("Reform", 40.0, 2900.0, 3100.0, 25.5, (("skills", 1.0), ("visas", 0.5))),
        FrontierScenario("Current policy", 0.0, 2500.0, 2500.0, None, ()),
    )
    results = dataclasses.replace(results, frontier=Frontier((), placed))
    frame = _frames(results, tmp_path)["FrontierScenarios"]
    assert list(frame["scenario"]) == ["Reform", "Reform", "Current policy"]
    assert list(frame["lever"].iloc[:2]) == ["skills", "visas"]
    assert frame["lever"].iloc[2] != frame["lever"].iloc[2]  # blank (NaN): no package
    assert_allclose(frame["intensity"].iloc[:2], [1.0, 0.5])
    assert_allclose(frame["least_cost"].iloc[:2], [25.5, 25.5])
    assert_allclose(frame["best_exports"], [3100.0, 3100.0, 2500.0])
