"""The Targets and History sheets: export levels aimed at, and export levels recorded."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from policybrief.domain import HistoryPoint, Target
from policybrief.fiscal import DEFAULT_START, fy_label
from policybrief.workbook.cells import CellReader, repeated, too_many_rows
from policybrief.workbook.limits import MAX_TARGETS
from policybrief.workbook.settings import horizon_hint
from policybrief.workbook.tables import sheet_table

if TYPE_CHECKING:
    from policybrief.domain import Parameter, Settings
    from policybrief.errors import Problem
    from policybrief.workbook.tables import Cell, Grid, Row


def read_targets(
    grid: Grid,
    settings: Settings | None,
    problems: list[Problem],
    year_start: int = DEFAULT_START,
) -> tuple[Target, ...] | None:
    """Read the Targets sheet (key column ``Target``).

    Parameters
    ----------
    grid
        The sheet's values.
    settings
        The Settings (None when unusable: target years are then not checked).
    problems
        Problems found are appended here.
    year_start
        The month fiscal years start in (Settings ``fiscal_year_start``).

    Returns
    -------
    tuple of Target or None
        Targets in sheet order; None when the table cannot be read.
    """
    reader = CellReader(grid.name, problems, year_start)
    table = sheet_table(grid, "Targets", problems)
    if table is None or too_many_rows(
        reader, table, MAX_TARGETS, "targets", "keep the targets the brief reports against"
    ):
        return None
    targets: list[Target] = []
    labels: dict[str, str] = {}
    for row in table.rows:
        label = reader.text(row["Target"], "Target")
        if repeated(
            reader, labels, label.lower(), row["Target"], f"target '{label}' is listed twice"
        ):
            continue
        value = reader.number(row["Value"], "Value", required=True)
        if value is not None and value <= 0:
            reader.error(row["Value"], f"target value {value:g} must be greater than 0")
            value = None
        year = _target_year(reader, row["Fiscal year"], settings)
        if label and value is not None and year is not None:
            targets.append(Target(label, value, year, reader.text(row["Source"], "Source")))
    return tuple(targets)


def _target_year(reader: CellReader, cell: Cell, settings: Settings | None) -> int | None:
    """A target's Fiscal year, within the projection horizon (when the Settings are usable)."""
    year = reader.fiscal_year(cell, "Fiscal year", required=True)
    if year is None or settings is None or settings.base_year < year <= settings.final_year:
        return year
    reader.error(
        cell,
        f"target year {settings.year_label(year)} is outside the projection horizon",
        horizon_hint(settings),
    )
    return None


def read_history(
    grid: Grid,
    settings: Settings | None,
    parameters: tuple[Parameter, ...] | None,
    problems: list[Problem],
    year_start: int = DEFAULT_START,
) -> tuple[HistoryPoint, ...] | None:
    """Read the History sheet (key column ``Fiscal year``), sorted by year.

    Parameters
    ----------
    grid
        The sheet's values.
    settings
        The Settings (None when unusable: years are then not checked against the base year).
    parameters
        The Baseline parameters (None when unusable: no comparison with ``exports_base``).
    problems
        Problems found are appended here.
    year_start
        The month fiscal years start in (Settings ``fiscal_year_start``).

    Returns
    -------
    tuple of HistoryPoint or None
        History sorted by year; None when the table cannot be read.
    """
    reader = CellReader(grid.name, problems, year_start)
    table = sheet_table(grid, "History", problems)
    if table is None:
        return None
    points: dict[int, HistoryPoint] = {}
    refs: dict[int, str] = {}
    for row in table.rows:
        year = reader.fiscal_year(row["Fiscal year"], "Fiscal year")
        exports = reader.number(row["Exports"], "Exports", required=True)
        if year is None:
            continue
        message = f"{fy_label(year, year_start)} is listed twice"
        if repeated(reader, refs, year, row["Fiscal year"], message):
            continue
        point = _history_point(reader, row, year, exports, settings)
        if point is not None:
            points[year] = point
    if settings is not None and parameters is not None:
        _compare_base_year(reader, settings, parameters, points, refs)
    return tuple(points[y] for y in sorted(points))


def _history_point(
    reader: CellReader, row: Row, year: int, exports: float | None, settings: Settings | None
) -> HistoryPoint | None:
    """One recorded year: not after the base year, exports not negative, workforce (when
    given) above 0; None when any of these fails or exports are missing."""
    if settings is not None and year > settings.base_year:
        reader.error(
            row["Fiscal year"],
            f"history year {fy_label(year, reader.year_start)} is after the base year "
            f"{fy_label(settings.base_year, reader.year_start)}",
            "history holds recorded years up to and including the base year",
        )
        return None
    if exports is not None and exports < 0:
        reader.error(row["Exports"], f"exports {exports:g} cannot be negative")
        return None
    workforce = reader.number(row["Workforce"], "Workforce")
    if workforce is not None and workforce <= 0:
        reader.error(
            row["Workforce"],
            f"workforce {workforce:g} must be greater than 0",
            "leave it blank when the year's workforce is not known",
        )
        return None
    if exports is None:
        return None
    return HistoryPoint(
        year,
        exports,
        reader.text(row["Definition"], "Definition"),
        reader.text(row["Source"], "Source"),
        workforce,
    )


def _compare_base_year(
    reader: CellReader,
    settings: Settings,
    parameters: tuple[Parameter, ...],
    points: dict[int, HistoryPoint],
    refs: dict[int, str],
) -> None:
    base = next(p for p in parameters if p.name == "exports_base")
    label = settings.year_label(settings.base_year)
    point = points.get(settings.base_year)
    if point is None:
        if refs.get(settings.base_year) is None:
            reader.warn(
                "",
                f"no history for the base year {label}",
                f"add a row for {label} with exports_base ({base.central:g})",
            )
    elif not math.isclose(point.exports, base.central, rel_tol=1e-9, abs_tol=1e-9):
        reader.warn(
            refs[settings.base_year],
            f"{label} exports ({point.exports:g}) differ from exports_base "
            f"({base.central:g}, {base.cell})",
            "the projection starts from exports_base; make the two agree",
        )
