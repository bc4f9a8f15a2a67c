from __future__ import annotations

from policybrief.errors import InputError, Problem


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
