"""The pre-parse budget: every part of the zip is counted, streaming, before openpyxl reads one.

openpyxl turns XML into Python objects: a cell format, a shared string, a defined name or a
data-validation rule each costs it microseconds and up to kilobytes, and it reads the styles,
the shared strings and the workbook part whole. A file of 2 MB can hold millions of them
(issue 15: a 2 MB ``styles.xml`` took 43 s and 1.8 GiB). So before anything is parsed, every
member of the zip, whatever its name or extension, is counted: a worksheet can be stored
anywhere the workbook's relationships point and openpyxl follows them, so no path is trusted.
Each member is decompressed in 1 MiB pieces (never held whole) and its start tags are counted
by local name (any namespace prefix) with one regular expression; counting stops at the first
limit passed. End tags, comments and processing instructions are not counted, but what looks
like a tag inside a comment is: the count is an upper bound of what openpyxl would build.

Limits, far above any real scenario workbook (a few thousand cells and a few thousand other
elements in all) and sized so that reading a file at every limit at once stays well inside the
budget for any input, 5 s and 500 MiB (``benchmarks/bench_adversarial.py``, case "just inside
every limit"; openpyxl and the reader spend about 10 µs on a cell that is also a problem, 4-15 µs
and up to 2 KB on a cell format, shared string, validation rule or property):

``MAX_PART_BYTES``
    uncompressed size of any one member (20 MiB; a scenario sheet is under 1 MB).
``MAX_ELEMENTS``
    start tags in all members together (600,000).
``MAX_OTHER_ELEMENTS``
    start tags other than rows, cells, their values and texts (``row c v f is t si``): styles,
    validation and formatting rules, relationships, properties... (50,000 in all).
``LIMITS``
    cells (50,000 per sheet, 100,000 in all), rows (100,000 per sheet), shared strings
    (50,000), cell formats (20,000; Excel allows 64,000), defined names (10,000), sheets
    (1,000).
``MAX_SHEET_ROWS`` and the ``<dimension>`` a sheet declares
    a sheet declaring more than 100,000 rows is refused from its first bytes.
``PROLOGUE_BYTES``
    how much of each member is searched for a ``<!DOCTYPE`` / ``<!ENTITY`` declaration (an
    XML document type declaration must come before the root element, and OOXML never uses
    one, so any declaration is refused: this blocks "billion laughs" entity expansion and
    external entities even before defusedxml would) and for the declared encoding (UTF-8 or
    UTF-16 only, as OOXML requires: in EBCDIC, which expat would read, tags are other bytes).
    A UTF-16 part is transcoded as it streams, so its tags are counted too.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from policybrief.errors import Problem

if TYPE_CHECKING:
    import zipfile

MAX_PART_BYTES = 20 * 2**20
MAX_ELEMENTS = 600_000
MAX_OTHER_ELEMENTS = 50_000
MAX_SHEET_ROWS = 100_000
PROLOGUE_BYTES = 4096
#: Bytes decompressed at a time.
CHUNK_BYTES = 2**20

SAVE_AS_XLSX = "open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx)"
_CLEAN_COPY = "copy the tables into a new workbook (or run `nox -s init -- workbooks/new.xlsx`) and save it again"


@dataclass(frozen=True)
class Limit:
    """How many elements called ``name`` (any namespace prefix) the workbook may hold."""

    name: bytes
    what: str
    per_part: int | None
    total: int | None
    hint: str


LIMITS: tuple[Limit, ...] = (
    Limit(
        b"c",
        "cells",
        50_000,
        100_000,
        "a scenario workbook's tables need a few thousand cells: delete unused rows and "
        "columns (and data the workbook does not need) and save again",
    ),
    Limit(
        b"row",
        "rows",
        MAX_SHEET_ROWS,
        None,
        "delete the unused rows below the tables and save again",
    ),
    Limit(b"si", "shared strings (distinct texts)", None, 50_000, _CLEAN_COPY),
    Limit(
        b"xf",
        "cell formats",
        None,
        20_000,
        "a scenario workbook uses a few dozen; remove unused cell formats, or " + _CLEAN_COPY,
    ),
    Limit(
        b"definedName",
        "defined names",
        None,
        10_000,
        "delete the unused names (Formulas > Name Manager)",
    ),
    Limit(b"sheet", "sheets", None, 1_000, "a scenario workbook has about ten sheets"),
)
#: Elements of cells and texts, which openpyxl reads fastest and which have limits of their own.
CHEAP = frozenset({b"row", b"c", b"v", b"f", b"is", b"t", b"si"})

# A start tag's local name: "<x:row " counts as "row"; "</", "<!--", "<!DOCTYPE", "<?xml" don't.
_START_TAG = re.compile(rb"<(?![/!?])(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# The XML declaration's encoding: one that writes tags as other bytes than ASCII does (EBCDIC,
# UTF-7, UTF-32) would hide them from the count, so only UTF-16 (transcoded while counting) and
# encodings that write ASCII as ASCII (UTF-8, Latin-1, ...) are read.
_ENCODING = re.compile(rb"""(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_ASCII_XML = "<?xml version='1.0'?><row r=\"1\"><c><v>+1</v></c></row>"
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"(?:[A-Z]+\d+:)?[A-Z]+(\d+)\"")
# A tag name never spans more than this: a '<' further back than this from a piece's end is
# whole in that piece.
_CARRY = 256


def _problem(message: str, hint: str = "") -> Problem:
    return Problem("", "", message, hint)


