"""The Levers, Scenarios and Scenario notes sheets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from openpyxl.utils import get_column_letter

from policybrief.domain import (
    CHANNELS,
    FORMS,
    MAX_SHORT_NAME,
    SHARE_CHANNELS,
    Channel,
    Form,
    Lever,
    Scenario,
)
from policybrief.errors import some
from policybrief.fiscal import DEFAULT_START
from policybrief.workbook.limits import MAX_LEVERS, MAX_PERSONS, MAX_SCENARIOS
from policybrief.workbook.tables import (
    CellReader,
    confidence,
    percent_hint,
    repeated,
    sheet_table,
    too_many_rows,
)

if TYPE_CHECKING:
    from policybrief.errors import Problem
    from policybrief.workbook.tables import Cell, Grid, Row, Table

#: Channels whose effect is a share (a fraction), so |effect| above 1 is a typed percentage.
#: Channels where an effect above this per unit is probably percentage points typed as a share
#: (0.4 meaning 0.4 points): a warning, not an error (WORKBOOK.md).
SUSPECT_EFFECT = 0.2
SUSPECT_CHANNELS = frozenset({"productivity", "absorption"})
LEVER_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _snake(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "my_lever"


@dataclass(frozen=True)
class LeversSheet:
    """The usable levers, and every well-formed id on the sheet (usable or not)."""

    levers: tuple[Lever, ...]
    ids: frozenset[str]


def read_levers(
    grid: Grid, problems: list[Problem], year_start: int = DEFAULT_START
) -> LeversSheet | None:
    """Read the Levers sheet (key column ``Lever``).

    Parameters
    ----------
    grid
        The sheet's values.
    problems
        Problems found are appended here.
    year_start
        The month fiscal years start in (Settings ``fiscal_year_start``): how Start and End
        year cells read.

    Returns
    -------
    LeversSheet or None
        The levers in sheet order; None when the table cannot be read at all. Levers with a
        problem are left out of ``levers`` (the problem is recorded) but kept in ``ids``.
    """
    reader = CellReader(grid.name, problems, year_start)
    table = sheet_table(grid, "Levers", problems)
    if table is None or too_many_rows(
        reader,
        table,
        MAX_LEVERS,
        "levers",
        "combine related measures into one lever, or split the analysis into two workbooks",
    ):
        return None
    levers: list[Lever] = []
    first_ref: dict[str, str] = {}
    for row in table.rows:
        key = row["Lever"]
        lever_id = reader.text(key, "Lever")
        if not lever_id:
            continue
        if not LEVER_ID.match(lever_id):
            reader.error(
                key,
                f"lever id '{lever_id[:60]}' must be snake_case "
                "(lower-case letters, digits and underscores, starting with a letter)",
                f"e.g. '{_snake(lever_id)[:60]}'; put the readable name in the Name column",
            )
            continue
        message = f"lever id '{lever_id}' is used twice"
        if repeated(reader, first_ref, lever_id, key, message, ref=f"{grid.name}!{key.ref}"):
            continue
        lever = _lever(reader, lever_id, row)
        if lever is not None:
            levers.append(lever)
    return LeversSheet(tuple(levers), frozenset(first_ref))


def _lever(reader: CellReader, lever_id: str, row: Row) -> Lever | None:
    """One lever's row; None when any of its cells has an error (each one recorded)."""
    before = len(reader.problems)
    channel_text = _channel(reader, row["Channel"], lever_id)
    effects = _effects(reader, row, channel_text, lever_id)
    lag = _whole(reader, row["Lag"], "Lag", 0, default=0)
    ramp = _whole(reader, row["Ramp"], "Ramp", 1, default=1)
    saturation = _positive(reader, row["Saturation"], "Saturation")
    cost = reader.number(row["Cost per unit"], "Cost per unit")
    if cost is not None and cost < 0:
        reader.error(row["Cost per unit"], f"Cost per unit {cost:g} cannot be negative")
    cost_share = _cost_share(reader, row["Cost share"])
    form = _form(reader, row["Form"], channel_text)
    max_intensity = _positive(reader, row["Max intensity"], "Max intensity")
    start, end = _years(reader, row)
    short = _short_name(reader, row["Short name"])
    if effects is None or any(p.severity == "error" for p in reader.problems[before:]):
        return None
    low, central, high = effects
    return Lever(
        id=lever_id,
        name=reader.text(row["Name"], "Name") or lever_id,
        short_name=short,
        channel=cast("Channel", channel_text),
        effect_central=central,
        effect_low=low,
        effect_high=high,
        lag=lag,
        ramp=ramp,
        saturation=saturation,
        cost_per_unit=cost or 0.0,
        cost_share=cost_share,
        form=form,
        max_intensity=max_intensity,
        start_year=start,
        end_year=end,
        unit=reader.text(row["Unit"], "Unit"),
        source=reader.text(row["Source"], "Source"),
        confidence=confidence(reader, row["Confidence"]),
        notes=reader.text(row["Notes"], "Notes"),
    )


