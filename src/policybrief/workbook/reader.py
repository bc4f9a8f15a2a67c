"""Read and validate a scenario workbook into typed ``Inputs``, reporting every problem.

Order of work:

1. ``safety``: the file's bytes are read once and checked before any XML is parsed (not an
   xlsx, encrypted, ``.xlsb``/``.ods``, damaged, zip bomb, huge sheet, DTD/entity payload).
2. openpyxl loads the bytes with ``read_only=True, data_only=True, keep_links=False``; the file
   is never opened for writing and an ``.xlsm``'s macros are never run (they are not even
   read). openpyxl parses with defusedxml when it is installed (a declared dependency), so
   entity-expansion and external-entity payloads raise instead of expanding.
3. Only the known sheets (Settings, Baseline, Levers, Scenarios, Targets, History, Scenario
   notes; README is known and ignored) are read into grids; other sheets give a warning.
4. Each sheet is parsed (``sheets``, ``levers``, ``targets``), then cross-sheet rules run
   (``validate``). Problems from every sheet are collected; if any is an error,
   ``InputError`` carries them all (warnings too); otherwise warnings go into
   ``Inputs.warnings``.

Formulas: cells are read as their cached values (what Excel last calculated and saved), which
is what the analyst sees. A formula whose cached value is missing (the file was written by a
script such as openpyxl, never opened and saved in a spreadsheet program) reads as blank with
``data_only=True``; to tell it from a truly blank cell, the sheets are loaded a second time with
``data_only=False`` *only when some worksheet contains a formula*. Every formula cell without a
cached value is refused, naming the cell and its formula, with the hint to open and save the
workbook in Excel or LibreOffice so its formulas are calculated. Formulas are never evaluated
by policybrief.
"""

from __future__ import annotations

import html
import re
import warnings
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import openpyxl
from defusedxml import DefusedXmlException

from policybrief.errors import InputError, Problem
from policybrief.workbook.correlations import read_correlations
from policybrief.workbook.levers import read_levers, read_scenario_notes, read_scenarios
from policybrief.workbook.safety import MAX_SHEET_ROWS, check_package, read_file_bytes
from policybrief.workbook.sheets import read_baseline, read_settings
from policybrief.workbook.tables import Grid, is_blank, normalise
from policybrief.workbook.targets import read_history, read_targets
from policybrief.workbook.types import Inputs
from policybrief.workbook.validate import describe_scenarios, resolve_scenarios

#: Required sheets, as the analyst sees them.
REQUIRED_SHEETS = ("Settings", "Baseline", "Levers", "Scenarios", "Targets", "History")
#: Optional sheets read when present.
OPTIONAL_SHEETS = ("Scenario notes", "Correlations")
#: Sheets that are known and ignored.
IGNORED_SHEETS = ("README",)
#: Columns read per sheet; cells further right are ignored (tables are a few columns wide).
MAX_COLUMNS = 200
#: Formula cells without a cached value listed one by one before the rest are summarised.
MAX_FORMULAS_LISTED = 20
RECALCULATE_HINT = (
    "open and save the workbook in Excel or LibreOffice so its formulas are calculated"
)

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")
# A non-self-closing <c> element and its body; formula and value elements inside it.
_CELL = re.compile(
    r"<(?:\w+:)?c\s(?P<attrs>[^>]*?\br=\"(?P<ref>[A-Z]+\d+)\"[^>]*?)(?<!/)>"
    r"(?P<body>.*?)</(?:\w+:)?c>",
    re.DOTALL,
)
_FORMULA = re.compile(r"<(?:\w+:)?f\b[^>]*?(?:/>|>(?P<text>.*?)</(?:\w+:)?f>)", re.DOTALL)
_VALUE = re.compile(r"<(?:\w+:)?v\b[^>]*?(?:/>|>(?P<text>.*?)</(?:\w+:)?v>)", re.DOTALL)
_TEXT_TYPE = re.compile(r"\bt=\"(?:str|s|inlineStr)\"")
_SHEET_XML = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)


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
    return inputs


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
    # openpyxl warns about workbook features it does not keep (data validation extensions,
    # missing default styles, ...); they do not affect the values read, so keep stderr clean.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True, keep_links=False)
        try:
            actual = _match_sheets(wb.sheetnames, problems)
            grids = {canon: _grid(wb[name], name, problems) for canon, name in actual.items()}
            # Where each read sheet's XML lives in the zip (openpyxl's read-only worksheets
            # keep it; a chart sheet has none).
            paths = {
                name: path
                for canon, name in actual.items()
                if grids[canon] is not None
                and isinstance(path := getattr(wb[name], "_worksheet_path", None), str)
            }
        finally:
            wb.close()
        if _has_formulas(data):
            problems.extend(_formulas_without_values(data, paths))
    return _Loaded({k: g for k, g in grids.items() if g is not None}, tuple(problems))


