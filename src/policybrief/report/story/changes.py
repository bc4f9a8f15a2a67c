"""The words and rows of "What changed since the last brief" (slide, brief, ``diff``).

Every output shows the same three things from a ``changes.Changes``: how the headline moved,
which inputs changed (with the new workbook's cell and what the cell is, old -> new) and how
much of the move each group of them explains; and each target's chance before and after.
Inputs are named as the deck names them (a Baseline row by its description, a lever by its
name); shares are shown as percentages; moves of money to two decimals in billions, so that
the parts visibly add up to the whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from policybrief.report.story.formatting import money, pct, signed_money
from policybrief.report.story.labels import short_target

if TYPE_CHECKING:
    from policybrief.changes import ChangeRow, Changes
    from policybrief.domain import Inputs, Kind, Settings

__all__ = [
    "central_headline",
    "chance_lines",
    "diff_text",
    "fit_lines",
    "group_rows",
    "headline_move",
    "shown",
    "slide_title",
]

#: What the previous build is called: the sentences then say "since the previous build".
PREVIOUS_BUILD = "the previous build"
#: Baseline columns whose values are in the parameter's unit.
_VALUE_COLUMNS = ("Low", "Central", "High")
#: Settings that are shares.
_SHARE_SETTINGS = ("discount_rate", "target_probability")


def shown(value: object, *, share: bool = False) -> str:
    """A cell value as the analyst typed it (``2``, ``(blank)``, ``added``); a share as a
    percentage (``9%``, ``3.5%``)."""
    if value is None:
        return "(blank)"
    if share and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{100 * value:.4g}%"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def signed(value: float, currency_label: str) -> str:
    """``+$2.36bn``, ``-$145m``, ``$0`` (two decimals in billions: parts add up visibly)."""
    return signed_money(value, currency_label, digits=2)


def headline_move(changes: Changes, settings: Settings) -> str:
    """``Central FY35 exports under Reform package moved from $24.83bn to $27.04bn (+$2.21bn)
    since the previous build.``"""
    move, label = changes.move, settings.currency_label
    year = settings.year_label(settings.final_year)
    what = f"Central {year} exports under {changes.headline_scenario}"
    if move.method == "unchanged":
        return (
            f"{what} are unchanged at {money(move.new, label, digits=2)}: no input that moves "
            "them changed."
        )
    since = f" since {PREVIOUS_BUILD}" if changes.old_name == PREVIOUS_BUILD else ""
    text = (
        f"{what} moved from {money(move.old, label, digits=2)} to "
        f"{money(move.new, label, digits=2)} ({signed(move.change, label)}){since}."
    )
    if move.method == "not attributed":
        text += f" Not split by input: {move.reason}."
    elif move.method == "estimate":
        text += " The split by input is a sampled Shapley estimate (more than 12 groups)."
    return text


def _atom_name(kind: Kind, key: str, inputs: Inputs) -> str:
    """A group's input as the deck names it."""
    if kind == "parameter":
        found = [p for p in inputs.parameters if p.name == key]
        return f"{found[0].description} ({key})" if found and found[0].description else key
    if kind == "lever":
        found_lv = [lv for lv in inputs.levers if lv.id == key]
        return f"lever {found_lv[0].name or key}" if found_lv else f"lever {key}"
    if kind == "scenario":
        return f"scenario '{key}'"
    return f"setting {key}"


def _is_share(row: ChangeRow, inputs: Inputs) -> bool:
    sheet = row.where.split("!", 1)[0]
    if sheet == "Baseline" and row.detail in _VALUE_COLUMNS and row.atoms:
        name = row.atoms[0][1]
        found = [p for p in inputs.parameters if p.name == name]
        return bool(found) and "share" in found[0].unit
    return sheet == "Settings" and bool(row.atoms) and row.atoms[0][1] in _SHARE_SETTINGS


def _cell(row: ChangeRow, inputs: Inputs) -> str:
    """``Baseline!E6 (Central): 9% → 10%``; ``Scenarios!C10 (Foreign-currency retention): 2 → 1``."""
    share = _is_share(row, inputs)
    plain = ":" in row.where or row.where.startswith("Settings!")  # a range; a setting's Value
    name = row.detail
    if row.where.startswith("Scenarios!"):  # the row's lever, by the name the deck uses
        name = next((lv.name or lv.id for lv in inputs.levers if lv.id == row.detail), name)
    detail = f" ({name})" if name and not plain else ""
    return f"{row.where}{detail}: {shown(row.old, share=share)} → {shown(row.new, share=share)}"


