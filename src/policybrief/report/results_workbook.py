"""``<stem>-results.xlsx``: the numbers, in the schema other tools rely on (PRODUCT.md).

Sheets and columns are a contract (``SHEETS``). The package is written directly as XML: with
openpyxl (even write-only) the per-cell overhead made this ~2,700-row workbook cost ~0.3 s of
CPU, the largest single step of the build after the charts; the XML strings below take ~0.05 s.
Every text cell is an inline string (``t="inlineStr"``), so text from the analyst's workbook
such as ``=SUM(A1)`` can never become a formula. Integers are written as integers (a
``fiscal_year`` reads back as ``int``), floats at full precision with the column's number
format, booleans as booleans; ``None`` and non-finite floats leave the cell empty.
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
import re
import zipfile
from typing import TYPE_CHECKING, Any

import numpy as np

from policybrief.model.results import METRICS

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from pathlib import Path

    from policybrief.model.results import Results

__all__ = ["SHEETS", "path_rows", "results_workbook_bytes", "write_results_workbook"]

#: Sheet name -> column names, in order. Other tools read these by name: do not rename.
SHEETS: dict[str, tuple[str, ...]] = {
    "Paths": ("scenario", "fiscal_year", "metric", "statistic", "value"),
    "Targets": ("scenario", "target", "fiscal_year", "value", "probability"),
    "Attribution": ("scenario", "lever", "contribution"),
    "Sensitivity": (
        "scenario",
        "parameter",
        "low",
        "high",
        "exports_at_low",
        "exports_at_high",
        "swing",
    ),
    "GoalSeek": ("scenario", "target", "scale", "annual_cost", "reachable"),
    "Inputs": ("section", "item", "field", "value"),
    "Manifest": ("key", "value"),
}

_MONEY = "#,##0.0"
_COUNT = "#,##0"
_SHARE = "0.00%"
_FINE = "#,##0.0000"
_METRIC_FORMAT = {
    "exports": _MONEY,
    "fiscal_cost": _MONEY,
    "workforce": _COUNT,
    "entrants": _COUNT,
    "emigrants": _COUNT,
    "productivity": _FINE,
    "realization": _SHARE,
    "emigration_rate": _SHARE,
}
#: Number format per (sheet, column); columns not listed keep Excel's General.
_COLUMN_FORMAT = {
    ("Targets", "value"): _MONEY,
    ("Targets", "probability"): "0.0%",
    ("Attribution", "contribution"): _MONEY,
    ("Sensitivity", "exports_at_low"): _MONEY,
    ("Sensitivity", "exports_at_high"): _MONEY,
    ("Sensitivity", "swing"): _MONEY,
    ("GoalSeek", "scale"): "0.000",
    ("GoalSeek", "annual_cost"): _MONEY,
}
_WIDTH = {"value": 16, "scenario": 22, "parameter": 26, "lever": 24, "target": 24, "key": 28}
Row = tuple[Any, ...]


def _statistics(results: Results) -> list[str]:
    return ["central", "mean", *(f"p{p}" for p in results.inputs.settings.percentiles)]


def path_rows(results: Results) -> list[Row]:
    """Rows of the ``Paths`` sheet, long format.

    One row per scenario × year (base year and every projection year) × metric × statistic,
    with ``statistic`` in ``central``, ``mean`` and ``p<N>`` per configured percentile.
    """
    rows: list[Row] = []
    percentiles = results.inputs.settings.percentiles
    for sc in results.scenarios:
        for metric in METRICS:
            series = [("central", sc.central[metric]), ("mean", sc.mean[metric])]
            series += [(f"p{p}", sc.percentiles[p][metric]) for p in percentiles]
            columns = [[float(v) for v in values] for _, values in series]
            for t, year in enumerate(results.years):
                for (stat, _), col in zip(series, columns, strict=True):
                    rows.append((sc.name, int(year), metric, stat, col[t]))
    return rows


def _target_rows(results: Results) -> list[Row]:
    return [
        (sc.name, t.label, t.year, t.value, sc.target_probability.get(t.label))
        for sc in results.scenarios
        for t in results.targets
    ]


def _attribution_rows(results: Results) -> list[Row]:
    return [
        (a.scenario, lever, value) for a in results.attribution for lever, value in a.contributions
    ]


def _sensitivity_rows(results: Results) -> list[Row]:
    head = results.headline.name
    return [
        (head, r.parameter, r.low, r.high, r.exports_at_low, r.exports_at_high, r.swing)
        for r in results.sensitivity
    ]


def _goal_seek_rows(results: Results) -> list[Row]:
    return [(g.scenario, g.target, g.scale, g.annual_cost, g.reachable) for g in results.goal_seek]


def _echo(value: object) -> object:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)):
        return ",".join(str(v) for v in value)
    return str(value)


def _input_rows(results: Results) -> list[Row]:
    """An echo of what was read: one row per (section, item, field)."""
    inputs = results.inputs
    rows: list[Row] = [
        ("settings", f.name, "value", _echo(getattr(inputs.settings, f.name)))
        for f in dataclasses.fields(inputs.settings)
    ]
    sections: Sequence[tuple[str, str, Iterable[Any]]] = (
        ("baseline", "name", inputs.parameters),
        ("levers", "id", inputs.levers),
        ("targets", "label", inputs.targets),
        ("history", "year", inputs.history),
    )
    for section, key, items in sections:
        for item in items:
            for f in dataclasses.fields(item):
                if f.name != key:
                    rows.append((section, getattr(item, key), f.name, _echo(getattr(item, f.name))))
    for sc in inputs.scenarios:
        rows.append(("scenarios", sc.name, "description", sc.description))
        rows.extend(("scenarios", sc.name, lv.id, sc.intensity(lv.id)) for lv in inputs.levers)
    return rows


def _manifest_rows(manifest: Mapping[str, Any], prefix: str = "") -> list[Row]:
    rows: list[Row] = []
    for key in sorted(manifest):
        value = manifest[key]
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows.extend(_manifest_rows(value, f"{name}."))
        elif isinstance(value, list):
            rows.append((name, json.dumps(value)))
        else:
            rows.append((name, value))
    return rows


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


def _column_letter(index: int) -> str:
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


def _sheet_xml(name: str, rows: Sequence[Row], styles: Mapping[str, int]) -> str:
    """A worksheet: frozen bold header, column widths, an auto-filter, then ``rows``."""
    columns = SHEETS[name]
    letters = [_column_letter(c) for c in range(1, len(columns) + 1)]
    widths = "".join(
        f'<col min="{c}" max="{c}" width="{_WIDTH.get(column, max(12, len(column) + 4))}" '
        'customWidth="1"/>'
        for c, column in enumerate(columns, start=1)
    )
    header = "".join(
        _inline(f"{letter}1", column, f' s="{_HEADER_STYLE}"')
        for letter, column in zip(letters, columns, strict=True)
    )
    column_styles = [_style_attr(styles, _COLUMN_FORMAT.get((name, c))) for c in columns]
    metric_styles = {m: _style_attr(styles, f) for m, f in _METRIC_FORMAT.items()}
    parts = [
        _XML_HEAD,
        (
            f'<worksheet xmlns="{_MAIN_NS}"><sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols>'
            f'<sheetData><row r="1">{header}</row>'
        ),
    ]
    paths = name == "Paths"
    for r, row in enumerate(rows, start=2):
        row_styles = column_styles
        if paths:
            row_styles = [*column_styles[:4], metric_styles.get(row[2], "")]
        cells = "".join(
            _cell(f"{letter}{r}", value, style)
            for letter, value, style in zip(letters, row, row_styles, strict=True)
        )
        parts.append(f'<row r="{r}">{cells}</row>')
    parts.append(
        f'</sheetData><autoFilter ref="A1:{letters[-1]}{len(rows) + 1}"/>'
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        "</worksheet>"
    )
    return "".join(parts)


def _style_attr(styles: Mapping[str, int], fmt: str | None) -> str:
    return f' s="{styles[fmt]}"' if fmt else ""


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
        f"{_text(_quoted_sheet(name))}!$A$1:${_column_letter(n_cols)}${n_rows}</definedName>"
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


def results_workbook_bytes(results: Results, *, manifest: Mapping[str, Any] | None = None) -> bytes:
    """The results workbook as ``.xlsx`` bytes.

    Parameters
    ----------
    results
        The engine's results.
    manifest
        Provenance for the ``Manifest`` sheet (``report.manifest.manifest_data``).

    Returns
    -------
    bytes
        The workbook (not yet normalised for reproducibility: see ``report.reproducible``).
    """
    producers = {
        "Paths": path_rows,
        "Targets": _target_rows,
        "Attribution": _attribution_rows,
        "Sensitivity": _sensitivity_rows,
        "GoalSeek": _goal_seek_rows,
        "Inputs": _input_rows,
    }
    formats = sorted({*_METRIC_FORMAT.values(), *_COLUMN_FORMAT.values()})
    styles = {fmt: 2 + i for i, fmt in enumerate(formats)}
    names = list(SHEETS)
    parts = _package_parts(results.inputs.settings.title, names)
    sizes = []
    for i, name in enumerate(names, start=1):
        rows = _manifest_rows(manifest or {}) if name == "Manifest" else producers[name](results)
        parts[f"xl/worksheets/sheet{i}.xml"] = _sheet_xml(name, rows, styles)
        sizes.append((len(SHEETS[name]), len(rows) + 1))
    parts["xl/workbook.xml"] = _workbook_xml(names, sizes)
    parts["xl/styles.xml"] = _styles_xml(formats)
    buffer = io.BytesIO()
    # Stored, not deflated: report.reproducible compresses the archive once when normalising.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for part, xml in parts.items():
            archive.writestr(zipfile.ZipInfo(part, date_time=(1980, 1, 1, 0, 0, 0)), xml)
    return buffer.getvalue()


def write_results_workbook(
    results: Results, path: Path, *, manifest: Mapping[str, Any] | None = None
) -> Path:
    """Write the results workbook to ``path`` (see ``results_workbook_bytes``); returns ``path``."""
    path.write_bytes(results_workbook_bytes(results, manifest=manifest))
    return path
