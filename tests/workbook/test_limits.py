"""The model's size and magnitude limits (WORKBOOK.md "Size limits"; ``workbook/limits.py``).

Each limit is an input error at its cell naming the limit; inputs at the limits still build
(``test_inputs_at_every_magnitude_limit_build_without_overflow``), with numpy's overflow and
invalid-value warnings raised as errors by the test configuration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.builders import _lever, _param, valid_builder

from policybrief.build import build
from policybrief.errors import InputError
from policybrief.model import wellposed
from policybrief.workbook.reader import read_workbook_bytes

if TYPE_CHECKING:
    from pathlib import Path

    from tests.builders import WorkbookBuilder


def errors(builder: WorkbookBuilder) -> str:
    with pytest.raises(InputError) as info:
        read_workbook_bytes(builder.to_fast_bytes())
    return "\n".join(p.format() for p in info.value.errors)


def test_thirteen_scenarios_are_refused_at_the_thirteenth():
    b = valid_builder()
    b.scenarios.update({f"Extra {i}": {} for i in range(9)})
    read_workbook_bytes(b.to_fast_bytes())  # 12 is fine
    b.scenarios["One too many"] = {}
    assert "Scenarios!N1: the sheet has 13 scenario columns; the limit is 12" in errors(b)


def test_twenty_six_levers_are_refused_at_the_twenty_sixth():
    b = valid_builder()
    b.levers += [_lever(f"extra_{i}", "inflow", (1, 2, 3)) for i in range(22)]
    assert len(read_workbook_bytes(b.to_fast_bytes()).levers) == 25
    b.levers.append(_lever("one_too_many", "inflow", (1, 2, 3)))
    assert "Levers!A27: the sheet lists 26 levers; the limit is 25" in errors(b)


def test_eleven_targets_are_refused_at_the_eleventh():
    b = valid_builder()
    b.targets = [{"Target": f"Goal {i}", "Value": 4000, "Fiscal year": 2030} for i in range(11)]
    assert "Targets!A12: the sheet lists 11 targets; the limit is 10" in errors(b)


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (0, "Central", 1e308, "Baseline!E2: Central: 1e+308 is too large (the limit is 1e+15"),
        (0, "Central", 2e15, "Baseline!E2: Central: 2e+15 is too large"),
        (5, "High", 1e-300, "Baseline!F7: High: 1e-300 is too close to 0"),
        (2, "Low", 0, "Baseline!D4: realization_base is 0; it must be at least 0.01 (1%)"),
        (3, "Central", 0.005, "Baseline!E5: realization_max is 0.005; it must be at least 0.01"),
        (1, "Central", 0.5, "Baseline!E3: workforce_base is 0.5; it must be at least 1 person"),
        (1, "Central", 2e10, "Baseline!E3: workforce_base is 2e+10 persons, more than the world"),
        (5, "Central", 2e10, "Baseline!E7: graduates_base is 2e+10 persons"),
    ],
)
def test_magnitudes_beyond_the_limits_are_refused_at_their_cells(row, column, value, message):
    b = valid_builder()
    b.baseline[row][column] = value
    assert message in errors(b)


def test_zero_is_always_a_number():
    b = valid_builder()
    b.baseline[6].update(Central=0)  # graduates_growth
    assert read_workbook_bytes(b.to_fast_bytes()).parameter("graduates_growth").central == 0


def test_an_inflow_effect_above_the_world_population_is_refused():
    b = valid_builder()
    b.levers[2]["Effect high"] = 2e10
    assert "Levers!G4: Effect high 2e+10 persons a year per unit of an inflow lever" in errors(b)


def test_share_levers_adding_more_than_100_points_a_year_are_refused_at_the_scenario():
    b = valid_builder()
    b.levers[0].update({"Effect low": 0.1, "Effect central": 0.2, "Effect high": 0.3})
    b.levers[0]["Saturation"] = None
    b.levers[0]["Max intensity"] = None
    b.scenarios["Reform"]["digital_skills"] = 1
    b.scenarios["Stretch"]["digital_skills"] = 4  # 0.3 × 4 = 1.2 a year
    text = errors(b)
    assert (
        "Scenarios!D1: in scenario 'Stretch', the productivity levers together can add to yearly "
        "growth in revenue per worker 1.2 a year (120%; the limit is 100%): digital_skills 1.2"
    ) in text
    assert "Scenarios!C1" not in text
    b.scenarios["Stretch"]["digital_skills"] = 3
    read_workbook_bytes(b.to_fast_bytes())


def test_harmful_emigration_levers_may_not_empty_the_workforce():
    b = valid_builder()
    b.levers[1].update({"Effect low": -1, "Effect central": -0.8, "Effect high": -0.5})
    b.levers[1]["Max intensity"] = None
    b.scenarios["Current policy"]["retention_incentive"] = 60  # 0.05 + 0.03 × (1 + 60) ≥ 1
    inputs = read_workbook_bytes(b.to_fast_bytes())  # each lever is fine on its own
    text = "\n".join(str(p) for p in wellposed.problems(inputs))
    for cell, name in (("B1", "Current policy"), ("C1", "Reform"), ("D1", "Stretch")):
        # every scenario mixes with the baseline (Shapley), so each is refused
        assert f"Scenarios!{cell}: in '{name}', attrition and emigration can reach 188%" in text


def test_lever_sums_saturate_with_the_levers_saturation():
    b = valid_builder()
    b.levers[0].update({"Effect low": 0.5, "Effect central": 0.5, "Effect high": 0.5})
    b.levers[0].update({"Saturation": 1.5, "Max intensity": None})
    b.scenarios["Stretch"]["digital_skills"] = 1e6  # 0.5 × 1.5 × (1 − e^−(10^6/1.5)) = 0.75
    read_workbook_bytes(b.to_fast_bytes())


def extreme_builder() -> WorkbookBuilder:
    """Every magnitude at its limit at once, in the directions that multiply up."""
    b = valid_builder()
    b.settings.update(horizon=30, goal_seek_max_scale=1000, seed=10**15)
    b.baseline = [
        _param("exports_base", 1e15),
        _param("workforce_base", 1),
        _param("realization_base", 0.01, 0.01, 1),
        _param("realization_max", 1),
        _param("productivity_growth", 1, -0.999999999, 1),
        _param("graduates_base", 1e10),
        _param("graduates_growth", 1),
        _param("absorption_rate", 1, 0, 1),
        _param("other_entry_rate", 1),
        _param("attrition_rate", 0),
        _param("emigration_rate", 0.9, 0, 0.9),
        _param("shock_sd", 1),
    ]
    cost = {"Cost per unit": 1e15}
    b.levers = [
        _lever("prod", "productivity", (-1, 1, 1), Lag=10**15, Ramp=10**15, **cost),
        _lever("prod2", "productivity", (0, 0, 1e-9), Saturation=1e-9, **cost),
        _lever("infl", "inflow", (-1e10, 1e10, 1e10), **cost),
        _lever("real", "realization", (-1, 1, 1), **cost),
        _lever("emig", "emigration", (0, 1, 1), **cost),
        _lever("absb", "absorption", (-1, 1, 1), **cost),
    ]
    b.scenarios = {
        "Current policy": {"real": 1},
        "Reform": {"prod": 1, "prod2": 1e15, "infl": 1, "emig": 1e15, "absb": 1},
        "Stretch": {"prod": 1e-9, "real": 1e-9},
    }
    b.scenario_notes = {}
    b.targets = [
        {"Target": "Big", "Value": 1e15, "Fiscal year": 2055},
        {"Target": "Tiny", "Value": 1e-9, "Fiscal year": 2026},
    ]
    b.history = [{"Fiscal year": 2020, "Exports": 0}, {"Fiscal year": 2025, "Exports": 1e15}]
    return b


def test_inputs_at_every_magnitude_limit_build_without_overflow(tmp_path: Path):
    path = extreme_builder().save(tmp_path / "extreme.xlsx")
    result = build(path, tmp_path / "out", draws=200)
    assert result.out_dir.is_dir()