def _match_sheets(names: list[str], problems: list[Problem]) -> dict[str, str]:
    known = {normalise(n): n for n in (*REQUIRED_SHEETS, *OPTIONAL_SHEETS, *IGNORED_SHEETS)}
    actual: dict[str, str] = {}
    for name in names:
        canon = known.get(normalise(name))
        if canon is None:
            problems.append(
                Problem(
                    name,
                    "",
                    f"sheet '{name}' is not one policybrief reads; it is ignored",
                    f"known sheets: {', '.join((*REQUIRED_SHEETS, *OPTIONAL_SHEETS))}",
                    "warning",
                )
            )
        elif canon in actual:
            problems.append(Problem(name, "", f"sheet '{name}' duplicates sheet '{actual[canon]}'"))
        elif canon not in IGNORED_SHEETS:
            actual[canon] = name
    for name in REQUIRED_SHEETS:
        if name not in actual:
            problems.append(
                Problem(
                    name,
                    "",
                    f"required sheet '{name}' is missing",
                    f"the workbook has: {', '.join(names) or '(no sheets)'}; "
                    "run `policybrief init` for a workbook with every sheet",
                )
            )
    return actual


def _grid(ws: object, name: str, problems: list[Problem]) -> Grid | None:
    if not hasattr(ws, "iter_rows"):
        problems.append(Problem(name, "", f"'{name}' is a chart sheet, not a table"))
        return None
    if hasattr(ws, "reset_dimensions"):
        # The declared dimension may be wrong (some tools write A1); read what is there.
        ws.reset_dimensions()
    cells: dict[tuple[int, int], object] = {}
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if r > MAX_SHEET_ROWS:
            # Refuse the sheet whole: checking its first rows would bury this message under
            # thousands of cell problems.
            problems.append(
                Problem(
                    name,
                    "",
                    f"the sheet has more than {MAX_SHEET_ROWS:,} rows; refused",
                    "an input table needs a few hundred rows at most: delete the unused rows "
                    "(or the stray content far below the table) and save again",
                )
            )
            return None
        for c, value in enumerate(row[:MAX_COLUMNS], start=1):
            if not is_blank(value):
                cells[(r, c)] = value
    return Grid(name, cells)


def _has_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        for info in archive.infolist():
            if _SHEET_XML.match(info.filename) and _FORMULA_TAG.search(archive.read(info)):
                return True
    return False


def _formulas_without_values(data: bytes, paths: dict[str, str]) -> list[Problem]:
    """Formula cells of the read sheets that have no cached ``<v>`` value in the sheet XML.

    The XML is scanned directly because openpyxl reads a missing value and a cached empty
    text (``=IF(x,"",y)`` saved by Excel) alike as None; only the latter is a real value.
    """
    found: list[tuple[str, str, str]] = []
    with zipfile.ZipFile(BytesIO(data)) as archive:
        for name, path in paths.items():
            xml = archive.read(path.lstrip("/")).decode("utf-8", "replace")
            for match in _CELL.finditer(xml):
                body = match.group("body")
                formula = _FORMULA.search(body)
                value = _VALUE.search(body)
                # openpyxl writes an empty <v></v> for a formula it cannot calculate; Excel and
                # LibreOffice write one too for a formula whose result is "" but mark the cell
                # as text (t="str"), which makes the empty text a real cached value.
                if formula is None or (
                    value is not None
                    and (value.group("text") or _TEXT_TYPE.search(match.group("attrs")))
                ):
                    continue
                text = html.unescape(formula.group("text") or "") or "(shared formula)"
                found.append((name, match.group("ref"), f"={text}" if text[0] != "(" else text))
    problems = [
        Problem(
            name,
            ref,
            f"formula {formula[:80]} has no calculated value saved in the file",
            RECALCULATE_HINT,
        )
        for name, ref, formula in found[:MAX_FORMULAS_LISTED]
    ]
    if len(found) > MAX_FORMULAS_LISTED:
        rest = ", ".join(f"{n}!{ref}" for n, ref, _ in found[MAX_FORMULAS_LISTED:][:50])
        problems.append(
            Problem(
                "",
                "",
                f"{len(found) - MAX_FORMULAS_LISTED} more formulas have no calculated value: "
                f"{rest}",
                RECALCULATE_HINT,
            )
        )
    return problems


def _parse(grids: dict[str, Grid], problems: list[Problem]) -> Inputs | None:
    settings_sheet = read_settings(grids["Settings"], problems) if "Settings" in grids else None
    settings = settings_sheet.settings if settings_sheet else None
    parameters = read_baseline(grids["Baseline"], problems) if "Baseline" in grids else None
    levers = read_levers(grids["Levers"], problems) if "Levers" in grids else None
    scenarios = (
        read_scenarios(grids["Scenarios"], levers, problems) if "Scenarios" in grids else None
    )
    targets = read_targets(grids["Targets"], settings, problems) if "Targets" in grids else None
    history = (
        read_history(grids["History"], settings, parameters, problems)
        if "History" in grids
        else None
    )
    if scenarios is not None and "Scenario notes" in grids:
        notes = read_scenario_notes(grids["Scenario notes"], problems)
        scenarios = describe_scenarios(
            scenarios, notes, sheet=grids["Scenario notes"].name, problems=problems
        )
    correlations = (
        read_correlations(
            grids["Correlations"],
            parameters,
            levers.levers if levers else None,
            problems,
            lever_ids=levers.ids if levers else frozenset(),
        )
        if "Correlations" in grids
        else ()
    )
    if settings is not None and settings_sheet is not None and scenarios is not None:
        settings = resolve_scenarios(
            settings,
            scenarios,
            sheet=grids["Settings"].name,
            refs=settings_sheet.refs,
            problems=problems,
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
        warnings=tuple(p for p in problems if p.severity == "warning"),
        correlations=correlations,
    )
