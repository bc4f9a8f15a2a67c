"""The Settings and Baseline sheets: one function per sheet, cells in, typed values out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from policybrief.currency import parse_currency
from policybrief.fiscal import DEFAULT_START, parse_month
from policybrief.workbook.limits import (
    MAX_DRAWS,
    MAX_GOAL_SEEK_SCALE,
    MAX_HORIZON,
    MAX_PERSONS,
    MIN_DRAWS,
    MIN_REALIZATION,
    MIN_WORKFORCE,
)
from policybrief.workbook.schema import headers, required
from policybrief.workbook.tables import Cell, CellReader, find_table, normalise
from policybrief.workbook.types import (
    BASELINE_PARAMETERS,
    CONFIDENCES,
    FIXED_PARAMETERS,
    OPTIONAL_PARAMETERS,
    Parameter,
    Settings,
)

if TYPE_CHECKING:
    from policybrief.errors import Problem
    from policybrief.workbook.tables import Grid, Row

SETTINGS_COLUMNS = headers("Settings")
BASELINE_COLUMNS = headers("Baseline")
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

#: Baseline parameters that are shares or rates (fractions: 0.04 = 4%).
SHARE_PARAMETERS = frozenset(
    {
        "realization_base",
        "realization_max",
        "productivity_growth",
        "graduates_growth",
        "absorption_rate",
        "attrition_rate",
        "emigration_rate",
        "other_entry_rate",
        "shock_sd",
    }
)
#: Shares that cannot be negative (the growth rates may be).
NON_NEGATIVE_SHARES = SHARE_PARAMETERS - {"productivity_growth", "graduates_growth"}
POSITIVE_PARAMETERS = frozenset({"exports_base", "workforce_base"})
COUNT_PARAMETERS = frozenset({"graduates_base"})
#: Parameters of model v1 that v2 replaced, with how to convert them (WORKBOOK.md).
RETIRED_PARAMETERS = {
    "other_entrants_base": (
        (
            "other_entrants_base (persons a year) was replaced by other_entry_rate, a share of "
            "last year's workforce"
        ),
        "rename the row other_entry_rate and divide each value by workforce_base's Central",
    ),
}

#: The v2 parameter that replaced each retired one (its absence is then not reported twice).
REPLACED_BY = {"other_entrants_base": "other_entry_rate"}
#: Counts of people (persons, or persons a year).
PERSON_PARAMETERS = frozenset({"workforce_base", *COUNT_PARAMETERS})
#: Shares the model divides by (or that cap one it divides by): at least MIN_REALIZATION.
REALIZATION_PARAMETERS = frozenset({"realization_base", "realization_max"})


def percent_hint(value: float) -> str:
    """Hint for a share typed as a percentage: ``did you mean 4% (0.04)?``."""
    return f"rates and shares are fractions: did you mean {value:g}% ({value / 100:g})?"


def confidence(reader: CellReader, cell: Cell) -> str:
    """A Confidence cell normalised to High/Medium/Low, or '' when blank."""
    text = reader.text(cell, "Confidence")
    if not text:
        return ""
    for level in CONFIDENCES:
        if text.lower() == level.lower():
            return level
    reader.error(cell, f"Confidence '{text[:40]}' is not High, Medium or Low", "or leave it blank")
    return ""


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
    table = find_table(grid, "Setting", SETTINGS_COLUMNS, required("Settings"), problems)
    if table is None or "Value" not in table.columns:
        return SettingsSheet(None, {})
    known = {normalise(k): k for k in (*REQUIRED_SETTINGS, *OPTIONAL_SETTINGS)}
    cells: dict[str, Cell] = {}
    for row in table.rows:
        key_cell = row["Setting"]
        name = known.get(normalise(key_cell.value))
        if name is None:
            reader.warn(
                key_cell,
                f"unknown setting '{str(key_cell.value).strip()[:60]}' is ignored",
                f"known settings: {', '.join(known.values())}",
            )
        elif name in cells:
            first = cells[name]
            reader.error(key_cell, f"setting '{name}' is given twice (first in row {first.ref})")
        else:
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
    refs = {name: cell.ref for name, cell in cells.items()}
    start = int(values.get("fiscal_year_start", DEFAULT_START))  # type: ignore[call-overload]
    if any(values.get(name) is None for name in REQUIRED_SETTINGS):
        return SettingsSheet(None, refs, start)
    return SettingsSheet(Settings(**values), refs, start)  # type: ignore[arg-type]


def _setting_values(reader: CellReader, get: dict[str, Cell]) -> dict[str, object]:
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
    if (start := _year_start(reader, get["fiscal_year_start"])) is not None:
        values["fiscal_year_start"] = start
        reader = replace(reader, year_start=start)
    values["base_year"] = reader.fiscal_year(
        get["base_year"], "base_year", required=bool(get["base_year"].ref)
    )
    horizon = reader.integer(get["horizon"], "horizon", required=bool(get["horizon"].ref))
    if horizon is not None and not 1 <= horizon <= MAX_HORIZON:
        reader.error(get["horizon"], f"horizon {horizon} must be 1 to {MAX_HORIZON} years")
        horizon = None
    values["horizon"] = horizon
    draws = reader.integer(get["draws"], "draws", required=bool(get["draws"].ref))
    if draws is not None and not MIN_DRAWS <= draws <= MAX_DRAWS:
        reader.error(get["draws"], f"draws {draws:,} must be {MIN_DRAWS} to {MAX_DRAWS:,}")
        draws = None
    values["draws"] = draws
    seed = reader.integer(get["seed"], "seed", required=bool(get["seed"].ref))
    if seed is not None and seed < 0:
        reader.error(get["seed"], f"seed {seed} must be 0 or more")
        seed = None
    values["seed"] = seed
    if (pcts := _percentiles(reader, get["percentiles"])) is not None:
        values["percentiles"] = pcts
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


def read_baseline(grid: Grid, problems: list[Problem]) -> tuple[Parameter, ...] | None:
    """Read the Baseline sheet (key column ``Parameter``).

    Parameters
    ----------
    grid
        The sheet's values.
    problems
        Problems found are appended here.

    Returns
    -------
    tuple of Parameter or None
        Every name in ``BASELINE_PARAMETERS`` in that order; None when any is unusable.
    """
    reader = CellReader(grid.name, problems)
    table = find_table(grid, "Parameter", BASELINE_COLUMNS, required("Baseline"), problems)
    if table is None or "Central" not in table.columns:
        return None
    found: dict[str, Parameter | None] = {}
    first_ref: dict[str, str] = {}
    retired: list[tuple[str, Row]] = []
    for row in table.rows:
        key = row["Parameter"]
        name = str(key.value).strip().lower().replace(" ", "_")
        if name in RETIRED_PARAMETERS:
            retired.append((name, row))
            continue
        if name not in BASELINE_PARAMETERS:
            reader.warn(
                key,
                f"unknown parameter '{str(key.value).strip()[:60]}' is ignored",
                f"the model uses: {', '.join(BASELINE_PARAMETERS)}",
            )
            continue
        if name in first_ref:
            reader.error(key, f"parameter '{name}' is given twice (first at {first_ref[name]})")
            continue
        first_ref[name] = key.ref
        found[name] = _parameter(reader, name, row)
    for name in BASELINE_PARAMETERS:
        if name not in found and name in OPTIONAL_PARAMETERS:
            value = OPTIONAL_PARAMETERS[name]
            found[name] = Parameter(name, value, value, value, description="(not given)")
        elif name not in found and not any(REPLACED_BY[r] == name for r, _ in retired):
            reader.error(
                f"{table.letter('Parameter')}:{table.letter('Parameter')}",
                f"required parameter '{name}' is missing",
                f"add a row for '{name}' with at least its Central value",
            )
    params = {n: p for n, p in found.items() if p is not None}
    for name, row in retired:
        message, hint = RETIRED_PARAMETERS[name]
        reader.error(row["Parameter"], message, hint + _conversion(row, params))
    _cross_checks(reader, params)
    if len(params) != len(BASELINE_PARAMETERS):
        return None
    return tuple(params[name] for name in BASELINE_PARAMETERS)


def _conversion(row: Row, params: dict[str, Parameter]) -> str:
    """The conversion of a retired ``other_entrants_base`` row, worked out for this workbook."""
    workforce = params.get("workforce_base")
    value = row["Central"].value
    if workforce is None or isinstance(value, bool) or not isinstance(value, int | float):
        return " (persons a year ÷ workforce_base; e.g. 70,000 ÷ 600,000 = 0.117)"
    return (
        f": here {value:,.0f} ÷ {workforce.central:,.0f} = {value / workforce.central:.3g} "
        "(convert Low and High the same way)"
    )


def _parameter(reader: CellReader, name: str, row: Row) -> Parameter | None:
    low_cell, central_cell, high_cell = row["Low"], row["Central"], row["High"]
    errors_before = len(reader.problems)
    optional = name in OPTIONAL_PARAMETERS  # a blank Central takes the default (shock_sd: 0)
    central = reader.number(central_cell, "Central", required=not optional)
    if central is None and optional and central_cell.blank:
        central = OPTIONAL_PARAMETERS[name]
    low = reader.number(low_cell, "Low")
    high = reader.number(high_cell, "High")
    for value, cell in ((low, low_cell), (central, central_cell), (high, high_cell)):
        if value is not None:
            _check_range(reader, name, value, cell)
    if central is None or any(p.severity == "error" for p in reader.problems[errors_before:]):
        return None
    low = central if low is None else low
    high = central if high is None else high
    if name in FIXED_PARAMETERS and (low, high) != (central, central):
        reader.warn(
            central_cell,
            f"{name} is fixed at its Central value ({central:g}); Low and High are ignored",
            "leave Low and High blank",
        )
        low = high = central
    if not low <= central <= high:
        reader.error(
            central_cell,
            f"{name}: Central ({central:g}) must lie between Low ({low:g}) and High ({high:g})",
            "order the values Low <= Central <= High (or leave Low and High blank)",
        )
        return None
    text = {c: reader.text(row[c], c) for c in ("Description", "Unit", "Source", "Notes")}
    return Parameter(
        name=name,
        central=central,
        low=low,
        high=high,
        description=text["Description"],
        unit=text["Unit"],
        source=text["Source"],
        confidence=confidence(reader, row["Confidence"]),
        notes=text["Notes"],
        cell=f"{reader.sheet}!{central_cell.ref}",
    )


def _check_range(reader: CellReader, name: str, value: float, cell: Cell) -> None:
    if name in SHARE_PARAMETERS and value > 1:
        reader.error(cell, f"{name} is {value:g}, above 1 (100%)", percent_hint(value))
    elif name in NON_NEGATIVE_SHARES and value < 0:
        reader.error(cell, f"{name} is {value:g}; a share cannot be negative")
    elif name in SHARE_PARAMETERS and value <= -1:
        reader.error(cell, f"{name} is {value:g}; a growth rate must be above -1 (-100%)")
    elif name in POSITIVE_PARAMETERS and value <= 0:
        reader.error(cell, f"{name} is {value:g}; it must be greater than 0")
    elif name in COUNT_PARAMETERS and value < 0:
        reader.error(cell, f"{name} is {value:g}; a count cannot be negative")
    elif name in PERSON_PARAMETERS and value > MAX_PERSONS:
        reader.error(
            cell,
            f"{name} is {value:g} persons, more than the world's population "
            f"(the limit is {MAX_PERSONS:g})",
            "count persons, not thousands of persons or currency",
        )
    elif name == "workforce_base" and value < MIN_WORKFORCE:
        reader.error(cell, f"workforce_base is {value:g}; it must be at least 1 person")
    elif name in REALIZATION_PARAMETERS and value < MIN_REALIZATION:
        reader.error(
            cell,
            f"{name} is {value:g}; it must be at least {MIN_REALIZATION:g} "
            f"({MIN_REALIZATION:.0%}), Low included",
            "the share of export revenue recorded through formal channels; the model divides "
            "recorded exports by it to find revenue per worker, so it cannot be 0",
        )


def _cross_checks(reader: CellReader, params: dict[str, Parameter]) -> None:
    base, top = params.get("realization_base"), params.get("realization_max")
    if base and top and base.central > top.central:
        reader.error(
            base.cell.split("!")[-1],
            f"realization_base ({base.central:g}) is above realization_max ({top.central:g})",
            f"realization_max is at {top.cell}",
        )
    attr, emig = params.get("attrition_rate"), params.get("emigration_rate")
    if attr and emig and attr.high + emig.high >= 1:
        reader.error(
            emig.cell.split("!")[-1],
            f"attrition_rate + emigration_rate ({attr.high:g} + {emig.high:g}, High values) "
            "must stay below 1: the whole workforce would leave in a year",
            "check that both are fractions (0.05 = 5%)",
        )


def horizon_hint(settings: Settings) -> str:
    """``the horizon covers FY26 to FY30 (base year FY25, horizon 5)``."""
    first, last = settings.base_year + 1, settings.final_year
    return (
        f"the horizon covers {settings.year_label(first)} to {settings.year_label(last)} "
        f"(base year {settings.year_label(settings.base_year)}, horizon {settings.horizon})"
    )
