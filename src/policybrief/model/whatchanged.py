"""How much of the headline's move each changed input explains (PRODUCT.md, "What changed").

The headline is the headline scenario's central final-year exports. Between two workbooks the
changed inputs fall into groups: a Baseline row, a lever (a Levers row), a scenario (a column of
intensities, with its description) and a setting. The value of a coalition ``S`` of groups is
the headline of a hybrid workbook that takes the groups in ``S`` from the new workbook and every
other input from the old one, so ``v(none)`` is the old headline and ``v(all)`` the new one.
Shapley values over the groups then sum exactly to the headline's move.

A group that cannot move the central headline is a null player, whose Shapley value is exactly
0: a scenario that is neither the headline nor the baseline (before or after), and every setting
but ``headline_scenario`` and ``baseline_scenario`` (the baseline's levers in force in the base
year are part of the base-year rates). Null players are given 0 without projecting. A changed
``headline_scenario`` that names a scenario only one of the workbooks has is one group with that
scenario: no hybrid could take one without the other. When ``base_year`` or ``horizon`` changed
the two headlines are different years: the move is shown, not attributed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeVar

import numpy as np

from policybrief.model.attribution import shapley_values
from policybrief.model.levers import schedule
from policybrief.model.projection import final_exports
from policybrief.model.sampling import central_theta

if TYPE_CHECKING:
    from policybrief.domain import Inputs, Kind
    from policybrief.model.arrays import BoolArray, FloatArray

__all__ = ["EXACT_MAX_GROUPS", "Group", "HeadlineMove", "attribute", "headline_value"]

#: Exact Shapley values up to this many groups that can move the headline (4,096 hybrids).
EXACT_MAX_GROUPS = 12
#: Permutations of the seeded estimate above ``EXACT_MAX_GROUPS``.
PERMUTATIONS = 200
#: Settings whose change can move the central headline.
HEADLINE_SETTINGS = ("headline_scenario", "baseline_scenario")
#: Settings whose change is listed but never attributed.
UNATTRIBUTED_SETTINGS = ("base_year", "horizon", "seed", "draws")

T = TypeVar("T")


@dataclass(frozen=True)
class Group:
    """One group of changed inputs: its atoms are ``(kind, key)`` pairs (usually one)."""

    atoms: tuple[tuple[Kind, str], ...]

    @property
    def label(self) -> str:
        """``Baseline productivity_growth``, ``lever digital_skills``, ``scenario 'Reform'``."""
        return " with ".join(_atom_label(kind, key) for kind, key in self.atoms)


def _atom_label(kind: Kind, key: str) -> str:
    if kind == "parameter":
        return f"Baseline {key}"
    if kind == "scenario":
        return f"scenario '{key}'"
    return f"{kind} {key}"


@dataclass(frozen=True)
class HeadlineMove:
    """The headline before and after, and each changed group's part of the move."""

    old: float
    new: float
    #: every changed group with its effect (None when the move is not attributed)
    effects: tuple[tuple[Group, float | None], ...]
    method: Literal["exact", "estimate", "not attributed", "unchanged"]
    reason: str = ""  #: why the move is not attributed

    @property
    def change(self) -> float:
        """New minus old headline."""
        return self.new - self.old


def headline_value(inputs: Inputs) -> float:
    """The headline scenario's central final-year exports, as the engine computes them."""
    s = inputs.settings
    x = np.array(
        [
            [sc.intensity(lv.id) for lv in inputs.levers]
            for sc in (inputs.headline, inputs.baseline)
        ],
        dtype=np.float64,
    ).reshape(2, len(inputs.levers))
    sched = schedule(inputs.levers, x, s.base_year, s.horizon, reference=x[1])
    return float(final_exports(central_theta(inputs), sched)[0, 0])


def _changed(old: Inputs, new: Inputs) -> list[tuple[Kind, str]]:
    """Every ``(kind, key)`` that differs between the workbooks, in workbook order."""
    atoms: list[tuple[Kind, str]] = []

    def plain(p: object) -> object:
        return dataclasses.replace(p, cell="") if hasattr(p, "cell") else p  # type: ignore[type-var]

    old_p = {p.name: plain(p) for p in old.parameters}
    atoms += [("parameter", p.name) for p in new.parameters if old_p.get(p.name) != plain(p)]
    for kind, before, after in (
        ("lever", {lv.id: lv for lv in old.levers}, {lv.id: lv for lv in new.levers}),
        ("scenario", {s.name: s for s in old.scenarios}, {s.name: s for s in new.scenarios}),
    ):
        keys = [*after, *(k for k in before if k not in after)]
        atoms += [(kind, k) for k in keys if before.get(k) != after.get(k)]  # type: ignore[misc]
    for f in dataclasses.fields(new.settings):
        if getattr(old.settings, f.name) != getattr(new.settings, f.name):
            atoms.append(("setting", f.name))
    return atoms


