"""The facade: ``build(workbook, out_root) -> BuildResult``.

One build reads the workbook's bytes once (and hashes those same bytes), validates them,
projects every scenario, renders the requested outputs into a fresh temporary folder beside
the target, and only then swaps that folder into ``out_root/<stem>/``. A failure at any point
removes the temporary folder and leaves the previous output byte-for-byte intact; the input
workbook is never written to.

Concurrent builds of the same stem serialise the swap with ``fcntl.flock`` on
``out_root/.<stem>.lock``; each renders into its own temporary folder, so both finish and the
last swap wins with one complete output. Folders left behind by a killed build
(``.<stem>.tmp-<pid>-*`` / ``.<stem>.old-<pid>-*`` whose pid is gone) are cleaned up by the
next build; an ``.old`` folder whose swap was interrupted is put back when the target is
missing.

Speed: the brief's charts and the results workbook are rendered in a second process
(``report/offload.py``) started when the build starts, overlapping the engine and the deck.
Heavy libraries are imported inside functions for the same reason: the worker starts before
this process has loaded openpyxl, numpy and python-pptx.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policybrief import __version__
from policybrief.errors import PolicyBriefError
from policybrief.report.assets import find_templates
from policybrief.report.context import BuildInfo
from policybrief.report.manifest import manifest_data, write_manifest
from policybrief.report.offload import Job, Worker, render_files
from policybrief.report.reproducible import normalise_zip

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from policybrief.errors import Problem
    from policybrief.model.results import Results
    from policybrief.report.assets import Template
    from policybrief.workbook.types import Inputs

__all__ = ["OUTPUT_KINDS", "BuildResult", "build", "build_info", "build_time"]

#: What ``only`` may select; ``charts/`` come with the brief, ``manifest.json`` always.
OUTPUT_KINDS: frozenset[str] = frozenset({"deck", "brief", "results"})

#: Share of the progress bar given to the Monte Carlo engine; rendering takes the rest.
_ENGINE_SHARE = 70.0
_TOTAL = 100.0


@dataclass(frozen=True)
class BuildResult:
    """What one build wrote."""

    workbook: Path
    out_dir: Path
    files: tuple[Path, ...]
    warnings: tuple[Problem, ...]
    sha256: str = ""  #: hex digest of the input workbook's bytes
    templates: tuple[str, ...] = ()  #: the templates used, one line each (``Template.describe``)


def build_time(environ: dict[str, str] | None = None) -> dt.datetime:
    """The build time: ``SOURCE_DATE_EPOCH`` (UTC) when set, else the current UTC time.

    Raises
    ------
    PolicyBriefError
        When ``SOURCE_DATE_EPOCH`` is set but is not a whole number of seconds.
    """
    env = os.environ if environ is None else environ
    raw = env.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        return dt.datetime.fromtimestamp(int(raw), dt.UTC)
    except (ValueError, OverflowError, OSError) as err:
        msg = f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {raw!r}"
        raise PolicyBriefError(msg) from err


def build_info(name: str, data: bytes) -> BuildInfo:
    """Provenance for a workbook called ``name`` whose bytes are ``data``."""
    return BuildInfo(
        workbook_name=name,
        workbook_sha256=hashlib.sha256(data).hexdigest(),
        build_time=build_time(),
        version=__version__,
    )


def _read(workbook: Path) -> tuple[bytes, Inputs]:
    """Read the workbook's bytes once, and validate those same bytes (the ones hashed)."""
    from policybrief.workbook.reader import read_workbook_bytes  # noqa: PLC0415 - see docstring
    from policybrief.workbook.safety import read_file_bytes  # noqa: PLC0415

    data = read_file_bytes(workbook)  # a missing file or a folder: InputError, clearly worded
    return data, read_workbook_bytes(data, str(workbook))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftover_pid(name: str, prefix: str) -> int | None:
    """The pid in ``<prefix><pid>-<random>``; None when ``name`` is not such a folder."""
    if not name.startswith(prefix):
        return None
    pid, _, rest = name[len(prefix) :].partition("-")
    return int(pid) if pid.isdigit() and rest else None


