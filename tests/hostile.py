"""Hostile workbook files made at the XML level, for the corpus (``tests/corpus.py``) and tests.

Each starts from a valid workbook (``valid_builder``, saved by openpyxl: sheet1 is Settings,
sheet2 Baseline, sheet3 Levers, sheet4 Scenarios, sheet5 Targets, sheet6 History, sheet7
Scenario notes) and changes its XML. The bombs are generated with varying numbers so that they
compress like real XML (a few to one, under the 200:1 zip-bomb ratio): they reach the
pre-parse budget instead of being refused for their compression ratio.
"""

from __future__ import annotations

import io
import re
import zipfile

from tests.builders import valid_builder

WORKSHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
SST_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def rewrite(data: bytes, replace: dict[str, bytes], drop: tuple[str, ...] = ()) -> bytes:
    """The zip ``data`` with some members' contents replaced (or added) and some dropped."""
    replace = dict(replace)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            body = replace.pop(info.filename, None)
            dst.writestr(info, src.read(info) if body is None else body)
        for name, body in replace.items():
            dst.writestr(name, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def member(data: bytes, name: str) -> bytes:
    """The contents of zip member ``name``."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def valid() -> bytes:
    """The valid test workbook's bytes."""
    return valid_builder().to_bytes()


def edit(data: bytes, name: str, old: bytes, new: bytes) -> bytes:
    """``data`` with the first ``old`` in member ``name`` replaced by ``new``."""
    body = member(data, name)
    if old not in body:
        raise ValueError(f"{old!r} not in {name}")
    return rewrite(data, {name: body.replace(old, new, 1)})


def styles_bomb(formats: int = 1_000_000, data: bytes | None = None) -> bytes:
    """``styles.xml`` with a million cell formats (issue 15: 43 s and 1.8 GiB before)."""
    xfs = b"".join(b'<xf xfId="%d"/>' % i for i in range(formats))
    data = data or valid()
    styles = re.sub(
        rb"<cellXfs[^>]*>.*</cellXfs>",
        b"<cellXfs>" + xfs + b"</cellXfs>",
        member(data, "xl/styles.xml"),
    )
    return rewrite(data, {"xl/styles.xml": styles})


def shared_strings_bomb(strings: int = 1_000_000, data: bytes | None = None) -> bytes:
    """A shared-strings part with a million distinct texts (10 million took 121 s before)."""
    data = edit(
        data or valid(),
        "[Content_Types].xml",
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="%s"/></Types>'
        % SST_CONTENT_TYPE.encode(),
    )
    body = b"".join(b"<si><t>%x</t></si>" % i for i in range(strings))
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    return rewrite(data, {"xl/sharedStrings.xml": sst + body + b"</sst>"})


def defined_names_bomb(names: int = 500_000, data: bytes | None = None) -> bytes:
    """``workbook.xml`` with half a million defined names (1.5 million took 40 s before)."""
    body = b"".join(b'<definedName name="n%x">1</definedName>' % i for i in range(names))
    return edit(
        data or valid(),
        "xl/workbook.xml",
        b"<definedNames/>",
        b"<definedNames>" + body + b"</definedNames>",
    )


def _append_rows(data: bytes, sheet: str, rows: bytes) -> bytes:
    body = re.sub(rb"<dimension[^>]*/>", b"", member(data, sheet))
    return rewrite(data, {sheet: body.replace(b"</sheetData>", rows + b"</sheetData>")})


def big_sheet(rows: int = 99_999, cells: int = 3) -> bytes:
    """A Scenarios sheet inside the old per-sheet limits: 100,000 rows of unknown levers."""
    cols = b"ABCDEFGHIJ"[:cells]
    body = b"".join(
        b'<row r="%d">' % r
        + b"".join(b'<c r="%c%d"><v>%d</v></c>' % (c, r, r) for c in cols)
        + b"</row>"
        for r in range(10, 10 + rows)
    )
    return _append_rows(valid(), "xl/worksheets/sheet4.xml", body)


def many_problems(rows: int = 20_000) -> bytes:
    """A Scenarios sheet inside every limit whose 20,000 rows each hold an unknown lever."""
    body = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x%d</t></is></c>'
        b'<c r="B%d"><v>-1</v></c></row>' % (r, r, r, r)
        for r in range(10, 10 + rows)
    )
    return _append_rows(valid(), "xl/worksheets/sheet4.xml", body)


