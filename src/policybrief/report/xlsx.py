"""A small, fast writer of ``.xlsx`` packages: sheets of plain values with a bold, frozen
header row, column widths, number formats and an auto-filter.

Written as XML strings directly: with openpyxl (even write-only) the per-cell overhead made the
~2,700-row results workbook cost ~0.3 s of CPU, the largest single step of the build after the
charts; this takes ~0.05 s. Every text cell is an inline string (``t="inlineStr"``), so text
such as ``=SUM(A1)`` can never become a formula. Integers are written as integers, floats at
full precision with their number format, booleans as booleans; ``None`` and non-finite floats
leave the cell empty. The package is stored uncompressed with placeholder dates:
``report.reproducible`` compresses it and sets the dates when normalising.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

__all__ = ["Sheet", "column_letter", "xlsx_bytes"]

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Sheet:
    """One worksheet: ``columns`` head the ``rows``; ``formats(row)`` gives each cell's number
    format (None for General); ``widths`` are column widths in characters."""

    name: str
    columns: Sequence[str]
    rows: Sequence[Row]
    widths: Sequence[float]
    formats: Callable[[Row], Sequence[str | None]]


#: Characters XML 1.0 cannot carry (C0 controls other than tab, LF, CR; lone surrogates;
#: U+FFFE/U+FFFF). They are dropped from text: a cell cannot hold them in any .xlsx.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: Style index of the bold header; number formats follow from index 2 (0 is the default).
_HEADER_STYLE = 1


def column_letter(index: int) -> str:
    """``1 -> A``, ``27 -> AA``."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    """Escape ``value`` for XML text or a double-quoted attribute.

    Text such as ``_x000A_`` is written as is, as openpyxl did: openpyxl reads it back
    unchanged, while Excel would show it as an escaped character.
    """
    value = _ILLEGAL_XML.sub("", value)
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _inline(ref: str, value: str, style: str = "") -> str:
    """An inline-string cell: never a formula, whatever the text starts with."""
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'


def _cell(ref: str, value: object, style: str) -> str:
    """One ``<c>`` element; ``style`` is `` s="N"`` for numbers with a format, else empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _inline(ref, value)
    if isinstance(value, (bool, np.bool_)):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, np.integer)):
        return f'<c r="{ref}" t="n"><v>{int(value)}</v></c>'
    if isinstance(value, (float, np.floating)):
        number = float(value)
        # NaN and infinities have no spreadsheet number: the cell is left empty.
        return f'<c r="{ref}"{style} t="n"><v>{number!r}</v></c>' if math.isfinite(number) else ""
    return _inline(ref, str(value))


def _sheet_xml(sheet: Sheet, styles: Mapping[str, int]) -> str:
    """A worksheet: frozen bold header, column widths, an auto-filter, then the rows."""
    letters = [column_letter(c) for c in range(1, len(sheet.columns) + 1)]
    widths = "".join(
        f'<col min="{c}" max="{c}" width="{width}" customWidth="1"/>'
        for c, width in enumerate(sheet.widths, start=1)
    )
    header = "".join(
        _inline(f"{letter}1", column, f' s="{_HEADER_STYLE}"')
        for letter, column in zip(letters, sheet.columns, strict=True)
    )
    parts = [
        _XML_HEAD,
        (
            # <dimension> first (schema order): readers that stream (openpyxl's read-only
            # mode) size the sheet from it instead of calling it "unsized".
            f'<worksheet xmlns="{_MAIN_NS}">'
            f'<dimension ref="A1:{letters[-1]}{len(sheet.rows) + 1}"/>'
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols>'
            f'<sheetData><row r="1">{header}</row>'
        ),
    ]
    attrs = {fmt: f' s="{index}"' for fmt, index in styles.items()}
    for r, row in enumerate(sheet.rows, start=2):
        formats = sheet.formats(row)
        cells = "".join(
            _cell(f"{letter}{r}", value, attrs[fmt] if fmt else "")
            for letter, value, fmt in zip(letters, row, formats, strict=True)
        )
        parts.append(f'<row r="{r}">{cells}</row>')
    parts.append(
        f'</sheetData><autoFilter ref="A1:{letters[-1]}{len(sheet.rows) + 1}"/>'
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        "</worksheet>"
    )
    return "".join(parts)


