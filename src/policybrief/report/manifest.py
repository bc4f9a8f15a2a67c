"""``manifest.json``: what was built from what, with a checksum of every output file.

The JSON is stable: sorted keys, ``indent=2``, a trailing newline, and files listed by their
POSIX path relative to the output folder, so two identical builds give identical manifests.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from policybrief.model.results import Results
    from policybrief.report.context import BuildInfo

__all__ = ["MANIFEST_NAME", "file_digest", "manifest_data", "write_manifest"]

MANIFEST_NAME = "manifest.json"


def file_digest(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_data(results: Results, info: BuildInfo) -> dict[str, Any]:
    """The manifest without the output list: input, version, seed, draws, settings, time.

    Parameters
    ----------
    results
        The engine's results (for the seed and draws actually used).
    info
        Build provenance.

    Returns
    -------
    dict
        JSON-serialisable provenance; the results workbook's ``Manifest`` sheet echoes it.
    """
    settings = dataclasses.asdict(results.inputs.settings)
    settings["percentiles"] = list(results.inputs.settings.percentiles)
    return {
        "input": {"name": info.workbook_name, "sha256": info.workbook_sha256},
        "policybrief_version": info.version,
        "seed": results.seed,
        "draws": results.draws,
        "settings": settings,
        "build_time": info.build_time.isoformat(),
    }


def write_manifest(folder: Path, data: Mapping[str, Any]) -> Path:
    """Write ``folder/manifest.json``: ``data`` plus sha256 and size of every other file.

    Parameters
    ----------
    folder
        The (temporary) output folder, complete except for the manifest.
    data
        Provenance from ``manifest_data``.

    Returns
    -------
    Path
        The manifest's path.
    """
    path = folder / MANIFEST_NAME
    outputs = {
        p.relative_to(folder).as_posix(): {"sha256": file_digest(p), "size": p.stat().st_size}
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p != path
    }
    text = json.dumps({**data, "outputs": outputs}, indent=2, sort_keys=True, ensure_ascii=False)
    path.write_bytes((text + "\n").encode("utf-8"))
    return path
