"""Reader rules per sheet: tolerant layout, cell coercion and WORKBOOK.md's value checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.builders import WorkbookBuilder, valid_builder

from policybrief.errors import InputError
from policybrief.workbook.reader import read_workbook_bytes

if TYPE_CHECKING:
    from policybrief.domain import Inputs


def read(builder: WorkbookBuilder) -> Inputs:
    return read_workbook_bytes(builder.to_fast_bytes(), source="book.xlsx")


def errors(builder: WorkbookBuilder) -> str:
    """Every error message (formatted, one per line) the builder's workbook gives."""
    with pytest.raises(InputError) as info:
        read(builder)
    return "\n".join(p.format() for p in info.value.errors)


def shifted_down(builder: WorkbookBuilder, sheet: str, rows: int) -> WorkbookBuilder:
    """The builder with ``sheet``'s table moved down by ``rows`` rows under a title."""
    layout = builder.layout()
    moved = {(r + rows, c): v for (r, c), v in layout[sheet].items()}
    moved[(1, 1)] = f"{sheet} (a title above the table)"
    b = builder.copy()
    b.omit_sheets.add(sheet)
    b.extra_sheets[sheet] = [
        [moved.get((r, c)) for c in range(1, 20)] for r in range(1, max(r for r, _ in moved) + 1)
    ]
    return b


# --- layout -------------------------------------------------------------------------------


def test_header_is_found_in_row_3_under_a_title():
    b = shifted_down(valid_builder(), "Baseline", 2)
    inputs = read(b)
    assert inputs.parameter("workforce_base").cell == "Baseline!E5"


def test_problem_cells_follow_a_shifted_header():
    b = valid_builder()
    b.levers[0]["Channel"] = "wages"
    b = shifted_down(b, "Levers", 2)
    assert "Levers!C4: unknown channel 'wages'" in errors(b)


def test_sheet_without_a_header_row_is_a_problem():
    b = valid_builder()
    b.columns["Targets"][0] = "Goal"
    assert "Targets: no header row: none of the first 20 rows has a 'Target' column" in errors(b)


def test_headers_match_ignoring_case_spaces_underscores_and_units():
    b = valid_builder()
    b.set_cell("Levers", "K1", "Cost per unit (USD m/yr)")
    b.set_cell("Levers", "F1", "effect_central")
    b.set_cell("Levers", "L1", "  MAX  INTENSITY ")
    b.set_cell("Baseline", "E1", "central (value)")
    inputs = read(b)
    assert inputs.lever("digital_skills").cost_per_unit == 5.0
    assert inputs.lever("digital_skills").max_intensity == 20.0
    assert inputs.warnings == ()


def test_blank_rows_are_skipped_and_rows_with_blank_key_too():
    b = valid_builder()
    b.levers.insert(1, {"Lever": None, "Name": "orphan note", "Channel": "nonsense"})
    b.history.insert(2, {})
    inputs = read(b)
    assert [lever.id for lever in inputs.levers] == [
        "digital_skills",
        "retention_incentive",
        "freelancer_onboarding",
    ]


def test_duplicate_known_column_is_a_problem():
    b = valid_builder()
    b.columns["Targets"].append("Value")
    assert "Targets!E1: column 'Value' appears twice (first at B1)" in errors(b)


# --- cell coercion --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2030", "FY2030", "FY30", "fy 30", "2029-30", "2029/30", 2030.0])
def test_every_fiscal_year_form_is_read_in_cells(text):
    b = valid_builder()
    b.targets[1]["Fiscal year"] = text
    b.levers[2]["Start year"] = text
    b.settings["base_year"] = "FY2025" if text != 2030.0 else 2025.0
    inputs = read(b)
    assert inputs.targets[1].year == 2030
    assert inputs.lever("freelancer_onboarding").start_year == 2030


def test_text_that_is_not_a_fiscal_year_is_named():
    b = valid_builder()
    b.targets[0]["Fiscal year"] = "next year"
    assert "Targets!C2: Fiscal year: 'next year' is not a fiscal year" in errors(b)


def test_numeric_text_and_percent_text_are_numbers():
    b = valid_builder()
    b.baseline[4].update({"Low": "2%", "Central": " 0.03 ", "High": "4 %"})
    param = read(b).parameter("productivity_growth")
    assert (param.low, param.central, param.high) == pytest.approx((0.02, 0.03, 0.04))


