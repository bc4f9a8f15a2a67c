"""An adversarial corpus of workbooks, generated in code.

Each case is a file an analyst might be sent (or an attacker might craft) with the message
policybrief must answer it with. Used by ``tests/test_adversarial.py`` (behaviour: exit 2, the
message, no traceback, nothing written) and ``benchmarks/bench_adversarial.py`` (time and peak
memory per case against the 5 s / 500 MiB budget).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tests.builders import valid_builder
from tests.hostile import member, rewrite

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 2 else b"&lol;") * 10)
        for i in range(2, 10)
    )
    + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    b"</sheetData></worksheet>"
)


@dataclass(frozen=True)
class Case:
    """One corpus file: how to make it, and what policybrief must say (exit 2 unless ``ok``)."""

    name: str
    filename: str
    make: Callable[[Path], None]  #: writes the case at the given path
    expect: str  #: a phrase of the message (or, for ``ok`` cases, of the success line)
    ok: bool = False


def zip_of(members: dict[str, bytes]) -> bytes:
    """A zip holding ``members``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def _valid() -> bytes:
    return valid_builder().to_bytes()


_member = member


def _write(data: Callable[[], bytes]) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data())


def _formula_without_value(path: Path) -> None:
    b = valid_builder()
    b.baseline[1]["Central"] = "=1000*100"  # openpyxl stores formulas without cached values
    b.save(path)


def _huge_dimension() -> bytes:
    data = _valid()
    sheet = _member(data, "xl/worksheets/sheet2.xml")
    huge = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:I1048576"/>', sheet)
    return rewrite(data, {"xl/worksheets/sheet2.xml": huge})


def _million_rows() -> bytes:
    data = _valid()
    sheet = re.sub(rb"<dimension[^>]*/>", b"", _member(data, "xl/worksheets/sheet2.xml"))
    rows = b"".join(b'<row r="%d"/>' % i for i in range(50, 1_000_050))
    return rewrite(
        data, {"xl/worksheets/sheet2.xml": sheet.replace(b"</sheetData>", rows + b"</sheetData>")}
    )


def _external_entity() -> bytes:
    data = _valid()
    evil = b'<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + _member(
        data, "xl/workbook.xml"
    )
    return rewrite(data, {"xl/workbook.xml": evil})


def _xlsm_with_macros() -> bytes:
    # A macro project rides along; policybrief reads the cells and never runs (or keeps) it.
    return rewrite(_valid(), {"xl/vbaProject.bin": OLE2_MAGIC + b"\x00" * 1024})


def _missing(path: Path) -> None:
    """Nothing to write: the path stays missing."""


def _folder(path: Path) -> None:
    path.mkdir()


CASES: tuple[Case, ...] = (
    Case("missing path", "missing.xlsx", _missing, "file not found"),
    Case("a folder", "folder.xlsx", _folder, "is a folder"),
    Case("empty file", "empty.xlsx", _write(lambda: b""), "the file is empty"),
    Case(
        "encrypted workbook (OLE)",
        "locked.xlsx",
        _write(lambda: OLE2_MAGIC + b"\0" * 4096),
        "password-protected",
    ),
    Case("legacy .xls", "old.xls", _write(lambda: OLE2_MAGIC + b"\0" * 4096), "legacy .xls"),
    Case(
        "binary .xlsb",
        "book.xlsb",
        _write(lambda: zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\0"})),
        ".xlsb",
    ),
    Case(
        "OpenDocument .ods",
        "book.ods",
        _write(lambda: zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})),
        "OpenDocument",
    ),
    Case(".csv renamed", "data.xlsx", _write(lambda: b"Setting,Value\ntitle,x\n"), ".csv renamed"),
    Case("truncated zip", "cut.xlsx", _write(lambda: _valid()[:3000]), "damaged or truncated"),
    Case(
        "zip bomb",
        "bomb.xlsx",
        _write(lambda: rewrite(_valid(), {"xl/media/bomb.bin": b"\0" * (64 * 2**20)})),
        "zip bomb",
    ),
    Case(
        "billion laughs",
        "laughs.xlsx",
        _write(lambda: rewrite(_valid(), {"xl/worksheets/sheet1.xml": BILLION_LAUGHS})),
        "entities",
    ),
    Case("external entity", "xxe.xlsx", _write(_external_entity), "entities or a DTD"),
    Case("huge declared sheet", "tall.xlsx", _write(_huge_dimension), "declares 1,048,576 rows"),
    Case(
        "a million real rows", "million.xlsx", _write(_million_rows), "holds more than 100,000 rows"
    ),
    Case(
        "formula without a cached value",
        "formula.xlsx",
        _formula_without_value,
        "has no calculated value",
    ),
    Case(".xlsm with a macro project", "macro.xlsm", _write(_xlsm_with_macros), "built", ok=True),
)
