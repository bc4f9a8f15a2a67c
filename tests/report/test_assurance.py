"""The assurance checklist: each Aqua Book item's status says what the build checked."""

from __future__ import annotations

import dataclasses
import datetime as dt

from tests.factories import fake_results, make_inputs

from policybrief.errors import Problem
from policybrief.report.context import BuildInfo
from policybrief.report.story.assurance import STATUSES, assurance_items

INFO = BuildInfo("book.xlsx", "ab" * 32, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "9.9.9")


def _by_item(results) -> dict[str, tuple[str, str]]:
    return {i.item: (i.status, i.evidence) for i in assurance_items(results, INFO)}


def test_the_items_in_order_and_sign_off_is_never_done() -> None:
    items = assurance_items(fake_results(make_inputs()), INFO)
    assert [i.item for i in items] == [
        "Scope and specification",
        "Data and inputs checked",
        "Assumptions log",
        "Verification (built right)",
        "Validation against the record",
        "Uncertainty quantified",
        "Reproducible",
        "Independent assurance and sign-off",
    ]
    assert all(i.status in STATUSES for i in items)
    assert items[-1].status == "to do"
    results = fake_results(make_inputs())
    assert items[6].evidence == (
        f"workbook sha256 abababab, seed {results.seed}, policybrief 9.9.9: the same inputs "
        "give byte-identical outputs"
    )


def test_reader_warnings_turn_inputs_to_check_with_the_count() -> None:
    inputs = make_inputs(warnings=(Problem("Baseline", "E7", "odd", "", "warning"),))
    status, evidence = _by_item(fake_results(inputs))["Data and inputs checked"]
    assert status == "check"
    assert evidence.endswith("; 1 warning to read")
    clean = _by_item(fake_results(make_inputs()))["Data and inputs checked"]
    assert clean == (
        "done",
        (
            "every input passed the reader's checks (types, ranges, cross-sheet references); "
            "no warnings"
        ),
    )


def test_assumptions_without_a_source_or_rating_are_counted_and_checked() -> None:
    inputs = make_inputs()
    sourced = dataclasses.replace(
        inputs,
        parameters=tuple(
            dataclasses.replace(p, source="s", confidence="High") for p in inputs.parameters
        ),
        levers=tuple(
            dataclasses.replace(lv, source="s", confidence="High") for lv in inputs.levers
        ),
    )
    status, evidence = _by_item(fake_results(sourced))["Assumptions log"]
    assert (status, evidence) == (
        "done",
        f"{evidence.split(' ')[0]} assumptions logged, ranked by influence",
    )
    one = dataclasses.replace(
        sourced,
        parameters=tuple(
            dataclasses.replace(p, source="") if p.name == "exports_base" else p
            for p in sourced.parameters
        ),
    )
    status, evidence = _by_item(fake_results(one))["Assumptions log"]
    assert status == "check"
    assert evidence.endswith("; 1 without a source")


def test_validation_not_run_is_to_do_with_the_reason() -> None:
    results = fake_results(make_inputs())
    skipped = dataclasses.replace(results, validation=None)
    assert _by_item(skipped)["Validation against the record"] == (
        "to do",
        "not run: no history to test against",
    )


def test_verification_is_done_only_when_the_builds_own_checks_hold() -> None:
    results = fake_results(make_inputs())
    status, evidence = _by_item(results)["Verification (built right)"]
    assert status == "done"
    assert evidence.startswith("this build's own checks hold (each waterfall sums to its gain")
    a = results.attribution[0]
    broken = dataclasses.replace(
        results,
        attribution=(
            dataclasses.replace(a, contributions=((a.contributions[0][0], 1e9),)),
            *results.attribution[1:],
        ),
    )
    status, evidence = _by_item(broken)["Verification (built right)"]
    assert status == "check"
    assert evidence.startswith(f"the waterfall of {a.scenario} does not sum to its gain")
