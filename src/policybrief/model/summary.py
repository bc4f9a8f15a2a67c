"""Scalar summaries: growth rates, fiscal return, emigrants averted."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policybrief.domain import HistoryPoint


def cagr(first: float, last: float, years: int) -> float:
    """Compound annual growth rate from ``first`` to ``last`` over ``years`` years.

    Returns NaN when it is undefined (non-positive values or no elapsed years).
    """
    if years <= 0 or first <= 0 or last < 0:
        return float("nan")
    return float((last / first) ** (1.0 / years) - 1.0)


def required_growth(value: float, exports_base: float, base_year: int, year: int) -> float:
    """Annual growth from the base year's exports that reaches ``value`` in ``year``."""
    return cagr(exports_base, value, year - base_year)


def historical_cagr(history: Sequence[HistoryPoint]) -> float | None:
    """CAGR from the first to the last History point (by year); None with fewer than 2 points."""
    points = sorted(history, key=lambda p: p.year)
    if len(points) < 2 or points[-1].year == points[0].year:
        return None
    return cagr(points[0].exports, points[-1].exports, points[-1].year - points[0].year)


def per_fiscal_dollar(gain: float, extra_cost: float) -> float | None:
    """Export dollars per extra fiscal dollar; None when nothing extra is spent."""
    return None if extra_cost <= 0 else gain / extra_cost


def recent_cagr(
    history: Sequence[HistoryPoint], base_year: int, spans: Sequence[int] = (3, 5)
) -> tuple[tuple[int, float], ...]:
    """Recorded CAGR over the last ``n`` years to the base year, for each ``n`` recorded."""
    recorded = {p.year: p.exports for p in history}
    return tuple(
        (n, cagr(recorded[base_year - n], recorded[base_year], n))
        for n in spans
        if base_year in recorded and recorded.get(base_year - n, 0) > 0
    )
