"""The optional Correlations sheet: Spearman rank correlations between uncertain inputs (v2).

Cell-level rules only (ids, ranges, duplicates, fixed inputs). Whether the whole matrix is a
valid correlation matrix, and its repair when it is not, is the model's business
(``model/correlation.py``): the engine reports each moved entry as a warning with its cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from policybrief.domain import Correlation
from policybrief.workbook.cells import CellReader, repeated
from policybrief.workbook.tables import sheet_table

if TYPE_CHECKING:
    from policybrief.domain import Lever, Parameter
    from policybrief.errors import Problem
    from policybrief.workbook.tables import Cell, Grid


def read_correlations(
    grid: Grid,
    parameters: tuple[Parameter, ...] | None,
    levers: tuple[Lever, ...] | None,
    problems: list[Problem],
    lever_ids: frozenset[str] = frozenset(),
) -> tuple[Correlation, ...] | None:
    """Read the Correlations sheet (key column ``Input A``).

    Parameters
    ----------
    grid
        The sheet's values.
    parameters, levers
        What the Baseline and Levers sheets gave (None when unusable: ids are then not
        checked against them).
    problems
        Problems found are appended here.
    lever_ids
        Every well-formed lever id on the Levers sheet, usable or not: a row naming a lever
        whose own row was refused is skipped, not called unknown (its error says enough).

    Returns
    -------
    tuple of Correlation or None
        The usable rows in sheet order; None when the table cannot be read.
    """
    reader = CellReader(grid.name, problems)
    table = sheet_table(grid, "Correlations", problems)
    if table is None:
        return None
    uncertain: dict[str, bool] = {}
    if parameters is not None:
        uncertain.update({p.name: p.uncertain for p in parameters})
    if levers is not None:
        uncertain.update({lv.id: lv.uncertain for lv in levers})
    refused = lever_ids - uncertain.keys()  # on the Levers sheet, but with an error there
    # Without both sheets an id cannot be called unknown: ids are then not checked.
    known = uncertain if parameters is not None and levers is not None else None
    seen: dict[frozenset[str], str] = {}
    found: list[Correlation] = []
    for row in table.rows:
        a, b = (_input(reader, row[c], c, known, refused) for c in ("Input A", "Input B"))
        rho = _rho(reader, row["Correlation"])
        if not a or not b or rho is None:
            continue
        ref = row["Input A"].ref
        if a == b:
            reader.error(ref, f"{a} is paired with itself", "pair two different inputs")
            continue
        message = f"the pair {a}, {b} is listed twice"
        if repeated(reader, seen, frozenset((a, b)), ref, message, first="first in row"):
            continue
        where = f"{grid.name}!{row['Correlation'].ref}"
        found.append(Correlation(a, b, rho, where, reader.text(row["Source"], "Source")))
    return tuple(found)


def _input(
    reader: CellReader,
    cell: Cell,
    column: str,
    uncertain: dict[str, bool] | None,
    refused: frozenset[str],
) -> str:
    """The id an Input cell names, or '' when it is blank, refused on the Levers sheet, or
    (when ``uncertain`` says which ids are usable and uncertain) unknown or fixed."""
    text = reader.text(cell, column, required=True).strip().lower().replace(" ", "_")
    if text in refused:
        return ""
    if not text or uncertain is None:
        return text
    if text not in uncertain:
        reader.error(
            cell,
            f"{column} '{text[:60]}' is neither a Baseline parameter nor a lever id",
            "use a parameter name from Baseline or a lever id from Levers",
        )
        return ""
    if not uncertain[text]:
        reader.error(
            cell,
            f"{text} is fixed (no Low–High range), so it cannot be correlated",
            "give it a Low and a High value, or remove this row",
        )
        return ""
    return text


def _rho(reader: CellReader, cell: Cell) -> float | None:
    """The Correlation cell: strictly between -1 and 1 (required)."""
    rho = reader.number(cell, "Correlation", required=True)
    if rho is not None and not -1 < rho < 1:
        reader.error(
            cell,
            f"correlation {rho:g} must lie strictly between -1 and 1",
            "a Spearman rank correlation, e.g. 0.5; two inputs that move as one are "
            "better modelled as one input",
        )
        return None
    return rho