def test_text_with_a_comma_is_refused_rather_than_guessed():
    b = valid_builder()
    b.baseline[0]["Central"] = "3,000"
    assert "Baseline!E2: Central: text '3,000' is not a number" in errors(b)
    assert "without thousands separators" in errors(b)


def test_booleans_are_not_numbers():
    b = valid_builder()
    b.levers[0]["Lag"] = True
    assert "Levers!H2: Lag: TRUE is not a number" in errors(b)


def test_infinite_number_is_refused():
    b = valid_builder()
    b.baseline[0]["Central"] = float("inf")
    assert "Baseline!E2: Central: inf is not a finite number" in errors(b)


def test_fractional_lag_is_refused():
    b = valid_builder()
    b.levers[1]["Lag"] = 1.5
    assert "Levers!H3: Lag must be a whole number, not 1.5" in errors(b)


# --- Settings -------------------------------------------------------------------------------


def test_missing_required_setting_names_the_setting_column():
    b = valid_builder()
    del b.settings["seed"]
    assert "Settings!A:A: required setting 'seed' is missing" in errors(b)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("horizon", 0, "horizon 0 must be 1 to 30 years"),
        ("horizon", 31, "horizon 31 must be 1 to 30 years"),
        ("draws", 50, "draws 50 must be 100 to 10,000,000"),
        ("seed", -1, "seed -1 must be 0 or more"),
        ("target_probability", 80, "did you mean 80% (0.8)?"),
        ("goal_seek_max_scale", 0, "goal_seek_max_scale 0 must be greater than 0"),
        ("goal_seek_max_scale", 5000, "5000 must be greater than 0 and at most 1,000"),
        ("goal_seek_max_scale", 1.8e305, "goal_seek_max_scale: 1.8e+305 is too large"),
        ("percentiles", "10,90", "must include 50 and one below and one above it"),
        ("percentiles", "10,50,100", "each must be a whole number from 1 to 99"),
        ("percentiles", 105090, "Excel may have read '10,50,90' as the number 105,090"),
        ("base_year", "last year", "base_year: 'last year' is not a fiscal year"),
    ],
)
def test_setting_out_of_range_is_named(key, value, message):
    b = valid_builder()
    b.settings[key] = value
    row = list(b.settings).index(key) + 2
    text = errors(b)
    assert f"Settings!B{row}:" in text
    assert message in text


@pytest.mark.parametrize("key", ["title", "base_year", "horizon", "draws", "seed"])
def test_blank_required_setting_value_is_named(key):
    b = valid_builder()
    b.settings[key] = None
    row = list(b.settings).index(key) + 2
    assert f"Settings!B{row}: {key} is blank" in errors(b)


def test_percentiles_accept_spaces_and_semicolons_and_sort():
    b = valid_builder()
    b.settings["percentiles"] = "90; 50 5"
    assert read(b).settings.percentiles == (5, 50, 90)


def test_optional_settings_take_their_defaults_when_absent():
    b = valid_builder()
    for key in ("percentiles", "target_probability", "goal_seek_max_scale", "currency_label"):
        del b.settings[key]
    settings = read(b).settings
    assert settings.percentiles == (10, 50, 90)
    assert (settings.target_probability, settings.goal_seek_max_scale) == (0.5, 10.0)
    assert settings.currency_label == "USD million"


def test_unknown_setting_is_a_warning():
    b = valid_builder()
    b.settings["colour"] = "blue"
    assert [w.message for w in read(b).warnings] == ["unknown setting 'colour' is ignored"]


def test_setting_names_match_tolerantly():
    b = valid_builder()
    b.settings = {k.replace("_", " ").title(): v for k, v in b.settings.items()}
    assert read(b).settings.baseline_scenario == "Current policy"


# --- Baseline -------------------------------------------------------------------------------


def test_missing_baseline_parameter_is_named():
    b = valid_builder()
    del b.baseline[5]
    assert "Baseline!A:A: required parameter 'graduates_base' is missing" in errors(b)


def test_unknown_parameter_is_a_warning():
    b = valid_builder()
    b.baseline.append({"Parameter": "gdp_growth", "Central": 0.04})
    assert [w.message for w in read(b).warnings] == ["unknown parameter 'gdp_growth' is ignored"]


