"""Read and validate a scenario workbook into typed ``Inputs``, reporting every problem.

Order of work:

1. ``safety``: the file's bytes are read once (a regular file only) and checked before any XML
   is parsed (not an xlsx, encrypted, ``.xlsb``/``.ods``, damaged, zip bomb, DTD/entity
   payload), and every member of the zip is counted against the pre-parse budget
   (``budget``: cells, rows, shared strings, cell formats, defined names, sheets and other
   elements), streaming.
2. openpyxl's reader reads only what the values need (``package``: content types, shared
   strings, the workbook part, styles; then each known sheet once), as cached values
   (``data_only``) and without external links; the file is never opened for writing and an
   ``.xlsm``'s macros are never run (they are not even read). openpyxl parses with defusedxml
   when it is installed (a declared dependency), so entity-expansion and external-entity
   payloads raise instead of expanding.
3. Only the known sheets (Settings, Baseline, Levers, Scenarios, Targets, History, Scenario
   notes; README is known and ignored) are read into grids, wherever the workbook stores them;
   other sheets give one warning. Hidden and very hidden sheets, and hidden rows and columns
   holding data, are read like any other, with a warning (``sheetxml``). A cell openpyxl cannot
   read (``<v>NaN</v>`` in a number cell) is an error at that cell, found by ``sheetxml``.
4. Each sheet is parsed (``sheets``, ``levers``, ``targets``), then cross-sheet rules run
   (``validate``). Problems from every sheet are collected; if any is an error,
   ``InputError`` carries them all (warnings too, bounded by ``errors.collapse``); otherwise
   warnings go into ``Inputs.warnings``.

Formulas: cells are read as their cached values (what Excel last calculated and saved), which
is what the analyst sees. A formula whose cached value is missing (the file was written by a
script such as openpyxl, never opened and saved in a spreadsheet program) reads as blank with
``data_only=True``; to tell it from a truly blank cell, the read sheets' XML is scanned for
formula cells without a value *only when one of them contains a formula*. Every formula cell
without a cached value is refused, naming the cell and its formula, with the hint to open and
save the workbook in Excel or LibreOffice so its formulas are calculated. Formulas are never
evaluated by policybrief.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from defusedxml import DefusedXmlException

from policybrief.domain import Inputs
from policybrief.errors import InputError, Problem, collapse, some
from policybrief.fiscal import DEFAULT_START
from policybrief.workbook.baseline import read_baseline
from policybrief.workbook.correlations import read_correlations
from policybrief.workbook.levers import read_levers
from policybrief.workbook.package import Package, Sheet
from policybrief.workbook.safety import MAX_SHEET_ROWS, check_package, read_file_bytes
from policybrief.workbook.scenarios import read_scenario_notes, read_scenarios
from policybrief.workbook.settings import read_settings
from policybrief.workbook.sheetxml import (
    RECALCULATE_HINT,
    formulas_without_values,
    has_formulas,
    hidden_with_data,
    unreadable_cells,
)
from policybrief.workbook.tables import Grid, is_blank, normalise
from policybrief.workbook.targets import read_history, read_targets
from policybrief.workbook.validate import describe_scenarios, resolve_scenarios
from policybrief.workbook.wellposed import check_lever_sums

if TYPE_CHECKING:
    from collections.abc import Callable

    from policybrief.domain import Correlation, Parameter
    from policybrief.workbook.levers import LeversSheet

P = ParamSpec("P")
T = TypeVar("T")

#: Required sheets, as the analyst sees them.
REQUIRED_SHEETS = ("Settings", "Baseline", "Levers", "Scenarios", "Targets", "History")
#: Optional sheets read when present.
OPTIONAL_SHEETS = ("Scenario notes", "Correlations")
#: Sheets that are known and ignored.
IGNORED_SHEETS = ("README",)
#: Columns read per sheet; cells further right are ignored (tables are a few columns wide).
MAX_COLUMNS = 200


def read_workbook(path: Path | str) -> Inputs:
    """Read ``path`` into validated inputs, or raise ``InputError`` with every problem.

    Parameters
    ----------
    path
        An ``.xlsx`` (or ``.xlsm``) workbook following WORKBOOK.md.

    Returns
    -------
    Inputs
        Validated inputs; ``warnings`` holds problems of severity ``warning``.

    Raises
    ------
    InputError
        For any file that cannot be used, with every problem found (never another exception
        for bad file content).
    """
    path = Path(path)  # a str from a script or a notebook is fine too
    data = read_file_bytes(path)
    return read_workbook_bytes(data, source=str(path))


def read_workbook_bytes(data: bytes, source: str = "") -> Inputs:
    """Read a workbook from its bytes; see ``read_workbook``.

    Parameters
    ----------
    data
        The file's bytes.
    source
        Name used in messages (the path).

    Returns
    -------
    Inputs
        Validated inputs.
    """
    return read_workbook_grids(data, source)[0]


def read_workbook_grids(data: bytes, source: str = "") -> tuple[Inputs, dict[str, Grid]]:
    """``read_workbook_bytes``, also returning every known sheet's values by canonical name
    (for ``workbook.compare``: what changed between two workbooks, cell by cell)."""
    problems = check_package(data)
    if problems:
        raise InputError(problems, source=source)
    try:
        loaded = _load(data)
    except Exception as exc:  # noqa: BLE001 - any failure of zipfile/openpyxl is a bad file
        raise InputError([_load_problem(exc)], source=source) from None
    problems = list(loaded.problems)
    inputs = _parse(loaded.grids, problems)
    # A formula without a cached value reads as blank; its own message says more than "blank".
    formulas = {(p.sheet, p.cell) for p in loaded.problems if p.hint == RECALCULATE_HINT}
    problems = [
        p
        for p in problems
        if not ((p.sheet, p.cell) in formulas and p.message.endswith("is blank"))
    ]
    if inputs is None or any(p.severity == "error" for p in problems):
        if not any(p.severity == "error" for p in problems):  # defensive: never an empty error
            problems.append(Problem("", "", "the workbook cannot be used"))
        raise InputError(problems, source=source)
    return inputs, loaded.grids


def _load_problem(exc: BaseException) -> Problem:
    """Explain a failure to load: openpyxl wraps the parser's exception, so walk the chain."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 20:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for error in chain:
        if isinstance(error, DefusedXmlException):
            return Problem(
                "",
                "",
                f"the workbook's XML declares entities ({type(error).__name__}); refused as a "
                "possible entity-expansion or external-entity attack",
                "save the workbook again from Excel or LibreOffice",
            )
    root = chain[-1]
    detail = str(root).splitlines()[0] if str(root) else ""
    return Problem(
        "",
        "",
        f"cannot read the file: {type(root).__name__}: {detail}"[:300],
        "save the workbook again as .xlsx from Excel or LibreOffice and retry",
    )


