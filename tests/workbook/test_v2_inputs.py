"""The version-2 inputs through the real reader: each bad value refused (or warned) at its cell.

Levers ``Form`` and ``Cost share``, Settings ``discount_rate``, Baseline ``other_entry_rate``
(and the retired ``other_entrants_base``) and ``shock_sd``, History ``Workforce`` and the
optional ``Correlations`` sheet (WORKBOOK.md, v2).
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from tests.builders import WorkbookBuilder, correlation_row, valid_builder

from policybrief.errors import InputError
from policybrief.workbook.reader import read_workbook_bytes

if TYPE_CHECKING:
    from pathlib import Path

    from policybrief.domain import Inputs
    from policybrief.errors import Problem


def read(builder: WorkbookBuilder) -> Inputs:
    return read_workbook_bytes(builder.to_fast_bytes(), source="book.xlsx")


def problems(builder: WorkbookBuilder) -> tuple[Problem, ...]:
    """The errors the builder's workbook gives (it must not be readable)."""
    with pytest.raises(InputError) as info:
        read(builder)
    return info.value.errors


def errors(builder: WorkbookBuilder) -> str:
    """Every error (formatted, one per line) the builder's workbook gives."""
    return "\n".join(p.format() for p in problems(builder))


def v2_builder() -> WorkbookBuilder:
    """The valid builder with every optional v2 column in the place ``init`` puts it."""
    b = valid_builder()
    b.insert_column("Levers", "Form", after="Channel")
    b.insert_column("Levers", "Cost share", after="Cost per unit")
    b.insert_column("History", "Workforce", after="Exports")
    return b


def _row(b: WorkbookBuilder, parameter: str) -> dict[str, object]:
    return next(r for r in b.baseline if r["Parameter"] == parameter)


# --- the v2 columns, read --------------------------------------------------------------------


def test_v2_columns_and_sheet_are_read_where_init_puts_them():
    b = v2_builder()
    b.levers[0].update({"Form": " Level ", "Cost share": 0.015})
    b.levers[1]["Form"] = "growth"
    b.history[-1]["Workforce"] = 100_000
    b.settings["discount_rate"] = 0.05
    b.baseline.append({"Parameter": "shock_sd", "Central": 0.08})
    b.correlations.append(correlation_row("productivity_growth", "digital_skills", -0.4))
    inputs = read(b)
    skills = inputs.lever("digital_skills")
    assert (skills.form, skills.cost_share) == ("level", 0.015)
    assert inputs.lever("retention_incentive").form == "growth"
    assert inputs.lever("freelancer_onboarding").form == "growth"  # blank
    assert inputs.lever("freelancer_onboarding").cost_share == 0.0  # blank
    assert [h.workforce for h in inputs.history] == [None] * 4 + [100_000]
    assert inputs.settings.discount_rate == 0.05
    assert inputs.parameter("shock_sd").central == 0.08
    (c,) = inputs.correlations
    assert (c.input_a, c.input_b, c.rho, c.cell) == (
        "productivity_growth",
        "digital_skills",
        -0.4,
        "Correlations!C2",
    )
    assert inputs.warnings == ()


def test_v2_inputs_take_their_defaults_when_absent():
    inputs = read(valid_builder())
    assert {(lv.form, lv.cost_share) for lv in inputs.levers} == {("growth", 0.0)}
    assert inputs.settings.discount_rate == 0.0
    sd = inputs.parameter("shock_sd")
    assert (sd.low, sd.central, sd.high) == (0.0, 0.0, 0.0)
    assert inputs.correlations == ()


# --- Baseline: other_entrants_base retired, other_entry_rate, shock_sd -----------------------


def _retired(b: WorkbookBuilder, central: object = 5000, low: object = 4000, high: object = 6000):
    row = _row(b, "other_entry_rate")
    row.update({"Parameter": "other_entrants_base", "Low": low, "Central": central, "High": high})
    return b


