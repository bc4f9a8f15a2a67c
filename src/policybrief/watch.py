"""``policybrief watch``: rebuild a workbook each time it is saved, in one warm process.

The folders holding the workbooks are watched (editors save by writing a new file and renaming
it over the old one, so a watch on the file itself would lose it after the first save) with
``watchfiles``: native file events on Linux, macOS and Windows. Events are grouped until the
folder has been quiet for ``step_ms`` (one save is several events; three quick saves are one
rebuild). Excel's and LibreOffice's lock files, and every file that is not a watched workbook,
are ignored. A rebuild that fails prints its problems and leaves the last good output as it
was (``build`` guarantees it); the next save tries again.

The process stays warm: numpy, openpyxl and python-pptx are imported once, by the first
build, and every later rebuild skips that cost.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from policybrief.workbook.files import BUILT, find_workbooks

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from threading import Event

__all__ = ["STEP_MS", "changed_workbooks", "watch"]

#: Quiet time (milliseconds) that ends a burst of file events: one save, one rebuild.
STEP_MS = 100


def _watched(paths: Sequence[Path]) -> tuple[set[Path], set[Path]]:
    """(workbook files named, folders whose every workbook is watched), resolved."""
    files, folders = set(), set()
    for path in paths:
        if path.is_dir() and path.suffix.lower() not in BUILT:
            folders.add(path.resolve())
        else:
            files.add(path.resolve())
    return files, folders


def changed_workbooks(
    events: Iterable[tuple[object, str]], files: set[Path], folders: set[Path]
) -> list[Path]:
    """The watched workbooks that exist after a burst of ``(change, path)`` events, sorted."""
    found: set[Path] = set()
    for _, raw in events:
        path = Path(raw).resolve()
        if path in files or (path.parent in folders and path.parent.is_dir()):
            found.add(path)
    built = []
    for path in sorted(found):
        if path in files and path.is_file():
            built.append(path)
        elif path.parent in folders and path.is_file():
            workbooks, _ = find_workbooks(path.parent)  # the one rule for what is a workbook
            built += [path] if path in {w.resolve() for w in workbooks} else []
    return built


def watch(
    paths: Sequence[Path],
    rebuild: Callable[[Path], object],
    *,
    announce: Callable[[str], None] = print,
    stop: Event | None = None,
    step_ms: int = STEP_MS,
) -> None:
    """Call ``rebuild(workbook)`` after each save of a watched workbook, until ``stop``.

    Parameters
    ----------
    paths
        Workbooks, or folders whose workbooks are all watched.
    rebuild
        Builds one workbook and prints its headline or its problems (the CLI's build).
    announce
        Where the watch's own lines go.
    stop
        Ends the watch when set (tests; Ctrl+C ends it on a terminal).
    step_ms
        Quiet time that ends a burst of events.
    """
    import watchfiles  # noqa: PLC0415 - only this command needs it

    files, folders = _watched(paths)
    roots = sorted({f.parent for f in files} | folders)
    announce(f"watching {', '.join(str(r) for r in roots)} (Ctrl+C to stop)")
    for events in watchfiles.watch(
        *roots, step=step_ms, stop_event=stop, recursive=False, watch_filter=None
    ):
        for workbook in changed_workbooks(events, files, folders):
            rebuild(workbook)
            announce(f"watching for the next save of {workbook.name}")