def _styles_xml(formats: Sequence[str]) -> str:
    """Default font, a bold one for headers, and one cell format per number format."""
    num_fmts = "".join(
        f'<numFmt numFmtId="{164 + i}" formatCode="{_text(fmt)}"/>' for i, fmt in enumerate(formats)
    )
    xfs = "".join(
        f'<xf numFmtId="{164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/>'
        for i in range(len(formats))
    )
    return (
        f'{_XML_HEAD}<styleSheet xmlns="{_MAIN_NS}">'
        f'<numFmts count="{len(formats)}">{num_fmts}</numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        f'</cellStyleXfs><cellXfs count="{2 + len(formats)}">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        f"{xfs}</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _workbook_xml(names: Sequence[str], sizes: Sequence[tuple[int, int]]) -> str:
    sheets = "".join(
        f'<sheet name="{_text(name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{_text(_quoted_sheet(name))}!$A$1:${column_letter(n_cols)}${n_rows}</definedName>"
        for i, (name, (n_cols, n_rows)) in enumerate(zip(names, sizes, strict=True))
    )
    return (
        f'{_XML_HEAD}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{sheets}</sheets><definedNames>{filters}</definedNames>"
        '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )


def _quoted_sheet(name: str) -> str:
    """A sheet name as formulas quote it: ``'Paths'``."""
    return "'" + name.replace("'", "''") + "'"


def _package_parts(title: str, names: Sequence[str]) -> dict[str, str]:
    """Content types, relationships and document properties of the package."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_CT}"/>'
        for i in range(1, len(names) + 1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    n = len(names)
    office = "application/vnd.openxmlformats-officedocument"
    return {
        "[Content_Types].xml": (
            f'{_XML_HEAD}<Types xmlns="{_CT_NS}">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            f'ContentType="{office}.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            f'ContentType="{office}.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            f'ContentType="{office}.extended-properties+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL_NS}/extended-properties" '
            'Target="docProps/app.xml"/></Relationships>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">{sheet_rels}'
            f'<Relationship Id="rId{n + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "docProps/core.xml": (
            f"{_XML_HEAD}<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{_text(title)}</dc:title><dc:creator>policybrief</dc:creator>"
            # Placeholder dates: report.reproducible sets both to the build time.
            '<dcterms:created xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:created>'
            '<dcterms:modified xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:modified>'
            "</cp:coreProperties>"
        ),
        "docProps/app.xml": (
            f'{_XML_HEAD}<Properties xmlns="{office}/extended-properties" '
            f'xmlns:vt="{office}/docPropsVTypes"><Application>policybrief</Application>'
            "</Properties>"
        ),
    }


def xlsx_bytes(sheets: Sequence[Sheet], *, title: str, formats: Sequence[str]) -> bytes:
    """The ``.xlsx`` package holding ``sheets`` (stored, not compressed; see the module doc).

    Parameters
    ----------
    sheets
        The worksheets, in order.
    title
        The document title (core properties).
    formats
        Every number format any ``Sheet.formats`` may return.

    Returns
    -------
    bytes
        The package.
    """
    styles = {fmt: 2 + i for i, fmt in enumerate(formats)}
    names = [sheet.name for sheet in sheets]
    parts = _package_parts(title, names)
    for i, sheet in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = _sheet_xml(sheet, styles)
    sizes = [(len(sheet.columns), len(sheet.rows) + 1) for sheet in sheets]
    parts["xl/workbook.xml"] = _workbook_xml(names, sizes)
    parts["xl/styles.xml"] = _styles_xml(formats)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for part, xml in parts.items():
            archive.writestr(zipfile.ZipInfo(part, date_time=(1980, 1, 1, 0, 0, 0)), xml)
    return buffer.getvalue()
