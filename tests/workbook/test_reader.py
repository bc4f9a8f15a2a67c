"""The reader through the CLI: every "must show" input problem exits 2 naming sheet and cell."""

from __future__ import annotations

import re
import zipfile
from typing import TYPE_CHECKING

import openpyxl
import pytest
from tests.builders import WorkbookBuilder, other_country_builder, valid_builder
from tests.libreoffice import convert, needs_soffice

from policybrief.cli import main
from policybrief.errors import InputError
from policybrief.workbook import read_workbook

if TYPE_CHECKING:
    from pathlib import Path


def refused(builder: WorkbookBuilder, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Validate ``builder``'s workbook via the CLI; assert exit 2 and no traceback; give stderr."""
    path = builder.save(tmp_path / "book.xlsx")
    code = main(["validate", str(path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    return err


def test_valid_builder_validates_with_exit_0(tmp_path, capsys):
    path = valid_builder().save(tmp_path / "book.xlsx")
    assert main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "ok (3 levers, 3 scenarios, 2 targets)" in out
    assert err == ""


def test_other_country_builder_validates_with_exit_0(tmp_path, capsys):
    path = other_country_builder().save(tmp_path / "book.xlsx")
    assert main(["validate", str(path)]) == 0
    assert "ok (3 levers, 2 scenarios, 2 targets)" in capsys.readouterr().out


def test_valid_workbook_reads_into_typed_inputs(tmp_path):
    inputs = read_workbook(valid_builder().save(tmp_path / "book.xlsx"))
    assert inputs.settings.base_year == 2025
    assert inputs.settings.years == (2025, 2026, 2027, 2028, 2029, 2030)
    assert [p.name for p in inputs.parameters][:2] == ["exports_base", "workforce_base"]
    assert inputs.parameter("productivity_growth").uncertain
    assert not inputs.parameter("exports_base").uncertain
    assert inputs.parameter("productivity_growth").cell == "Baseline!E6"
    skills = inputs.lever("digital_skills")
    assert (skills.saturation, skills.max_intensity, skills.cost_per_unit) == (10.0, 20.0, 5.0)
    assert (inputs.lever("retention_incentive").lag, inputs.lever("retention_incentive").ramp) == (
        1,
        2,
    )
    assert inputs.lever("freelancer_onboarding").start_year == 2026
    assert inputs.baseline.name == "Current policy"
    assert inputs.baseline.intensity("retention_incentive") == 0.0
    assert dict(inputs.headline.intensities) == {
        "digital_skills": 5.0,
        "retention_incentive": 2.0,
        "freelancer_onboarding": 3.0,
    }
    assert inputs.headline.description == "The reform package."
    assert [(t.label, t.year) for t in inputs.targets] == [
        ("Interim goal", 2028),
        ("Final goal", 2030),
    ]
    assert [h.year for h in inputs.history] == [2021, 2022, 2023, 2024, 2025]
    assert inputs.warnings == ()


def test_other_country_reads_harmful_lever_and_fiscal_year_text(tmp_path):
    inputs = read_workbook(other_country_builder().save(tmp_path / "book.xlsx"))
    assert inputs.settings.base_year == 2023
    assert inputs.settings.percentiles == (5, 25, 50, 75, 95)
    shutdown = inputs.lever("internet_shutdown")
    assert shutdown.effect_central < 0
    assert (shutdown.start_year, shutdown.end_year) == (2025, 2030)
    assert inputs.parameter("realization_base").confidence == "High"
    assert len(inputs.history) == 8


def test_missing_sheet_is_named(tmp_path, capsys):
    b = valid_builder()
    b.omit_sheets.add("Levers")
    err = refused(b, tmp_path, capsys)
    assert "Levers: required sheet 'Levers' is missing" in err


def test_missing_required_column_names_header_row(tmp_path, capsys):
    b = valid_builder()
    b.columns["Baseline"].remove("Central")
    err = refused(b, tmp_path, capsys)
    assert "Baseline!A1:H1: required column 'Central' is missing" in err


def test_text_in_a_number_cell_is_named(tmp_path, capsys):
    b = valid_builder()
    b.baseline[1]["Central"] = "about 100k"
    err = refused(b, tmp_path, capsys)
    assert "Baseline!E3: Central: text 'about 100k' is not a number" in err


def test_blank_required_cell_is_named(tmp_path, capsys):
    b = valid_builder()
    b.levers[0]["Effect central"] = None
    err = refused(b, tmp_path, capsys)
    assert "Levers!F2: Effect central is blank" in err


def test_low_above_central_is_named_at_the_central_cell(tmp_path, capsys):
    b = valid_builder()
    b.baseline[4].update({"Low": 0.05, "Central": 0.03, "High": 0.06})
    err = refused(b, tmp_path, capsys)
    assert (
        "Baseline!E6: productivity_growth: Central (0.03) must lie between Low (0.05) "
        "and High (0.06)" in err
    )


def test_central_above_high_is_named(tmp_path, capsys):
    b = valid_builder()
    b.baseline[4].update({"Low": 0.02, "Central": 0.05, "High": 0.03})
    err = refused(b, tmp_path, capsys)
    assert "Central (0.05) must lie between Low (0.02) and High (0.03)" in err


def test_rate_typed_as_a_percentage_number_hints_the_fraction(tmp_path, capsys):
    b = valid_builder()
    b.baseline[10].update({"Low": None, "Central": 4, "High": None})
    err = refused(b, tmp_path, capsys)
    assert "Baseline!E12: emigration_rate is 4, above 1 (100%)" in err
    assert "did you mean 4% (0.04)?" in err


def test_unknown_channel_lists_the_channels(tmp_path, capsys):
    b = valid_builder()
    b.levers[1]["Channel"] = "wages"
    err = refused(b, tmp_path, capsys)
    assert "Levers!C3: unknown channel 'wages'" in err
    assert "productivity, emigration, absorption, inflow, realization" in err


def test_duplicate_lever_id_names_both_cells(tmp_path, capsys):
    b = valid_builder()
    b.levers[2]["Lever"] = "digital_skills"
    err = refused(b, tmp_path, capsys)
    assert "Levers!A4: lever id 'digital_skills' is used twice (first at Levers!A2)" in err


def test_duplicate_scenario_name_is_named_case_insensitively(tmp_path, capsys):
    b = valid_builder()
    b.set_cell("Scenarios", "D1", "reform")
    err = refused(b, tmp_path, capsys)
    assert "Scenarios!D1: scenario name 'reform' is used twice (first at B1)" not in err
    assert "Scenarios!D1: scenario name 'reform' is used twice (first at C1)" in err


def test_scenario_row_naming_an_unknown_lever_is_named(tmp_path, capsys):
    b = valid_builder()
    b.set_cell("Scenarios", "A3", "retention_bonus")
    err = refused(b, tmp_path, capsys)
    assert "Scenarios!A3: lever 'retention_bonus' is not on the Levers sheet" in err


def test_headline_scenario_missing_is_named_at_the_settings_cell(tmp_path, capsys):
    b = valid_builder()
    b.settings["headline_scenario"] = "Reform plus"
    err = refused(b, tmp_path, capsys)
    assert "Settings!B9: headline_scenario 'Reform plus' is not a scenario" in err
    assert "scenarios: Current policy, Reform, Stretch" in err


def test_baseline_scenario_missing_is_named(tmp_path, capsys):
    b = valid_builder()
    del b.scenarios["Current policy"]
    err = refused(b, tmp_path, capsys)
    assert "Settings!B8: baseline_scenario 'Current policy' is not a scenario" in err


def test_target_year_outside_the_horizon_states_the_horizon(tmp_path, capsys):
    b = valid_builder()
    b.targets[1]["Fiscal year"] = "FY2035"
    err = refused(b, tmp_path, capsys)
    assert "Targets!C3: target year FY35 is outside the projection horizon" in err
    assert "FY26 to FY30" in err


def test_excel_error_value_is_named(tmp_path, capsys):
    b = valid_builder()
    b.baseline[0]["Central"] = "#DIV/0!"
    err = refused(b, tmp_path, capsys)
    assert "Baseline!E2: Central: Excel error value #DIV/0!" in err


def test_formula_without_cached_value_names_cell_formula_and_fix(tmp_path, capsys):
    b = valid_builder()
    b.baseline[1]["Central"] = "=1000*100"
    b.levers[0]["Cost per unit"] = "=2+3"
    err = refused(b, tmp_path, capsys)
    assert "Baseline!E3: formula =1000*100 has no calculated value" in err
    assert "Levers!K2: formula =2+3 has no calculated value" in err
    assert "open and save the workbook in Excel or LibreOffice" in err


def test_three_problems_are_all_reported(tmp_path, capsys):
    b = valid_builder()
    b.baseline[1]["Central"] = "lots"
    b.levers[1]["Channel"] = "wages"
    b.targets[0]["Value"] = -5
    err = refused(b, tmp_path, capsys)
    assert "Baseline!E3" in err
    assert "Levers!C3" in err
    assert "Targets!B2" in err
    assert "3 problems" in err


def test_warnings_do_not_stop_a_valid_workbook(tmp_path, capsys):
    b = valid_builder()
    b.extra_sheets["Scratch"] = [["my notes"]]
    b.columns["Levers"].append("Owner")
    b.history[-1]["Exports"] = 2999
    path = b.save(tmp_path / "book.xlsx")
    assert main(["validate", str(path)]) == 0
    err = capsys.readouterr().err
    assert "Scratch: warning: sheet 'Scratch' is not one policybrief reads" in err
    assert "Levers!R1: warning: unknown column 'Owner' is ignored" in err
    assert "History!A6: warning: FY25 exports (2999) differ from exports_base" in err


def test_readme_sheet_is_known_and_ignored(tmp_path):
    b = valid_builder()
    b.extra_sheets["README"] = [["How to fill this workbook"]]
    assert read_workbook(b.save(tmp_path / "book.xlsx")).warnings == ()


def test_sheet_names_match_case_insensitively(tmp_path):
    b = valid_builder()
    wb = b.workbook()
    wb["Levers"].title = "tmp"  # openpyxl refuses a rename that differs only in case
    wb["tmp"].title = "LEVERS"
    wb["Scenario notes"].title = "scenario_notes"
    wb.save(tmp_path / "book.xlsx")
    inputs = read_workbook(tmp_path / "book.xlsx")
    assert inputs.headline.description == "The reform package."


def test_lever_missing_from_scenarios_gets_zero_and_a_warning(tmp_path):
    b = valid_builder()
    wb = b.workbook()
    wb["Scenarios"].delete_rows(4)
    wb.save(tmp_path / "book.xlsx")
    inputs = read_workbook(tmp_path / "book.xlsx")
    assert inputs.headline.intensity("freelancer_onboarding") == 0.0
    assert "freelancer_onboarding" in inputs.headline.intensities
    assert any("not on the Scenarios sheet" in w.message for w in inputs.warnings)


def test_missing_base_year_history_is_a_warning(tmp_path):
    b = valid_builder()
    del b.history[-1]
    inputs = read_workbook(b.save(tmp_path / "book.xlsx"))
    assert [w.message for w in inputs.warnings] == ["no history for the base year FY25"]


def test_history_is_sorted_by_year(tmp_path):
    b = valid_builder()
    b.history.reverse()
    inputs = read_workbook(b.save(tmp_path / "book.xlsx"))
    assert [h.year for h in inputs.history] == [2021, 2022, 2023, 2024, 2025]


def test_formulas_with_cached_values_are_read_as_values(tmp_path):
    b = valid_builder()
    path = b.save(tmp_path / "book.xlsx")
    # Simulate a workbook saved by a spreadsheet program: a formula with a cached value.
    # openpyxl cannot write cached values, so patch the sheet XML directly.
    patched = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(
                    b'<c r="E3" t="n"><v>100000</v></c>',
                    b'<c r="E3"><f>1000*100</f><v>100000</v></c>',
                )
                assert b"<f>" in data
            dst.writestr(info, data)
    inputs = read_workbook(patched)
    assert inputs.parameter("workforce_base").central == 100_000


def test_settings_scenario_names_match_case_insensitively(tmp_path):
    b = valid_builder()
    b.settings["headline_scenario"] = "reform"
    inputs = read_workbook(b.save(tmp_path / "book.xlsx"))
    assert inputs.settings.headline_scenario == "Reform"
    assert inputs.headline.name == "Reform"


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML


@pytest.mark.render
@needs_soffice
def test_formula_workbook_reads_after_libreoffice_saves_it(tmp_path):
    # The hint for formulas without cached values is to open and save the workbook: check it.
    b = valid_builder()
    b.baseline[1]["Central"] = "=1000*100"
    path = b.save(tmp_path / "book.xlsx")
    with pytest.raises(InputError, match="has no calculated value"):
        read_workbook(path)
    out = tmp_path / "saved"
    convert(path, "xlsx", out)
    assert read_workbook(out / "book.xlsx").parameter("workforce_base").central == 100_000


def test_formula_with_a_cached_empty_text_is_not_missing_a_value(tmp_path):
    path = valid_builder().save(tmp_path / "book.xlsx")
    patched = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data, n = re.subn(
                    rb'<c r="G12"[^>]*>.*?</c>',
                    b'<c r="G12" t="str"><f>IF(1=1,"","x")</f><v></v></c>',
                    data,
                )
                assert n == 1
            dst.writestr(info, data)
    assert read_workbook(patched).parameter("emigration_rate").source == ""
