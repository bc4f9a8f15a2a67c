"""Write new, well-formatted scenario workbooks (``policybrief init``).

The layout follows the spreadsheet conventions analysts know (FAST standard / ICAEW code): a
README sheet first; every data sheet one Excel Table (``tblSettings``, …) with its header in
row 1; one input style (light-yellow fill, blue font) on every input cell; units in their own
column; dropdowns for closed lists; percentages formatted as percentages; frozen headers.

What the sheets hold comes from elsewhere: their columns, units and formats from
``schema.py``, and their content from the examples (``examples.py``); this module only lays
them out and styles them.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.xml.functions import tostring

from policybrief.domain import CHANNELS, CONFIDENCES, FORMS, SHARE_CHANNELS
from policybrief.errors import PolicyBriefError
from policybrief.workbook.examples import load_example
from policybrief.workbook.schema import (
    DATA_SHEETS,
    EFFECT_PERCENT,
    EFFECT_UNITS,
    INTENSITY,
    PERCENT,
    THOUSANDS,
    YEAR,
    Column,
)

__all__ = ["build_workbook", "write_workbook"]

Row = dict[str, Any]

#: Fixed document times, so that regenerating a workbook gives the same file.
FIXED_TIME = datetime(2025, 7, 1, 0, 0, 0)  # naive: openpyxl writes it as UTC
#: Fixed zip-member time (the zip format cannot store times before 1980).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CORE_PART = "docProps/core.xml"

INPUT_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
INPUT_FONT = Font(color="0000FF")
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
TABLE_STYLE = TableStyleInfo(name="TableStyleLight9", showRowStripes=False)

#: Rows below a table that carry the dropdowns, so rows the analyst adds get them too.
VALIDATION_ROWS = 200

#: Characters per unit of column width, and points per line, for sizing wrapped rows.
CHARS_PER_WIDTH = 1.1
LINE_HEIGHT = 15


def write_workbook(path: Path, *, example: str = "blank", force: bool = False) -> None:
    """Write a new, formatted scenario workbook at ``path``.

    Parameters
    ----------
    path
        Where to write the ``.xlsx``; its folder is created if needed.
    example
        ``"blank"`` (every sheet, header and README, no values) or a shipped example such as
        ``"pakistan"`` (see :func:`available_examples`).
    force
        Overwrite ``path`` if it exists.

    Raises
    ------
    PolicyBriefError
        If ``path`` exists and ``force`` is false, or ``example`` is unknown.
    """
    path = Path(path)
    if path.exists() and not force:
        msg = f"{path} already exists; use --force to overwrite it"
        raise PolicyBriefError(msg)
    if path.exists() and path.is_dir():
        msg = f"{path} is a folder, not a workbook file"
        raise PolicyBriefError(msg)
    workbook = build_workbook(load_example(example))
    path.parent.mkdir(parents=True, exist_ok=True)
    _save_atomically(workbook, path)


def build_workbook(data: dict[str, Any]) -> Workbook:
    """Lay out the example ``data`` (from :func:`load_example`) as an openpyxl workbook."""
    money = str(data.get("money_unit", "currency"))
    columns = {  # headers as written: ``Cost per unit (USD million/yr)``
        name: tuple(replace(c, header=c.title(money), unit="") for c in spec.columns)
        for name, spec in DATA_SHEETS.items()
    }
    blank_rows = int(data.get("empty_rows", 0))
    wb = Workbook()
    wb.remove(wb.active)
    _readme(wb, data, columns)
    _table(wb, "Settings", columns["Settings"], data["settings"], 0)
    baseline = [
        {**row, "unit": money if row.get("unit") == "currency" else row.get("unit")}
        for row in data["baseline"]
    ]
    _table(wb, "Baseline", columns["Baseline"], baseline, 0)
    levers = [
        {**lv, "effect_unit": EFFECT_UNITS.get((lv.get("channel"), lv.get("form") or "growth"))}
        for lv in data.get("levers", [])
    ]
    _table(wb, "Levers", columns["Levers"], levers, blank_rows)
    _scenarios(wb, data, blank_rows)
    described = {s["name"]: s.get("description") for s in data.get("scenarios", [])}
    notes = [
        {"scenario": name, "description": described.get(name)} for name in data["scenario_names"]
    ]
    _table(wb, "Scenario notes", columns["Scenario notes"], notes, blank_rows)
    _table(wb, "Targets", columns["Targets"], data.get("targets", []), blank_rows)
    _table(wb, "History", columns["History"], data.get("history", []), blank_rows)
    rows = data.get("correlations", [])
    _table(wb, "Correlations", columns["Correlations"], rows, blank_rows)
    _validations(wb)
    for ws in wb.worksheets:
        _fit_rows(ws)
        _print_setup(ws)
    props = wb.properties
    props.creator = "policybrief"
    props.lastModifiedBy = "policybrief"
    props.title = str(_setting(data, "title") or "policybrief scenario workbook")
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return wb


def _setting(data: dict[str, Any], key: str) -> object:
    return next((row.get("value") for row in data["settings"] if row["setting"] == key), None)


def _readme(wb: Workbook, data: dict[str, Any], columns: dict[str, tuple[Column, ...]]) -> None:
    ws = wb.create_sheet("README")
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 40
    ws.sheet_view.showGridLines = False
    lines: list[tuple[str, str, str, Font | None]] = [
        (str(_setting(data, "title") or data["readme_title"]), "", "", Font(bold=True, size=14)),
    ]
    lines += [("", text, "", None) for text in data.get("readme_notes", [])]
    lines += [("", text, "", None) for text in data["readme_intro"]]
    lines += [("Input cell", "Light-yellow fill, blue font: change these.", "", None)]
    for sheet in (
        "Settings",
        "Baseline",
        "Levers",
        "Scenarios",
        "Scenario notes",
        "Targets",
        "History",
        "Correlations",
    ):
        lines += [
            ("", "", "", None),
            (f"{sheet} sheet", data["sheet_notes"][sheet], DATA_SHEETS[sheet].table, HEADER_FONT),
        ]
        if sheet == "Scenarios":
            lines += [
                ("Lever", "Lever id, as on Levers", "", None),
                (
                    "<scenario name>",
                    (
                        "One column per scenario: intensity of each lever "
                        "(blank = 0, never negative, at most Max intensity)"
                    ),
                    "",
                    None,
                ),
            ]
            continue
        lines += [
            (c.header, c.meaning, "input" if c.is_input else "", None) for c in columns[sheet]
        ]
    lines += [("", "", "", None), ("How to…", "", "", HEADER_FONT)]
    lines += [("", text, "", None) for text in data["readme_howto"]]
    for r, (a, b, c, font) in enumerate(lines, start=1):
        for col, value in enumerate((a, b, c), start=1):
            cell = ws.cell(r, col, value or None)
            cell.alignment = WRAP
            if font is not None:
                cell.font = font
        if a == "Input cell":
            ws.cell(r, 1).fill = INPUT_FILL
            ws.cell(r, 1).font = INPUT_FONT
    ws.cell(1, 1).alignment = TOP  # the title runs across the empty cells to its right


#: Number formats of Settings values that are not plain text.
SETTING_FORMATS = {
    "target_probability": PERCENT,
    "draws": THOUSANDS,
    "base_year": YEAR,
    "discount_rate": PERCENT,
}


def _fmt(column: Column, row: Row) -> str | None:
    if column.fmt == "setting":
        return SETTING_FORMATS.get(str(row.get("setting")))
    if column.fmt == "share":
        kind = row.get("kind")
        return PERCENT if kind == "share" else THOUSANDS
    if column.fmt == "effect":
        return EFFECT_PERCENT if row.get("channel") in SHARE_CHANNELS else THOUSANDS
    return column.fmt


def _table(
    wb: Workbook, sheet: str, columns: tuple[Column, ...], rows: list[Row], blank_rows: int
) -> None:
    ws = wb.create_sheet(sheet)
    for c, column in enumerate(columns, start=1):
        cell = ws.cell(1, c, column.header)
        cell.font = HEADER_FONT
        cell.alignment = WRAP
        ws.column_dimensions[get_column_letter(c)].width = column.width
    body = [*rows, *({} for _ in range(blank_rows))]
    if not body:  # an Excel Table needs at least one body row
        body = [{}]
    for r, row in enumerate(body, start=2):
        for c, column in enumerate(columns, start=1):
            cell = ws.cell(r, c, row.get(column.key))
            cell.alignment = WRAP if column.wrap else TOP
            fmt = _fmt(column, row)
            if fmt is not None:
                cell.number_format = fmt
            if column.is_input:
                cell.fill = INPUT_FILL
                cell.font = INPUT_FONT
    _finish(ws, DATA_SHEETS[sheet].table, len(columns), len(body))


def _finish(ws: Any, name: str, n_cols: int, n_rows: int) -> None:
    ref = f"A1:{get_column_letter(n_cols)}{n_rows + 1}"
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TABLE_STYLE
    ws.add_table(table)
    ws.freeze_panes = "B2"
    ws.row_dimensions[1].height = 30


def _fit_rows(ws: Any) -> None:
    """Set row heights for wrapped text (spreadsheet apps do not always grow rows on open)."""
    for row in ws.iter_rows(min_row=2):
        lines = 1
        for cell in row:
            if cell.value is None or not cell.alignment.wrap_text:
                continue
            width = ws.column_dimensions[cell.column_letter].width or 10
            per_line = max(1, int(width * CHARS_PER_WIDTH))
            lines = max(lines, -(-len(str(cell.value)) // per_line))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = LINE_HEIGHT * lines


def _print_setup(ws: Any) -> None:
    """Print landscape, one page wide, header row repeated."""
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.title != "README":
        ws.print_title_rows = "1:1"


def _scenarios(wb: Workbook, data: dict[str, Any], blank_rows: int) -> None:
    ws = wb.create_sheet("Scenarios")
    names: list[str] = [str(n) for n in data["scenario_names"]]
    by_name = {s["name"]: s.get("intensities", {}) for s in data.get("scenarios", [])}
    ws.cell(1, 1, "Lever").font = HEADER_FONT
    ws.column_dimensions["A"].width = 26
    for c, name in enumerate(names, start=2):
        cell = ws.cell(1, c, name)
        cell.font = HEADER_FONT
        cell.alignment = WRAP
        ws.column_dimensions[get_column_letter(c)].width = 16
    lever_ids = [lever["lever"] for lever in data.get("levers", [])]
    body: list[str | None] = [*lever_ids, *(None for _ in range(blank_rows))] or [None]
    for r, lever_id in enumerate(body, start=2):
        key = ws.cell(r, 1, lever_id)
        key.fill, key.font = INPUT_FILL, INPUT_FONT
        for c, name in enumerate(names, start=2):
            value = by_name.get(name, {}).get(lever_id) if lever_id else None
            cell = ws.cell(r, c, value)
            cell.number_format = INTENSITY
            cell.fill, cell.font = INPUT_FILL, INPUT_FONT
    _finish(ws, DATA_SHEETS["Scenarios"].table, len(names) + 1, len(body))


def _validations(wb: Workbook) -> None:
    """Dropdowns for the closed lists, down to ``VALIDATION_ROWS`` so added rows get them."""
    lists = {
        ("Levers", "Channel"): ",".join(CHANNELS),
        ("Levers", "Form"): ",".join(FORMS),
        ("Levers", "Confidence"): ",".join(CONFIDENCES),
        ("Baseline", "Confidence"): ",".join(CONFIDENCES),
    }
    for (sheet, header), options in lists.items():
        ws = wb[sheet]
        col = next(c.column_letter for c in ws[1] if c.value == header)
        dv = DataValidation(
            type="list",
            formula1=f'"{options}"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"{header} not recognised",
            error=f"Choose one of: {options.replace(',', ', ')}",
        )
        dv.add(f"{col}2:{col}{VALIDATION_ROWS}")
        ws.add_data_validation(dv)


def _save_atomically(wb: Workbook, path: Path) -> None:
    """Save to a temporary file beside ``path``, fix zip times, then move it into place."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        wb.save(tmp)
        # openpyxl stamps "modified" with the clock on save; put the fixed time back.
        wb.properties.modified = FIXED_TIME
        _normalise_zip(tmp, {CORE_PART: tostring(wb.properties.to_tree())})
        tmp.replace(path)  # atomic on one filesystem (os.replace)
    finally:
        tmp.unlink(missing_ok=True)


def _normalise_zip(path: Path, replace: dict[str, bytes]) -> None:
    """Rewrite the zip with fixed member times (and ``replace``d parts) for identical bytes."""
    with zipfile.ZipFile(path) as src:
        members = [(i.filename, replace.get(i.filename) or src.read(i)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, payload in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, payload)
