"""What changed since the last brief, or between any two workbooks (PRODUCT.md v2).

``compare`` puts together the three answers an analyst wants: which input cells changed
(``workbook.compare``), how the headline and each target's chance moved, and how much of the
headline's move each group of changed inputs explains (``model.whatchanged``, Shapley). The
renderers (the ``Changes`` sheet, the slide, the brief's section, ``policybrief diff``) only
show a ``Changes``.

A build keeps the build it replaces in ``<out>/<stem>/previous/``: the workbook as that build
read it (its ``snapshot/``), its results workbook and its manifest (``previous_source``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policybrief.model.whatchanged import Group, HeadlineMove, attribute
from policybrief.workbook.compare import CellChange, compare_grids

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from policybrief.domain import Inputs, Kind
    from policybrief.model.results import Results
    from policybrief.workbook.tables import Grid

__all__ = ["ChangeRow", "Changes", "Version", "compare", "read_results", "read_version"]

#: Where a build keeps the workbook it read, inside its output folder.
SNAPSHOT = "snapshot"
#: Where a build keeps the build it replaced.
PREVIOUS = "previous"


@dataclass(frozen=True)
class Version:
    """One side of a comparison: a workbook's inputs and cells, and its targets' chances."""

    name: str  #: what to call it: the workbook's file name, or "the previous build"
    inputs: Inputs
    grids: Mapping[str, Grid]
    #: the headline scenario's chance of each target (by label), when known
    chances: Mapping[str, float] | None = None
    #: the test against history: base-year error (%) of the run from each start year
    fit: Mapping[int, float] | None = None


@dataclass(frozen=True)
class ChangeRow:
    """One row of the ``Changes`` sheet."""

    kind: str  #: ``input`` or ``result``
    where: str  #: ``Baseline!E7`` or a metric (``headline``, ``chance: <target>``)
    old: object
    new: object
    effect_on_headline: float | None  #: the group's Shapley part, on its first changed cell
    group: str = ""  #: the group's label (``lever digital_skills``)
    #: what the cell is, beyond its address: the lever of a Scenarios cell, else the column
    detail: str = field(default="", compare=False)
    #: the group's inputs, for the report's own labels (not written to the sheet)
    atoms: tuple[tuple[Kind, str], ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Changes:
    """Everything that differs between two versions, and why the headline moved."""

    old_name: str
    new_name: str
    cells: tuple[CellChange, ...]
    move: HeadlineMove
    #: ``(target label, old chance, new chance)`` for the headline scenario, every target
    chances: tuple[tuple[str, float | None, float | None], ...]
    headline_scenario: str
    #: ``(start year, old error %, new error %)`` of the test against history
    fit: tuple[tuple[int, float | None, float | None], ...] = ()

    @property
    def any(self) -> bool:
        """True when some input or result differs."""
        return bool(self.cells) or self.move.method != "unchanged"

    def group_of(self, change: CellChange) -> Group | None:
        """The group (as attributed) a changed cell belongs to."""
        if change.group is None:
            return None
        return next((g for g, _ in self.move.effects if change.group in g.atoms), None)

    def effect(self, group: Group) -> float | None:
        """A group's part of the headline's move (None when not attributed)."""
        return next((e for g, e in self.move.effects if g == group), None)

    def rows(self) -> list[ChangeRow]:
        """The ``Changes`` sheet: input cells, then results. A group's part of the headline's
        move stands on its first changed cell (its other cells are blank), so the input rows'
        effects sum to the headline's move; a cell that cannot move it shows 0."""
        rows: list[ChangeRow] = []
        seen: set[Group] = set()
        for cell in self.cells:
            group = self.group_of(cell)
            effect: float | None = 0.0  # a target, history, a note: cannot move the headline
            if group is not None and group in seen:
                effect = None  # the group's part stands on its first cell
            elif group is not None:
                seen.add(group)
                effect = self.effect(group)
            label = group.label if group else ""
            detail = cell.key if cell.sheet == "Scenarios" else cell.column
            atoms = group.atoms if group else ()
            rows.append(
                ChangeRow("input", cell.where, cell.old, cell.new, effect, label, detail, atoms)
            )
        for group, effect in self.move.effects:  # a group with no changed cell (defaults)
            if group not in seen:
                rows.append(
                    ChangeRow(
                        "input", group.label, None, None, effect, group.label, atoms=group.atoms
                    )
                )
        rows.append(ChangeRow("result", "headline", self.move.old, self.move.new, self.move.change))
        rows += [
            ChangeRow("result", f"chance: {label}", old, new, None)
            for label, old, new in self.chances
            if old != new
        ]
        rows += [
            ChangeRow("result", f"fit: error (%) of the run from {year}", old, new, None)
            for year, old, new in self.fit
            if old != new
        ]
        return rows


