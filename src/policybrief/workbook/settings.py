"""The Settings sheet: one row per setting, cells in, typed ``Settings`` out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from policybrief.currency import parse_currency
from policybrief.domain import Settings
from policybrief.fiscal import DEFAULT_START, parse_month
from policybrief.workbook.cells import CellReader, percent_hint, repeated
from policybrief.workbook.limits import MAX_DRAWS, MAX_GOAL_SEEK_SCALE, MAX_HORIZON, MIN_DRAWS
from policybrief.workbook.tables import Cell, normalise, sheet_table

if TYPE_CHECKING:
    from policybrief.errors import Problem
    from policybrief.workbook.tables import Grid

REQUIRED_SETTINGS = (
    "title",
    "organisation",
    "base_year",
    "horizon",
    "baseline_scenario",
    "headline_scenario",
    "draws",
    "seed",
)
OPTIONAL_SETTINGS = (
    "subtitle",
    "author",
    "percentiles",
    "target_probability",
    "goal_seek_max_scale",
    "currency_label",
    "discount_rate",
    "fiscal_year_start",
)


@dataclass(frozen=True)
class SettingsSheet:
    """The parsed Settings sheet, with the cell of each value (for cross-sheet messages)."""

    settings: Settings | None
    refs: dict[str, str]
    #: The month fiscal years start in (also when ``settings`` is None): how year cells read.
    year_start: int = DEFAULT_START


def read_settings(grid: Grid, problems: list[Problem]) -> SettingsSheet:
    """Read the Settings sheet (key column ``Setting``) into ``Settings``.

    Parameters
    ----------
    grid
        The sheet's values.
    problems
        Problems found are appended here.

    Returns
    -------
    SettingsSheet
        ``settings`` is None when a required setting is missing or invalid.
    """
    reader = CellReader(grid.name, problems)
    table = sheet_table(grid, "Settings", problems)
    if table is None or "Value" not in table.columns:
        return SettingsSheet(None, {})
    known = {normalise(k): k for k in (*REQUIRED_SETTINGS, *OPTIONAL_SETTINGS)}
    cells: dict[str, Cell] = {}
    refs: dict[str, str] = {}  # where each setting's value is
    for row in table.rows:
        key_cell = row["Setting"]
        name = known.get(normalise(key_cell.value))
        if name is None:
            reader.warn(
                key_cell,
                f"unknown setting '{str(key_cell.value).strip()[:60]}' is ignored",
                f"known settings: {', '.join(known.values())}",
            )
        elif not repeated(
            reader,
            refs,
            name,
            key_cell,
            f"setting '{name}' is given twice",
            ref=row["Value"].ref,
            first="first in row",
        ):
            cells[name] = row["Value"]
    key_col = table.letter("Setting")
    for name in REQUIRED_SETTINGS:
        if name not in cells:
            reader.error(
                f"{key_col}:{key_col}",
                f"required setting '{name}' is missing",
                f"add a row with '{name}' in the Setting column and its value in Value",
            )
    get = {name: cells.get(name, Cell(None, "")) for name in known.values()}
    values = _setting_values(reader, get)
    start = int(values.get("fiscal_year_start", DEFAULT_START))  # type: ignore[call-overload]
    if any(values.get(name) is None for name in REQUIRED_SETTINGS):
        return SettingsSheet(None, refs, start)
    return SettingsSheet(Settings(**values), refs, start)  # type: ignore[arg-type]


def _setting_values(reader: CellReader, get: dict[str, Cell]) -> dict[str, object]:
    """Each setting's value by name: a required one None when missing or invalid, an optional
    one absent when blank or invalid."""
    values = _text_values(reader, get)
    if (start := _year_start(reader, get["fiscal_year_start"])) is not None:
        values["fiscal_year_start"] = start
        reader = replace(reader, year_start=start)
    values["base_year"] = reader.fiscal_year(
        get["base_year"], "base_year", required=bool(get["base_year"].ref)
    )
    values.update(_whole_values(reader, get))
    if (pcts := _percentiles(reader, get["percentiles"])) is not None:
        values["percentiles"] = pcts
    values.update(_fraction_values(reader, get))
    return values


def _text_values(reader: CellReader, get: dict[str, Cell]) -> dict[str, object]:
    """The text settings; ``currency_label`` only when it names a currency unit."""
    values: dict[str, object] = {}
    for name in ("title", "organisation", "baseline_scenario", "headline_scenario"):
        values[name] = reader.text(get[name], name, required=bool(get[name].ref)) or None
    for name in ("subtitle", "author", "currency_label"):
        if text := reader.text(get[name], name):
            values[name] = text
    if "currency_label" in values:
        try:
            parse_currency(str(values["currency_label"]))
        except ValueError as err:
            reader.error(get["currency_label"], str(err))
            del values["currency_label"]
    return values


def _whole_values(reader: CellReader, get: dict[str, Cell]) -> dict[str, int | None]:
    """``horizon``, ``draws`` and ``seed``: whole numbers within their bounds (else None)."""

    def integer(name: str) -> int | None:  # a missing row is reported once, by read_settings
        return reader.integer(get[name], name, required=bool(get[name].ref))

    horizon = integer("horizon")
    if horizon is not None and not 1 <= horizon <= MAX_HORIZON:
        reader.error(get["horizon"], f"horizon {horizon} must be 1 to {MAX_HORIZON} years")
        horizon = None
    draws = integer("draws")
    if draws is not None and not MIN_DRAWS <= draws <= MAX_DRAWS:
        reader.error(get["draws"], f"draws {draws:,} must be {MIN_DRAWS} to {MAX_DRAWS:,}")
        draws = None
    seed = integer("seed")
    if seed is not None and seed < 0:
        reader.error(get["seed"], f"seed {seed} must be 0 or more")
        seed = None
    return {"horizon": horizon, "draws": draws, "seed": seed}


def _fraction_values(reader: CellReader, get: dict[str, Cell]) -> dict[str, float]:
    """``target_probability``, ``discount_rate`` and ``goal_seek_max_scale``, each only when
    given and within its bounds."""
    values: dict[str, float] = {}
    prob = reader.number(get["target_probability"], "target_probability")
    if prob is not None:
        if 0 < prob < 1:
            values["target_probability"] = prob
        else:
            hint = percent_hint(prob) if 1 < prob < 100 else "a share such as 0.5 (50%)"
            reader.error(
                get["target_probability"], "target_probability must be between 0 and 1", hint
            )
    rate = reader.number(get["discount_rate"], "discount_rate")
    if rate is not None:
        if 0 <= rate < 1:
            values["discount_rate"] = rate
        else:
            hint = percent_hint(rate) if 1 <= rate < 100 else "a share a year such as 0.05 (5%)"
            reader.error(get["discount_rate"], "discount_rate must be from 0 to below 1", hint)
    scale = reader.number(get["goal_seek_max_scale"], "goal_seek_max_scale")
    if scale is not None:
        if 0 < scale <= MAX_GOAL_SEEK_SCALE:
            values["goal_seek_max_scale"] = scale
        else:
            reader.error(
                get["goal_seek_max_scale"],
                f"goal_seek_max_scale {scale:g} must be greater than 0 and at most "
                f"{MAX_GOAL_SEEK_SCALE:,.0f}",
                "the goal seek tries the headline package scaled up to this factor; a package "
                f"that needs more than {MAX_GOAL_SEEK_SCALE:,.0f} times itself is out of reach",
            )
    return values


def _year_start(reader: CellReader, cell: Cell) -> int | None:
    """Settings ``fiscal_year_start``: a month name or number; None when blank or invalid."""
    if cell.blank:
        return None
    month = parse_month(cell.value)
    if month is None:
        shown = str(cell.value).strip()[:40]
        reader.error(
            cell,
            f"fiscal_year_start: '{shown}' is not a month",
            "write the month fiscal years start in, as a name or 1-12: July (Pakistan), "
            "April (India), January (calendar years)",
        )
    return month


def _percentiles(reader: CellReader, cell: Cell) -> tuple[int, ...] | None:
    if cell.blank:
        return None
    label = "percentiles"
    hint = "list whole numbers 1-99 including 50, e.g. 10,50,90 (format the cell as text)"
    parts: list[float] = []
    if isinstance(cell.value, str):
        for token in cell.value.replace(";", ",").replace(" ", ",").split(","):
            if token.strip():
                number = reader.number(Cell(token, cell.ref), label)
                if number is None:
                    return None
                parts.append(number)
    else:
        number = reader.number(cell, label)
        if number is None:
            return None
        if number > 99:
            hint = f"Excel may have read '10,50,90' as the number {number:,.0f}: {hint}"
        parts.append(number)
    if not parts or any(not p.is_integer() or not 1 <= p <= 99 for p in parts):
        reader.error(cell, f"{label}: each must be a whole number from 1 to 99", hint)
        return None
    pcts = tuple(sorted({int(p) for p in parts}))
    if 50 not in pcts or pcts[0] >= 50 or pcts[-1] <= 50:
        reader.error(cell, f"{label} must include 50 and one below and one above it", hint)
        return None
    return pcts


def horizon_hint(settings: Settings) -> str:
    """``the horizon covers FY26 to FY30 (base year FY25, horizon 5)``."""
    first, last = settings.base_year + 1, settings.final_year
    return (
        f"the horizon covers {settings.year_label(first)} to {settings.year_label(last)} "
        f"(base year {settings.year_label(settings.base_year)}, horizon {settings.horizon})"
    )
