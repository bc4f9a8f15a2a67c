"""What every output needs to know about the build besides the results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    from policybrief.changes import Changes


@dataclass(frozen=True)
class BuildInfo:
    """Provenance shown in footers, the brief and the manifest.

    ``build_time`` comes from ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds),
    otherwise from the clock; it is always timezone-aware UTC.
    """

    workbook_name: str  #: file name, e.g. ``pakistan_it_exports.xlsx``
    workbook_sha256: str  #: full hex digest of the input file's bytes
    build_time: dt.datetime
    version: str  #: policybrief version
    #: what changed since the build this one replaces (None: no previous build to compare)
    changes: Changes | None = None

    @property
    def short_sha(self) -> str:
        """First 8 hex digits of the workbook's sha256."""
        return self.workbook_sha256[:8]

    @property
    def build_date(self) -> str:
        """ISO date of the build, e.g. ``2026-11-28``."""
        return self.build_time.date().isoformat()

    @property
    def footer(self) -> str:
        """``pakistan_it_exports.xlsx · sha256 1a2b3c4d · built 2026-11-28``."""
        return f"{self.workbook_name} · sha256 {self.short_sha} · built {self.build_date}"