def compare(old: Version, new: Version) -> Changes:
    """What changed from ``old`` to ``new``: cells, the headline's move, targets' chances."""
    from policybrief.workbook.settings import OPTIONAL_SETTINGS, REQUIRED_SETTINGS  # noqa: PLC0415

    cells = compare_grids(
        dict(old.grids), dict(new.grids), (*REQUIRED_SETTINGS, *OPTIONAL_SETTINGS)
    )
    move = attribute(old.inputs, new.inputs, seed=new.inputs.settings.seed)
    labels = [t.label for t in new.inputs.targets]
    labels += [t.label for t in old.inputs.targets if t.label not in labels]

    def chance(version: Version, label: str) -> float | None:
        if version.chances is None:
            return None
        value = version.chances.get(label)
        return None if value is None or math.isnan(value) else value

    chances = tuple((label, chance(old, label), chance(new, label)) for label in labels)
    years = sorted({*(old.fit or {}), *(new.fit or {})})
    fit = tuple((y, (old.fit or {}).get(y), (new.fit or {}).get(y)) for y in years)
    return Changes(
        old.name,
        new.name,
        tuple(cells),
        move,
        chances,
        new.inputs.settings.headline_scenario,
        fit,
    )


def read_version(workbook: Path, name: str = "", results: Path | None = None) -> Version:
    """Read a workbook (and, when given, its results workbook's chances) as one side."""
    from policybrief.workbook.reader import read_workbook_grids  # noqa: PLC0415
    from policybrief.workbook.safety import read_file_bytes  # noqa: PLC0415

    inputs, grids = read_workbook_grids(read_file_bytes(workbook), str(workbook))
    found = read_results(results, inputs.settings.headline_scenario) if results else None
    chances, fit = found if found is not None else (None, None)
    return Version(name or workbook.name, inputs, grids, chances, fit)


