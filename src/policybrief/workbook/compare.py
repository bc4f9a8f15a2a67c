"""What changed between two workbooks, cell by cell (PRODUCT.md, "What changed").

Cells are compared by (sheet, key, column) — the row's key (a parameter, a lever id, a setting,
a target, a fiscal year) and the column's header — never by address, so inserting a row or
moving a column changes nothing. Each change is reported at the new workbook's cell (the old
one's when the row or column was removed), and tagged with the group of inputs it belongs to
(``model.whatchanged``): a Baseline row, a lever, a scenario, a setting; other sheets' rows
(targets, history, correlations) cannot move the projection and carry no group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from openpyxl.utils import get_column_letter

from policybrief.workbook.schema import DATA_SHEETS
from policybrief.workbook.tables import find_table, is_blank, normalise

if TYPE_CHECKING:
    from policybrief.domain import Kind
    from policybrief.workbook.tables import Grid, Table

__all__ = ["CellChange", "compare_grids"]

#: The kind of group each sheet's rows (or, for Scenarios, its columns) belong to; sheets
#: not named here cannot move the projection.
GROUPS: dict[str, Kind] = {
    "Settings": "setting",
    "Baseline": "parameter",
    "Levers": "lever",
    "Scenarios": "scenario",
    "Scenario notes": "scenario",
}


@dataclass(frozen=True)
class CellChange:
    """One input cell whose value differs: ``where`` is ``Sheet!B7`` in the new workbook."""

    sheet: str
    key: str
    column: str
    where: str
    old: object
    new: object
    group: tuple[Kind, str] | None  #: the group of inputs it belongs to (None: no effect)


def _key(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _cells(table: Table, sheet: str) -> dict[tuple[str, str], tuple[str, object, str, str]]:
    """``(normalised key, normalised column) -> (ref, value, key text, column header)``."""
    headers = {**{c: name for name, c in table.columns.items()}, **table.extra_headers}
    key_name = next(iter(table.columns))
    found: dict[tuple[str, str], tuple[str, object, str, str]] = {}
    for row in table.rows:
        key = _key(row[key_name].value)
        for column, header in headers.items():
            if header == key_name:
                continue
            value = row.cells.get(f"#{column}", row[header]).value
            ref = f"{sheet}!{get_column_letter(column)}{row.number}"
            found.setdefault((normalise(key), normalise(header)), (ref, value, key, header))
    return found


def _table(grid: Grid | None, key: str) -> Table | None:
    if grid is None:
        return None
    return find_table(grid, key, (key,), (key,), [], keep_unknown=True)


def _same(a: object, b: object) -> bool:
    if is_blank(a) and is_blank(b):
        return True
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    return a == b


def _group(
    kind: Kind | None, key: str, column: str, settings: dict[str, str]
) -> tuple[Kind, str] | None:
    if kind is None:
        return None
    if kind == "scenario" and column:
        return ("scenario", column)
    if kind == "setting":
        return ("setting", settings.get(normalise(key), key))
    return (kind, key)


def compare_grids(
    old: dict[str, Grid], new: dict[str, Grid], setting_names: tuple[str, ...]
) -> list[CellChange]:
    """Every input cell that differs between two workbooks' sheets, in the new one's order.

    Parameters
    ----------
    old, new
        Each workbook's sheets by canonical name (``reader.read_workbook_grids``).
    setting_names
        The canonical setting names (a Settings row's group is its canonical name).

    Returns
    -------
    list of CellChange
        Sheet by sheet in the schema's order; within a sheet, the new workbook's cells first in
        row order, then cells only the old workbook has.
    """
    settings = {normalise(name): name for name in setting_names}
    changes: list[CellChange] = []
    for sheet, spec in DATA_SHEETS.items():
        key, kind = spec.key, GROUPS.get(sheet)
        before_t, after_t = _table(old.get(sheet), key), _table(new.get(sheet), key)
        before = _cells(before_t, sheet) if before_t else {}
        after = _cells(after_t, sheet) if after_t else {}
        changes += _sheet_changes(sheet, kind, before, after, settings)
    return changes


Cells = dict[tuple[str, str], tuple[str, object, str, str]]


def _sheet_changes(
    sheet: str, kind: Kind | None, before: Cells, after: Cells, settings: dict[str, str]
) -> list[CellChange]:
    """One sheet's changes. A row (a Scenarios column) only one workbook has is one change,
    ``Levers!B14:P14`` ``added`` (or ``removed``), not one per cell."""
    by_column = sheet == "Scenarios"

    def unit(ident: tuple[str, str]) -> str:
        return ident[1] if by_column else ident[0]

    units_before, units_after = {unit(i) for i in before}, {unit(i) for i in after}
    changes: list[CellChange] = []
    whole: dict[str, int] = {}  # unit -> index of its one change
    for ident in [*after, *(k for k in before if k not in after)]:
        ref_new, value_new, key_text, header = after.get(ident, ("", None, "", ""))
        ref_old, value_old, key_old, header_old = before.get(ident, ("", None, "", ""))
        key_text, header = key_text or key_old, header or header_old
        group = _group(kind, key_text, header if by_column else "", settings)
        u = unit(ident)
        if (u in units_before) != (u in units_after):
            where = ref_new or ref_old
            if u in whole:
                first = changes[whole[u]]
                span = f"{first.where.split(':')[0]}:{where.split('!')[-1]}"
                changes[whole[u]] = CellChange(
                    sheet, first.key, first.column, span, first.old, first.new, group
                )
                continue
            whole[u] = len(changes)
            added = u in units_after
            changes.append(
                CellChange(
                    sheet,
                    key_text,
                    header,
                    where,
                    None if added else "(present)",
                    "added" if added else "removed",
                    group,
                )
            )
            continue
        if _same(value_old, value_new):
            continue
        changes.append(
            CellChange(
                sheet,
                key_text,
                header,
                ref_new or ref_old,
                None if is_blank(value_old) else value_old,
                None if is_blank(value_new) else value_new,
                group,
            )
        )
    return changes
