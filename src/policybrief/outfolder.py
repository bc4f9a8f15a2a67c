"""The one place that owns output folders: it proves a folder is its own before replacing it.

A build renders into a temporary folder beside the target and swaps it into ``<out>/<stem>/``
only when complete. Nothing the build did not create is ever replaced or deleted:

- ``<out>/<stem>`` is replaced only when it is a real folder (not a symbolic link, not a file)
  whose every entry is listed in the ``manifest.json`` that a policybrief build wrote there
  (the manifest lists every output with its sha256), or when it is an empty folder. Anything
  else (the analyst's own folder, a note added to an output folder, the input workbook itself)
  stops the build before any work, naming what is in the way.
- Temporary (``.<stem>.tmp-<host>-<token>``) and set-aside (``.<stem>.old-<host>-<token>``)
  folders are this module's own. A temporary folder's build holds an OS lock on the companion
  ``.lock`` file for as long as it runs, so a later build removes a leftover only when that lock
  is free (its build is gone) and, for a folder made on another host sharing the output folder,
  only once it is a day old (OS locks may not cross network file systems).
- Locks are ``filelock`` locks (``fcntl`` on POSIX, ``msvcrt`` on Windows): no POSIX-only
  module is imported, and a lock held by another build is waited for with a message, then
  given up with a clear error instead of hanging forever.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import secrets
import shutil
import socket
import time
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout

from policybrief.errors import PolicyBriefError, inert

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = [
    "LOCK_PATIENCE",
    "LOCK_TIMEOUT",
    "OutputFolderError",
    "check_replaceable",
    "check_stem",
    "clean_leftovers",
    "locked",
    "new_temp_folder",
    "release_temp_folder",
    "swap",
]

#: Seconds to wait quietly for another build's lock before saying so, then to give up.
LOCK_PATIENCE = 2.0
LOCK_TIMEOUT = 600.0
#: Leftovers made on another host are removed only when older than this (seconds).
FOREIGN_LEFTOVER_AGE = 24 * 3600.0
#: Longest workbook stem that can name an output folder (file names are at most 255 bytes,
#: and the temporary folder adds about 30 characters).
MAX_STEM = 120
#: Files an operating system drops into folders it shows; replacing them loses nothing.
OS_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
_WINDOWS_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])$", re.IGNORECASE)
_WINDOWS_FORBIDDEN = set('<>:"/\\|?*')


class OutputFolderError(PolicyBriefError):
    """An output folder cannot be written without losing something the build did not make."""


def _host_id() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def check_stem(workbook: Path) -> str:
    """The workbook's stem, if it can name an output folder on every platform.

    Raises
    ------
    OutputFolderError
        For names that would point elsewhere (``..xlsx``), that some system cannot store, or
        that would garble a terminal; the message says to rename the workbook.
    """
    stem = workbook.stem
    why = ""
    if not stem or stem.startswith(".") or stem != stem.strip() or stem.endswith("."):
        why = "it starts or ends with a dot or a space"
    elif any(ord(c) < 32 or 127 <= ord(c) < 160 for c in stem):
        why = "it contains control characters"
    elif any(0xD800 <= ord(c) <= 0xDFFF for c in stem):
        why = "it is not valid UTF-8"
    elif len(stem) > MAX_STEM:
        why = f"it is {len(stem)} characters long (at most {MAX_STEM})"
    elif _WINDOWS_FORBIDDEN & set(stem) or _WINDOWS_RESERVED.match(stem):
        why = "Windows cannot store a folder of that name"
    if why:
        msg = (
            f"{inert(str(workbook))}: the workbook's name cannot name an output folder: {why}; "
            "rename the workbook (letters, digits, '-', '_' and spaces are safe)"
        )
        raise OutputFolderError(msg)
    return stem


def _manifest_files(folder: Path) -> set[str] | None:
    """Files a policybrief manifest in ``folder`` lists (itself included), or None."""
    path = folder / "manifest.json"
    if path.is_symlink() or not path.is_file():
        return None
    try:
        data = json.loads(path.read_bytes()[: 16 * 2**20])
    except (OSError, ValueError):
        return None
    outputs = data.get("outputs") if isinstance(data, dict) else None
    if "policybrief_version" not in data or not isinstance(outputs, dict):
        return None
    return {str(name) for name in outputs} | {"manifest.json"}


def _foreign_entries(folder: Path) -> list[str]:
    """Entries of ``folder`` that no policybrief build made (relative POSIX paths)."""
    entries = sorted(folder.rglob("*"))
    if not entries:
        return []
    listed = _manifest_files(folder)
    if listed is None:
        return [p.relative_to(folder).as_posix() for p in entries if p.parent == folder]
    parents = {parent.as_posix() for name in listed for parent in Path(name).parents}
    foreign = []
    for path in entries:
        rel = path.relative_to(folder).as_posix()
        if path.name in OS_LITTER and not path.is_symlink():
            continue
        if path.is_symlink() or not (rel in listed or (path.is_dir() and rel in parents)):
            foreign.append(rel)
    return foreign


def check_replaceable(target: Path, workbook: Path) -> None:
    """Refuse to build into ``target`` when replacing it would lose anything.

    Parameters
    ----------
    target
        ``<out>/<stem>``, the folder the build will replace.
    workbook
        The input workbook (which must not live inside ``target``).

    Raises
    ------
    OutputFolderError
        ``target``'s parent is a file; ``target`` is a link or a file; the workbook is inside
        it; or it holds anything no policybrief build wrote (each named, up to five).
    """
    out_root = target.parent
    if out_root.exists() and not out_root.is_dir():
        msg = f"--out {inert(str(out_root))} is a file, not a folder; choose a folder"
        raise OutputFolderError(msg)
    if target.is_symlink():
        msg = (
            f"{inert(str(target))} is a symbolic link; policybrief replaces only folders it "
            "made: remove the link or choose another --out"
        )
        raise OutputFolderError(msg)
    if not target.exists():
        return
    if not target.is_dir():
        msg = (
            f"{inert(str(target))} is a file that policybrief did not make; move it away or "
            "choose another --out"
        )
        raise OutputFolderError(msg)
    with contextlib.suppress(OSError, ValueError):
        workbook.resolve().relative_to(target.resolve())
        msg = (
            f"the workbook {inert(str(workbook))} is inside the output folder "
            f"{inert(str(target))}, which a build replaces; choose another --out"
        )
        raise OutputFolderError(msg)
    foreign = _foreign_entries(target)
    if foreign:
        names = ", ".join(inert(name) for name in foreign[:5])
        more = f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        msg = (
            f"{inert(str(target))} holds files policybrief did not write ({names}{more}); "
            "a build replaces the whole folder, so move them out or choose another --out"
        )
        raise OutputFolderError(msg)


@contextlib.contextmanager
def locked(lock_path: Path, *, notice: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock at ``lock_path``; say so when waiting, give up after ``LOCK_TIMEOUT``."""
    lock = FileLock(lock_path)
    try:
        lock.acquire(timeout=LOCK_PATIENCE)
    except Timeout:
        if notice is not None:
            notice(f"waiting for another build that holds {inert(str(lock_path))}")
        try:
            lock.acquire(timeout=LOCK_TIMEOUT)
        except Timeout as err:
            msg = (
                f"another build has held {inert(str(lock_path))} for over "
                f"{LOCK_TIMEOUT:.0f} s; if no build is running, delete that file"
            )
            raise OutputFolderError(msg) from err
    try:
        yield
    finally:
        lock.release()


