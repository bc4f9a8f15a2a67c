from __future__ import annotations

import pytest

from policybrief.errors import MAX_LISTED, MAX_SHOWN, InputError, Problem, collapse, inert, some


def test_problem_formats_like_a_compiler_message() -> None:
    p = Problem("Baseline", "E7", "Central (0.05) must lie between Low (0.02) and High (0.03)")
    assert p.format("workbooks/x.xlsx") == (
        "workbooks/x.xlsx: Baseline!E7: Central (0.05) must lie between Low (0.02) and High (0.03)"
    )


def test_input_error_keeps_every_problem_and_separates_warnings() -> None:
    problems = [
        Problem("Levers", "C4", "unknown channel 'x'", hint="use productivity"),
        Problem("History", "B9", "differs", severity="warning"),
    ]
    err = InputError(problems, "w.xlsx")
    assert err.problems == tuple(problems)
    assert err.errors == (problems[0],)
    assert "hint: use productivity" in str(err)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\r\\nb"),
        ("tab\there", "tab\\there"),
        ("\x1b[2Jclear", "\\x1b[2Jclear"),
        ("del\x7f", "del\\x7f"),
        ("csi\x9b31m", "csi\\x9b31m"),
        ("nel\x85", "nel\\x85"),
        ("line\u2028sep", "line\\u2028sep"),
        ("\u202egnp.exe", "\\u202egnp.exe"),
        ("iso\u2066late\u2069", "iso\\u2066late\\u2069"),
        ("mark\u200f\u061c", "mark\\u200f\\u061c"),
        ("Café – ok", "Café – ok"),
    ],
)
def test_control_characters_in_workbook_text_are_shown_as_escapes(raw: str, shown: str) -> None:
    p = Problem("Set\ntings", "A2", f"unknown setting '{raw}'", hint=raw)
    line = p.format(f"dir/{raw}.xlsx")
    assert shown in line
    assert line == f"dir/{shown}.xlsx: Set\\ntings!A2: unknown setting '{shown}' (hint: {shown})"
    assert "\n" not in line
    assert "\x1b" not in line


def test_long_workbook_text_is_cut() -> None:
    line = Problem("Levers", "B2", "x" * 100_000, hint="y" * 100_000).format()
    assert len(line) < 2 * MAX_SHOWN + 100
    assert "x…" in line
    assert "y…" in line
    assert inert("short") == "short"


def test_some_lists_a_few_then_counts() -> None:
    assert some(["a", "b"]) == "a, b"
    assert some(range(25), limit=3) == "0, 1, 2, … (25 in all)"


def test_problems_of_one_kind_are_listed_five_at_a_time_then_counted() -> None:
    problems = [
        Problem("Scenarios", f"A{r}", f"lever 'x{r}' is not on the Levers sheet")
        for r in range(2, 30_002)
    ]
    problems.append(Problem("Levers", "C2", "unknown channel 'wages'"))
    collapsed = collapse(problems)
    assert [p.cell for p in collapsed[:5]] == ["A2", "A3", "A4", "A5", "A6"]
    summary = collapsed[5]
    assert (
        summary.message == "and 29,995 more like this (at A7, A8, A9, A10, A11, A12, A13, A14, …)"
    )
    assert (summary.sheet, summary.count) == ("Scenarios", 29_995)
    assert collapsed[6].message == "unknown channel 'wages'"
    assert sum(p.count for p in collapsed) == 30_001
    assert collapse(collapsed) == collapsed


def test_six_alike_are_all_listed() -> None:
    problems = [Problem("S", f"A{r}", f"bad {r}") for r in range(6)]
    assert collapse(problems) == tuple(problems)


def test_many_kinds_are_capped_per_severity_with_one_closing_line() -> None:
    errors = [Problem(f"Sheet{i}", "A1", "broken") for i in range(100)]
    warnings = [Problem(f"Sheet{i}", "", "odd", severity="warning") for i in range(100)]
    collapsed = collapse([*errors, *warnings])
    assert len(collapsed) == 2 * MAX_LISTED + 2
    closing = [p for p in collapsed if p.count > 1]
    assert [(p.severity, p.count, p.message) for p in closing] == [
        ("error", 100 - MAX_LISTED, f"and {100 - MAX_LISTED} more errors not listed"),
        ("warning", 100 - MAX_LISTED, f"and {100 - MAX_LISTED} more warnings not listed"),
    ]
    assert collapse(collapsed) == collapsed


def test_input_error_is_bounded_and_counts_every_error() -> None:
    problems = [Problem("Baseline", f"E{r}", "Central is blank") for r in range(10_000)]
    err = InputError(problems, "w.xlsx")
    assert len(err.problems) == 6
    assert err.error_count == 10_000
    assert str(err).count("\n") == 5