def test_blank_low_and_high_mean_fixed_at_central():
    param = read(valid_builder()).parameter("workforce_base")
    assert (param.low, param.central, param.high) == (100_000, 100_000, 100_000)
    assert not param.uncertain


def test_share_typed_as_percent_in_high_cell_hints_the_fraction():
    b = valid_builder()
    b.baseline[7]["High"] = 40
    text = errors(b)
    assert "Baseline!F9: absorption_rate is 40, above 1 (100%)" in text
    assert "did you mean 40% (0.4)?" in text


def test_non_positive_exports_base_is_refused():
    b = valid_builder()
    b.baseline[0]["Central"] = 0
    assert "Baseline!E2: exports_base is 0; it must be greater than 0" in errors(b)


def test_negative_count_is_refused():
    b = valid_builder()
    b.baseline[5]["Central"] = -5
    assert "Baseline!E7: graduates_base is -5; a count cannot be negative" in errors(b)


def test_negative_entry_rate_is_refused():
    b = valid_builder()
    b.baseline[8]["Central"] = -0.05
    assert "Baseline!E10: other_entry_rate is -0.05; a share cannot be negative" in errors(b)


def test_negative_growth_rate_is_allowed_but_not_a_negative_share():
    b = valid_builder()
    b.baseline[4].update({"Low": -0.02, "Central": -0.01, "High": 0})
    assert read(b).parameter("productivity_growth").central == -0.01
    b.baseline[9]["Central"] = -0.05
    assert "Baseline!E11: attrition_rate is -0.05; a share cannot be negative" in errors(b)


def test_realization_base_above_max_is_refused():
    b = valid_builder()
    b.baseline[3]["Central"] = 0.5
    assert "Baseline!E4: realization_base (0.6) is above realization_max (0.5)" in errors(b)


def test_attrition_plus_emigration_must_stay_below_one():
    b = valid_builder()
    b.baseline[9]["Central"] = 0.98
    assert "attrition_rate + emigration_rate (0.98 + 0.03, High values)" in errors(b)


def test_confidence_is_normalised_and_checked():
    b = valid_builder()
    b.baseline[0]["Confidence"] = " low "
    assert read(b).parameter("exports_base").confidence == "Low"
    b.baseline[0]["Confidence"] = "sure"
    assert "Baseline!H2: Confidence 'sure' is not High, Medium or Low" in errors(b)


def test_duplicate_parameter_is_refused():
    b = valid_builder()
    b.baseline.append(dict(b.baseline[0]))
    assert "Baseline!A13: parameter 'exports_base' is given twice (first at A2)" in errors(b)


# --- Levers and Scenarios -------------------------------------------------------------------


def test_lever_id_must_be_snake_case_with_a_suggestion():
    b = valid_builder()
    b.levers[0]["Lever"] = "Digital Skills"
    b.scenarios = {}
    b.settings["baseline_scenario"] = b.settings["headline_scenario"] = "x"
    text = errors(b)
    assert "Levers!A2: lever id 'Digital Skills' must be snake_case" in text
    assert "e.g. 'digital_skills'" in text


def test_share_channel_effect_above_one_hints_the_fraction():
    b = valid_builder()
    b.levers[0].update({"Effect low": 0.2, "Effect central": 0.4, "Effect high": 0.6})
    b.levers[0]["Saturation"] = 1  # so that no scenario adds more than 100 points of growth
    assert read(b).lever("digital_skills").effect_central == 0.4
    b.levers[0].update({"Effect low": 2, "Effect central": 4, "Effect high": 6})
    text = errors(b)
    assert "Levers!F2: Effect central 4 of a productivity lever is a share" in text
    assert "did you mean 4% (0.04)?" in text


def test_inflow_effect_may_exceed_one():
    assert read(valid_builder()).lever("freelancer_onboarding").effect_high == 1500


