"""Reading one cell of a sheet into a value, or into a Problem naming its sheet and cell, and
the rules every sheet shares: a key given twice (``repeated``), a bound on the rows
(``too_many_rows``), a Confidence cell.

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
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, TypeVar

from policybrief.domain import CONFIDENCES
from policybrief.errors import Problem
from policybrief.fiscal import DEFAULT_START, parse_fiscal_year, year_hint
from policybrief.workbook.limits import MAX_MAGNITUDE, MIN_MAGNITUDE
from policybrief.workbook.tables import EXCEL_ERRORS, MAX_TEXT, Cell, Table, is_blank

if TYPE_CHECKING:
    from collections.abc import Hashable

K = TypeVar("K", bound="Hashable")

_NUMERIC = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


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
