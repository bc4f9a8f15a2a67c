"""The build's second process renders exactly what this process would, and is optional."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from tests.factories import make_inputs

import policybrief.report.offload
from policybrief.model import run
from policybrief.report.charts import CHARTS
from policybrief.report.context import BuildInfo
from policybrief.report.manifest import manifest_data
from policybrief.report.offload import Job, Worker, import_path, render_files

if TYPE_CHECKING:
    from pathlib import Path

INFO = BuildInfo(
    workbook_name="w.xlsx",
    workbook_sha256="ab" * 32,
    build_time=dt.datetime(2026, 11, 28, tzinfo=dt.UTC),
    version="0.1.0",
)


def _from_the_worker(worker: Worker, job: Job) -> dict[str, bytes]:
    """``worker.files(job)`` with rendering in this process made to fail: the files can only
    have come from the worker (``files`` falls back to ``render_files`` here when the worker
    is absent or failed, which would make a comparison with ``render_files`` pass anyway)."""

    def not_here(_job: Job) -> dict[str, bytes]:
        raise AssertionError("rendered in the test process, not by the worker")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(policybrief.report.offload, "render_files", not_here)
        return worker.files(job)


@pytest.fixture(scope="module")
def job() -> Job:
    results = run(make_inputs(), draws=300)
    return Job(results, INFO, "w", frozenset({"brief", "results"}), manifest_data(results, INFO))


def test_worker_returns_the_same_bytes_as_rendering_here(job: Job) -> None:
    here = render_files(job)
    assert set(here) == {
        "w-results.xlsx",
        *(f"charts/{c.name}.png" for c in CHARTS),
    }
    worker = Worker(min_cpus=1)  # a real worker even on a one-CPU machine
    assert worker._proc is not None
    worker.send(job)
    assert _from_the_worker(worker, job) == here


def test_a_worker_that_dies_is_replaced_by_rendering_here(job: Job) -> None:
    worker = Worker(min_cpus=1)  # a real worker even on a one-CPU machine
    assert worker._proc is not None
    worker._proc.kill()  # dies before it was sent anything
    worker._proc.wait()
    worker.send(job)
    assert worker.files(job) == render_files(job)


def test_results_only_job_draws_no_charts(job: Job) -> None:
    only = Job(job.results, INFO, "w", frozenset({"results"}), job.manifest)
    assert list(Worker(start=False).files(only)) == ["w-results.xlsx"]


def test_worker_unpickles_results_without_loading_the_engine_or_the_reader(job: Job) -> None:
    code = (
        "import pickle, sys\n"
        "job = pickle.loads(sys.stdin.buffer.read())\n"
        "print(job.results.headline.name)\n"
        "print(sorted({'openpyxl', 'policybrief.model.engine'} & set(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=pickle.dumps(job),
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    ).stdout.decode()
    assert out.splitlines() == [job.results.headline.name, "[]"]


def test_the_worker_never_imports_modules_planted_in_the_working_folder(
    job: Job, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planted = tmp_path / "downloads"
    planted.mkdir()
    ran = tmp_path / "ran"
    ran.mkdir()
    for name in ("org", "winreg", "sitecustomize", "usercustomize"):
        (planted / f"{name}.py").write_text(f"open({str(ran / name)!r}, 'w').close()\n")
    monkeypatch.chdir(planted)
    monkeypatch.syspath_prepend(str(planted))  # as `python -m` would, in the parent
    worker = Worker(min_cpus=1)
    assert worker._proc is not None
    worker.send(job)
    assert _from_the_worker(worker, job) == render_files(job)
    assert list(ran.iterdir()) == []
    assert str(planted) not in import_path()
    assert "" not in import_path()


def test_a_worker_that_outlives_its_timeout_is_replaced(
    job: Job, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(policybrief.report.offload, "TIMEOUT", 0.01)
    worker = Worker(min_cpus=1)
    proc = worker._proc
    assert proc is not None
    worker.send(job)  # drawing the charts takes far longer than the timeout
    assert worker.files(job) == render_files(job)
    assert proc.returncode not in (None, 0)  # killed at the timeout, not awaited to the end