def new_temp_folder(out_root: Path, stem: str) -> tuple[Path, FileLock]:
    """Create ``.<stem>.tmp-<host>-<token>`` and hold its liveness lock until released."""
    name = f".{stem}.tmp-{_host_id()}-{secrets.token_hex(4)}"
    lock = FileLock(out_root / f"{name}.lock")
    lock.acquire(timeout=0)
    tmp = out_root / name
    tmp.mkdir()
    return tmp, lock


def release_temp_folder(tmp: Path, lock: FileLock) -> None:
    """Remove ``tmp`` if it is still there, then release and delete its lock file."""
    shutil.rmtree(tmp, ignore_errors=True)
    lock.release()
    with contextlib.suppress(OSError):
        Path(lock.lock_file).unlink()


def _lock_is_free(lock_path: Path) -> bool:
    if not lock_path.exists():
        return True
    lock = FileLock(lock_path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return False
    lock.release()
    return True


def clean_leftovers(out_root: Path, stem: str, target: Path) -> None:
    """Remove what killed builds of ``stem`` left behind (the caller holds the stem's lock).

    A set-aside ``.old`` folder is put back when the target is missing (a build died between
    moving the old output aside and moving the new one in), else removed; a temporary folder
    is removed when its build's lock is free. Only names this module makes are touched.
    """
    host, now = _host_id(), time.time()
    pattern = re.compile(rf"^\.{re.escape(stem)}\.(tmp|old)-([0-9a-f]{{8}})-[0-9a-f]{{8}}$")
    for path in sorted(out_root.iterdir()):
        match = pattern.match(path.name)
        if match is None or path.is_symlink() or not path.is_dir():
            continue
        kind, made_on = match.groups()
        if kind == "old":
            if not target.exists() and not target.is_symlink():
                path.rename(target)
            else:
                shutil.rmtree(path, ignore_errors=True)
            continue
        lock_path = out_root / f"{path.name}.lock"
        age = now - path.stat().st_mtime
        if (made_on == host or age > FOREIGN_LEFTOVER_AGE) and _lock_is_free(lock_path):
            shutil.rmtree(path, ignore_errors=True)
            with contextlib.suppress(OSError):
                lock_path.unlink()


def swap(tmp: Path, target: Path) -> None:
    """Move ``tmp`` to ``target``, replacing the previous output (caller holds the lock)."""
    if not target.exists():
        tmp.rename(target)
        return
    old = target.with_name(f".{target.name}.old-{_host_id()}-{secrets.token_hex(4)}")
    target.rename(old)
    try:
        tmp.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
