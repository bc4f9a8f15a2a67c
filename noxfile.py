"""Developer and analyst sessions: ``nox -s brief``, ``nox -s tests`` and friends."""

from __future__ import annotations

import os
from pathlib import Path

import nox

# uv does not write bytecode at install time, and where PYTHONDONTWRITEBYTECODE is set nothing
# ever does: every run would then recompile numpy, pandas and matplotlib (~3 s instead of ~1 s).
os.environ.setdefault("UV_COMPILE_BYTECODE", "1")

nox.needs_version = ">=2024.10"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["brief", "tests", "lint", "typecheck"]

ROOT = Path(__file__).parent
_BOOKS = (".xlsx", ".xlsm")
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")


#: The tested dependency set, pinned (regenerate with `nox -s lock` after changing pyproject).
CONSTRAINTS = ("-c", str(ROOT / "constraints.txt"))


def _install(session: nox.Session, *groups: str, editable: bool = False) -> None:
    """Install the package plus the named dependency groups, at the tested (pinned) versions."""
    deps = [dep for group in groups for dep in nox.project.dependency_groups(PYPROJECT, group)]
    package = ("-e", ".") if editable else (".",)
    session.install(*package, *deps, *CONSTRAINTS)


@nox.session(reuse_venv=True)
def brief(session: nox.Session) -> None:
    """Build every workbook in workbooks/ into output/ (extra arguments go to `policybrief build`)."""
    _install(session)
    # Workbooks named in the arguments (`nox -s brief -- workbooks/x.xlsx --draws 2000`), else
    # the folder: policybrief skips Excel and LibreOffice lock files (warning that an open
    # workbook is built from its last saved state) and names .ods/.xls/.csv files.
    named = [a for a in session.posargs if not a.startswith("-") and Path(a).suffix in _BOOKS]
    options = [a for a in session.posargs if a not in named]
    session.run("policybrief", "build", *(named or ["workbooks"]), "--out", "output", *options)


@nox.session(reuse_venv=True, default=False)
def validate(session: nox.Session) -> None:
    """Check workbooks (default: every one in workbooks/): every problem with its sheet and cell."""
    _install(session)
    session.run("policybrief", "validate", *(session.posargs or ["workbooks"]))


@nox.session(reuse_venv=True, default=False)
def watch(session: nox.Session) -> None:
    """Rebuild a workbook into output/ each time it is saved: `nox -s watch [-- workbooks/x.xlsx]`."""
    _install(session)
    named = [a for a in session.posargs if not a.startswith("-") and Path(a).suffix in _BOOKS]
    options = [a for a in session.posargs if a not in named]
    session.run("policybrief", "watch", *(named or ["workbooks"]), "--out", "output", *options)


@nox.session(reuse_venv=True, default=False)
def diff(session: nox.Session) -> None:
    """What changed: `nox -s diff -- OLD NEW` (two workbooks, or two build folders)."""
    if len(session.posargs) != 2:
        session.error("name two workbooks or build folders: nox -s diff -- old.xlsx new.xlsx")
    _install(session)
    session.run("policybrief", "diff", *session.posargs)


@nox.session(reuse_venv=True, default=False)
def init(session: nox.Session) -> None:
    """Write a new workbook: `nox -s init -- workbooks/new.xlsx [--example pakistan|blank]`."""
    if not session.posargs:
        session.error("name the new workbook: nox -s init -- workbooks/new.xlsx")
    _install(session)
    session.run("policybrief", "init", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite with coverage."""
    _install(session, "test", editable=True)
    session.run(
        "pytest",
        "--cov=policybrief",
        "--cov-report=term",
        *session.posargs,
        env={"MPLBACKEND": "Agg"},
    )


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"), *CONSTRAINTS)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy, strict on the package."""
    _install(session, "typecheck", editable=True)
    session.run("mypy")


@nox.session(default=False, venv_backend="uv")
def lock(session: nox.Session) -> None:
    """Re-pin the tested dependency set (constraints.txt) from pyproject.toml's ranges."""
    session.run(
        "uv", "pip", "compile", "pyproject.toml", "--universal", "--python-version", "3.11",
        "--group", "test", "--group", "lint", "--group", "typecheck", "-o", "constraints.txt",
        external=True,
    )  # fmt: skip


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmarks: engine throughput and memory, whole-build time as a ratio to import time."""
    _install(session, "test")
    session.run("python", "benchmarks/run.py", *session.posargs, env={"MPLBACKEND": "Agg"})
