"""Tables in sheets: header rows, tolerant header matching and cell coercion into Problems.

A sheet arrives as a sparse grid of cell values (``Grid``). ``find_table`` locates the header
row (the first of the first 20 rows holding the key column) and maps each known column to its
letter; rows whose key cell is blank are skipped. ``sheet_table`` does so for a sheet the schema
declares.
Cells are read into values, or Problems, by ``cells.CellReader``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from openpyxl.utils import get_column_letter

from policybrief.errors import Problem
from policybrief.workbook.schema import DATA_SHEETS

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

#: Rows searched for a header row.
HEADER_SEARCH_ROWS = 20
#: Cells of text longer than this are refused (a label, not an essay).
MAX_TEXT = 2000

EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA"}
)

_UNIT_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")


def normalise(header: object) -> str:
    """Canonical form of a header or key: lower case, no spaces/underscores, no ``(unit)``."""
    text = str(header).strip() if header is not None else ""
    text = _UNIT_SUFFIX.sub("", text)
    return re.sub(r"[\s_]+", "", text).lower()


def is_blank(value: object) -> bool:
    """True for an empty cell or one holding only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class Grid:
    """The values of one sheet: ``cells[(row, column)]`` with 1-based indices; blanks absent."""

    name: str
    cells: Mapping[tuple[int, int], object]

    def value(self, row: int, column: int) -> object:
        """The value at ``(row, column)``; None when blank."""
        return self.cells.get((row, column))

    @cached_property
    def max_row(self) -> int:
        """Last row holding a value (0 for an empty sheet)."""
        return max((r for r, _ in self.cells), default=0)

    @cached_property
    def max_column(self) -> int:
        """Last column holding a value (0 for an empty sheet)."""
        return max((c for _, c in self.cells), default=0)


@dataclass(frozen=True)
class Cell:
    """A cell's value with its A1 reference (``ref`` empty when the column is absent)."""

    value: object
    ref: str

    @property
    def blank(self) -> bool:
        """True when the cell is empty or only spaces."""
        return is_blank(self.value)


@dataclass(frozen=True)
class Row:
    """One data row: its row number and cells keyed by canonical column name."""

    number: int
    cells: Mapping[str, Cell]

    def __getitem__(self, column: str) -> Cell:
        return self.cells.get(column, Cell(None, ""))


@dataclass(frozen=True)
class Table:
    """A located table: key column, header row, column letters by canonical name, data rows."""

    sheet: str
    key: str
    header_row: int
    columns: Mapping[str, int]
    rows: tuple[Row, ...]
    extra_headers: Mapping[int, str] = field(default_factory=dict)

    def letter(self, column: str) -> str:
        """Column letter of a known column (``E``)."""
        return str(get_column_letter(self.columns[column]))

    def header_ref(self, column: str) -> str:
        """A1 reference of a column's header cell."""
        return f"{self.letter(column)}{self.header_row}"


def find_table(
    grid: Grid,
    key: str,
    known: Sequence[str],
    required: Sequence[str],
    problems: list[Problem],
    *,
    keep_unknown: bool = False,
) -> Table | None:
    """Locate the table whose key column is ``key`` on a sheet and read its rows.

    Parameters
    ----------
    grid
        The sheet's values.
    key
        Display name of the key column (``Parameter``); rows with a blank key are skipped.
    known
        Display names of every column the sheet may have (unknown ones give a warning unless
        ``keep_unknown``, used by the wide Scenarios sheet whose other headers are data).
    required
        Display names of the columns that must be present (a Problem for each one missing).
    problems
        Problems found are appended here.

    Returns
    -------
    Table or None
        None when no header row was found (a Problem says so).
    """
    header_row = _header_row(grid, normalise(key))
    if header_row is None:
        problems.append(
            Problem(
                grid.name,
                "",
                f"no header row: none of the first {HEADER_SEARCH_ROWS} rows has a '{key}' column",
                f"put the column headers ({', '.join(known)}) in one row above the data",
            )
        )
        return None
    columns, extra = _header(grid, header_row, known, problems, keep_unknown=keep_unknown)
    last = get_column_letter(max(grid.max_column, 1))
    for name in required:
        if name not in columns:
            problems.append(
                Problem(
                    grid.name,
                    f"A{header_row}:{last}{header_row}",
                    f"required column '{name}' is missing from the header row",
                    f"add a '{name}' column (columns: {', '.join(known)})",
                )
            )
    rows = _rows(grid, header_row, columns[key], {**columns, **{f"#{c}": c for c in extra}})
    return Table(grid.name, key, header_row, columns, rows, extra)


def sheet_table(
    grid: Grid, sheet: str, problems: list[Problem], *, keep_unknown: bool = False
) -> Table | None:
    """``find_table`` for one of the schema's data sheets (``Levers``): its key column, the
    columns it may have and the ones it must have, as ``schema.DATA_SHEETS`` declares them."""
    spec = DATA_SHEETS[sheet]
    return find_table(
        grid, spec.key, spec.headers, spec.required, problems, keep_unknown=keep_unknown
    )


def _header_row(grid: Grid, wanted: str) -> int | None:
    """The first of the first ``HEADER_SEARCH_ROWS`` rows holding the (normalised) key header."""
    return next(
        (
            r
            for r in range(1, min(grid.max_row, HEADER_SEARCH_ROWS) + 1)
            if any(normalise(grid.value(r, c)) == wanted for c in range(1, grid.max_column + 1))
        ),
        None,
    )


def _header(
    grid: Grid,
    header_row: int,
    known: Sequence[str],
    problems: list[Problem],
    *,
    keep_unknown: bool,
) -> tuple[dict[str, int], dict[int, str]]:
    """The known columns by display name, and the other headers by column (``keep_unknown``;
    otherwise a warning each); a known header given twice is an error at the second."""
    canon = {normalise(k): k for k in known}
    columns: dict[str, int] = {}
    extra: dict[int, str] = {}
    for c in range(1, grid.max_column + 1):
        raw = grid.value(header_row, c)
        if is_blank(raw):
            continue
        ref = f"{get_column_letter(c)}{header_row}"
        name = canon.get(normalise(raw))
        if name is None:
            if keep_unknown:
                extra[c] = str(raw).strip()
            else:
                problems.append(
                    Problem(
                        grid.name,
                        ref,
                        f"unknown column '{str(raw).strip()[:80]}' is ignored",
                        f"known columns: {', '.join(known)}",
                        "warning",
                    )
                )
        elif name in columns:
            first = f"{get_column_letter(columns[name])}{header_row}"
            problems.append(
                Problem(grid.name, ref, f"column '{name}' appears twice (first at {first})")
            )
        else:
            columns[name] = c
    return columns, extra


def _rows(grid: Grid, header_row: int, key: int, columns: Mapping[str, int]) -> tuple[Row, ...]:
    """The data rows below the header whose key cell is not blank.

    Extra (unknown) columns come keyed by position (``#7``): their headers may repeat.
    """
    return tuple(
        Row(
            r,
            {
                name: Cell(grid.value(r, c), f"{get_column_letter(c)}{r}")
                for name, c in columns.items()
            },
        )
        for r in range(header_row + 1, grid.max_row + 1)
        if not is_blank(grid.value(r, key))
    )
