"""File checks made before any XML is parsed: is this an ``.xlsx`` at all, and a safe one?

An ``.xlsx`` is a zip of XML files. The file is read once, as bytes, and only if it is a regular
file (a device such as ``/dev/zero``, a named pipe or a socket is refused before it is opened,
and then again on the open file, without waiting for a writer). Then the file's first bytes and
the zip's central directory (declared sizes, no decompression) are checked, and finally every
member is counted against the pre-parse budget (``budget.py``), streaming. A hostile file is
refused in well under a second instead of exhausting memory or time.

Limits (module constants, chosen far above any real scenario workbook, which is well under
1 MB uncompressed per sheet; the per-part and per-element limits are in ``budget.py``):

``MAX_FILE_BYTES``
    size of the file itself (50 MB); at most this many bytes (plus one) are ever read.
``MAX_TOTAL_UNCOMPRESSED``
    total declared uncompressed size of all zip members (100 MB).
``MAX_RATIO`` / ``RATIO_MIN_BYTES``
    any member above 1 MB uncompressed may be at most 200 times its compressed size
    (zip bombs compress at 1000:1 and more; real sheet XML rarely exceeds 30:1).
``MAX_MEMBERS``
    number of zip members (10,000).
"""

from __future__ import annotations

import os
import stat
import zipfile
from io import BytesIO
from typing import TYPE_CHECKING

from policybrief.errors import InputError, Problem
from policybrief.workbook.budget import (
    _DECLARATION,
    MAX_PART_BYTES,
    MAX_SHEET_ROWS,
    PROLOGUE_BYTES,
    SAVE_AS_XLSX,
    check_budget,
)

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_SHEET_ROWS",
    "SAVE_AS_XLSX",
    "check_package",
    "read_file_bytes",
]

MAX_FILE_BYTES = 50 * 2**20
MAX_TOTAL_UNCOMPRESSED = 100 * 2**20
MAX_RATIO = 200
RATIO_MIN_BYTES = 2**20
MAX_MEMBERS = 10_000

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_TOO_LARGE = f"file is larger than {MAX_FILE_BYTES // 2**20} MB; a scenario workbook is far smaller"
# Opening never blocks (a named pipe with no writer would wait forever) and never makes a
# terminal the controlling one; both flags are harmless on a regular file.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def _file_problem(message: str, hint: str = "") -> Problem:
    return Problem("", "", message, hint)


def _not_regular(mode: int) -> Problem | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return _file_problem("is a folder, not a workbook file", "give the .xlsx file")
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return _file_problem(f"is {kind}, not a workbook file", "give the .xlsx file itself")


def read_file_bytes(path: Path) -> bytes:
    """Read a workbook file's bytes once, refusing what is clearly not a workbook file.

    Only a regular file is read (a symbolic link to one is fine): folders, devices such as
    ``/dev/zero``, named pipes and sockets are refused before they are opened, and once more
    on the opened file (in case the path was swapped in between). At most
    ``MAX_FILE_BYTES + 1`` bytes are read, whatever the file claims its size is.

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
        The path is missing, not a regular file, unreadable or too large.
    """
    try:
        outcome = _read(path)
    except FileNotFoundError:
        outcome = _file_problem("file not found", "check the path and the file name")
    except OSError as exc:
        outcome = _file_problem(f"cannot read the file: {exc.strerror or exc}")
    if isinstance(outcome, bytes):
        return outcome
    raise InputError([outcome], source=str(path))


def _read(path: Path) -> bytes | Problem:
    """The file's bytes, or the problem that stops them being read (OSError propagates)."""
    info = path.stat()
    if (problem := _not_regular(info.st_mode)) is not None:
        return problem
    if info.st_size > MAX_FILE_BYTES:
        return _file_problem(_TOO_LARGE, "remove data the workbook does not need")
    fd = os.open(path, _OPEN_FLAGS | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        if (problem := _not_regular(os.fstat(handle.fileno()).st_mode)) is not None:
            return problem
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return _file_problem(_TOO_LARGE, "remove data the workbook does not need")
    return data


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


def declared_limits(
    infos: list[zipfile.ZipInfo], *, part_bytes: int | None = None
) -> list[Problem]:
    """What the zip directory declares, checked without decompressing: the total unpacked size,
    encrypted members, each member's compression ratio and (``part_bytes``) its unpacked size.
    Python's ``zipfile`` never inflates a member beyond its declared size, so these bound what
    unpacking can cost."""
    problems: list[Problem] = []
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        problems.append(
            _file_problem(
                f"the file would unpack to {total / 2**20:,.0f} MB "
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
        elif part_bytes is not None and info.file_size > part_bytes:
            problems.append(
                _file_problem(
                    f"{info.filename} would unpack to {info.file_size / 2**20:,.0f} MB "
                    f"(limit {part_bytes // 2**20} MB for one part of the file)",
                    "a scenario workbook's sheets are well under 1 MB each",
                )
            )
    return problems


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
    problems = declared_limits(infos, part_bytes=MAX_PART_BYTES)
    if problems:
        return problems
    # Every member, whatever its name: the pre-parse budget (budget.py), counted by streaming.
    return check_budget(archive)


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
    if problems := declared_limits(infos):
        return problems[:1]
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