@dataclass
class _Tally:
    """Counts over the members scanned so far."""

    by_name: Counter[bytes] = field(default_factory=Counter)
    elements: int = 0
    other: int = 0


def check_budget(archive: zipfile.ZipFile) -> list[Problem]:
    """Count every member of ``archive``, streaming, against the limits.

    Parameters
    ----------
    archive
        The workbook's zip, whose declared sizes were already checked.

    Returns
    -------
    list of Problem
        Empty when openpyxl may read the file; otherwise the first limit passed (one problem:
        counting stops there).
    """
    tally = _Tally()
    for info in archive.infolist():
        if info.is_dir():
            continue
        if problem := _scan(archive, info, tally):
            return [problem]
    return []


def _utf16(head: bytes) -> codecs.IncrementalDecoder | None:
    """A decoder when ``head`` starts a UTF-16 document (which expat reads too), else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return codecs.getincrementaldecoder("utf-16")()
    if head.startswith(b"<\x00"):
        return codecs.getincrementaldecoder("utf-16-le")()
    if head.startswith(b"\x00<"):
        return codecs.getincrementaldecoder("utf-16-be")()
    return None


def _scan(archive: zipfile.ZipFile, info: zipfile.ZipInfo, tally: _Tally) -> Problem | None:
    part: Counter[bytes] = Counter()
    carry = b""
    size = 0
    decoder: codecs.IncrementalDecoder | None = None
    with archive.open(info) as member:
        while raw := member.read(CHUNK_BYTES):
            if not size:
                # Counted as UTF-8: a UTF-16 part is transcoded as it streams.
                decoder = _utf16(raw)
            chunk = decoder.decode(raw).encode() if decoder else raw
            if not size and (problem := _prologue(info.filename, chunk[:PROLOGUE_BYTES])):
                return problem
            size += len(raw)
            if size > MAX_PART_BYTES:
                return _too_big(info.filename)
            window = carry + chunk
            cut = window.rfind(b"<", max(0, len(window) - _CARRY))
            cut = len(window) if cut < 0 else cut
            carry = window[cut:]
            if problem := _count(info.filename, window[:cut], part, tally):
                return problem
    return _count(info.filename, carry, part, tally)


def _prologue(name: str, head: bytes) -> Problem | None:
    if (m := _ENCODING.match(head)) and not _countable(m.group(1)):
        return _problem(
            f"{name} declares the text encoding {m.group(1).decode('ascii', 'replace')[:20]}; "
            "a workbook's XML is UTF-8 or UTF-16",
            SAVE_AS_XLSX,
        )
    if _DECLARATION.search(head):
        return _problem(
            f"{name} declares XML entities or a DTD, which Excel never writes; "
            "refused as a possible entity-expansion or external-entity attack",
            SAVE_AS_XLSX,
        )
    if (m := _DIMENSION.search(head)) and (rows := int(m.group(1))) > MAX_SHEET_ROWS:
        return _problem(
            f"worksheet {name} declares {rows:,} rows (limit {MAX_SHEET_ROWS:,})",
            "delete the unused rows below the tables and save again",
        )
    return None


def _countable(declared: bytes) -> bool:
    """True for an encoding whose tags the count sees: UTF-16, or one writing ASCII as ASCII."""
    label = declared.decode("ascii", "replace").strip().lower()
    if label.replace("-", "").replace("_", "") == "utf16":
        return True
    try:
        return _ASCII_XML.encode(label) == _ASCII_XML.encode("ascii")
    except (LookupError, UnicodeError):
        return False


def _too_big(name: str) -> Problem:
    return _problem(
        f"{name} unpacks to more than {MAX_PART_BYTES // 2**20} MB "
        f"(limit {MAX_PART_BYTES // 2**20} MB for one part of the file)",
        "a scenario workbook's sheets are well under 1 MB each; " + _CLEAN_COPY,
    )


def _count(name: str, data: bytes, part: Counter[bytes], tally: _Tally) -> Problem | None:
    """Add the start tags in ``data`` to the counts; the first limit passed, if any."""
    if not data:
        return None
    found = Counter(_START_TAG.findall(data))
    part.update(found)
    tally.by_name.update(found)
    elements = sum(found.values())
    tally.elements += elements
    tally.other += elements - sum(found[n] for n in CHEAP)
    for limit in LIMITS:
        if limit.per_part is not None and part[limit.name] > limit.per_part:
            return _problem(
                f"{name} holds more than {limit.per_part:,} {limit.what} "
                f"(limit {limit.per_part:,} in one part); refused before reading it",
                limit.hint,
            )
        if limit.total is not None and tally.by_name[limit.name] > limit.total:
            return _problem(
                f"the workbook holds more than {limit.total:,} {limit.what} "
                f"(limit {limit.total:,}; passed in {name}); refused before reading it",
                limit.hint,
            )
    if tally.other > MAX_OTHER_ELEMENTS:
        return _problem(
            f"the workbook's XML holds more than {MAX_OTHER_ELEMENTS:,} styles, rules, "
            f"relationships or other elements besides cells and texts (passed in {name}); "
            "refused before reading it",
            _CLEAN_COPY,
        )
    if tally.elements > MAX_ELEMENTS:
        return _problem(
            f"the workbook's XML holds more than {MAX_ELEMENTS:,} elements "
            f"(passed in {name}); refused before reading it",
            _CLEAN_COPY,
        )
    return None