def test_retired_other_entrants_base_is_refused_with_the_conversion_worked_out():
    (problem,) = problems(_retired(valid_builder()))
    assert problem.location == "Baseline!A10"
    assert problem.message == (
        "other_entrants_base (persons a year) was replaced by other_entry_rate, a share of "
        "last year's workforce"
    )
    # workforce_base is 100,000 in the valid builder: 5,000 ÷ 100,000 = 0.05
    assert problem.hint == (
        "rename the row other_entry_rate and divide each value by workforce_base's Central: "
        "here 5,000 ÷ 100,000 = 0.05 (convert Low and High the same way)"
    )


def test_retired_parameter_hint_gives_the_rule_when_the_value_cannot_be_converted():
    b = _retired(valid_builder(), central="many")
    (problem,) = [p for p in problems(b) if p.location == "Baseline!A10"]
    assert problem.hint == (
        "rename the row other_entry_rate and divide each value by workforce_base's Central "
        "(persons a year ÷ workforce_base; e.g. 70,000 ÷ 600,000 = 0.117)"
    )


def test_retired_parameter_beside_its_replacement_is_still_refused():
    b = valid_builder()
    b.baseline.append({"Parameter": "Other entrants base", "Central": 12_000})
    text = errors(b)
    assert "Baseline!A13: other_entrants_base (persons a year) was replaced" in text
    assert "here 12,000 ÷ 100,000 = 0.12" in text


def test_shock_sd_with_low_and_high_is_a_warning_and_fixed_at_central():
    b = valid_builder()
    b.baseline.append({"Parameter": "shock_sd", "Low": 0.05, "Central": 0.1, "High": 0.2})
    inputs = read(b)
    sd = inputs.parameter("shock_sd")
    assert (sd.low, sd.central, sd.high, sd.uncertain) == (0.1, 0.1, 0.1, False)
    (warning,) = inputs.warnings
    assert warning.format() == (
        "Baseline!E13: warning: shock_sd is fixed at its Central value (0.1); Low and High "
        "are ignored (hint: leave Low and High blank)"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (10, "Baseline!E13: shock_sd is 10, above 1 (100%)"),
        (-0.1, "Baseline!E13: shock_sd is -0.1; a share cannot be negative"),
    ],
)
def test_shock_sd_out_of_range_is_refused(value, message):
    b = valid_builder()
    b.baseline.append({"Parameter": "shock_sd", "Central": value})
    assert message in errors(b)


def test_other_entry_rate_typed_as_a_percentage_hints_the_fraction():
    b = valid_builder()
    _row(b, "other_entry_rate")["Central"] = 5
    assert (
        "Baseline!E10: other_entry_rate is 5, above 1 (100%) "
        "(hint: rates and shares are fractions: did you mean 5% (0.05)?)" in errors(b)
    )


# --- Levers: Form and Cost share ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("lever", "channel"),
    [
        ("retention_incentive", "emigration"),
        ("freelancer_onboarding", "inflow"),
    ],
)
def test_level_form_on_a_lever_that_is_not_productivity_is_refused(lever, channel):
    b = v2_builder()
    i = b.lever_ids().index(lever)
    b.levers[i]["Form"] = "level"
    (problem,) = problems(b)
    assert problem.location == f"Levers!D{i + 2}"
    assert problem.message == (
        f"Form 'level' applies to productivity levers only, not to {channel} levers"
    )
    assert problem.hint == "leave Form blank for levers of other channels"


def test_growth_form_on_any_channel_is_accepted():
    b = v2_builder()
    b.levers[1]["Form"] = "Growth"
    assert read(b).lever("retention_incentive").form == "growth"


