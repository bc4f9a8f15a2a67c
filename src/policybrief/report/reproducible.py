"""Byte-reproducible zip-based outputs (``.pptx``, ``.xlsx``).

Office files are zip archives, and the libraries that write them stamp the current time in
two places: every zip entry's date, and ``docProps/core.xml`` (created/modified). python-pptx
also embeds a workbook per chart (``ppt/embeddings/*.xlsx``, written by XlsxWriter), which
carries its own timestamps. ``normalise_zip`` rewrites an archive with a fixed entry date,
order, compression and permissions, sets the core properties' dates to the build time, and
recurses into embedded workbooks, so two builds with the same ``SOURCE_DATE_EPOCH`` are
byte-identical.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["normalise_zip", "normalise_zip_bytes", "zip_date_time"]

_CORE = "docProps/core.xml"
_DATES = re.compile(
    rb"(<(dcterms:created|dcterms:modified|cp:lastPrinted)\b[^>]*>)[^<]*(</\2>)",
)
_NESTED = (".xlsx", ".xlsm", ".pptx", ".docx")
#: Zip timestamps cannot encode dates before 1980 or after 2107.
_ZIP_MIN = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
_ZIP_MAX = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC)
_PERMISSIONS = 0o644 << 16


def zip_date_time(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """The zip entry date for ``when`` (UTC), clamped to what a zip can hold."""
    t = when.astimezone(dt.UTC)
    t = min(max(t, _ZIP_MIN), _ZIP_MAX)
    # The DOS date format stores seconds in 2-second steps.
    return (t.year, t.month, t.day, t.hour, t.minute, t.second - t.second % 2)


def _order(name: str) -> tuple[int, str]:
    # [Content_Types].xml first, as Office writes it; then a fixed, sorted order.
    return (0 if name == "[Content_Types].xml" else 1, name)


def normalise_zip_bytes(data: bytes, when: dt.datetime) -> bytes:
    """Return ``data`` (a zip archive) rewritten deterministically.

    Parameters
    ----------
    data
        The archive's bytes.
    when
        The build time: written into every entry's date and into ``docProps/core.xml``.

    Returns
    -------
    bytes
        The normalised archive.
    """
    stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    date_time = zip_date_time(when)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as dst,
    ):
        for name in sorted(src.namelist(), key=_order):
            content = src.read(name)
            if name == _CORE:
                content = _DATES.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            elif name.lower().endswith(_NESTED) and zipfile.is_zipfile(io.BytesIO(content)):
                content = normalise_zip_bytes(content, when)
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = _PERMISSIONS
            dst.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()


def normalise_zip(path: Path, when: dt.datetime) -> Path:
    """Rewrite the archive at ``path`` in place with ``normalise_zip_bytes``."""
    path.write_bytes(normalise_zip_bytes(path.read_bytes(), when))
    return path
