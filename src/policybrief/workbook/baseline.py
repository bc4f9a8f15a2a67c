"""The Baseline sheet: one row per model parameter, cells in, typed ``Parameter`` out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policybrief.domain import (
    BASELINE_PARAMETERS,
    FIXED_PARAMETERS,
    OPTIONAL_PARAMETERS,
    Parameter,
)
from policybrief.workbook.cells import CellReader, confidence, percent_hint, repeated
from policybrief.workbook.limits import (
    MAX_PERSONS,
    MIN_REALIZATION,
    MIN_WORKFORCE,
)
from policybrief.workbook.tables import Cell, sheet_table

if TYPE_CHECKING:
    from policybrief.errors import Problem
    from policybrief.workbook.tables import Grid, Row

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
    table = sheet_table(grid, "Baseline", problems)
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
        if repeated(reader, first_ref, name, key, f"parameter '{name}' is given twice"):
            continue
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
