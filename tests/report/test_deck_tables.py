"""Tables that continue on further slides keep every row and column; short lever names."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pptx.util import Inches

from policybrief.report.deck.continued import column_groups, pages, row_heights
from policybrief.report.deck.textfit import fit_size, line_count
from policybrief.report.story.labels import lever_short_name, wrap_label
from policybrief.report.story.tables import Table

WIDTH = int(Inches(12))


def _levers_like(rows: int, scenarios: int) -> Table:
    header = ("Lever", "Channel", *(f"Scenario {k}" for k in range(scenarios)))
    body = tuple(
        (f"Lever {i} with a long name", "inflow", *(f"{i}.{k}" for k in range(scenarios)))
        for i in range(rows)
    )
    return Table(header, body, (4.0, 1.3, *(1.7,) * scenarios), "the note", (3, 20))


def test_rows_continue_on_further_pages_in_order_with_the_header_and_flags() -> None:
    table = _levers_like(25, 3)
    parts = pages(table, WIDTH, int(Inches(3)), 11)
    assert len(parts) > 1
    assert [row for part in parts for row in part.rows] == list(table.rows)
    assert all(part.header == table.header for part in parts)
    assert [part.note for part in parts] == [""] * (len(parts) - 1) + ["the note"]
    flagged = [part.rows[i][0] for part in parts for i in part.flagged]
    assert flagged == ["Lever 3 with a long name", "Lever 20 with a long name"]


def test_each_page_fits_its_height_and_the_last_leaves_the_reserve() -> None:
    table = _levers_like(25, 3)
    height, reserve = int(Inches(3)), int(Inches(1))
    parts = pages(table, WIDTH, height, 11, reserve=reserve)
    used = [sum(row_heights(part, WIDTH, 11)) for part in parts]
    assert all(u <= height for u in used)
    assert used[-1] <= height - reserve
    assert [row for part in parts for row in part.rows] == list(table.rows)


def test_many_scenarios_split_into_even_column_groups_repeating_lever_and_channel() -> None:
    table = _levers_like(3, 12)
    groups = column_groups(table, 2, int(Inches(9)))
    assert len(groups) > 1
    sizes = {len(g.header) - 2 for g in groups}
    assert max(sizes) - min(sizes) <= 1
    assert all(g.header[:2] == ("Lever", "Channel") for g in groups)
    assert [h for g in groups for h in g.header[2:]] == list(table.header[2:])
    assert all(g.rows[1][:2] == table.rows[1][:2] for g in groups)
    assert column_groups(_levers_like(3, 3), 2, WIDTH) == [_levers_like(3, 3)]


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Reliable broadband and power for IT parks", "Reliable broadband and power"),
        ("Foreign-currency retention for IT exporters", "Foreign-currency retention"),
        ("Internet shutdowns and platform bans (harmful)", "Internet shutdowns"),
        ("Freelancer onboarding", "Freelancer onboarding"),
        ("Supercalifragilisticexpialidocious measure", "Supercalifragilisticexpialidocious"),
        ("Connectivity in remote areas and small towns", "Connectivity"),
        ("Retention package against brain drain of IT graduates", "Retention package"),
    ],
)
def test_a_derived_short_name_is_whole_words_within_28_characters(name: str, short: str) -> None:
    assert lever_short_name(SimpleNamespace(id="x", name=name, short_name="")) == short  # type: ignore[arg-type]


def test_the_workbooks_short_name_wins() -> None:
    lever = SimpleNamespace(id="x", name="Reliable broadband and power", short_name="Broadband")
    assert lever_short_name(lever) == "Broadband"  # type: ignore[arg-type]


def test_labels_wrap_at_spaces_and_text_fits_by_shrinking() -> None:
    assert wrap_label("Export-oriented IT workforce in the base year", 20) == (
        "Export-oriented IT\nworkforce in the\nbase year"
    )
    assert line_count("word " * 40, 100, 10) > line_count("word " * 40, 400, 10)
    box = (0, 0, int(Inches(3)), int(Inches(1)))
    assert fit_size(["short"], box, 14, 10) == 14
    shrunk = fit_size(["a sentence of several words " * 4], box, 14, 8)
    assert shrunk is not None
    assert shrunk < 14
    assert fit_size(["too long " * 200], box, 14, 10) is None