def group_rows(changes: Changes, inputs: Inputs) -> list[tuple[str, str, str]]:
    """One row per changed group, largest effect first: (input, cells, effect on the headline).

    ``cells`` is the group's first changed cell with what it is and its old -> new value, and
    how many more cells the group changed; inputs that cannot move the projection (targets,
    history, notes) are one row per sheet. ``inputs`` is the newer workbook's.
    """
    by_group: dict[str, list[str]] = {}
    effects: dict[str, float | None] = {}
    for row in changes.rows():
        if row.kind != "input":
            continue
        if row.atoms:
            key = " with ".join(_atom_name(kind, k, inputs) for kind, k in row.atoms)
        else:
            key = _sheet_of(row.where)
        by_group.setdefault(key, []).append(_cell(row, inputs))
        if key not in effects or effects[key] is None:
            effects[key] = row.effect_on_headline if row.atoms else 0.0

    def size(key: str) -> float:
        effect = effects[key]
        return -1.0 if effect is None else abs(effect)

    order = list(by_group)
    rows = []
    for key in sorted(by_group, key=lambda k: (-size(k), order.index(k))):
        cells = by_group[key]
        more = f" (+{len(cells) - 1} more)" if len(cells) > 1 else ""
        effect = effects[key]
        if effect is None:
            shown_effect = "listed, not split"
        elif key.endswith("(no effect on the projection)") or effect == 0:
            shown_effect = "none"
        else:
            shown_effect = signed(effect, inputs.settings.currency_label)
        rows.append((key, f"{cells[0]}{more}", shown_effect))
    return rows


def _sheet_of(where: str) -> str:
    return where.split("!", maxsplit=1)[0] + " (no effect on the projection)"


def chance_lines(changes: Changes) -> list[str]:
    """``Chance of the Final goal target: 18.7% → 21.6%`` for every target, the headline
    scenario's (short names, as in the deck's tables); ``unchanged at`` when it did not move."""
    lines = []
    for label, old, new in changes.chances:
        before, after = _chance(old), _chance(new)
        short = short_target(label)
        what = short if short.lower().endswith("target") else f"{short} target"
        name = f"Chance of the {what}"
        if old == new and old is not None and (old <= 0 or old >= 1):
            reach = "no draw reaches it" if old <= 0 else "every draw reaches it"
            lines.append(f"{name}: {reach}, before and after")
        elif old == new:
            lines.append(f"{name}: unchanged at {after}")
        else:
            lines.append(f"{name}: {before} → {after}")
    return lines


#: A change of the base-year error (percentage points) worth a warning in what changed.
FIT_MOVE = 2.0


def fit_lines(changes: Changes, settings: Settings) -> list[str]:
    """The test against history before and after, for each start year whose error moved:
    ``Run from FY16, the model misses FY25's recorded exports by +2.5% → +11.3%: further from
    the record``. A change that moves a run's error by ``FIT_MOVE`` points or more away from
    zero says so, so a gain in the headline cannot hide a worse fit."""
    base = settings.year_label(settings.base_year)
    lines = []
    for year, old, new in changes.fit:
        if old is None or new is None or old == new:
            continue
        text = (
            f"Run from {settings.year_label(year)}, the model misses {base}'s recorded exports by "
            f"{old:+.1f}% → {new:+.1f}%"
        )
        if abs(new) >= abs(old) + FIT_MOVE:
            text += ": further from the record"
        elif abs(new) <= abs(old) - FIT_MOVE:
            text += ": closer to the record"
        lines.append(text)
    return lines


def _chance(p: float | None) -> str:
    """A chance to one decimal; never a bare 0% or 100% (no draw, every draw)."""
    if p is None:
        return "n/a"
    if p <= 0:
        return "no draw"
    if p >= 1:
        return "every draw"
    return pct(p, digits=1)


def diff_text(changes: Changes, inputs: Inputs) -> str:
    """The terminal report of ``policybrief diff`` (``inputs``: the newer workbook's)."""
    lines = [f"What changed from {changes.old_name} to {changes.new_name}", ""]
    lines.append(headline_move(changes, inputs.settings))
    table = group_rows(changes, inputs)
    if table:
        lines += ["", "Changed inputs (effect on the headline):"]
        lines += [f"  {what}: {cells}  {effect}" for what, cells, effect in table]
    else:
        lines += ["", "No input cell changed."]
    if chances := chance_lines(changes):
        lines += ["", *chances]
    if fit := fit_lines(changes, inputs.settings):
        lines += ["", "Test against history:", *fit]
    return "\n".join(lines)


def central_headline(inputs: Inputs, value: float) -> str:
    """``validated: under Reform package, central FY35 exports $27.3bn (the outputs follow)``."""
    s = inputs.settings
    return (
        f"validated: under {s.headline_scenario}, IT exports reach {money(value, s.currency_label)} "
        f"in {s.year_label(s.final_year)} on central assumptions (the band and the outputs follow)"
    )


def slide_title(changes: Changes, settings: Settings) -> str:
    """``What changed since the last brief: FY35 headline +$2.21bn`` (or ``unchanged``)."""
    move = changes.move
    year = settings.year_label(settings.final_year)
    if move.method == "unchanged" or move.change == 0:
        return f"What changed since the last brief: {year} headline unchanged"
    return (
        f"What changed since the last brief: {year} headline "
        f"{signed(move.change, settings.currency_label)}"
    )