def test_effects_out_of_order_are_named():
    b = valid_builder()
    b.levers[2].update({"Effect low": 1500, "Effect central": 1000, "Effect high": 500})
    assert (
        "Levers!F4: freelancer_onboarding: Effect central (1000) must lie between "
        "Effect low (1500) and Effect high (500)" in errors(b)
    )


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Lag", -1, "Levers!H2: Lag -1 must be 0 or more"),
        ("Ramp", 0, "Levers!I2: Ramp 0 must be 1 or more"),
        ("Saturation", 0, "Levers!J2: Saturation 0 must be greater than 0"),
        ("Cost per unit", -2, "Levers!K2: Cost per unit -2 cannot be negative"),
        ("Max intensity", -1, "Levers!L2: Max intensity -1 must be greater than 0"),
        ("End year", 2020, "Levers!N2: End year 2020 is before Start year 2026"),
    ],
)
def test_lever_timing_and_cost_rules_are_named(column, value, message):
    b = valid_builder()
    b.levers[0]["Start year"] = 2026
    b.levers[0][column] = value
    assert message in errors(b)


def test_lever_blanks_take_defaults():
    b = valid_builder()
    b.levers[0].update({"Ramp": None, "Lag": None, "Cost per unit": None, "Name": None})
    lever = read(b).lever("digital_skills")
    assert (lever.ramp, lever.lag, lever.cost_per_unit, lever.name) == (1, 0, 0.0, "digital_skills")


def test_intensity_above_max_intensity_is_named():
    b = valid_builder()
    b.scenarios["Stretch"]["digital_skills"] = 25
    assert (
        "Scenarios!D2: intensity 25 of digital_skills in 'Stretch' is above the lever's "
        "Max intensity 20" in errors(b)
    )


def test_negative_intensity_is_named():
    b = valid_builder()
    b.scenarios["Reform"]["freelancer_onboarding"] = -1
    assert "Scenarios!C4: intensity -1 of freelancer_onboarding in 'Reform' is negative" in errors(
        b
    )


def test_scenario_sheet_without_scenarios_is_refused():
    b = valid_builder()
    b.scenarios = {}
    assert "no scenarios" in errors(b)


def test_invalid_lever_is_not_also_reported_missing_from_scenarios():
    b = valid_builder()
    b.levers[0]["Channel"] = "wages"
    text = errors(b)
    assert "not on the Levers sheet" not in text


def test_scenario_note_for_unknown_scenario_is_a_warning():
    b = valid_builder()
    b.scenario_notes["Moonshot"] = "Not a scenario."
    assert [w.location for w in read(b).warnings] == ["Scenario notes!A5"]


# --- Targets and History --------------------------------------------------------------------


def test_target_in_the_base_year_is_outside_the_horizon():
    b = valid_builder()
    b.targets[0]["Fiscal year"] = 2025
    assert "Targets!C2: target year FY25 is outside the projection horizon" in errors(b)


def test_duplicate_target_label_is_refused():
    b = valid_builder()
    b.targets[1]["Target"] = "interim GOAL"
    assert "Targets!A3: target 'interim GOAL' is listed twice (first at A2)" in errors(b)


def test_history_after_the_base_year_is_refused():
    b = valid_builder()
    b.history.append({"Fiscal year": 2026, "Exports": 3200})
    assert "History!A7: history year FY26 is after the base year FY25" in errors(b)


def test_duplicate_history_year_is_refused():
    b = valid_builder()
    b.history[1]["Fiscal year"] = "FY21"
    assert "History!A3: FY21 is listed twice (first at A2)" in errors(b)


def test_negative_history_exports_are_refused():
    b = valid_builder()
    b.history[0]["Exports"] = -1
    assert "History!B2: exports -1 cannot be negative" in errors(b)


def test_a_productivity_effect_above_a_fifth_asks_whether_points_were_meant():
    b = valid_builder()
    b.levers[0].update({"Effect low": 0.2, "Effect central": 0.4, "Effect high": 0.5})
    b.scenarios["Reform"]["digital_skills"] = 1  # keep the scenarios' sums within the limits
    b.scenarios["Stretch"]["digital_skills"] = 1
    text = "\n".join(p.format() for p in read(b).warnings)
    assert (
        "Levers!F2: warning: Effect central 0.4 of productivity lever digital_skills means 40 "
        "percentage points per unit of intensity (hint: if you meant 0.4 percentage points, "
        "type 0.004 (0.4%))"
    ) in text
    assert "Effect low 0.2" not in text  # 0.2 itself is plausible