def moved_sheet(rows: int = 0) -> bytes:
    """Baseline stored at ``xl/data/baseline.bin`` (outside ``xl/worksheets/``), with ``rows``
    empty rows added."""
    data = valid()
    sheet = member(data, "xl/worksheets/sheet2.xml")
    if rows:
        empty = b"".join(b'<row r="%d"/>' % r for r in range(100, 100 + rows))
        sheet = re.sub(rb"<dimension[^>]*/>", b"", sheet).replace(
            b"</sheetData>", empty + b"</sheetData>"
        )
    rels = member(data, "xl/_rels/workbook.xml.rels").replace(
        b"/xl/worksheets/sheet2.xml", b"/xl/data/baseline.bin"
    )
    types = member(data, "[Content_Types].xml").replace(
        b"/xl/worksheets/sheet2.xml", b"/xl/data/baseline.bin"
    )
    return rewrite(
        data,
        {
            "xl/data/baseline.bin": sheet,
            "xl/_rels/workbook.xml.rels": rels,
            "[Content_Types].xml": types,
        },
        drop=("xl/worksheets/sheet2.xml",),
    )


def value_in_number_cell(text: bytes = b"NaN") -> bytes:
    """Baseline!E2 (exports_base Central) holding ``<v>NaN</v>``."""
    return edit(valid(), "xl/worksheets/sheet2.xml", b"<v>3000</v>", b"<v>%s</v>" % text)


def very_hidden_levers() -> bytes:
    """The Levers sheet marked very hidden (only VBA can show it)."""
    return edit(
        valid(),
        "xl/workbook.xml",
        b'name="Levers" sheetId="3" state="visible"',
        b'name="Levers" sheetId="3" state="veryHidden"',
    )


def hidden_rows() -> bytes:
    """Baseline row 3 (workforce_base) hidden and column E hidden, both holding data."""
    data = edit(valid(), "xl/worksheets/sheet2.xml", b'<row r="3">', b'<row r="3" hidden="1">')
    return edit(
        data,
        "xl/worksheets/sheet2.xml",
        b"<sheetData>",
        b'<cols><col min="5" max="5" hidden="1"/></cols><sheetData>',
    )


def many_sheets(count: int = 9_000) -> bytes:
    """``count`` extra sheets, all pointing at one small part (9,000 gave 9,000 lines before)."""
    data = valid()
    sheets = b"".join(
        b'<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        b'name="Extra %d" sheetId="%d" r:id="rX%d"/>' % (i, 100 + i, i)
        for i in range(count)
    )
    rels = b"".join(
        b'<Relationship Type="%s" Target="/xl/worksheets/sheet7.xml" Id="rX%d"/>'
        % (WORKSHEET_TYPE.encode(), i)
        for i in range(count)
    )
    workbook = member(data, "xl/workbook.xml").replace(b"</sheets>", sheets + b"</sheets>")
    relations = member(data, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>", rels + b"</Relationships>"
    )
    return rewrite(data, {"xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": relations})


def big_part(megabytes: int = 30) -> bytes:
    """A worksheet part of 30 MB, stored uncompressed (ratio 1:1): one long comment."""
    data = valid()
    sheet = member(data, "xl/worksheets/sheet6.xml")
    padded = sheet.replace(b"<sheetData>", b"<!--" + b"x" * (megabytes * 2**20) + b"--><sheetData>")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet6.xml":
                dst.writestr(info.filename, padded, compress_type=zipfile.ZIP_STORED)
            else:
                dst.writestr(info, src.read(info))
    return out.getvalue()


def at_every_limit() -> bytes:
    """Just inside every limit of the pre-parse budget at once: the slowest file to answer.

    900 extra sheets, 19,900 cell formats, 49,000 shared strings, 9,900 defined names, 15,000
    validation rules, and 96,000 numeric cells in four read sheets (most of them problems).
    """
    data = defined_names_bomb(
        9_900, shared_strings_bomb(49_000, styles_bomb(19_900, many_sheets(900)))
    )
    rules = b"".join(b'<dataValidation sqref="Z%d"/>' % i for i in range(1, 15_000))
    for sheet in ("sheet2", "sheet3", "sheet4", "sheet5"):
        rows = b"".join(
            b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>-1</v></c><c r="C%d"><v>-1</v></c>'
            b"</row>" % (r, r, r, r, r)
            for r in range(30, 8_030)
        )
        data = _append_rows(data, f"xl/worksheets/{sheet}.xml", rows)
    rules = b"</sheetData><dataValidations>" + rules + b"</dataValidations>"
    return edit(data, "xl/worksheets/sheet5.xml", b"</sheetData>", rules)
