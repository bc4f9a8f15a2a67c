"""The Settings ``currency_label``: a currency and the unit every money cell is in (WORKBOOK.md).

``USD million``, ``USD mn``, ``$m``, ``PKR bn``, ``INR crore``, ``EUR`` (no unit: whole euros),
``€ thousand``: a currency — an ISO code of three letters or one of the symbols below — then at
most one unit word. Anything else is an input error listing the accepted forms, so that
"USD gazillion" can never quietly turn $4.0bn into "$4k".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ACCEPTED", "Currency", "parse_currency"]

#: Unit words and what one unit is worth in the currency.
UNITS: dict[str, float] = {
    "": 1.0,
    "thousand": 1e3,
    "thousands": 1e3,
    "k": 1e3,
    "lakh": 1e5,
    "lakhs": 1e5,
    "lac": 1e5,
    "million": 1e6,
    "millions": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "mio": 1e6,
    "crore": 1e7,
    "crores": 1e7,
    "cr": 1e7,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
}
#: Symbols shown before amounts, by ISO code; other codes are shown as ``KES 4.0bn``.
SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "PKR": "Rs ",
    "INR": "₹",
    "JPY": "¥",
    "BDT": "Tk ",
    "RS": "Rs ",
}
#: Symbols accepted in place of a code ("Rs" stays "Rs": it is several countries' rupee).
CODES = {"$": "USD", "€": "EUR", "£": "GBP", "₹": "INR", "¥": "JPY", "RS": "RS", "RS.": "RS"}
ACCEPTED = (
    "a currency code or symbol (USD, EUR, PKR, INR, $, €, £, ₹, Rs) followed by one of: "
    "thousand (k), lakh, million (m, mn), crore, billion (bn), or nothing — e.g. "
    "'USD million', 'PKR bn', 'INR crore', 'EUR'"
)
_FORM = re.compile(r"^\s*([A-Za-z]{3}|[$€£₹¥]|[Rr][Ss]\.?)\s*([A-Za-z]*)\s*$")


@dataclass(frozen=True)
class Currency:
    """A parsed ``currency_label``: ISO code, the symbol shown, and the unit's size."""

    code: str
    symbol: str
    scale: float


def parse_currency(label: str) -> Currency:
    """Parse a ``currency_label``.

    Parameters
    ----------
    label
        E.g. ``USD million``; parentheses are ignored (``USD (million)``).

    Returns
    -------
    Currency

    Raises
    ------
    ValueError
        When the label is not a currency and a known unit; the message lists the accepted
        forms.
    """
    match = _FORM.match(label.replace("(", " ").replace(")", " "))
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in UNITS:
        msg = f"currency_label '{label[:40]}' is not a currency and a unit: use {ACCEPTED}"
        raise ValueError(msg)
    token = match.group(1)
    code = CODES.get(token.upper(), token.upper())
    symbol = SYMBOLS.get(code, f"{code} ")
    return Currency(code, symbol, UNITS[unit])
