"""The Levers sheet: each lever's channel, effect, timing, cost and evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from policybrief.domain import (
    CHANNELS,
    FORMS,
    MAX_SHORT_NAME,
    SHARE_CHANNELS,
    Channel,
    Form,
    Lever,
)
from policybrief.fiscal import DEFAULT_START
from policybrief.workbook.cells import CellReader, confidence, percent_hint, repeated, too_many_rows
from policybrief.workbook.limits import MAX_LEVERS, MAX_PERSONS
from policybrief.workbook.tables import sheet_table

if TYPE_CHECKING:
    from policybrief.errors import Problem
    from policybrief.workbook.tables import Cell, Grid, Row

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
