"""File checks made before any XML is parsed: is this an ``.xlsx`` at all, and a safe one?

An ``.xlsx`` is a zip of XML files. Everything here looks only at the file's first bytes, the
zip's central directory (declared sizes, no decompression) and the first few kilobytes of some
members, so a hostile file is refused in milliseconds instead of exhausting memory or time.

Limits (module constants, chosen far above any real scenario workbook, which is well under
1 MB uncompressed per sheet):

``MAX_FILE_BYTES``
    size of the file itself (50 MB).
``MAX_TOTAL_UNCOMPRESSED``
    total declared uncompressed size of all zip members (250 MB).
``MAX_RATIO`` / ``RATIO_MIN_BYTES``
    any member above 1 MB uncompressed may be at most 200 times its compressed size
    (zip bombs compress at 1000:1 and more; real sheet XML rarely exceeds 30:1).
``MAX_MEMBERS``
    number of zip members (10,000).
``MAX_SHEET_ROWS``
    rows a worksheet may declare in its ``<dimension ref=...>`` or actually hold (100,000;
    the rows are counted by streaming the XML, since the declaration can be missing or wrong).
``MAX_SHEET_XML_BYTES``
    uncompressed size of one worksheet's XML (100 MB).
``PROLOGUE_BYTES``
    how much of each XML member is scanned for a ``<!DOCTYPE`` / ``<!ENTITY`` declaration
    (an XML document type declaration must come before the root element, and OOXML never
    uses one, so any declaration is refused: this blocks "billion laughs" entity expansion
    and external entities even before defusedxml would).
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from typing import TYPE_CHECKING

from policybrief.errors import InputError, Problem

if TYPE_CHECKING:
    from pathlib import Path

MAX_FILE_BYTES = 50 * 2**20
MAX_TOTAL_UNCOMPRESSED = 250 * 2**20
MAX_RATIO = 200
RATIO_MIN_BYTES = 2**20
MAX_MEMBERS = 10_000
MAX_SHEET_ROWS = 100_000
MAX_SHEET_XML_BYTES = 100 * 2**20
PROLOGUE_BYTES = 4096

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
SAVE_AS_XLSX = "open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx)"

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"(?:[A-Z]+\d+:)?[A-Z]+(\d+)\"")
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_SHEET_XML = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)


def _file_problem(message: str, hint: str = "") -> Problem:
    return Problem("", "", message, hint)


def read_file_bytes(path: Path) -> bytes:
    """Read a workbook file's bytes once, refusing what is clearly not a workbook file.

    Parameters
    ----------
    path
        The file to read (never opened for writing).

    Returns
    -------
    bytes
        The whole file.

    Raises
    ------
    InputError
        The path is missing, a directory, unreadable, empty or too large.
    """
    source = str(path)
    try:
        if not path.exists():
            problem = _file_problem("file not found", "check the path and the file name")
        elif path.is_dir():
            problem = _file_problem("is a folder, not a workbook file", "give the .xlsx file")
        elif path.stat().st_size > MAX_FILE_BYTES:
            problem = _file_problem(
                f"file is larger than {MAX_FILE_BYTES // 2**20} MB; "
                "a scenario workbook is far smaller",
                "remove data the workbook does not need",
            )
        else:
            return path.read_bytes()
    except OSError as exc:
        problem = _file_problem(f"cannot read the file: {exc.strerror or exc}")
    raise InputError([problem], source=source)


def check_package(data: bytes) -> list[Problem]:
    """Check that ``data`` is a zip-based ``.xlsx`` that is safe to hand to openpyxl.

    Parameters
    ----------
    data
        The file's bytes.

    Returns
    -------
    list of Problem
        Empty when the file may be parsed; otherwise one or more file-level problems.
    """
    if not data:
        return [_file_problem("the file is empty (0 bytes)", SAVE_AS_XLSX)]
    if len(data) > MAX_FILE_BYTES:
        return [_file_problem(f"file is larger than {MAX_FILE_BYTES // 2**20} MB")]
    if data.startswith(OLE2_MAGIC):
        return [
            _file_problem(
                "this is a password-protected (encrypted) workbook or a legacy .xls file, "
                "which policybrief cannot read",
                "remove the password / save as .xlsx (Excel Workbook)",
            )
        ]
    if not data.startswith(ZIP_MAGICS):
        return [_not_a_workbook(data)]
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        return [
            _file_problem(
                f"the file is damaged or truncated (not a readable zip/xlsx: {exc})",
                "save the workbook again, or copy it again if it came by e-mail or download",
            )
        ]
    with archive:
        try:
            return _check_members(archive)
        except Exception as exc:  # noqa: BLE001 - any failure to unpack means a damaged file
            return [
                _file_problem(
                    f"the file is damaged (cannot unpack it: {exc})",
                    "save the workbook again, or copy it again if it came by e-mail",
                )
            ]


def _not_a_workbook(data: bytes) -> Problem:
    head = data[:512].lstrip()
    if head[:5].lower() in (b"<?xml", b"<html") or head[:9].lower() == b"<!doctype":
        kind = "an XML or HTML file (perhaps an Excel 2003 XML or a web page saved as .xlsx)"
    elif b"\x00" not in head:
        kind = "a text file (perhaps a .csv renamed to .xlsx)"
    else:
        kind = "not an Excel workbook"
    return _file_problem(f"the file is {kind}, not an .xlsx workbook", SAVE_AS_XLSX)


def _check_members(archive: zipfile.ZipFile) -> list[Problem]:
    infos = archive.infolist()
    names = {info.filename.lower(): info for info in infos}
    if len(infos) > MAX_MEMBERS:
        return [_file_problem(f"the zip holds {len(infos):,} files (limit {MAX_MEMBERS:,})")]
    if "xl/workbook.bin" in names:
        return [_file_problem("this is an .xlsb (binary) workbook", SAVE_AS_XLSX)]
    if "mimetype" in names and names["mimetype"].file_size < 200:
        mimetype = archive.read(names["mimetype"]).decode("ascii", "replace")
        if "opendocument" in mimetype:
            return [_file_problem("this is an OpenDocument (.ods) spreadsheet", SAVE_AS_XLSX)]
    if "xl/workbook.xml" not in names:
        return [
            _file_problem(
                "the file is a zip but not an Excel workbook (it has no xl/workbook.xml)",
                SAVE_AS_XLSX,
            )
        ]
    problems: list[Problem] = []
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        problems.append(
            _file_problem(
                f"the workbook would unpack to {total / 2**20:,.0f} MB "
                f"(limit {MAX_TOTAL_UNCOMPRESSED // 2**20} MB); refused as a possible zip bomb"
            )
        )
    for info in infos:
        if info.flag_bits & 0x1:
            problems.append(_file_problem(f"zip member {info.filename} is encrypted"))
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO:
            problems.append(
                _file_problem(
                    f"zip member {info.filename} is compressed {ratio:,.0f}:1 "
                    f"(limit {MAX_RATIO}:1); refused as a possible zip bomb"
                )
            )
        elif _SHEET_XML.match(info.filename) and info.file_size > MAX_SHEET_XML_BYTES:
            problems.append(
                _file_problem(
                    f"worksheet {info.filename} is {info.file_size / 2**20:,.0f} MB of XML "
                    f"(limit {MAX_SHEET_XML_BYTES // 2**20} MB)",
                    "a scenario workbook needs a few hundred rows at most",
                )
            )
    if problems:
        return problems
    for info in infos:
        problems.extend(_check_prologue(archive, info))
    return problems


def _check_prologue(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> list[Problem]:
    lower = info.filename.lower()
    if not lower.endswith((".xml", ".rels", ".vml")):
        return []
    with archive.open(info) as member:
        head = member.read(PROLOGUE_BYTES)
    if _DECLARATION.search(head):
        return [
            _file_problem(
                f"{info.filename} declares XML entities or a DTD, which Excel never writes; "
                "refused as a possible entity-expansion or external-entity attack",
                SAVE_AS_XLSX,
            )
        ]
    if not _SHEET_XML.match(info.filename):
        return []
    if m := _DIMENSION.search(head):
        rows = int(m.group(1))
        if rows > MAX_SHEET_ROWS:
            return [
                _file_problem(
                    f"worksheet {info.filename} declares {rows:,} rows (limit {MAX_SHEET_ROWS:,})",
                    "delete the unused rows below the tables and save again",
                )
            ]
    # The declared dimension can be absent or wrong, and without it openpyxl parses the whole
    # sheet just to size it: count the rows actually present, streaming, before any parsing.
    if (rows := _count_rows(archive, info)) > MAX_SHEET_ROWS:
        return [
            _file_problem(
                f"worksheet {info.filename} holds more than {MAX_SHEET_ROWS:,} rows",
                "delete the unused rows below the tables and save again",
            )
        ]
    return []


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _count_rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Count ``<row>`` elements in a sheet's XML, stopping once past ``MAX_SHEET_ROWS``."""
    rows = 0
    tail = b""
    with archive.open(info) as member:
        while chunk := member.read(1 << 20):
            # Keep a short overlap so a tag split across two chunks is still seen once.
            window = tail + chunk
            rows += sum(1 for m in _ROW_TAG.finditer(window) if m.end() > len(tail))
            if rows > MAX_SHEET_ROWS:
                break
            tail = window[-8:]
    return rows


