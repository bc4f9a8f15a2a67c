"""The facade: ``build(workbook, out_root) -> BuildResult``.

One build reads the workbook's bytes once (and hashes those same bytes), validates them,
projects every scenario, renders the requested outputs into a fresh temporary folder beside
the target, and only then swaps that folder into ``out_root/<stem>/``. A failure at any point
removes the temporary folder and leaves the previous output byte-for-byte intact; the input
workbook is never written to.

The output folder belongs to ``outfolder.py``: it proves ``out_root/<stem>/`` holds nothing but
a previous build's outputs before replacing it (so a build can never delete the input workbook or
a folder the analyst made), serialises concurrent builds of one stem with a portable lock, and
cleans up after killed builds. Writing faults (read-only or full disk, file size limit) stop the
build with a message naming the folder, and the previous output stays as it was.

Speed: the brief's charts and the results workbook are rendered in a second process
(``report/offload.py``) started when the build starts, overlapping the engine and the deck.
Heavy libraries are imported inside functions for the same reason: the worker starts before
this process has loaded openpyxl, numpy and python-pptx.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policybrief import __version__
from policybrief.errors import PolicyBriefError, inert
from policybrief.outfolder import (
    OutputFolderError,
    check_replaceable,
    check_stem,
    clean_leftovers,
    locked,
    new_temp_folder,
    release_temp_folder,
    swap,
)
from policybrief.report.assets import find_templates
from policybrief.report.context import BuildInfo
from policybrief.report.manifest import manifest_data, write_manifest
from policybrief.report.offload import Job, Worker
from policybrief.report.outputs import OUTPUTS, Render, output_kinds
from policybrief.report.story.story import Story

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from policybrief.domain import Inputs
    from policybrief.errors import Problem
    from policybrief.model.results import Results
    from policybrief.report.assets import Template
    from policybrief.workbook.tables import Grid

__all__ = ["OUTPUT_KINDS", "BuildResult", "build", "build_info", "build_time"]

#: What ``only`` may select (``report.outputs``); ``charts/`` come with the brief,
#: ``manifest.json`` always.
OUTPUT_KINDS: frozenset[str] = output_kinds()

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
    headline: str = ""  #: the key messages' first sentence, for the terminal
    kept: tuple[Path, ...] = ()  #: outputs kept from the previous build (``only``)


def kept_outputs(folder: Path, stem: str, kinds: frozenset[str]) -> list[Path]:
    """The previous build's files of the output kinds not rebuilt (relative to ``folder``).

    ``--only deck`` must not delete the brief and the results workbook: they are carried into
    the new folder (and listed in its manifest as kept).
    """
    return [
        Path(name)
        for output in sorted(OUTPUTS, key=lambda o: o.kind)
        if output.kind not in kinds
        for name in output.owns(folder, stem)
        if (folder / name).is_file()
    ]


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


def _read(workbook: Path) -> tuple[bytes, Inputs, dict[str, Grid]]:
    """Read the workbook's bytes once, and validate those same bytes (the ones hashed)."""
    from policybrief.workbook.reader import read_workbook_grids  # noqa: PLC0415 - see docstring
    from policybrief.workbook.safety import read_file_bytes  # noqa: PLC0415

    data = read_file_bytes(workbook)  # a missing file or a folder: InputError, clearly worded
    return data, *read_workbook_grids(data, str(workbook))


