"""Fiscal-year parsing and labelling.

A fiscal year is named after the calendar year in which it ends: FY2026 runs Jul 2025-Jun 2026
in Pakistan. The reader accepts ``2026``, ``FY2026``, ``FY26``, ``FY 2026`` and ``2025-26``
(also ``2025/26`` and ``2025-2026``); every one of them means fiscal year 2026.
"""

from __future__ import annotations

import re

_FY = re.compile(r"^\s*FY\s*'?(\d{2}|\d{4})\s*$", re.IGNORECASE)
_SPAN = re.compile(r"^\s*(\d{4})\s*[-/\u2013]\s*(\d{2}|\d{4})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})(?:\.0+)?\s*$")

MIN_YEAR = 1900
MAX_YEAR = 2200


def parse_fiscal_year(value: object) -> int | None:
    """Return the fiscal year a cell value names, or ``None`` if it names none.

    Parameters
    ----------
    value
        A cell value: an int or integral float (``2026``), or text such as ``FY26`` or
        ``2025-26``. Booleans are not years.

    Returns
    -------
    int or None
        The (ending) calendar year of the fiscal year.
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
        elif m := _SPAN.match(value):
            start, end = int(m.group(1)), m.group(2)
            year = (start // 100) * 100 + int(end) if len(end) == 2 else int(end)
            if year < start:  # 1999-00
                year += 100
            if year != start + 1:
                return None
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return year


def fy_label(year: int) -> str:
    """Label a fiscal year the way the outputs show it: ``FY26``."""
    return f"FY{year % 100:02d}"