def _groups(old: Inputs, new: Inputs, atoms: list[tuple[Kind, str]]) -> list[Group]:
    """Atoms as groups, a headline/baseline setting joined to a scenario only one side has."""
    joined: dict[tuple[Kind, str], tuple[Kind, str]] = {}
    old_names = {s.name for s in old.scenarios}
    new_names = {s.name for s in new.scenarios}
    for name in HEADLINE_SETTINGS:
        if ("setting", name) not in atoms:
            continue
        for scenario in (getattr(old.settings, name), getattr(new.settings, name)):
            if (scenario in old_names) != (scenario in new_names):
                joined[("scenario", scenario)] = ("setting", name)
    groups: dict[tuple[Kind, str], list[tuple[Kind, str]]] = {}
    for atom in atoms:
        groups.setdefault(joined.get(atom, atom), []).append(atom)
    return [Group(tuple(members)) for members in groups.values()]


def _moves_headline(group: Group, old: Inputs, new: Inputs) -> bool:
    """False for a null player (its Shapley value is exactly 0)."""
    named = {getattr(inputs.settings, name) for inputs in (old, new) for name in HEADLINE_SETTINGS}
    for kind, key in group.atoms:
        if kind in ("parameter", "lever") or (kind == "setting" and key in HEADLINE_SETTINGS):
            return True
        if kind == "scenario" and key in named:
            return True
    return False


def _pick(
    kind: Kind, taken: set[tuple[Kind, str]], before: dict[str, T], after: dict[str, T]
) -> tuple[T, ...]:
    """Each key's item from ``after`` when ``(kind, key)`` is taken, else from ``before``;
    an item one side lacks is left out (new keys first, in the new workbook's order)."""
    keys = [*after, *(k for k in before if k not in after)]
    chosen = [(after if (kind, k) in taken else before).get(k) for k in keys]
    return tuple(item for item in chosen if item is not None)


def _hybrid(old: Inputs, new: Inputs, taken: set[tuple[Kind, str]]) -> Inputs:
    """The old workbook with the atoms in ``taken`` from the new one."""
    settings = dataclasses.replace(
        old.settings,
        **{key: getattr(new.settings, key) for kind, key in taken if kind == "setting"},
    )
    return dataclasses.replace(
        old,
        settings=settings,
        parameters=_pick(
            "parameter",
            taken,
            {p.name: p for p in old.parameters},
            {p.name: p for p in new.parameters},
        ),
        levers=_pick("lever", taken, {x.id: x for x in old.levers}, {x.id: x for x in new.levers}),
        scenarios=_pick(
            "scenario",
            taken,
            {s.name: s for s in old.scenarios},
            {s.name: s for s in new.scenarios},
        ),
    )


def attribute(old: Inputs, new: Inputs, *, seed: int = 0) -> HeadlineMove:
    """Split the headline's move between two workbooks over the groups of changed inputs.

    Parameters
    ----------
    old, new
        The two workbooks' validated inputs.
    seed
        Seed of the permutation estimate (only above ``EXACT_MAX_GROUPS`` groups).

    Returns
    -------
    HeadlineMove
        Effects in group order; they sum to ``new - old`` (up to floating-point rounding).
    """
    before, after = headline_value(old), headline_value(new)
    groups = _groups(old, new, _changed(old, new))
    if not groups:
        return HeadlineMove(before, after, (), "unchanged")
    moved = [
        name
        for name in ("base_year", "horizon")
        if getattr(old.settings, name) != getattr(new.settings, name)
    ]
    if moved:
        reason = f"{' and '.join(moved)} changed: the two headlines are different years"
        return HeadlineMove(
            before, after, tuple((g, None) for g in groups), "not attributed", reason
        )
    players = [g for g in groups if _moves_headline(g, old, new)]

    def values(masks: BoolArray) -> FloatArray:
        found = np.empty(masks.shape[0])
        for row, mask in enumerate(masks):
            taken = {a for g, on in zip(players, mask, strict=True) if on for a in g.atoms}
            found[row] = headline_value(_hybrid(old, new, taken))
        return found

    phi, _, _, how = shapley_values(
        len(players), values, seed=seed, exact_max=EXACT_MAX_GROUPS, permutations=PERMUTATIONS
    )
    method = "exact" if how == "exact" else "estimate"
    part = dict(zip(players, (float(x) for x in phi), strict=True))
    listed = {("setting", name) for name in UNATTRIBUTED_SETTINGS}
    effects = tuple((g, None if set(g.atoms) <= listed else part.get(g, 0.0)) for g in groups)
    return HeadlineMove(before, after, effects, method)  # type: ignore[arg-type]