def _render(
    results: Results,
    info: BuildInfo,
    folder: Path,
    stem: str,
    kinds: frozenset[str],
    templates: Mapping[str, Template],
    step: Callable[[str], None],
    worker: Worker,
    previous: Path,
) -> list[Path]:
    """Write every requested output into ``folder`` (a fresh temporary folder), carry over
    the previous build's other outputs from ``previous``, and return what was carried over."""
    provenance = manifest_data(results, info)
    provenance["templates"] = {kind: t.provenance() for kind, t in templates.items()}
    # The worker draws the charts (the slowest output, and matplotlib the slowest import) while
    # this process writes the rest; measured as the best split of the work on two cores.
    chosen = [o for o in OUTPUTS if o.kind in kinds]
    job = Job(results, info, stem, frozenset({"brief"} if any(o.charts for o in chosen) else ()),
              provenance)  # fmt: skip
    if job.kinds:
        worker.send(job)
    story = Story(results, info)  # what every output says, worded once (as each first needs it)
    for output in chosen:
        step(output.label)
        template = templates[output.template] if output.template else None
        output.write(Render(story, folder, stem, template, provenance))
    if job.kinds:
        step("charts")
        for name, data in worker.files(job).items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    kept = kept_outputs(previous, stem, kinds) if previous.is_dir() else []
    for rel in kept:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(previous / rel, folder / rel)
    if kept:
        provenance["kept_from_previous_build"] = [rel.as_posix() for rel in kept]
    step("manifest")
    write_manifest(folder, provenance)
    return kept