def read_results(results: Path, scenario: str) -> tuple[dict[str, float], dict[int, float]] | None:
    """From a results workbook, in one read: ``scenario``'s chance of each target (``Targets``)
    and the test against history's base-year error (%) by start year (``BacktestFit``). None
    when the file cannot be read (an old or damaged results file: nothing, no failure)."""
    import openpyxl  # noqa: PLC0415

    try:
        book = openpyxl.load_workbook(results, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - see the docstring
        return None
    try:
        targets = _rows(book, "Targets", ("scenario", "target", "probability"))
        fit = _rows(book, "BacktestFit", ("start_year", "error_pct"))
    finally:
        book.close()
    chances = {
        str(t): float(p) for s, t, p in targets if s == scenario and isinstance(p, int | float)
    }
    errors = {
        int(y): float(e)
        for y, e in fit
        if isinstance(y, int | float) and isinstance(e, int | float)
    }
    return chances, errors


def _rows(book: Any, sheet: str, columns: tuple[str, ...]) -> list[tuple[object, ...]]:
    """``columns`` of every row of ``sheet`` (none when the sheet or a column is missing)."""
    if sheet not in book.sheetnames:
        return []
    rows = book[sheet].iter_rows(values_only=True)
    header = [str(h) for h in next(rows, ())]
    if not set(columns) <= set(header):
        return []
    at = [header.index(c) for c in columns]
    return [tuple(row[i] for i in at) for row in rows]


def keep_snapshot(folder: Path, name: str, data: bytes) -> None:
    """Keep the workbook a build read (``<folder>/snapshot/<name>``) for the next build."""
    (folder / SNAPSHOT).mkdir(exist_ok=True)
    (folder / SNAPSHOT / name).write_bytes(data)


def carry_previous(target: Path, folder: Path, sha256: str, *, rotate: bool = True) -> bool:
    """Fill ``folder/previous/`` (the new build) from ``target`` (the build it replaces).

    The replaced build becomes ``previous/`` (its snapshot, results workbook and manifest)
    only when its input differs (``sha256``): rebuilding the same workbook keeps the
    comparison it had. With ``rotate`` off (``watch``) an existing ``previous/`` is always kept
    as it is; the first rebuild of a session without one rotates once.

    Returns
    -------
    bool
        True when ``folder/previous/`` now holds a build to compare with.
    """
    import json  # noqa: PLC0415
    import shutil  # noqa: PLC0415

    manifest = target / "manifest.json"
    if not manifest.is_file():
        return False
    try:
        old_sha = json.loads(manifest.read_text(encoding="utf-8"))["input"]["sha256"]
    except (ValueError, KeyError, TypeError, OSError):
        return False
    kept = target / PREVIOUS
    if (old_sha == sha256 or not rotate) and kept.is_dir():
        shutil.copytree(kept, folder / PREVIOUS)
        return True
    snapshots = sorted((target / SNAPSHOT).glob("*")) if (target / SNAPSHOT).is_dir() else []
    if old_sha == sha256 or len(snapshots) != 1 or not snapshots[0].is_file():
        return False
    dest = folder / PREVIOUS
    (dest / SNAPSHOT).mkdir(parents=True)
    shutil.copyfile(snapshots[0], dest / SNAPSHOT / snapshots[0].name)
    shutil.copyfile(manifest, dest / "manifest.json")
    for results in target.glob("*-results.xlsx"):
        shutil.copyfile(results, dest / results.name)
    return True


def since_replaced(
    folder: Path, target: Path, data: bytes, new: Version, sha256: str, *, rotate: bool
) -> Changes | None:
    """For a new build in ``folder``: keep the workbook it read (``data``), carry the build it
    replaces (``target``) over as ``previous/`` (``carry_previous``), and say what changed
    since that build (None when there is none to compare with)."""
    keep_snapshot(folder, new.name, data)
    if not carry_previous(target, folder, sha256, rotate=rotate):
        return None
    return since_previous(folder, new)


def since_previous(folder: Path, new: Version) -> Changes | None:
    """What changed since the build kept in ``folder/previous/`` (None without a readable one)."""
    from policybrief.errors import PolicyBriefError  # noqa: PLC0415

    previous = folder / PREVIOUS
    snapshots = sorted((previous / SNAPSHOT).glob("*"))
    if len(snapshots) != 1:
        return None
    results = next(iter(sorted(previous.glob("*-results.xlsx"))), None)
    try:
        old = read_version(snapshots[0], "the previous build", results)
    except PolicyBriefError:  # the old workbook no longer validates (a stricter version)
        return None
    return compare(old, new)


def read_side(path: Path) -> Version:
    """One side of ``policybrief diff``: a build folder (its snapshot and results workbook)
    or a workbook (projected with its own Settings for the targets' chances)."""
    from policybrief.errors import PolicyBriefError  # noqa: PLC0415

    if path.is_dir():
        snapshots = sorted((path / SNAPSHOT).glob("*")) if (path / SNAPSHOT).is_dir() else []
        if len(snapshots) != 1:
            msg = (
                f"{path} is not a build folder (no {SNAPSHOT}/ with the workbook it read): "
                "name a workbook, or a folder written by policybrief build"
            )
            raise PolicyBriefError(msg)
        book = next(iter(sorted(path.glob("*-results.xlsx"))), None)
        return read_version(snapshots[0], f"the build in {path}", book)
    from policybrief.model import run  # noqa: PLC0415

    version = read_version(path, str(path))
    return version_of(version.name, version.inputs, version.grids, run(version.inputs))


def version_of(name: str, inputs: Inputs, grids: Mapping[str, Grid], results: Results) -> Version:
    """A workbook and its run as one side: the headline's chance of each target, and the fit."""
    chances = {o.target: o.probability for o in results.headline.outcomes.values()}
    return Version(name, inputs, grids, chances, fit_of(results))


def fit_of(results: Results) -> dict[int, float] | None:
    """The test against history of a run: base-year error (%) by start year."""
    v = results.validation
    if v is None or v.skipped:
        return None
    return {h.start_year: h.error_pct for h in v.hindcasts}
