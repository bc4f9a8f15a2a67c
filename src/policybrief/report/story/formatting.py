"""Number and label formatting shared by the deck, the brief and the charts.

Money is held in the workbook's currency unit (``USD million`` by default). ``money`` renders it
the way a stakeholder reads it: ``$6.4bn``, ``$850m``.
"""

from __future__ import annotations

import math

from policybrief.currency import parse_currency
from policybrief.fiscal import fy_label

__all__ = ["fy_label", "money", "number", "pct", "pp", "ratio", "signed_money", "unit_symbol"]


def unit_symbol(currency_label: str) -> tuple[str, float]:
    """Split ``USD million`` into a symbol (``$``) and the unit's size in currency (1e6).

    The reader has checked the label (``currency.parse_currency``); a label that does not
    parse (results built in code) falls back to its first word as the symbol, in whole units.
    """
    try:
        currency = parse_currency(currency_label)
    except ValueError:
        words = currency_label.split()
        return (f"{words[0]} " if words else ""), 1.0
    return currency.symbol, currency.scale


def money(value: float, currency_label: str = "USD million", *, digits: int = 1) -> str:
    """Format an amount held in ``currency_label`` units: ``$6.4bn``, ``$850m``, ``-$1.2bn``.

    Values of a billion or more show ``digits`` decimals in billions; smaller values are
    rounded to whole millions (or thousands below a million).
    """
    if not math.isfinite(value):
        return "n/a"
    symbol, scale = unit_symbol(currency_label)
    amount = value * scale
    sign = "-" if amount < 0 else ""
    a = abs(amount)
    if a >= 1e9:
        return f"{sign}{symbol}{a / 1e9:,.{digits}f}bn"
    if a >= 1e6:
        return f"{sign}{symbol}{a / 1e6:,.0f}m"
    if a >= 1e3:
        return f"{sign}{symbol}{a / 1e3:,.0f}k"
    return f"{sign}{symbol}{a:,.0f}"


def signed_money(value: float, currency_label: str = "USD million", *, digits: int = 1) -> str:
    """A change of money with its sign: ``+$2.4bn``, ``-$145m``; ``$0`` for no change."""
    if value == 0 or not math.isfinite(value):
        return money(value, currency_label, digits=digits)
    return ("+" if value > 0 else "-") + money(abs(value), currency_label, digits=digits)


def number(value: float, *, digits: int = 0) -> str:
    """Thousands-separated number; ``12,345``, or ``1.2m`` for millions when ``digits`` > 0."""
    if not math.isfinite(value):
        return "n/a"
    if digits and abs(value) >= 1e6:
        return f"{value / 1e6:,.{digits}f}m"
    return f"{value:,.{digits}f}"


def pct(value: float, *, digits: int = 0) -> str:
    """A share as a percentage: ``0.153`` -> ``15%``."""
    if not math.isfinite(value):
        return "n/a"
    return f"{100 * value:.{digits}f}%"


def pp(value: float, *, digits: int = 1) -> str:
    """A difference of shares in percentage points: ``0.021`` -> ``+2.1 pp``."""
    return f"{100 * value:+.{digits}f} pp"


def ratio(value: float | None, *, digits: int = 1) -> str:
    """Export dollars per fiscal dollar: ``7.3×``; ``n/a`` when undefined."""
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:,.{digits}f}×"
