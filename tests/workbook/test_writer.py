"""``policybrief init``: the workbook writer (layout, safety of writing, round trip)."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import TYPE_CHECKING

import openpyxl
import pytest

from policybrief.cli import main
from policybrief.errors import PolicyBriefError
from policybrief.workbook import read_workbook, write_workbook
from policybrief.workbook.examples import available_examples

if TYPE_CHECKING:
    from pathlib import Path

DATA_SHEETS = {
    "Settings": "tblSettings",
    "Baseline": "tblBaseline",
    "Levers": "tblLevers",
    "Scenarios": "tblScenarios",
    "Scenario notes": "tblScenarioNotes",
    "Targets": "tblTargets",
    "History": "tblHistory",
}


@pytest.fixture(scope="module")
def pakistan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("init") / "pakistan.xlsx"
    write_workbook(path, example="pakistan")
    return path


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("init") / "blank.xlsx"
    write_workbook(path, example="blank")
    return path


def _rows(ws) -> dict[str, int]:
    """Key in column A -> row number."""
    return {str(r[0].value): r[0].row for r in ws.iter_rows(min_row=2) if r[0].value is not None}


def test_examples_ship_as_package_data():
    assert {"blank", "pakistan"} <= set(available_examples())


def test_readme_is_the_first_sheet_followed_by_every_data_sheet(pakistan: Path):
    wb = openpyxl.load_workbook(pakistan)
    assert wb.sheetnames[0] == "README"
    assert set(DATA_SHEETS) <= set(wb.sheetnames)
    readme = " ".join(str(c.value) for row in wb["README"].iter_rows() for c in row if c.value)
    for word in ("fraction", "FY2026", "Add a scenario", "Add a lever", "input", "13.3%", "21.5%"):
        assert word in readme


def test_every_data_sheet_is_one_excel_table_with_its_header_in_row_1(pakistan: Path):
    wb = openpyxl.load_workbook(pakistan)
    for sheet, table in DATA_SHEETS.items():
        ws = wb[sheet]
        assert list(ws.tables) == [table], sheet
        assert ws.tables[table].ref.startswith("A1:"), sheet
        assert ws.freeze_panes == "B2", sheet
        assert all(isinstance(c.value, str) for c in ws[1] if c.value is not None), sheet


def test_channel_and_confidence_cells_have_dropdowns(pakistan: Path):
    wb = openpyxl.load_workbook(pakistan)
    levers = {str(dv.sqref): dv.formula1 for dv in wb["Levers"].data_validations.dataValidation}
    assert levers["D2:D200"] == '"productivity,emigration,absorption,inflow,realization"'
    assert levers["E2:E200"] == '"growth,level"'
    assert levers["T2:T200"] == '"High,Medium,Low"'
    baseline = wb["Baseline"].data_validations.dataValidation
    assert [(str(dv.sqref), dv.formula1) for dv in baseline] == [("H2:H200", '"High,Medium,Low"')]


def test_share_cells_are_formatted_as_percentages(pakistan: Path):
    wb = openpyxl.load_workbook(pakistan)
    baseline = wb["Baseline"]
    rows = _rows(baseline)
    for column in "DEF":
        assert "%" in baseline[f"{column}{rows['absorption_rate']}"].number_format
        assert "%" not in baseline[f"{column}{rows['workforce_base']}"].number_format
        assert "#,##0" in baseline[f"{column}{rows['workforce_base']}"].number_format
    levers = wb["Levers"]
    column = {c.value: c.column - 1 for c in levers[1]}
    for row in levers.iter_rows(min_row=2):
        share = row[column["Channel"]].value != "inflow"
        assert ("%" in row[column["Effect low"]].number_format) is share, row[0].value
        assert row[column["Effect unit"]].value  # what an effect of 1 means, in words


def test_input_cells_share_one_input_style(pakistan: Path):
    wb = openpyxl.load_workbook(pakistan)
    baseline = wb["Baseline"]
    styles = {
        (c.fill.fgColor.rgb, c.font.color.rgb)
        for row in baseline.iter_rows(min_row=2, min_col=4, max_col=6)
        for c in row
    }
    assert len(styles) == 1
    levers = wb["Levers"]
    effect_low = next(c.column_letter for c in levers[1] if c.value == "Effect low")
    levers_effect = levers[f"{effect_low}2"]
    assert (levers_effect.fill.fgColor.rgb, levers_effect.font.color.rgb) in styles
    assert wb["Baseline"]["A2"].fill.fgColor.rgb not in {rgb for rgb, _ in styles}


def test_workbook_properties_name_policybrief_as_creator(pakistan: Path):
    props = openpyxl.load_workbook(pakistan).properties
    assert props.creator == "policybrief"


def test_regenerating_gives_the_same_bytes(tmp_path: Path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_workbook(first, example="pakistan")
    write_workbook(second, example="pakistan")
    assert first.read_bytes() == second.read_bytes()


def test_init_refuses_to_overwrite_an_existing_file_without_force(tmp_path: Path, capsys):
    path = tmp_path / "mine.xlsx"
    path.write_bytes(b"analyst's work")
    assert main(["init", str(path), "--example", "pakistan"]) == 2
    err = capsys.readouterr().err
    assert "--force" in err
    assert "Traceback" not in err
    assert path.read_bytes() == b"analyst's work"


def test_init_overwrites_with_force(tmp_path: Path):
    path = tmp_path / "mine.xlsx"
    path.write_bytes(b"old")
    assert main(["init", str(path), "--example", "blank", "--force"]) == 0
    assert openpyxl.load_workbook(path).sheetnames[0] == "README"


def test_write_creates_the_parent_folder_and_leaves_no_temporary_file(tmp_path: Path):
    path = tmp_path / "new" / "folder" / "book.xlsx"
    write_workbook(path, example="blank")
    assert [p.name for p in path.parent.iterdir()] == ["book.xlsx"]


def test_unknown_example_is_refused_listing_the_choices(tmp_path: Path):
    with pytest.raises(PolicyBriefError, match=r"blank.*pakistan"):
        write_workbook(tmp_path / "x.xlsx", example="atlantis")
    assert not (tmp_path / "x.xlsx").exists()


def test_blank_has_every_sheet_and_baseline_parameter_but_no_values(blank: Path):
    wb = openpyxl.load_workbook(blank)
    assert set(DATA_SHEETS) <= set(wb.sheetnames)
    baseline = wb["Baseline"]
    assert len(_rows(baseline)) == 12
    values = [c.value for row in baseline.iter_rows(min_row=2, min_col=4, max_col=6) for c in row]
    assert values == [None] * 36
    assert all(r[1].value is None for r in wb["Settings"].iter_rows(min_row=2))


def test_pakistan_example_reads_back_as_its_source_without_a_warning(pakistan: Path):
    # read_workbook raises on any error, so the round trip is checked against the example's
    # source (examples/pakistan.toml): every row written is read back, and nothing is warned.
    source = tomllib.loads(
        (resources.files("policybrief") / "examples" / "pakistan.toml").read_text("utf-8")
    )
    inputs = read_workbook(pakistan)
    assert tuple(inputs.warnings) == ()
    assert inputs.settings.baseline_scenario == "Current policy"
    assert inputs.settings.headline_scenario == "Reform package"
    assert inputs.settings.title == source["settings"]["title"]
    assert [p.name for p in inputs.parameters] == [row["parameter"] for row in source["baseline"]]
    assert [lv.id for lv in inputs.levers] == [row["lever"] for row in source["levers"]]
    assert [lv.effect_central for lv in inputs.levers] == [
        row["effect_central"] for row in source["levers"]
    ]
    assert len(inputs.scenarios) == len(source["scenarios"]) == 5
    assert [t.label for t in inputs.targets] == [row["target"] for row in source["targets"]]
    assert len(inputs.history) == len(source["history"]) == 10


def _fill_blank(path: Path) -> None:
    """Fill a blank workbook the way an analyst would, keeping its layout."""
    wb = openpyxl.load_workbook(path)
    settings = wb["Settings"]
    values = {
        "title": "Testland IT exports",
        "organisation": "Test ministry",
        "base_year": 2024,
        "horizon": 5,
        "baseline_scenario": "Current policy",
        "headline_scenario": "Reform",
        "draws": 200,
        "seed": 1,
        "percentiles": "10,50,90",
        "target_probability": 0.5,
        "goal_seek_max_scale": 5,
        "currency_label": "USD million",
    }
    for key, row in _rows(settings).items():
        settings.cell(row, 2, values.get(key))
    baseline = wb["Baseline"]
    params = {
        "exports_base": (900, 1000, 1100),
        "workforce_base": (40000, 50000, 60000),
        "realization_base": (0.7, 0.8, 0.85),
        "realization_max": (0.9, 0.95, 1.0),
        "productivity_growth": (0.02, 0.04, 0.06),
        "graduates_base": (5000, 6000, 7000),
        "graduates_growth": (0.01, 0.02, 0.03),
        "absorption_rate": (0.2, 0.3, 0.4),
        "other_entry_rate": (0.02, 0.04, 0.06),
        "attrition_rate": (0.02, 0.03, 0.04),
        "emigration_rate": (0.01, 0.02, 0.03),
        "shock_sd": (None, 0.05, None),
    }
    for key, row in _rows(baseline).items():
        for col, value in zip((4, 5, 6), params[key], strict=True):
            baseline.cell(row, col, value)
        baseline.cell(row, 8, "Medium")
    levers = wb["Levers"]
    column = {str(c.value): c.column for c in levers[1]}
    lever = {
        "Lever": "training",
        "Name": "Training",
        "Channel": "inflow",
        "Unit": "1 = 1,000 trainees",
        "Effect low": 50,
        "Effect central": 100,
        "Effect high": 150,
        "Lag (years)": 0,
        "Ramp (years)": 1,
        "Cost per unit (currency/yr)": 2.0,
    }
    for header, value in lever.items():
        levers.cell(2, column[header], value)
    scenarios = wb["Scenarios"]
    scenarios["A2"], scenarios["B2"], scenarios["C2"] = "training", 0, 2
    targets = wb["Targets"]
    for col, value in enumerate(("Double by FY2029", 2000, 2029, "test"), start=1):
        targets.cell(2, col, value)
    history = wb["History"]
    for i, (year, exports) in enumerate(((2022, 800), (2023, 900), (2024, 1000)), start=2):
        history.cell(i, 1, year)
        history.cell(i, 2, exports)
    wb.save(path)


def test_blank_validates_once_an_analyst_fills_it_in(tmp_path: Path):
    path = tmp_path / "blank.xlsx"
    write_workbook(path, example="blank")
    _fill_blank(path)
    inputs = read_workbook(path)
    assert [lever.id for lever in inputs.levers] == ["training"]
    assert [s.name for s in inputs.scenarios] == ["Current policy", "Reform"]
    assert inputs.scenario("Reform").intensity("training") == 2
    assert len(inputs.history) == 3
