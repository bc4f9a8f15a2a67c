"""The words of "What changed": literal sentences for each case."""

from __future__ import annotations

from tests.builders import valid_builder

from policybrief.changes import Version, compare
from policybrief.report.story.changes import (
    chance_lines,
    diff_text,
    fit_lines,
    group_rows,
    headline_move,
)
from policybrief.report.story.formatting import money
from policybrief.workbook.reader import read_workbook_grids


def _version(b, name: str, chances=None) -> Version:
    inputs, grids = read_workbook_grids(b.to_fast_bytes(), name)
    return Version(name, inputs, grids, chances)


def _pair():
    old = valid_builder()
    new = old.copy()
    next(r for r in new.baseline if r["Parameter"] == "productivity_growth")["Central"] = 0.035
    new.targets[1]["Value"] = 4600
    return old, new


def test_the_headline_sentence_names_scenario_year_both_values_and_the_signed_move() -> None:
    old, new = _pair()
    changes = compare(_version(old, "the previous build"), _version(new, "book.xlsx"))
    settings = _version(new, "x").inputs.settings
    m = changes.move
    assert m.new > m.old
    text = headline_move(changes, settings)
    assert text.startswith("Central FY30 exports under Reform moved from $")
    assert text.endswith(" since the previous build.")
    assert "(+$" in text


def test_unchanged_inputs_say_so() -> None:
    old = valid_builder()
    changes = compare(_version(old, "a"), _version(old, "b"))
    settings = _version(old, "b").inputs.settings
    value = money(changes.move.new, "USD million", digits=2)
    assert headline_move(changes, settings) == (
        f"Central FY30 exports under Reform are unchanged at {value}: "
        "no input that moves them changed."
    )
    assert group_rows(changes, _version(old, "b").inputs) == []


def test_group_rows_put_the_largest_effect_first_and_targets_have_none() -> None:
    old, new = _pair()
    changes = compare(_version(old, "a"), _version(new, "b"))
    rows = group_rows(changes, _version(new, "b").inputs)
    assert rows[0][0] == "test value for productivity_growth (productivity_growth)"
    assert rows[0][1] == "Baseline!E6 (Central): 3% → 3.5%"
    assert rows[0][2].startswith("+$")
    assert rows[1] == (
        "Targets (no effect on the projection)",
        "Targets!B3 (Value): 4500 → 4600",
        "none",
    )


def test_a_lower_headline_is_signed_minus_and_horizon_changes_are_not_split() -> None:
    old, new = _pair()
    changes = compare(_version(new, "a"), _version(old, "b"))
    assert changes.move.change < 0
    assert "(-$" in headline_move(changes, _version(old, "b").inputs.settings)
    old2 = valid_builder()
    new2 = old2.copy()
    new2.settings["horizon"] = 6
    changes2 = compare(_version(old2, "a"), _version(new2, "b"))
    text = headline_move(changes2, _version(new2, "b").inputs.settings)
    assert text.startswith("Central FY31 exports under Reform moved from $")
    assert text.endswith(
        "Not split by input: horizon changed: the two headlines are different years."
    )
    assert group_rows(changes2, _version(new2, "b").inputs) == [
        ("setting horizon", "Settings!B7: 5 → 6", "listed, not split")
    ]


def test_chances_show_both_values_and_a_missing_one_as_n_a() -> None:
    old, new = _pair()
    changes = compare(
        _version(old, "a", {"Final goal": 0.25, "Interim goal": 0.5}),
        _version(new, "b", {"Final goal": 0.375}),
    )
    assert chance_lines(changes) == [
        "Chance of the Interim goal target: 50.0% → n/a",
        "Chance of the Final goal target: 25.0% → 37.5%",
    ]
    text = diff_text(changes, _version(new, "b").inputs)
    assert text.splitlines()[0] == "What changed from a to b"
    assert "  Targets (no effect on the projection): Targets!B3 (Value): 4500 → 4600  none" in text


def test_a_worse_fit_to_history_is_said_even_when_the_headline_rises() -> None:
    old, new = _pair()
    a = _version(old, "a")
    b = _version(new, "b")
    changes = compare(
        Version(a.name, a.inputs, a.grids, {"Final goal": 0.0}, {2016: 2.5, 2020: -9.1}),
        Version(b.name, b.inputs, b.grids, {"Final goal": 0.0}, {2016: 11.3, 2020: -4.9}),
    )
    assert fit_lines(changes, b.inputs.settings) == [
        (
            "Run from FY16, the model misses FY25's recorded exports by +2.5% → +11.3%: further "
            "from the record"
        ),
        (
            "Run from FY20, the model misses FY25's recorded exports by -9.1% → -4.9%: closer to "
            "the record"
        ),
    ]
    rows = [r for r in changes.rows() if r.where.startswith("fit:")]
    assert [(r.where, r.old, r.new) for r in rows] == [
        ("fit: error (%) of the run from 2016", 2.5, 11.3),
        ("fit: error (%) of the run from 2020", -9.1, -4.9),
    ]
    assert chance_lines(changes)[-1] == (
        "Chance of the Final goal target: no draw reaches it, before and after"
    )
