"""The Scenarios and Scenario notes sheets: each scenario's lever intensities, its description
and notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl.utils import get_column_letter

from policybrief.domain import Scenario
from policybrief.errors import some
from policybrief.workbook.cells import CellReader, repeated
from policybrief.workbook.limits import MAX_SCENARIOS
from policybrief.workbook.tables import sheet_table

if TYPE_CHECKING:
    from policybrief.domain import Lever
    from policybrief.errors import Problem
    from policybrief.workbook.levers import LeversSheet
    from policybrief.workbook.tables import Cell, Grid, Table


def read_scenarios(
    grid: Grid, levers: LeversSheet | None, problems: list[Problem]
) -> tuple[Scenario, ...] | None:
    """Read the wide Scenarios sheet: lever ids down column ``Lever``, one column per scenario.

    Parameters
    ----------
    grid
        The sheet's values.
    levers
        What the Levers sheet gave (None when that sheet was unusable: lever ids are then not
        checked against it).
    problems
        Problems found are appended here.

    Returns
    -------
    tuple of Scenario or None
        Scenarios in column order, each with an intensity for every lever; None when the
        table cannot be read.
    """
    reader = CellReader(grid.name, problems)
    table = sheet_table(grid, "Scenarios", problems, keep_unknown=True)
    if table is None:
        return None
    names = _scenario_names(reader, table)
    if names is None:
        return None
    intensities, listed = _intensities(reader, table, names, levers)
    lever_ids = [lever.id for lever in levers.levers] if levers else list(listed)
    for lever in levers.levers if levers else ():
        if lever.id not in listed:
            reader.warn(
                f"A{table.header_row}",
                f"lever {lever.id} is not on the Scenarios sheet: intensity 0 in every scenario",
                "add a row for it to use it in a scenario",
            )
    return tuple(
        Scenario(
            name,
            {i: intensities[name].get(i, 0.0) for i in lever_ids},
            cell=f"{grid.name}!{get_column_letter(column)}{table.header_row}",
        )
        for column, name in names.items()
    )


def _scenario_names(reader: CellReader, table: Table) -> dict[int, str] | None:
    """The scenario names right of the Lever column, by column; None when there are none, or
    more than ``MAX_SCENARIOS``. A name too long or given twice is an error, and left out."""
    if len(table.extra_headers) > MAX_SCENARIOS:
        column = sorted(table.extra_headers)[MAX_SCENARIOS]
        reader.error(
            f"{get_column_letter(column)}{table.header_row}",
            f"the sheet has {len(table.extra_headers):,} scenario columns; the limit is "
            f"{MAX_SCENARIOS}",
            "keep the scenarios the brief compares, or split them into two workbooks",
        )
        return None
    names: dict[int, str] = {}
    seen: dict[str, str] = {}
    for column, raw in sorted(table.extra_headers.items()):
        ref = f"{get_column_letter(column)}{table.header_row}"
        name = raw.strip()
        if len(name) > 100:
            reader.error(ref, f"scenario name is {len(name)} characters long (limit 100)")
            continue
        if repeated(reader, seen, name.lower(), ref, f"scenario name '{name}' is used twice"):
            continue
        names[column] = name
    if not names:
        reader.error(
            f"A{table.header_row}",
            "no scenarios: the header row has no scenario names right of the Lever column",
            "name one column per scenario, e.g. 'Current policy' and 'Reform'",
        )
        return None
    return names


def _intensities(
    reader: CellReader, table: Table, names: dict[int, str], levers: LeversSheet | None
) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """Each scenario's usable intensities by lever id, and where each listed lever's row is.

    A row naming a lever the Levers sheet does not have, or one listed before, is an error.
    """
    by_id = {lever.id: lever for lever in levers.levers} if levers else {}
    known_ids = levers.ids if levers else frozenset()
    intensities: dict[str, dict[str, float]] = {name: {} for name in names.values()}
    listed: dict[str, str] = {}
    hint = f"levers: {some(sorted(known_ids)) or '(none)'}; add it there or fix the id"
    for row in table.rows:
        key = row["Lever"]
        lever_id = reader.text(key, "Lever")
        if levers is not None and lever_id not in known_ids:
            reader.error(key, f"lever '{lever_id[:60]}' is not on the Levers sheet", hint)
            continue
        if repeated(reader, listed, lever_id, key, f"lever '{lever_id}' is listed twice"):
            continue
        for column, name in names.items():
            value = _intensity(reader, row[f"#{column}"], lever_id, name, by_id.get(lever_id))
            if value is not None:
                intensities[name][lever_id] = value
    return intensities, listed


def _intensity(
    reader: CellReader, cell: Cell, lever_id: str, name: str, lever: Lever | None
) -> float | None:
    """One intensity: 0 or more, and at most the lever's Max intensity; None when blank."""
    value = reader.number(cell, f"intensity of {lever_id} in '{name}'")
    if value is None:
        return None
    if value < 0:
        reader.error(
            cell,
            f"intensity {value:g} of {lever_id} in '{name}' is negative",
            "intensities are 0 or more; a harmful measure has a negative effect instead",
        )
        return None
    if lever and lever.max_intensity is not None and value > lever.max_intensity:
        reader.error(
            cell,
            f"intensity {value:g} of {lever_id} in '{name}' is above the lever's "
            f"Max intensity {lever.max_intensity:g}",
        )
        return None
    return value


def read_scenario_notes(grid: Grid, problems: list[Problem]) -> dict[str, tuple[str, str]]:
    """Read the optional ``Scenario notes`` sheet: scenario name -> (description, cell)."""
    reader = CellReader(grid.name, problems)
    table = sheet_table(grid, "Scenario notes", problems)
    if table is None:
        return {}
    notes: dict[str, tuple[str, str]] = {}
    for row in table.rows:
        name = reader.text(row["Scenario"], "Scenario")
        notes[name.lower()] = (reader.text(row["Description"], "Description"), row["Scenario"].ref)
    return notes
