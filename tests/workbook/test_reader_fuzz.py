"""Fuzz the reader: random cell edits of a valid workbook give Inputs or InputError, nothing else."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.builders import minimal_xlsx, valid_builder

from policybrief.errors import InputError, Problem
from policybrief.workbook.reader import read_workbook_bytes
from policybrief.workbook.tables import EXCEL_ERRORS

if TYPE_CHECKING:
    from policybrief.domain import Inputs

BASE = valid_builder()
LAYOUT = BASE.layout()
SHEET_NAMES = sorted(LAYOUT)

odd_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=40)
cell_values = st.one_of(
    st.none(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, -1, 0.5, 1e308, -1e-308, 2025, 2031, 100, 10**7 + 1]),
    odd_text,
    st.text(min_size=1500, max_size=2500),
    st.sampled_from(sorted(EXCEL_ERRORS)),
    st.booleans(),
    st.dates(min_value=date(1901, 1, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2100, 1, 1)),
    st.sampled_from(
        ["FY26", "2025-26", "FY2030", "4%", "0.05", "1,000", "=1+1", " ", "Reform", "lever"]
    ),
    st.sampled_from(["Setting", "Parameter", "Lever", "Target", "Fiscal year", "Central"]),
)


@st.composite
def edits(draw: st.DrawFn) -> list[tuple[str, int, int, object]]:
    """One to four cell edits, mostly inside the tables, sometimes just outside them."""
    result = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        sheet = draw(st.sampled_from(SHEET_NAMES))
        cells = LAYOUT[sheet]
        max_row = max(r for r, _ in cells) + 2
        max_col = max(c for _, c in cells) + 1
        row = draw(st.integers(min_value=1, max_value=max_row))
        col = draw(st.integers(min_value=1, max_value=max_col))
        result.append((sheet, row, col, draw(cell_values)))
    return result


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=edits())
def test_random_cell_edits_give_inputs_or_input_error_only(changes):
    layout = {name: dict(cells) for name, cells in LAYOUT.items()}
    for sheet, row, col, value in changes:
        if value is None:
            layout[sheet].pop((row, col), None)
        else:
            layout[sheet][(row, col)] = value

    outcome = read_or_error(minimal_xlsx(layout))
    if isinstance(outcome, InputError):
        assert outcome.errors, outcome.problems
        assert all(isinstance(p, Problem) and p.message for p in outcome.problems)
        assert str(outcome)  # formatting every problem must work too
        # The reader's fallback message means some rule refused a sheet without saying why.
        assert all(p.message != "the workbook cannot be used" for p in outcome.problems)
    else:
        assert len(outcome.parameters) == 12  # shock_sd defaults to 0 when absent
        lever_ids = {lever.id for lever in outcome.levers}
        assert all(s.intensities.keys() == lever_ids for s in outcome.scenarios)


def read_or_error(data: bytes) -> Inputs | InputError:
    """The reader's outcome; any exception other than InputError propagates and fails."""
    try:
        return read_workbook_bytes(data, source="fuzz.xlsx")
    except InputError as err:
        return err


VALID_BYTES = BASE.to_bytes()


@settings(max_examples=100, deadline=None)
@given(
    cut=st.integers(min_value=0, max_value=len(VALID_BYTES)),
    flips=st.lists(
        st.tuples(st.integers(0, len(VALID_BYTES) - 1), st.integers(1, 255)), max_size=5
    ),
)
def test_corrupted_bytes_give_inputs_or_input_error_only(cut, flips):
    data = bytearray(VALID_BYTES)
    for position, mask in flips:
        data[position] ^= mask
    outcome = read_or_error(bytes(data[: max(cut, 1)] if cut < len(data) else data))
    assert isinstance(outcome, InputError) or len(outcome.levers) == 3