def _clean_leftovers(out_root: Path, stem: str, target: Path) -> None:
    """Remove temp/old folders of builds of ``stem`` whose process is gone."""
    for kind in ("old", "tmp"):
        prefix = f".{stem}.{kind}-"
        for path in sorted(out_root.glob(f".{stem}.{kind}-*")):
            pid = _leftover_pid(path.name, prefix)
            if pid is None or not path.is_dir() or _pid_alive(pid):
                continue
            if kind == "old" and not target.exists():
                # A build died between moving the old output aside and moving the new one in.
                path.rename(target)
            else:
                shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _locked(out_root: Path, stem: str) -> Iterator[None]:
    with (out_root / f".{stem}.lock").open("a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _swap(tmp: Path, target: Path) -> None:
    """Move ``tmp`` to ``target``, replacing any previous output (caller holds the lock)."""
    if not target.exists():
        tmp.rename(target)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}-{secrets.token_hex(4)}")
    target.rename(old)
    try:
        tmp.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _render(
    results: Results,
    info: BuildInfo,
    folder: Path,
    stem: str,
    kinds: frozenset[str],
    templates: Mapping[str, Template],
    step: Callable[[str], None],
    worker: Worker,
) -> None:
    """Write every requested output into ``folder`` (a fresh temporary folder)."""
    provenance = manifest_data(results, info)
    provenance["templates"] = {kind: t.provenance() for kind, t in templates.items()}
    # The worker draws the charts (the slowest output, and matplotlib the slowest import) while
    # this process writes the rest; measured as the best split of the work on two cores.
    job = Job(results, info, stem, kinds & {"brief"}, provenance)
    if job.kinds:
        worker.send(job)
    if "results" in kinds:
        step("results workbook")
        for name, data in render_files(
            Job(results, info, stem, frozenset({"results"}), provenance)
        ).items():
            (folder / name).write_bytes(data)
    if "brief" in kinds:
        step("brief")
        from policybrief.report.brief import write_brief  # noqa: PLC0415

        brief = templates["brief"]
        write_brief(
            results, info, folder / f"{stem}.md", template=brief.text, template_name=brief.label
        )
    if "deck" in kinds:
        step("deck")
        from policybrief.report.deck import write_deck  # noqa: PLC0415 - python-pptx on demand

        path = folder / f"{stem}.pptx"
        deck = templates["deck"]
        write_deck(results, info, path, template=deck.data, template_name=deck.label)
        normalise_zip(path, info.build_time)
    if job.kinds:
        step("charts")
        for name, data in worker.files(job).items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    step("manifest")
    write_manifest(folder, provenance)


def build(
    workbook: Path,
    out_root: Path,
    *,
    draws: int | None = None,
    seed: int | None = None,
    only: frozenset[str] | None = None,
    progress: Callable[[float, float, str], None] | None = None,
    template_dir: Path | None = None,
) -> BuildResult:
    """Validate, project and render ``workbook`` into ``out_root/<stem>/`` atomically.

    Parameters
    ----------
    workbook
        The analyst's ``.xlsx``; only ever read.
    out_root
        Folder that receives ``<stem>/`` (created if missing).
    draws, seed
        Override the workbook's Settings.
    only
        Subset of ``OUTPUT_KINDS`` to write (default: all); ``manifest.json`` is always written.
    progress
        Optional ``progress(done, total, what)`` callback (the CLI's progress bar).
    template_dir
        Folder with ``deck.pptx`` / ``brief.md.j2`` (``--template``): each file the requested
        outputs need must be there. Without it: ``templates/`` beside the ``workbooks/``
        folder holding the workbook, else the copies shipped with the package; never the
        working directory (``report.assets``).

    Returns
    -------
    BuildResult
        The output folder, the files in it and the reader's warnings.

    Raises
    ------
    InputError
        The workbook is unusable; nothing is written.
    PolicyBriefError
        Bad arguments, a broken template, or an invalid ``SOURCE_DATE_EPOCH``.
    """
    workbook, out_root = Path(workbook), Path(out_root)
    kinds = OUTPUT_KINDS if only is None else frozenset(only)
    if not kinds or not kinds <= OUTPUT_KINDS:
        msg = f"only takes a non-empty subset of {', '.join(sorted(OUTPUT_KINDS))}"
        raise PolicyBriefError(msg)
    worker = Worker(start="brief" in kinds)
    try:
        return _build(workbook, out_root, draws, seed, kinds, progress, template_dir, worker)
    finally:
        worker.stop()


def _build(
    workbook: Path,
    out_root: Path,
    draws: int | None,
    seed: int | None,
    kinds: frozenset[str],
    progress: Callable[[float, float, str], None] | None,
    template_dir: Path | None,
    worker: Worker,
) -> BuildResult:
    """``build`` after argument checks, with the chart worker (if any) already started."""
    from policybrief.model import run  # noqa: PLC0415 - numpy loads after the worker starts

    def report(done: float, what: str) -> None:
        if progress is not None:
            progress(done, _TOTAL, what)

    templates = find_templates(workbook, template_dir, kinds)  # a bad template fails first
    report(0.0, "reading")
    data, inputs = _read(workbook)
    info = build_info(workbook.name, data)

    def engine_progress(done: float, total: float, what: str) -> None:
        report(_ENGINE_SHARE * (done / total if total else 1.0), what)

    results = run(inputs, draws=draws, seed=seed, progress=engine_progress)

    stages = 2 + 2 * ("brief" in kinds) + ("deck" in kinds) + ("results" in kinds)
    done = [0]

    def step(what: str) -> None:
        report(_ENGINE_SHARE + (_TOTAL - _ENGINE_SHARE) * done[0] / stages, what)
        done[0] += 1

    stem = workbook.stem
    target = out_root / stem
    out_root.mkdir(parents=True, exist_ok=True)
    with _locked(out_root, stem):
        _clean_leftovers(out_root, stem, target)
    tmp = out_root / f".{stem}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir()
    try:
        _render(results, info, tmp, stem, kinds, templates, step, worker)
        files = sorted(p.relative_to(tmp) for p in tmp.rglob("*") if p.is_file())
        step("finishing")
        with _locked(out_root, stem):
            _swap(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report(_TOTAL, "done")
    return BuildResult(
        workbook=workbook,
        out_dir=target,
        files=tuple(target / f for f in files),
        warnings=tuple(inputs.warnings),
        sha256=info.workbook_sha256,
        templates=tuple(t.describe() for t in templates.values()),
    )
