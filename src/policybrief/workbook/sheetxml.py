"""What the read sheets' XML says that openpyxl's values do not: scanned directly, by cell.

- Formula cells without a cached value (openpyxl reads them as blank, like a truly blank cell).
- Hidden rows and columns that hold data (openpyxl's read-only sheets do not say which are
  hidden): the data is read all the same, with a warning naming the rows and columns, because a
  row hidden to "take it out" is still in the model.
- Cells openpyxl cannot read at all (``<v>NaN</v>``, ``<v>inf</v>`` or other text in a number
  cell, a shared-string index out of range, a malformed date): openpyxl stops the whole sheet
  with a bare ``ValueError``; these are found again here to name the cell.

Only sheets that passed the pre-parse budget (``budget.py``) are scanned, so each is at most
20 MB and 100,000 cells.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from defusedxml.ElementTree import iterparse
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter
from openpyxl.utils.datetime import from_ISO8601

from policybrief.errors import Problem

if TYPE_CHECKING:
    import zipfile
    from collections.abc import Mapping
    from xml.etree.ElementTree import Element

    from policybrief.workbook.tables import Grid

#: Formula cells without a cached value listed one by one before the rest are summarised.
MAX_FORMULAS_LISTED = 20
RECALCULATE_HINT = (
    "open and save the workbook in Excel or LibreOffice so its formulas are calculated"
)
RETYPE_HINT = "type the value again in Excel or LibreOffice (or clear the cell) and save"

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
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_ATTR = re.compile(rb"\b(r|hidden|ht|min|max|width)=\"([^\"]*)\"")
_HIDDEN = (b"hidden", b"1"), (b"hidden", b"true"), (b"ht", b"0"), (b"width", b"0")


def _part(archive: zipfile.ZipFile, path: str) -> bytes:
    return archive.read(path.lstrip("/"))


def has_formulas(archive: zipfile.ZipFile, paths: Mapping[str, str]) -> bool:
    """True when any of the sheets at ``paths`` (sheet name -> zip path) has a formula."""
    return any(_FORMULA_TAG.search(_part(archive, path)) for path in paths.values())


def formulas_without_values(archive: zipfile.ZipFile, paths: Mapping[str, str]) -> list[Problem]:
    """Formula cells of the sheets at ``paths`` that have no cached ``<v>`` value.

    The XML is scanned directly because openpyxl reads a missing value and a cached empty
    text (``=IF(x,"",y)`` saved by Excel) alike as None; only the latter is a real value.
    """
    found: list[tuple[str, str, str]] = []
    for name, path in paths.items():
        xml = _part(archive, path).decode("utf-8", "replace")
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
        rest = found[MAX_FORMULAS_LISTED:]
        cells = ", ".join(f"{n}!{ref}" for n, ref, _ in rest[:50])
        problems.append(
            Problem(
                "",
                "",
                f"{len(rest)} more formulas have no calculated value: {cells}",
                RECALCULATE_HINT,
                count=len(rest),
            )
        )
    return problems


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {key: value.strip() for key, value in _ATTR.findall(raw)}


def _hidden(attrs: dict[bytes, bytes]) -> bool:
    return any(attrs.get(key) == value for key, value in _HIDDEN)


def _spans(numbers: list[int], label: str = "") -> str:
    """``5, 9-12`` for ``[5, 9, 10, 11, 12]`` (labelled by ``label``, e.g. column letters)."""
    spans: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if spans and n == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], n)
        else:
            spans.append((n, n))
    show = get_column_letter if label == "column" else str
    text = [show(a) if a == b else f"{show(a)}-{show(b)}" for a, b in spans[:10]]
    return ", ".join(text) + (", …" if len(spans) > 10 else "")


def hidden_with_data(archive: zipfile.ZipFile, path: str, grid: Grid) -> list[Problem]:
    """Warnings for the rows and columns of ``grid`` that are hidden and hold values."""
    xml = _part(archive, path)
    if not any(key + b'="' + value in xml for key, value in _HIDDEN):
        return []  # nothing is hidden (the usual case): no need to number the rows
    rows: list[int] = []
    number = 0
    for match in _ROW.finditer(xml):
        attrs = _attrs(match.group(1))
        ref = attrs.get(b"r", b"")
        number = int(ref) if ref.isdigit() else number + 1
        if _hidden(attrs):
            rows.append(number)
    columns: list[int] = []
    for match in _COL.finditer(xml):
        attrs = _attrs(match.group(1))
        first, last = attrs.get(b"min", b""), attrs.get(b"max", b"")
        if _hidden(attrs) and first.isdigit() and last.isdigit():
            columns.extend(range(int(first), min(int(last), 200) + 1))
    used_rows = {r for r, _ in grid.cells}
    used_columns = {c for _, c in grid.cells}
    problems = []
    for kind, numbers in (
        ("row", [r for r in rows if r in used_rows]),
        ("column", [c for c in columns if c in used_columns]),
    ):
        if numbers:
            many = len(numbers) > 1
            noun, verb, them = (f"{kind}s", "hold", "them") if many else (kind, "holds", "it")
            problems.append(
                Problem(
                    grid.name,
                    "",
                    f"hidden {noun} {_spans(numbers, kind)} {verb} data, which is read like "
                    "any other",
                    f"unhide {them} to check what the model uses; delete the {noun} to leave "
                    f"{them} out",
                    "warning",
                )
            )
    return problems


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _unreadable(kind: str, value: str, shared_strings: int) -> str | None:
    """Why openpyxl cannot read a ``<v>`` of cell type ``kind``; None when it can."""
    try:
        if kind == "n":
            _ = float(value) if any(c in value for c in ".eE") else int(value)
        elif kind in ("b", "s"):
            index = int(value)
            if kind == "s" and not 0 <= index < shared_strings:
                return f"refers to shared text number {index:,}, which the file does not hold"
        elif kind == "d":
            from_ISO8601(value)
    except (ValueError, TypeError, OverflowError):
        shown = value if len(value) <= 40 else value[:37] + "..."
        what = {"n": "a number", "b": "TRUE or FALSE", "s": "a text", "d": "a date"}[kind]
        return f"holds '{shown}', which is not {what} as Excel writes it"
    return None


def unreadable_cells(
    archive: zipfile.ZipFile, path: str, sheet: str, shared_strings: int
) -> list[Problem]:
    """Cells of the sheet at ``path`` that openpyxl cannot read, with their references."""
    problems: list[Problem] = []
    row = column = 0
    with archive.open(path.lstrip("/")) as source:
        for event, element in iterparse(source, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start" and tag == "row":
                ref = element.get("r", "")
                row, column = (int(ref) if ref.isdigit() else row + 1), 0
            elif event == "end" and tag == "c":
                problems.extend(_cell_problem(element, sheet, row, column, shared_strings))
                column = _column(element.get("r"), column)
                element.clear()
            elif event == "end" and tag == "row":
                element.clear()
    return problems


def _column(ref: str | None, previous: int) -> int:
    try:
        return coordinate_to_tuple(ref)[1] if ref else previous + 1
    except (ValueError, TypeError):
        return previous + 1


def _cell_problem(
    element: Element, sheet: str, row: int, previous: int, shared_strings: int
) -> list[Problem]:
    ref = element.get("r")
    if ref:
        try:
            coordinate_to_tuple(ref)
        except (ValueError, TypeError):
            return [Problem(sheet, "", f"a cell's reference '{ref[:20]}' is not a valid cell")]
    else:
        ref = f"{get_column_letter(min(previous + 1, 16384))}{max(row, 1)}"
    kind = element.get("t", "n")
    value = element.findtext("{*}v")
    if not value or kind not in ("n", "b", "s", "d"):
        return []
    reason = _unreadable(kind, value, shared_strings)
    return [Problem(sheet, ref, f"the cell {reason}", RETYPE_HINT)] if reason else []
