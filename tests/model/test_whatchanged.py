"""What changed between two workbooks: cells by key, and the headline's move split exactly."""

from __future__ import annotations

import dataclasses
from itertools import permutations
from math import factorial
from pathlib import Path

import pytest
from tests.builders import WorkbookBuilder, valid_builder

from policybrief.changes import Version, compare
from policybrief.model import run
from policybrief.model.whatchanged import _hybrid, attribute, headline_value
from policybrief.workbook.reader import read_workbook_grids

SHIPPED = Path(__file__).resolve().parents[2] / "workbooks" / "pakistan_it_exports.xlsx"


def version(b: WorkbookBuilder, name: str = "book.xlsx") -> Version:
    inputs, grids = read_workbook_grids(b.to_fast_bytes(), name)
    return Version(name, inputs, grids)


def three_edits() -> tuple[WorkbookBuilder, WorkbookBuilder]:
    """A baseline parameter, a lever intensity in the headline scenario, a new scenario."""
    old = valid_builder()
    new = old.copy()
    next(r for r in new.baseline if r["Parameter"] == "productivity_growth")["Central"] = 0.035
    new.scenarios["Reform"]["digital_skills"] = 7
    new.scenarios["Bold"] = {"digital_skills": 12, "retention_incentive": 3}
    return old, new


def test_three_edits_are_named_by_cell_and_their_effects_sum_to_the_headline_move() -> None:
    old, new = three_edits()
    changes = compare(version(old), version(new))
    inputs = [r for r in changes.rows() if r.kind == "input"]
    assert [(r.where, r.old, r.new) for r in inputs] == [
        ("Baseline!E6", 0.03, 0.035),
        ("Scenarios!C2", 5, 7),
        ("Scenarios!E2:E4", None, "added"),
    ]
    assert [r.group for r in inputs] == [
        "Baseline productivity_growth",
        "scenario 'Reform'",
        "scenario 'Bold'",
    ]
    total = sum(r.effect_on_headline or 0.0 for r in inputs)
    headline = next(r for r in changes.rows() if r.where == "headline")
    assert total == pytest.approx(headline.effect_on_headline, rel=1e-12, abs=1e-9)
    assert inputs[2].effect_on_headline == 0.0  # a scenario that is not the headline: null
    assert inputs[0].effect_on_headline > 0
    assert inputs[1].effect_on_headline > 0


def test_the_headline_is_the_engines_central_final_year_exports_exactly() -> None:
    _, new = three_edits()
    inputs = version(new).inputs
    results = run(inputs, draws=100)
    assert headline_value(inputs) == results.headline.central["exports"][-1]


def test_two_groups_match_the_shapley_formula_by_hand() -> None:
    old_b, new_b = three_edits()
    del new_b.scenarios["Bold"]
    old, new = version(old_b).inputs, version(new_b).inputs
    atoms = [("parameter", "productivity_growth"), ("scenario", "Reform")]
    v = {
        frozenset(s): headline_value(_hybrid(old, new, set(s)))
        for s in ([], atoms[:1], atoms[1:], atoms)
    }
    by_hand = []
    for a in atoms:  # average marginal contribution over both orders
        parts = []
        for order in permutations(atoms):
            before = frozenset(order[: order.index(a)])
            parts.append(v[before | {a}] - v[before])
        by_hand.append(sum(parts) / factorial(2))
    move = attribute(old, new)
    assert [e for _, e in move.effects] == pytest.approx(by_hand, rel=1e-12)
    assert move.method == "exact"


def test_reordering_rows_and_columns_is_not_a_change() -> None:
    old = valid_builder()
    new = old.copy()
    new.baseline.reverse()
    new.levers.reverse()
    new.scenarios = dict(reversed(list(new.scenarios.items())))
    changes = compare(version(old), version(new))
    assert changes.cells == ()
    assert changes.move.method == "unchanged"
    assert changes.move.change == 0


def test_a_new_headline_scenario_moves_with_its_setting_as_one_group() -> None:
    old = valid_builder()
    new = old.copy()
    new.scenarios["Bold"] = {"digital_skills": 12, "retention_incentive": 3}
    new.settings["headline_scenario"] = "Bold"
    move = compare(version(old), version(new)).move
    (group, effect) = move.effects[-1]
    assert set(group.atoms) == {("scenario", "Bold"), ("setting", "headline_scenario")}
    assert sum(e for _, e in move.effects if e is not None) == pytest.approx(move.change)
    assert effect == pytest.approx(move.change)


@pytest.mark.parametrize(("setting", "value"), [("horizon", 6), ("base_year", 2024)])
def test_a_changed_horizon_or_base_year_is_listed_not_attributed(setting: str, value: int) -> None:
    old = valid_builder()
    new = old.copy()
    new.settings[setting] = value
    if setting == "base_year":  # a year earlier, still reaching FY30; its history ends at 2,800
        new.settings["horizon"] = 6
        new.history.pop()
        next(r for r in new.baseline if r["Parameter"] == "exports_base")["Central"] = 2800
    new.scenarios["Reform"]["digital_skills"] = 7
    move = compare(version(old), version(new)).move
    assert move.method == "not attributed"
    assert setting in move.reason
    assert all(e is None for _, e in move.effects)


def test_seed_and_draws_are_listed_not_attributed() -> None:
    old = valid_builder()
    new = old.copy()
    new.settings["seed"] = 7
    changes = compare(version(old), version(new))
    (row,) = [r for r in changes.rows() if r.kind == "input"]
    assert (row.old, row.new, row.effect_on_headline) == (42, 7, None)


def test_the_pakistan_example_with_three_edits_sums_exactly() -> None:
    inputs, _grids = read_workbook_grids(SHIPPED.read_bytes(), "pakistan.xlsx")

    head = inputs.headline
    lever = inputs.levers[0].id
    edited = dataclasses.replace(
        inputs,
        parameters=tuple(
            dataclasses.replace(p, central=p.central * 1.1)
            if p.name == "productivity_growth"
            else p
            for p in inputs.parameters
        ),
        scenarios=(
            *(
                dataclasses.replace(s, intensities={**s.intensities, lever: 2.0})
                if s.name == head.name
                else s
                for s in inputs.scenarios
            ),
            dataclasses.replace(head, name="Extra"),
        ),
    )
    move = attribute(inputs, edited)
    assert move.method == "exact"
    assert sum(e for _, e in move.effects if e is not None) == pytest.approx(move.change, rel=1e-12)
    assert [g.label for g, _ in move.effects] == [
        "Baseline productivity_growth",
        f"scenario '{head.name}'",
        "scenario 'Extra'",
    ]


def test_above_twelve_groups_a_seeded_estimate_still_sums_exactly() -> None:
    inputs = version(valid_builder()).inputs
    params = tuple(dataclasses.replace(p, central=p.central * 1.001) for p in inputs.parameters)
    levers = tuple(
        dataclasses.replace(lv, effect_central=lv.effect_central * 1.01) for lv in inputs.levers
    )
    new = dataclasses.replace(inputs, parameters=params, levers=levers)
    move = attribute(inputs, new, seed=3)
    assert len(move.effects) > 12
    assert move.method == "estimate"
    total = sum(e for _, e in move.effects if e is not None)
    assert total == pytest.approx(move.change, rel=1e-9, abs=1e-9)
    assert attribute(inputs, new, seed=3) == move  # seeded: reproducible
