"""Fiscal-year parsing and labelling.

A fiscal year is named after the calendar year in which it ends: FY2026 runs Jul 2025-Jun 2026
in Pakistan. The reader accepts ``2026``, ``FY2026``, ``FY26``, ``FY 2026`` and ``2025-26``
(also ``2025/26`` and ``2025-2026``); every one of them means fiscal year 2026.

The month a fiscal year starts in (Settings ``fiscal_year_start``, default July) changes two
things only: a year that starts in January is a calendar year, labelled ``2026`` rather than
``FY26``, and a span such as ``2025-26`` then names no year (it is an error); any other start
month (April for India) keeps the ``FY26`` labels. Months never enter the arithmetic: the model
steps one fiscal year at a time.
"""

from __future__ import annotations

import re

_FY = re.compile(r"^\s*FY\s*'?(\d{2}|\d{4})\s*$", re.IGNORECASE)
_SPAN = re.compile(r"^\s*(\d{4})\s*[-/\u2013]\s*(\d{2}|\d{4})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})(?:\.0+)?\s*$")

MIN_YEAR = 1900
MAX_YEAR = 2200

#: The month fiscal years start in when the workbook does not say (July, as in Pakistan).
DEFAULT_START = 7
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def parse_month(value: object) -> int | None:
    """The month a cell names (``July``, ``jul``, ``7``, ``7.0``) as 1-12, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int):
        return value if 1 <= value <= 12 else None
    if isinstance(value, str):
        text = value.strip().rstrip(".").lower()
        for number, name in enumerate(MONTHS, start=1):
            if len(text) >= 3 and name.lower().startswith(text):
                return number
    return None


def is_calendar(start_month: int) -> bool:
    """True when fiscal years start in January, i.e. are calendar years."""
    return start_month == 1


def year_hint(start_month: int = DEFAULT_START) -> str:
    """How to write a year cell, for the reader's messages."""
    if is_calendar(start_month):
        return "write the year as 2026 (fiscal_year_start is January: years are calendar years)"
    return "write the fiscal year as 2026, FY2026, FY26 or 2025-26"


def parse_fiscal_year(value: object, start_month: int = DEFAULT_START) -> int | None:
    """Return the fiscal year a cell value names, or ``None`` if it names none.

    Parameters
    ----------
    value
        A cell value: an int or integral float (``2026``), or text such as ``FY26`` or
        ``2025-26``. Booleans are not years.
    start_month
        The month fiscal years start in (1-12, Settings ``fiscal_year_start``).

    Returns
    -------
    int or None
        The (ending) calendar year of the fiscal year. With ``start_month`` 1 (calendar years)
        a span such as ``2025-26`` names no year.
    """
    year: int | None = None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        year = value
    elif isinstance(value, float):
        year = int(value) if value.is_integer() else None
    elif isinstance(value, str):
        if m := _YEAR.match(value):
            year = int(m.group(1))
        elif m := _FY.match(value):
            digits = m.group(1)
            year = 2000 + int(digits) if len(digits) == 2 else int(digits)
        elif (m := _SPAN.match(value)) and not is_calendar(start_month):
            start, end = int(m.group(1)), m.group(2)
            year = (start // 100) * 100 + int(end) if len(end) == 2 else int(end)
            if year < start:  # 1999-00
                year += 100
            if year != start + 1:
                return None
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return year


def fy_label(year: int, start_month: int = DEFAULT_START) -> str:
    """Label a fiscal year the way the outputs show it: ``FY26``, or ``2026`` for calendar years."""
    if is_calendar(start_month):
        return str(year)
    return f"FY{year % 100:02d}"
