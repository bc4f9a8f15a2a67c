"""Render the brief's PNG charts and the results workbook in a second process.

On a machine with two or more cores the build starts one worker process as soon as it starts:
while the parent reads the workbook and runs the engine, the worker loads matplotlib and
openpyxl; while the parent writes the brief and the deck, the worker draws the charts and
writes the results workbook. The worker never touches the output folder: it returns the files'
bytes (pickled over a pipe) and the parent writes every file, so a killed build leaves no
writer behind (the worker sees its pipe close and exits). With one CPU, or if the worker fails
in any way, the same ``render_files`` runs in the parent instead (a real error then surfaces
there with a useful traceback).

A plain subprocess rather than ``multiprocessing``: it never re-imports the caller's
``__main__``, so ``build`` works from any script, guarded or not.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from policybrief.model.results import Results
    from policybrief.report.context import BuildInfo

#: Seconds to wait for the worker before rendering in this process instead.
TIMEOUT = 300.0


@dataclass(frozen=True)
class Job:
    """What the worker renders: files named relative to the output folder."""

    results: Results
    info: BuildInfo
    stem: str
    kinds: frozenset[str]  #: subset of {"brief", "results"} ("brief" brings the charts)
    manifest: Mapping[str, Any]


def render_files(job: Job) -> dict[str, bytes]:
    """The job's files as ``{relative path: bytes}``: ``charts/*.png`` and the results workbook."""
    files: dict[str, bytes] = {}
    if "results" in job.kinds:
        from policybrief.report.reproducible import normalise_zip_bytes  # noqa: PLC0415
        from policybrief.report.workbook.book import results_workbook_bytes  # noqa: PLC0415

        data = results_workbook_bytes(job.results, manifest=job.manifest, changes=job.info.changes)
        files[f"{job.stem}-results.xlsx"] = normalise_zip_bytes(data, job.info.build_time)
    if "brief" in job.kinds:
        from policybrief.report.brief.figures import render_charts  # noqa: PLC0415

        for name, png in render_charts(job.results).items():
            files[f"charts/{name}.png"] = png
    return files


def import_path() -> list[str]:
    """This process's import path without the working folder (``""`` or its absolute path)."""
    cwd = Path.cwd().resolve()
    path = []
    for entry in sys.path:
        with contextlib.suppress(OSError):
            if entry and Path(entry).resolve() != cwd:
                path.append(entry)
    return path


class Worker:
    """The second process; every method degrades to rendering in this process."""

    def __init__(self, *, start: bool = True, min_cpus: int = 2) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        if not start or (os.cpu_count() or 1) < min_cpus:
            return
        # Isolated mode (-I): the worker's import path never includes the folder the command
        # runs in (``python -c`` would put it first, so a planted ``org.py`` would run), nor
        # PYTHON* variables or the user's site folder. It gets the parent's import path instead,
        # so it imports the same policybrief, minus the working folder if the parent had it.
        # os._exit once the answer is flushed: tearing down an interpreter with matplotlib
        # loaded took ~0.13 s, and the parent waits for the worker to exit.
        code = (
            f"import os, sys; sys.path[:] = {import_path()!r}; "
            "from policybrief.report.offload import serve; serve(); os._exit(0)"
        )
        with contextlib.suppress(OSError):
            self._proc = subprocess.Popen(
                [sys.executable, "-I", "-c", code],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=Path(sys.executable).parent,
            )

    def send(self, job: Job) -> None:
        """Hand the job over; the worker starts at once while this process renders the rest."""
        proc = self._proc
        if proc is None or proc.stdin is None:
            return
        # A worker that died is noticed when its answer is read; rendering then happens here.
        try:
            with contextlib.suppress(OSError, ValueError):
                proc.stdin.write(pickle.dumps(job))
        finally:
            with contextlib.suppress(OSError):
                proc.stdin.close()
            proc.stdin = None  # closed: ``communicate`` then only reads, within its timeout

    def files(self, job: Job) -> dict[str, bytes]:
        """The job's files: from the worker, or rendered here if it is absent or failed."""
        proc = self._proc
        if proc is not None and proc.stdout is not None:
            try:
                out, _ = proc.communicate(timeout=TIMEOUT)
                if proc.returncode == 0:
                    files: dict[str, bytes] = pickle.loads(out)
                    return files
            except (
                OSError,
                ValueError,
                EOFError,
                pickle.UnpicklingError,
                subprocess.TimeoutExpired,
            ):
                pass
            finally:
                self.stop()
        return render_files(job)

    def stop(self) -> None:
        """End the worker if it still runs, reap it and close its pipes."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()


def _warm_up() -> None:
    """Load what ``render_files`` needs for the charts while the parent reads and projects.

    Only matplotlib: the parent writes the results workbook (see ``build._render``), and
    loading openpyxl here as well cost the worker ~0.25 s of CPU on the build's critical path.
    """
    from policybrief.report.brief import figures  # noqa: PLC0415

    figures.warm_up()  # imports matplotlib (figures itself does so lazily)


def serve() -> None:
    """Worker entry point: a pickled ``Job`` on stdin -> pickled ``render_files`` on stdout.

    Reading stdin starts at once, in a thread, so the parent never blocks on a full pipe while
    this process is still loading its libraries.
    """
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(sys.stdin.buffer.read()))
    reader.start()
    _warm_up()
    reader.join()
    if not received or not received[0]:
        return  # the parent went away before sending anything
    job: Job = pickle.loads(received[0])
    sys.stdout.buffer.write(pickle.dumps(render_files(job)))
    sys.stdout.buffer.flush()
