r"""What a registered chart is (``Chart``) and the figures it may add to the results workbook
(``Figures`` of ``Column``\ s). Kept apart from the registry (``report.charts``) so a chart
module can import them while the registry imports the chart module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from policybrief.model.results import Results

__all__ = ["KIND_FORMAT", "Chart", "Column", "Figures"]

#: The number format of a chart's figures by kind: money in the currency unit, a share
#: (0.37 = 37%), a count, a plain ratio; text has none.
KIND_FORMAT: dict[str, str | None] = {
    "money": "#,##0.0",
    "share": "0.00%",
    "count": "#,##0",
    "ratio": "0.000",
    "text": None,
}


@dataclass(frozen=True)
class Column:
    """A column of a chart's figures: its name (snake_case, as in the other sheets) and its
    kind, one of ``KIND_FORMAT`` (a ``scenario`` column ties a row to its scenario)."""

    name: str
    kind: str


@dataclass(frozen=True)
class Figures:
    """The figures a chart shows, for the results workbook: columns and rows of values."""

    columns: tuple[Column, ...]
    rows: Sequence[tuple[str | float | None, ...]]


@dataclass(frozen=True)
class Chart:
    """One chart: its file name (``charts/<name>.png``, the brief template's
    ``charts.<name>``), its words, and the ``"module:function"`` that draws it."""

    name: str
    title: Callable[[Results], str]
    alt: Callable[[Results], str]
    png: str  #: ``f(results, ax)``: the brief's PNG, drawn on a matplotlib Axes
    #: ``f(slide, box, results) -> frame``: the deck's native chart on a slide of its own;
    #: None for the main story's charts, which their own slides lay out
    native: str | None = None
    #: ``f(results) -> Figures``: figures the results workbook does not hold otherwise
    figures: str | None = None
