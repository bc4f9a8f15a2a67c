"""LibreOffice for the ``render`` tests: one way to call it, and one way to skip without it."""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path

#: Marks a test that converts files with LibreOffice; skipped where ``soffice`` is missing.
needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)


def convert(source: Path, fmt: str, outdir: Path) -> Path:
    """Convert ``source`` to ``fmt`` (``pdf``, ``xlsx``, ...) in ``outdir``; return the new file.

    Each call gets its own LibreOffice profile beside ``outdir``, so parallel runs (and a
    LibreOffice the developer has open) never share one.
    """
    profile = outdir.parent / f".lo-profile-{outdir.name}"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return outdir / f"{source.stem}.{fmt}"