@dataclass(frozen=True)
class _Loaded:
    grids: dict[str, Grid]  #: keyed by the canonical sheet name (``Scenario notes``)
    problems: tuple[Problem, ...]


def _load(data: bytes) -> _Loaded:
    problems: list[Problem] = []
    grids: dict[str, Grid] = {}
    paths: dict[str, str] = {}  # sheet name -> its XML's path in the zip
    # openpyxl warns about workbook features it does not keep (data validation extensions,
    # missing default styles, ...); they do not affect the values read, so keep stderr clean.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        package = Package(data)
        try:
            by_name = {sheet.name: sheet for sheet in package.sheets}
            for canon, name in _match_sheets(list(by_name), problems).items():
                sheet = by_name[name]
                problems.extend(_visibility(name, sheet.state))
                grid = _grid(package, sheet, problems)
                if grid is not None:
                    grids[canon], paths[name] = grid, sheet.path
            for grid in grids.values():
                problems.extend(hidden_with_data(package.archive, paths[grid.name], grid))
            if has_formulas(package.archive, paths):
                problems.extend(formulas_without_values(package.archive, paths))
        finally:
            package.close()
    return _Loaded(grids, tuple(problems))


def _visibility(name: str, state: str) -> list[Problem]:
    if state not in ("hidden", "veryHidden"):
        return []
    how = (
        "very hidden (only a macro or the VBA editor can show it)"
        if state == "veryHidden"
        else "hidden"
    )
    return [
        Problem(
            name,
            "",
            f"sheet '{name}' is {how}; it is read like any other",
            "unhide it to check what the model uses",
            "warning",
        )
    ]


def _match_sheets(names: list[str], problems: list[Problem]) -> dict[str, str]:
    known = {normalise(n): n for n in (*REQUIRED_SHEETS, *OPTIONAL_SHEETS, *IGNORED_SHEETS)}
    actual: dict[str, str] = {}
    unknown: list[str] = []
    for name in names:
        canon = known.get(normalise(name))
        if canon is None:
            unknown.append(name)
        elif canon in actual:
            problems.append(Problem(name, "", f"sheet '{name}' duplicates sheet '{actual[canon]}'"))
        elif canon not in IGNORED_SHEETS:
            actual[canon] = name
    if unknown:
        problems.append(_unknown_sheets(unknown))
    for name in REQUIRED_SHEETS:
        if name not in actual:
            problems.append(
                Problem(
                    name,
                    "",
                    f"required sheet '{name}' is missing",
                    f"the workbook has: {some(names) or '(no sheets)'}; "
                    "run `nox -s init -- workbooks/new.xlsx` for a workbook with every sheet",
                )
            )
    return actual


def _unknown_sheets(unknown: list[str]) -> Problem:
    """One warning for every sheet policybrief does not read, however many there are."""
    hint = f"known sheets: {', '.join((*REQUIRED_SHEETS, *OPTIONAL_SHEETS))}"
    if len(unknown) == 1:
        name = unknown[0]
        message = f"sheet '{name}' is not one policybrief reads; it is ignored"
        return Problem(name, "", message, hint, "warning")
    message = (
        f"{len(unknown):,} sheets are not ones policybrief reads and are ignored: {some(unknown)}"
    )
    return Problem("", "", message, hint, "warning", len(unknown))