def build(
    workbook: Path,
    out_root: Path,
    *,
    draws: int | None = None,
    seed: int | None = None,
    only: frozenset[str] | None = None,
    progress: Callable[[float, float, str], None] | None = None,
    template_dir: Path | None = None,
    notice: Callable[[str], None] | None = None,
    keep_previous: bool = False,
    validated: Callable[[Inputs], None] | None = None,
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
    notice
        Optional ``notice(text)`` for news worth a line (waiting for another build's lock).
    keep_previous
        Keep the output's ``previous/`` build as it is even when the workbook changed
        (``watch``: what changed since the last brief, not since the last save).
    validated
        Optional ``validated(inputs)``, called as soon as the workbook has passed every input
        check, before the projection (``watch`` prints the central headline at once).

    Returns
    -------
    BuildResult
        The output folder, the files in it, and the reader's and the engine's warnings.

    Raises
    ------
    InputError
        The workbook is unusable; nothing is written.
    OutputFolderError
        ``out_root/<stem>`` holds something no build made, or the output cannot be written
        (read-only or full disk); nothing is replaced.
    PolicyBriefError
        Bad arguments, a broken template, or an invalid ``SOURCE_DATE_EPOCH``.
    """
    workbook, out_root = Path(workbook), Path(out_root)
    kinds = OUTPUT_KINDS if only is None else frozenset(only)
    if not kinds or not kinds <= OUTPUT_KINDS:
        msg = f"only takes a non-empty subset of {', '.join(sorted(OUTPUT_KINDS))}"
        raise PolicyBriefError(msg)
    target = out_root / check_stem(workbook)
    check_replaceable(target, workbook)  # before any work: say at once what is in the way
    worker = Worker(start="brief" in kinds)
    try:
        return _build(
            workbook,
            target,
            (draws, seed),
            kinds,
            progress,
            template_dir,
            worker,
            (notice, validated),
            rotate=not keep_previous,
        )
    finally:
        worker.stop()


def _build(
    workbook: Path,
    target: Path,
    sample: tuple[int | None, int | None],
    kinds: frozenset[str],
    progress: Callable[[float, float, str], None] | None,
    template_dir: Path | None,
    worker: Worker,
    callbacks: tuple[Callable[[str], None] | None, Callable[[Inputs], None] | None],
    *,
    rotate: bool,
) -> BuildResult:
    """``build`` after argument checks, with the chart worker (if any) already started."""
    # numpy-backed: they load after the worker starts
    from policybrief.changes import since_replaced, version_of  # noqa: PLC0415
    from policybrief.model import run  # noqa: PLC0415

    bar = _Progress(progress, kinds)
    templates = find_templates(workbook, template_dir, kinds)  # a bad template fails first
    bar.report(0.0, "reading")
    data, inputs, grids = _read(workbook)
    notice, validated = callbacks
    if validated is not None:
        validated(inputs)
    info = build_info(workbook.name, data)
    draws, seed = sample
    results = run(inputs, draws=draws, seed=seed, progress=bar.engine)
    new = version_of(workbook.name, inputs, grids, results)
    kept: list[Path] = []

    def render(folder: Path) -> None:
        changes = since_replaced(folder, target, data, new, info.workbook_sha256, rotate=rotate)
        full = dataclasses.replace(info, changes=changes)
        kept.extend(
            _render(results, full, folder, target.name, kinds, templates, bar.step, worker, target)
        )
        bar.step("finishing")

    try:
        files = _write(workbook, target, render, notice)
    except OSError as err:
        raise _write_error(workbook, target, err) from err
    bar.report(_TOTAL, "done")
    return BuildResult(
        workbook=workbook,
        out_dir=target,
        files=tuple(target / f for f in files),
        # the reader's warnings, the engine's (a repaired correlation matrix), the validation's
        warnings=(*inputs.warnings, *results.warnings, *_validation_warnings(results)),
        sha256=info.workbook_sha256,
        templates=tuple(t.describe() for t in templates.values()),
        headline=_headline(results),
        kept=tuple(target / f for f in kept),
    )


class _Progress:
    """The build's progress bar: the engine's share first, then one step per rendering stage."""

    def __init__(
        self, progress: Callable[[float, float, str], None] | None, kinds: frozenset[str]
    ) -> None:
        self._progress = progress
        self._stages = 2 + sum(1 + o.charts for o in OUTPUTS if o.kind in kinds)
        self._done = 0

    def report(self, done: float, what: str) -> None:
        """Say that ``done`` of ``_TOTAL`` is done, now at ``what``."""
        if self._progress is not None:
            self._progress(done, _TOTAL, what)

    def engine(self, done: float, total: float, what: str) -> None:
        """The engine's own progress, as the first share of the build's."""
        self.report(_ENGINE_SHARE * (done / total if total else 1.0), what)

    def step(self, what: str) -> None:
        """The next stage of rendering starts: ``what``."""
        self.report(_ENGINE_SHARE + (_TOTAL - _ENGINE_SHARE) * self._done / self._stages, what)
        self._done += 1


def _write_error(workbook: Path, target: Path, err: OSError) -> OutputFolderError:
    """A writing fault (read-only or full disk, size limit) as the build reports it."""
    where = inert(str(err.filename or target))
    msg = (
        f"cannot write the output for {inert(str(workbook))}: {where}: "
        f"{err.strerror or err}; any previous output is untouched"
    )
    return OutputFolderError(msg)


def _headline(results: Results) -> str:
    """The first key message, for the terminal (the report owns its wording)."""
    from policybrief.report.story.messages import headline_sentence  # noqa: PLC0415

    return headline_sentence(results)


def _validation_warnings(results: Results) -> list[Problem]:
    """The test against history's warnings, as the build prints them."""
    from policybrief.errors import Problem  # noqa: PLC0415 - kept out of the import path

    v = results.validation
    if v is None:
        return []
    hint = "see the slide 'Does the model reproduce history?' and the BacktestFit sheet"
    found = [Problem("History", "", f"validation: {w}", hint, "warning") for w in v.warnings]
    if v.skipped:
        found.append(Problem("History", "", f"validation skipped: {v.skipped}", "", "warning"))
    return found


def _write(
    workbook: Path,
    target: Path,
    render: Callable[[Path], None],
    notice: Callable[[str], None] | None,
) -> list[Path]:
    """Render into a fresh temporary folder and swap it in; returns the files, relative."""
    out_root, stem = target.parent, target.name
    out_root.mkdir(parents=True, exist_ok=True)
    lock = out_root / f".{stem}.lock"
    with locked(lock, notice=notice):
        clean_leftovers(out_root, stem, target)
    tmp, liveness = new_temp_folder(out_root, stem)
    try:
        render(tmp)
        files = sorted(p.relative_to(tmp) for p in tmp.rglob("*") if p.is_file())
        with locked(lock, notice=notice):
            check_replaceable(target, workbook)  # again: it may have changed meanwhile
            swap(tmp, target)
    finally:
        release_temp_folder(tmp, liveness)
    return files
