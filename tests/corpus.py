"""An adversarial corpus of workbooks, generated in code.

Each case is a file an analyst might be sent (or an attacker might craft) with the message
policybrief must answer it with. Used by ``tests/test_adversarial.py`` (behaviour: exit 2, the
message, no traceback, nothing written, a bounded number of inert output lines) and
``benchmarks/bench_adversarial.py`` (time and peak memory per case against the 5 s / 500 MiB
budget). The XML-level bombs are made in ``tests/hostile.py``.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tests import hostile
from tests.builders import _lever, valid_builder
from tests.hostile import member, rewrite

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.builders import WorkbookBuilder

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
#: What a forged success line would say; no output line of any case may start with it.
FORGED_OK = "form.xlsx: ok (3 levers, 3 scenarios, 2 targets)"

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


def _dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")  # `validate /dev/zero` read until memory ran out


def _named_pipe(path: Path) -> None:
    os.mkfifo(path)  # opening it for reading waited for a writer forever


def _built(change: Callable[[WorkbookBuilder], object]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        b = valid_builder()
        change(b)
        b.save(path)

    return make


def _scenarios(b: WorkbookBuilder, count: int) -> None:
    b.settings.update(horizon=30, draws=100_000)
    b.scenarios.update({f"Scenario {i}": {"digital_skills": 1} for i in range(count - 3)})


def _levers(b: WorkbookBuilder, count: int) -> None:
    extra = count - len(b.levers)
    b.levers += [_lever(f"extra_{i}", "inflow", (1, 2, 3)) for i in range(extra)]


def _targets(b: WorkbookBuilder, count: int) -> None:
    b.targets = [
        {"Target": f"Goal {i}", "Value": 4000 + i, "Fiscal year": 2030} for i in range(count)
    ]


def _control_characters(b: WorkbookBuilder) -> None:
    # A newline that would forge an "ok" line, C1 controls (CSI, NEL) and a bidi override, in an
    # unknown setting's name (a warning that quotes it) and in the title (which is output).
    forged = f"colour\n{FORGED_OK}\x9b2J\x85\u202egnp.exe"
    b.settings[forged] = "red"
    b.settings["title"] = "Title\r\x9b31mred\u2066"


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
    # issue 15, item 14: not regular files
    Case("/dev/zero", "zero.xlsx", _dev_zero, "is a device, not a workbook file"),
    Case("named pipe", "pipe.xlsx", _named_pipe, "is a named pipe (FIFO), not a workbook file"),
    # item 3: small files that used to exhaust memory and time (the pre-parse budget)
    Case(
        "styles bomb (1,000,000 cell formats)",
        "styles.xlsx",
        _write(hostile.styles_bomb),
        "more than 20,000 cell formats",
    ),
    Case(
        "shared-strings bomb (1,000,000 texts)",
        "strings.xlsx",
        _write(hostile.shared_strings_bomb),
        "more than 50,000 shared strings",
    ),
    Case(
        "defined-names bomb (500,000 names)",
        "names.xlsx",
        _write(hostile.defined_names_bomb),
        "more than 10,000 defined names",
    ),
    Case(
        "big sheet inside the old per-sheet limits (100,000 rows × 3 cells)",
        "bigsheet.xlsx",
        _write(hostile.big_sheet),
        "holds more than 50,000 cells",
    ),
    Case("a 30 MB sheet part", "bigpart.xlsx", _write(hostile.big_part), "limit 20 MB"),
    Case(
        "just inside every limit at once",
        "limits.xlsx",
        _write(hostile.at_every_limit),
        "more like this",
    ),
    Case(
        "20,000 bad rows inside every limit (messages collapsed)",
        "problems.xlsx",
        _write(hostile.many_problems),
        "more like this",
    ),
    # item 14: a sheet stored outside xl/worksheets/ gets the same budget
    Case(
        "sheet stored outside xl/worksheets/ with 150,000 rows",
        "moved.xlsx",
        _write(lambda: hostile.moved_sheet(rows=150_000)),
        "xl/data/baseline.bin holds more than 100,000 rows",
    ),
    Case(
        "sheet stored outside xl/worksheets/ (valid)",
        "moved-ok.xlsx",
        _write(hostile.moved_sheet),
        "built",
        ok=True,
    ),
    Case(
        "NaN in a number cell",
        "nan.xlsx",
        _write(hostile.value_in_number_cell),
        "Baseline!E2: the cell holds 'NaN', which is not a number",
    ),
    Case(
        "very hidden sheet (read, with a warning)",
        "veryhidden.xlsx",
        _write(hostile.very_hidden_levers),
        "Levers: warning: sheet 'Levers' is very hidden",
        ok=True,
    ),
    Case(
        "hidden rows and columns holding data (read, with a warning)",
        "hiddenrows.xlsx",
        _write(hostile.hidden_rows),
        "Baseline: warning: hidden row 3 holds data",
        ok=True,
    ),
    # item 12: raw text reaching the terminal
    Case(
        "control characters in cells (shown escaped)",
        "controls.xlsx",
        _built(_control_characters),
        "colour\\nform.xlsx: ok",
        ok=True,
    ),
    Case(
        "9,000 sheets",
        "sheets.xlsx",
        _write(hostile.many_sheets),
        "more than 1,000 sheets",
    ),
    Case(
        "900 unknown sheets (one warning)",
        "extra-sheets.xlsx",
        _write(lambda: hostile.many_sheets(900)),
        "900 sheets are not ones policybrief reads",
        ok=True,
    ),
    # item 4: the model's size (WORKBOOK.md size limits)
    Case(
        "60 scenarios × horizon 30 × 100,000 draws",
        "scenarios.xlsx",
        _built(lambda b: _scenarios(b, 60)),
        "Scenarios!N1: the sheet has 60 scenario columns; the limit is 12",
    ),
    Case(
        "26 levers",
        "levers.xlsx",
        _built(lambda b: _levers(b, 26)),
        "Levers!A27: the sheet lists 26 levers; the limit is 25",
    ),
    Case(
        "2,000 targets",
        "targets.xlsx",
        _built(lambda b: _targets(b, 2000)),
        "Targets!A12: the sheet lists 2,000 targets; the limit is 10",
    ),
    # item 6: valid-looking inputs that crashed the model
    Case(
        "realization_base Low = 0",
        "realization.xlsx",
        _built(lambda b: b.baseline[2].update(Low=0)),
        "Baseline!D4: realization_base is 0; it must be at least 0.01",
    ),
    Case(
        "exports_base 1e308",
        "huge.xlsx",
        _built(lambda b: b.baseline[0].update(Central=1e308)),
        "Baseline!E2: Central: 1e+308 is too large",
    ),
    Case(
        "goal_seek_max_scale 1.8e305",
        "scale.xlsx",
        _built(lambda b: b.settings.update(goal_seek_max_scale=1.8e305)),
        "Settings!B14: goal_seek_max_scale: 1.8e+305 is too large",
    ),
)