@pytest.mark.parametrize("text", ["compound", "levels", "1"])
def test_form_that_is_not_growth_or_level_is_refused(text):
    b = v2_builder()
    b.levers[0]["Form"] = text
    (problem,) = problems(b)
    assert problem.location == "Levers!D2"
    assert problem.message == f"Form '{text}' is not growth or level"
    assert problem.hint.startswith("growth: the effect adds to the yearly growth rate")


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (1.5, "rates and shares are fractions: did you mean 1.5% (0.015)?"),
        (15, "rates and shares are fractions: did you mean 15% (0.15)?"),
        (-0.01, "a share of recorded exports such as 0.015 (1.5%), or blank for none"),
        (150, "a share of recorded exports such as 0.015 (1.5%), or blank for none"),
    ],
)
def test_cost_share_outside_zero_to_one_is_refused(value, hint):
    b = v2_builder()
    b.levers[0]["Cost share"] = value
    (problem,) = problems(b)
    assert problem.location == f"Levers!{b.ref('Levers', 'digital_skills', 'Cost share')}"
    assert problem.location == "Levers!M2"
    assert problem.message == f"Cost share {value:g} must lie between 0 and 1"
    assert problem.hint == hint


def test_cost_share_typed_as_percent_text_is_read_as_a_fraction():
    b = v2_builder()
    b.levers[0]["Cost share"] = "1.5%"
    assert read(b).lever("digital_skills").cost_share == pytest.approx(0.015)


# --- Settings: discount_rate -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (5, "rates and shares are fractions: did you mean 5% (0.05)?"),
        (1, "rates and shares are fractions: did you mean 1% (0.01)?"),
        (-0.02, "a share a year such as 0.05 (5%)"),
        (250, "a share a year such as 0.05 (5%)"),
    ],
)
def test_discount_rate_out_of_range_is_refused_with_its_cell(value, hint):
    b = valid_builder()
    b.settings["discount_rate"] = value
    row = list(b.settings).index("discount_rate") + 2
    (problem,) = problems(b)
    assert problem.location == f"Settings!B{row}"
    assert problem.message == "discount_rate must be from 0 to below 1"
    assert problem.hint == hint


# --- History: Workforce ------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, -5000])
def test_history_workforce_zero_or_negative_is_refused(value):
    b = v2_builder()
    b.history[1]["Workforce"] = value
    (problem,) = problems(b)
    assert problem.location == "History!C3"
    assert problem.message == f"workforce {value:g} must be greater than 0"
    assert problem.hint == "leave it blank when the year's workforce is not known"


# --- Correlations ------------------------------------------------------------------------------


def _correlated(*rows: dict[str, object]) -> WorkbookBuilder:
    b = valid_builder()
    b.correlations.extend(rows)
    return b


@pytest.mark.parametrize("rho", [1.2, 1, -1, -1.5])
def test_correlation_not_strictly_between_minus_one_and_one_is_refused(rho):
    b = _correlated(correlation_row("productivity_growth", "absorption_rate", rho))
    (problem,) = problems(b)
    assert problem.location == "Correlations!C2"
    assert problem.message == f"correlation {rho:g} must lie strictly between -1 and 1"


def test_unknown_correlation_id_is_refused_at_its_cell():
    b = _correlated(
        correlation_row("productivity_growth", "absorption_rate", 0.3),
        correlation_row("productivity_growth", "gdp_growth", 0.3),
    )
    (problem,) = problems(b)
    assert problem.location == "Correlations!B3"
    assert problem.message == "Input B 'gdp_growth' is neither a Baseline parameter nor a lever id"
    assert problem.hint == "use a parameter name from Baseline or a lever id from Levers"


@pytest.mark.parametrize(
    "second",
    [("productivity_growth", "digital_skills"), ("digital_skills", "productivity_growth")],
)
def test_a_pair_listed_twice_in_either_order_is_refused(second):
    b = _correlated(
        correlation_row("productivity_growth", "digital_skills", 0.3),
        correlation_row("absorption_rate", "emigration_rate", 0.2),
        correlation_row(*second, 0.5),
    )
    (problem,) = problems(b)
    assert problem.location == "Correlations!A4"
    assert problem.message == f"the pair {second[0]}, {second[1]} is listed twice (first in row A2)"


def test_an_input_paired_with_itself_is_refused():
    b = _correlated(correlation_row("emigration_rate", "Emigration rate", 0.5))
    (problem,) = problems(b)
    assert problem.location == "Correlations!A2"
    assert problem.message == "emigration_rate is paired with itself"