def _channel(reader: CellReader, cell: Cell, lever_id: str) -> str:
    """The Channel cell in lower case ('' when blank, an error: it is required)."""
    text = reader.text(cell, "Channel", required=True).lower()
    if text and text not in CHANNELS:
        reader.error(
            cell,
            f"unknown channel '{text[:40]}' for lever {lever_id}",
            f"the channel must be one of: {', '.join(CHANNELS)}",
        )
    return text


def _effects(
    reader: CellReader, row: Row, channel: str, lever_id: str
) -> tuple[float, float, float] | None:
    """Effect low, central and high (a blank low or high is the central); None without a
    central. Each is checked for its channel's size, then the three for their order."""
    central = reader.number(row["Effect central"], "Effect central", required=True)
    low = reader.number(row["Effect low"], "Effect low")
    high = reader.number(row["Effect high"], "Effect high")
    for value, column in ((low, "Effect low"), (central, "Effect central"), (high, "Effect high")):
        if value is not None:
            _effect_size(reader, channel, value, row[column], column)
            if channel in SUSPECT_CHANNELS and SUSPECT_EFFECT < abs(value) <= 1:
                reader.warn(
                    row[column],
                    f"{column} {value:g} of {channel} lever {lever_id} means "
                    f"{value * 100:g} percentage points per unit of intensity",
                    f"if you meant {value:g} percentage points, type {value / 100:g} ({value:g}%)",
                )
    if central is None:
        return None
    low = central if low is None else low
    high = central if high is None else high
    if not low <= central <= high:
        reader.error(
            row["Effect central"],
            f"{lever_id}: Effect central ({central:g}) must lie between Effect low "
            f"({low:g}) and Effect high ({high:g})",
            "order the values low <= central <= high (a harmful lever has all three "
            "negative, e.g. -0.03, -0.02, -0.01)",
        )
    return low, central, high


def _years(reader: CellReader, row: Row) -> tuple[int | None, int | None]:
    """Start and End year (each None when blank), End not before Start."""
    start = reader.fiscal_year(row["Start year"], "Start year")
    end = reader.fiscal_year(row["End year"], "End year")
    if start is not None and end is not None and end < start:
        reader.error(row["End year"], f"End year {end} is before Start year {start}")
    return start, end


def _short_name(reader: CellReader, cell: Cell) -> str:
    """The Short name cell: at most ``MAX_SHORT_NAME`` characters ('' = derived from Name)."""
    short = reader.text(cell, "Short name")
    if len(short) > MAX_SHORT_NAME:
        reader.error(
            cell,
            f"Short name '{short[:40]}' is {len(short)} characters long (at most {MAX_SHORT_NAME})",
            "it labels chart axes: shorten it, or leave it blank to derive one from Name",
        )
    return short


def _form(reader: CellReader, cell: Cell, channel: str) -> Form:
    """The Form cell: ``growth`` (also when blank) or ``level``, the latter productivity only."""
    text = reader.text(cell, "Form").lower()
    if not text:
        return "growth"
    if text not in FORMS:
        reader.error(
            cell,
            f"Form '{text[:40]}' is not growth or level",
            "growth: the effect adds to the yearly growth rate; level: it raises the level "
            "once, while the lever is active (productivity levers only); blank = growth",
        )
        return "growth"
    if text == "level" and channel != "productivity":
        reader.error(
            cell,
            f"Form 'level' applies to productivity levers only, not to {channel} levers",
            "leave Form blank for levers of other channels",
        )
    return "level" if text == "level" else "growth"


def _cost_share(reader: CellReader, cell: Cell) -> float:
    """The Cost share cell: a fraction of recorded exports per unit of intensity, 0 to 1."""
    value = reader.number(cell, "Cost share")
    if value is None:
        return 0.0
    if not 0 <= value <= 1:
        hint = (
            percent_hint(value)
            if 1 < value < 100
            else "a share of recorded exports such as 0.015 (1.5%), or blank for none"
        )
        reader.error(cell, f"Cost share {value:g} must lie between 0 and 1", hint)
        return 0.0
    return value


def _effect_size(reader: CellReader, channel: str, value: float, cell: Cell, column: str) -> None:
    """A share channel's effect lies in [-1, 1]; an inflow effect counts at most MAX_PERSONS."""
    if channel in SHARE_CHANNELS and abs(value) > 1:
        reader.error(
            cell,
            f"{column} {value:g} of a {channel} lever is a share and must lie between -1 and 1",
            percent_hint(abs(value)),
        )
    elif channel == "inflow" and abs(value) > MAX_PERSONS:
        reader.error(
            cell,
            f"{column} {value:g} persons a year per unit of an inflow lever is more than the "
            f"world's population (the limit is {MAX_PERSONS:g})",
            "an inflow effect counts persons per unit of intensity",
        )


def _whole(reader: CellReader, cell: Cell, label: str, minimum: int, *, default: int) -> int:
    value = reader.integer(cell, label)
    if value is None:
        return default
    if value < minimum:
        reader.error(cell, f"{label} {value} must be {minimum} or more (years)")
        return default
    return value


def _positive(reader: CellReader, cell: Cell, label: str) -> float | None:
    value = reader.number(cell, label)
    if value is not None and value <= 0:
        reader.error(cell, f"{label} {value:g} must be greater than 0 (or blank for none)")
        return None
    return value


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