def _grid(package: Package, sheet: Sheet, problems: list[Problem]) -> Grid | None:
    if sheet.chart:
        problems.append(Problem(sheet.name, "", f"'{sheet.name}' is a chart sheet, not a table"))
        return None
    cells: dict[tuple[int, int], object] = {}
    try:
        for r, c, value in package.values(sheet):
            if r > MAX_SHEET_ROWS:
                # Refuse the sheet whole: checking its first rows would bury this message
                # under thousands of cell problems.
                problems.append(_too_many_rows(sheet.name))
                return None
            if c <= MAX_COLUMNS and not is_blank(value):
                cells[(r, c)] = value
    except DefusedXmlException:
        raise  # an attack, not a cell: read_workbook_bytes says so for the whole file
    except (ValueError, TypeError, IndexError, KeyError, OverflowError) as exc:
        problems.extend(_unreadable_sheet(package, sheet, exc))
        return None
    return Grid(sheet.name, cells)


def _too_many_rows(name: str) -> Problem:
    return Problem(
        name,
        "",
        f"the sheet has more than {MAX_SHEET_ROWS:,} rows; refused",
        "an input table needs a few hundred rows at most: delete the unused rows "
        "(or the stray content far below the table) and save again",
    )


def _unreadable_sheet(package: Package, sheet: Sheet, exc: Exception) -> list[Problem]:
    """Why openpyxl stopped reading a sheet: the cells it could not read, by reference."""
    try:
        found = unreadable_cells(package.archive, sheet.path, sheet.name, package.shared_strings)
    except Exception:  # noqa: BLE001 - the sheet is broken; say so below
        found = []
    return found or [
        Problem(
            sheet.name,
            "",
            f"cannot read the sheet: {type(exc).__name__}: {str(exc)[:200]}",
            "save the workbook again as .xlsx from Excel or LibreOffice and retry",
        )
    ]


def _parse(grids: dict[str, Grid], problems: list[Problem]) -> Inputs | None:
    """Every sheet read in turn (its problems appended to ``problems``), then the cross-sheet
    rules; the inputs, or None when a sheet is missing or unusable."""
    settings_sheet = _sheet(grids, "Settings", read_settings, problems)
    settings = settings_sheet.settings if settings_sheet else None
    parameters = _sheet(grids, "Baseline", read_baseline, problems)
    start = settings_sheet.year_start if settings_sheet else DEFAULT_START
    levers = _sheet(grids, "Levers", read_levers, problems, start)
    scenarios = _sheet(grids, "Scenarios", read_scenarios, levers, problems)
    targets = _sheet(grids, "Targets", read_targets, settings, problems, start)
    history = _sheet(grids, "History", read_history, settings, parameters, problems, start)
    if scenarios is not None and "Scenario notes" in grids:
        notes = read_scenario_notes(grids["Scenario notes"], problems)
        scenarios = describe_scenarios(
            scenarios, notes, sheet=grids["Scenario notes"].name, problems=problems
        )
    correlations = _correlations(grids, parameters, levers, problems)
    if settings is not None and settings_sheet is not None and scenarios is not None:
        settings = resolve_scenarios(
            settings,
            scenarios,
            sheet=grids["Settings"].name,
            refs=settings_sheet.refs,
            problems=problems,
        )
        if parameters is not None and levers is not None:
            check_lever_sums(
                parameters, levers.levers, scenarios, settings.baseline_scenario, problems
            )
    if (
        settings is None
        or parameters is None
        or levers is None
        or scenarios is None
        or targets is None
        or history is None
        or correlations is None
    ):
        return None
    return Inputs(
        settings=settings,
        parameters=parameters,
        levers=levers.levers,
        scenarios=scenarios,
        targets=targets,
        history=history,
        warnings=collapse(p for p in problems if p.severity == "warning"),
        correlations=correlations,
    )


def _correlations(
    grids: dict[str, Grid],
    parameters: tuple[Parameter, ...] | None,
    levers: LeversSheet | None,
    problems: list[Problem],
) -> tuple[Correlation, ...] | None:
    """The Correlations sheet's rows; none when the workbook has no such sheet (it is optional)."""
    if "Correlations" not in grids:
        return ()
    return read_correlations(
        grids["Correlations"],
        parameters,
        levers.levers if levers else None,
        problems,
        lever_ids=levers.ids if levers else frozenset(),
    )


def _sheet(
    grids: dict[str, Grid],
    name: str,
    read: Callable[Concatenate[Grid, P], T],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> T | None:
    """``read(grid, *args)`` for the sheet ``name``; None when the workbook does not have it
    (``_match_sheets`` has said so when it is required)."""
    return read(grids[name], *args, **kwargs) if name in grids else None