def check_zip(data: bytes) -> list[Problem]:
    """Format-neutral checks of any zip-based Office file (``.pptx``, ``.xlsx``) before a
    library unpacks it: the ``MAX_*`` limits above on size, members, declared uncompressed size
    and compression ratio; no encrypted member; no ``<!DOCTYPE``/``<!ENTITY`` in an XML member.

    Python's ``zipfile`` never inflates a member beyond its declared size, so checking the
    declared sizes bounds what unpacking can cost. Used for deck templates (``report/``);
    ``check_package`` makes the same checks, and the workbook-specific ones, for workbooks.

    Parameters
    ----------
    data
        The file's bytes.

    Returns
    -------
    list of Problem
        Empty when the archive may be unpacked; otherwise file-level problems.
    """
    if not data.startswith(ZIP_MAGICS):
        return [_file_problem("the file is not a zip-based Office file")]
    if len(data) > MAX_FILE_BYTES:
        return [_file_problem(f"file is larger than {MAX_FILE_BYTES // 2**20} MB")]
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return _zip_limits(archive)
    except Exception as exc:  # noqa: BLE001 - any failure to unpack means a damaged file
        return [_file_problem(f"the file is damaged (cannot unpack it: {exc})")]


def _zip_limits(archive: zipfile.ZipFile) -> list[Problem]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        return [_file_problem(f"the zip holds {len(infos):,} files (limit {MAX_MEMBERS:,})")]
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        return [
            _file_problem(
                f"the file would unpack to {total / 2**20:,.0f} MB "
                f"(limit {MAX_TOTAL_UNCOMPRESSED // 2**20} MB); refused as a possible zip bomb"
            )
        ]
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.flag_bits & 0x1:
            return [_file_problem(f"zip member {info.filename} is encrypted")]
        if info.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO:
            return [
                _file_problem(
                    f"zip member {info.filename} is compressed {ratio:,.0f}:1 "
                    f"(limit {MAX_RATIO}:1); refused as a possible zip bomb"
                )
            ]
    for info in infos:
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as member:
            if _DECLARATION.search(member.read(PROLOGUE_BYTES)):
                return [
                    _file_problem(
                        f"{info.filename} declares XML entities or a DTD, which Office files "
                        "never use; refused as a possible entity-expansion attack"
                    )
                ]
    return []
