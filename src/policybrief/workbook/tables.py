"""Tables in sheets: header rows, tolerant header matching and cell coercion into Problems.

A sheet arrives as a sparse grid of cell values (``Grid``). ``find_table`` locates the header
row (the first of the first 20 rows holding the key column) and maps each known column to its
letter; rows whose key cell is blank are skipped. ``sheet_table`` does so for a sheet the schema
declares, and the rules every sheet shares live here too: a key given twice (``repeated``) and
a bound on the rows (``too_many_rows``).

Cell coercion decisions (the ``number`` family):

- ints and floats are numbers; booleans (TRUE/FALSE) and dates are not; NaN and infinity are
  refused.
- Numeric text is accepted, since a cell formatted as text is a common accident: ``"0.05"``,
  ``" 1200 "``, ``"-3"`` and percentages ``"4%"`` (read as 0.04). Text with a comma (``"1,000"``
  or ``"0,05"``) is refused rather than guessed, because the comma means a thousands separator
  in one locale and a decimal point in another.
- Excel error values (``#DIV/0!``, ``#N/A``, ...) are reported as such, with a hint to fix the
  formula.
- Every number is 0 or between ``MIN_MAGNITUDE`` (1e-9) and ``MAX_MAGNITUDE`` (1e15) in size
  (``limits.py``): beyond them a value is a typing accident or an attack, never an estimate,
  and the model's products of a few inputs stay finite.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from openpyxl.utils import get_column_letter

from policybrief.domain import CONFIDENCES
from policybrief.errors import Problem
from policybrief.fiscal import DEFAULT_START, parse_fiscal_year, year_hint
from policybrief.workbook.limits import MAX_MAGNITUDE, MIN_MAGNITUDE
from policybrief.workbook.schema import DATA_SHEETS

if TYPE_CHECKING:
    from collections.abc import Hashable, Mapping, Sequence

K = TypeVar("K", bound="Hashable")

#: Rows searched for a header row.
HEADER_SEARCH_ROWS = 20
#: Cells of text longer than this are refused (a label, not an essay).
MAX_TEXT = 2000

EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA"}
)

_UNIT_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")
_NUMERIC = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


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


@dataclass(frozen=True)
class CellReader:
    """Coerces cells of one sheet, appending a Problem for every unusable value."""

    sheet: str
    problems: list[Problem]
    #: The month fiscal years start in (Settings ``fiscal_year_start``): how year cells read.
    year_start: int = DEFAULT_START

    def error(self, cell: Cell | str, message: str, hint: str = "") -> None:
        """Record an error at a cell (or an A1 reference)."""
        ref = cell.ref if isinstance(cell, Cell) else cell
        self.problems.append(Problem(self.sheet, ref, message, hint))

    def warn(self, cell: Cell | str, message: str, hint: str = "") -> None:
        """Record a warning at a cell (or an A1 reference)."""
        ref = cell.ref if isinstance(cell, Cell) else cell
        self.problems.append(Problem(self.sheet, ref, message, hint, "warning"))

    def _blank(self, cell: Cell, label: str, required: bool) -> None:
        if required:
            where = "is blank" if cell.ref else "is missing (no such column)"
            self.error(cell, f"{label} {where}", f"enter a value for {label}")

    def _not_number(self, cell: Cell, label: str) -> None:
        value = cell.value
        if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
            self.error(
                cell,
                f"{label}: Excel error value {value.strip().upper()}",
                "fix the formula (or type the number) so the cell shows a value",
            )
        elif isinstance(value, bool):
            self.error(cell, f"{label}: {str(value).upper()} is not a number", "type a number")
        elif isinstance(value, (datetime, date, time, timedelta)):
            self.error(
                cell,
                f"{label}: a date or time ({value}) is not a number",
                "format the cell as a number and type the value",
            )
        elif isinstance(value, float):
            self.error(cell, f"{label}: {value} is not a finite number", "type a number")
        else:
            text = str(value).strip()
            shown = text if len(text) <= 40 else text[:37] + "..."
            hint = (
                "type the number without thousands separators or decimal commas"
                if "," in text
                else "type a number (a rate as 0.04 or 4%)"
            )
            self.error(cell, f"{label}: text '{shown}' is not a number", hint)

    def number(self, cell: Cell, label: str, *, required: bool = False) -> float | None:
        """The cell as a float; None when blank (an error if ``required``) or invalid."""
        value = cell.value
        if is_blank(value):
            self._blank(cell, label, required)
            return None
        result: float | None = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            result = float(value)
        elif isinstance(value, str):
            text = value.strip().replace(" ", "")
            percent = text.endswith("%")
            body = text[:-1] if percent else text
            if _NUMERIC.match(body):
                result = float(body) / 100 if percent else float(body)
        if result is None or not math.isfinite(result):
            self._not_number(cell, label)
            return None
        if result and not MIN_MAGNITUDE <= abs(result) <= MAX_MAGNITUDE:
            self._out_of_scale(cell, label, result)
            return None
        return result

    def _out_of_scale(self, cell: Cell, label: str, value: float) -> None:
        if abs(value) > MAX_MAGNITUDE:
            self.error(
                cell,
                f"{label}: {value:g} is too large (the limit is {MAX_MAGNITUDE:g} in size)",
                "numbers are at most 1e+15 in size; for amounts, use a larger currency unit "
                "(Settings currency_label, e.g. USD million)",
            )
        else:
            self.error(
                cell,
                f"{label}: {value:g} is too close to 0 (the limit is {MIN_MAGNITUDE:g} in size)",
                "type 0, or a number at least 1e-09 in size",
            )

    def integer(self, cell: Cell, label: str, *, required: bool = False) -> int | None:
        """The cell as a whole number; None when blank or invalid."""
        result = self.number(cell, label, required=required)
        if result is None:
            return None
        if not result.is_integer():
            self.error(cell, f"{label} must be a whole number, not {result:g}")
            return None
        return int(result)

    def text(self, cell: Cell, label: str, *, required: bool = False) -> str:
        """The cell as stripped text ('' when blank or invalid)."""
        value = cell.value
        if is_blank(value):
            self._blank(cell, label, required)
            return ""
        if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
            self._not_number(cell, label)
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            self.error(cell, f"{label} is {len(text):,} characters long (limit {MAX_TEXT:,})")
            return ""
        return text

    def fiscal_year(self, cell: Cell, label: str, *, required: bool = False) -> int | None:
        """The cell as a fiscal year (its ending calendar year); None when blank or invalid."""
        value = cell.value
        if is_blank(value):
            self._blank(cell, label, required)
            return None
        if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
            self._not_number(cell, label)
            return None
        year = parse_fiscal_year(value, self.year_start)
        if year is None:
            shown = str(value).strip()[:40]
            self.error(cell, f"{label}: '{shown}' is not a fiscal year", year_hint(self.year_start))
        return year


def too_many_rows(reader: CellReader, table: Table, limit: int, what: str, hint: str) -> bool:
    """True when ``table`` has more than ``limit`` rows, with an error at the key cell of the
    first row past it (``the sheet lists 300 levers; the limit is 200``)."""
    if len(table.rows) <= limit:
        return False
    reader.error(
        table.rows[limit][table.key],
        f"the sheet lists {len(table.rows):,} {what}; the limit is {limit}",
        hint,
    )
    return True


def repeated(
    reader: CellReader,
    seen: dict[K, str],
    key: K,
    cell: Cell | str,
    message: str,
    *,
    ref: str | None = None,
    first: str = "first at",
) -> bool:
    """True when ``key`` was seen before, with an error at ``cell``: ``message`` and where it
    stands first (``seen[key]``); otherwise ``seen`` records it at ``ref`` (default: the cell).

    One rule for every key given twice (a lever, a target, a year, a setting, a pair).
    """
    if key in seen:
        reader.error(cell, f"{message} ({first} {seen[key]})")
        return True
    if ref is None:
        ref = cell.ref if isinstance(cell, Cell) else cell
    seen[key] = ref
    return False


def percent_hint(value: float) -> str:
    """Hint for a share typed as a percentage: ``did you mean 4% (0.04)?``."""
    return f"rates and shares are fractions: did you mean {value:g}% ({value / 100:g})?"


def confidence(reader: CellReader, cell: Cell) -> str:
    """A Confidence cell normalised to High/Medium/Low, or '' when blank."""
    text = reader.text(cell, "Confidence")
    if not text:
        return ""
    for level in CONFIDENCES:
        if text.lower() == level.lower():
            return level
    reader.error(cell, f"Confidence '{text[:40]}' is not High, Medium or Low", "or leave it blank")
    return ""