@pytest.mark.parametrize(
    ("fixed", "column"),
    [("workforce_base", "A"), ("shock_sd", "B")],
)
def test_a_fixed_input_in_a_pair_is_refused(fixed, column):
    b = valid_builder()
    b.baseline.append({"Parameter": "shock_sd", "Low": 0.05, "Central": 0.1, "High": 0.2})
    pair = (fixed, "absorption_rate") if column == "A" else ("absorption_rate", fixed)
    b.correlations.append(correlation_row(*pair, 0.4))
    with pytest.raises(InputError) as info:
        read(b)
    (problem,) = info.value.errors
    assert problem.location == f"Correlations!{column}2"
    assert problem.message == f"{fixed} is fixed (no Low–High range), so it cannot be correlated"
    assert problem.hint == "give it a Low and a High value, or remove this row"


def test_a_lever_with_a_fixed_effect_in_a_pair_is_refused():
    b = valid_builder()
    b.levers[2].update({"Effect low": None, "Effect high": None})
    b.correlations.append(correlation_row("freelancer_onboarding", "absorption_rate", 0.4))
    assert (
        "Correlations!A2: freelancer_onboarding is fixed (no Low–High range), so it cannot be "
        "correlated" in errors(b)
    )


def test_a_correlation_naming_a_lever_with_its_own_error_is_not_called_unknown():
    # The lever's row is refused for its Form; the Correlations row must not add a second,
    # misleading error saying the lever does not exist.
    b = v2_builder()
    b.levers[1]["Form"] = "level"
    b.correlations.append(correlation_row("retention_incentive", "absorption_rate", 0.4))
    found = problems(b)
    assert [p.location for p in found] == ["Levers!D3"]


def test_every_bad_correlation_row_is_reported_at_once():
    b = _correlated(
        correlation_row("productivity_growth", "absorption_rate", 1.2),
        correlation_row("gdp", "absorption_rate", 0.1),
        correlation_row("absorption_rate", "absorption_rate", 0.1),
        correlation_row("workforce_base", "emigration_rate", 0.1),
    )
    assert [p.location for p in problems(b)] == [
        "Correlations!C2",
        "Correlations!A3",
        "Correlations!A4",
        "Correlations!A5",
    ]


# --- the command line --------------------------------------------------------------------------


def test_validate_refuses_the_retired_parameter_on_the_command_line(tmp_path: Path) -> None:
    path = _retired(valid_builder()).save(tmp_path / "old.xlsx")
    proc = subprocess.run(
        [sys.executable, "-m", "policybrief", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CI": "1"},
        check=False,
    )
    text = proc.stdout + proc.stderr
    assert proc.returncode == 2, text
    assert "Traceback" not in text
    assert (
        "Baseline!A10: other_entrants_base (persons a year) was replaced by other_entry_rate, "
        "a share of last year's workforce (hint: rename the row other_entry_rate and divide "
        "each value by workforce_base's Central: here 5,000 ÷ 100,000 = 0.05 (convert Low and "
        "High the same way))" in proc.stderr
    )
    assert "1 problem" in proc.stderr


# --- Levers: Short name ----------------------------------------------------------------------


def test_a_short_name_is_read_and_one_over_24_characters_is_refused_at_its_cell():
    b = valid_builder()
    b.insert_column("Levers", "Short name", after="Name")
    b.levers[0]["Short name"] = "Skills"
    assert read(b).levers[0].short_name == "Skills"
    b.levers[0]["Short name"] = "Digital skills programme nationwide"
    (problem,) = problems(b)
    assert problem.location == "Levers!C2"
    assert problem.message == (
        "Short name 'Digital skills programme nationwide' is 35 characters long (at most 24)"
    )


def test_the_workbooks_short_name_labels_the_charts():
    from tests.factories import fake_results

    from policybrief.report.story.labels import lever_short_names

    b = valid_builder()
    b.insert_column("Levers", "Short name", after="Name")
    b.levers[0]["Short name"] = "Skills"
    inputs = read(b)
    names = lever_short_names(fake_results(inputs))
    assert names[inputs.levers[0].id] == "Skills"
