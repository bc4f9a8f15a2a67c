"""The words and rows of "What changed since the last brief" (slide, brief, ``diff``).

Every output shows the same three things from a ``changes.Changes``: how the headline moved,
which inputs changed (with the new workbook's cell, old -> new) and how much of the move each
group of them explains; and how each target's chance moved.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from policybrief.report.formatting import money, pct
from policybrief.report.labels import short_target

if TYPE_CHECKING:
    from policybrief.changes import Changes
    from policybrief.domain import Inputs, Settings

__all__ = [
    "central_headline",
    "chance_lines",
    "change_table",
    "diff_text",
    "headline_move",
    "shown",
    "slide_title",
]


def shown(value: object) -> str:
    """A cell value as the analyst typed it: ``0.09``, ``2``, ``(blank)``, ``added``."""
    if value is None:
        return "(blank)"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def signed(value: float, currency_label: str) -> str:
    """``+$2.4bn``, ``-$79m``, ``$0``."""
    if value == 0 or not math.isfinite(value):
        return money(value, currency_label)
    text = money(abs(value), currency_label)
    return ("+" if value > 0 else "-") + text


def headline_move(changes: Changes, settings: Settings) -> str:
    """``Central FY35 exports under Reform package moved from $24.8bn to $27.3bn (+$2.4bn).``"""
    move, label = changes.move, settings.currency_label
    year = settings.year_label(settings.final_year)
    what = f"Central {year} exports under {changes.headline_scenario}"
    if move.method == "unchanged":
        return (
            f"{what} are unchanged at {money(move.new, label)}: no input that moves them changed."
        )
    text = (
        f"{what} moved from {money(move.old, label)} to {money(move.new, label)} "
        f"({signed(move.change, label)}) since {changes.old_name}."
    )
    if move.method == "not attributed":
        text += f" Not split by input: {move.reason}."
    elif move.method == "estimate":
        text += " The split by input is a sampled Shapley estimate (more than 12 groups)."
    return text


def change_table(changes: Changes, currency_label: str) -> list[tuple[str, str, str, str]]:
    """One row per changed cell: (input group, cell, old -> new, effect on the headline).

    A group's effect stands on its first cell; its other cells show ``"same group"``; a cell
    that cannot move the central headline (a target, history, notes) shows ``"none"``.
    """
    rows: list[tuple[str, str, str, str]] = []
    for row in changes.rows():
        if row.kind != "input":
            continue
        if row.effect_on_headline is None:
            effect = "listed, not split" if not row.group or _unsplit(changes) else "same group"
        elif row.group:
            effect = signed(row.effect_on_headline, currency_label)
        else:
            effect = "none"
        what = row.group or _sheet_of(row.where)
        rows.append((what, row.where, f"{shown(row.old)} → {shown(row.new)}", effect))
    return rows


def _unsplit(changes: Changes) -> bool:
    return changes.move.method == "not attributed"


def _sheet_of(where: str) -> str:
    return where.split("!", maxsplit=1)[0] + " (no effect on the projection)"


def chance_lines(changes: Changes) -> list[str]:
    """``Chance of the Final goal target: 18.7% → 21.6%`` for each target whose chance moved
    (the headline scenario's; short names, as in the deck's tables)."""
    lines = []
    for label, old, new in changes.chances:
        before = "n/a" if old is None else pct(old, digits=1)
        after = "n/a" if new is None else pct(new, digits=1)
        lines.append(f"Chance of the {short_target(label)} target: {before} → {after}")
    return lines


def diff_text(changes: Changes, settings: Settings) -> str:
    """The terminal report of ``policybrief diff``."""
    lines = [f"What changed from {changes.old_name} to {changes.new_name}", ""]
    lines.append(headline_move(changes, settings))
    table = change_table(changes, settings.currency_label)
    if table:
        lines += ["", "Changed inputs (effect on the headline):"]
        lines += [
            f"  {where}: {old_new}  [{what}]  {effect}" for what, where, old_new, effect in table
        ]
    else:
        lines += ["", "No input cell changed."]
    if chances := chance_lines(changes):
        lines += ["", *chances]
    return "\n".join(lines)


def central_headline(inputs: Inputs, value: float) -> str:
    """``validated: under Reform package, central FY35 exports $27.3bn (the outputs follow)``."""
    s = inputs.settings
    return (
        f"validated: under {s.headline_scenario}, IT exports reach {money(value, s.currency_label)} "
        f"in {s.year_label(s.final_year)} on central assumptions (the band and the outputs follow)"
    )


def group_rows(changes: Changes, currency_label: str) -> list[tuple[str, str, str]]:
    """One row per changed group, largest effect first: (input, cells, effect on the headline).

    ``cells`` is the first changed cell with its old -> new value, and how many more cells the
    group changed; inputs that cannot move the projection (targets, history, notes) are one
    last row per sheet.
    """
    by_group: dict[str, list[tuple[str, str]]] = {}
    effects: dict[str, float | None] = {}
    for row in changes.rows():
        if row.kind != "input":
            continue
        key = row.group or _sheet_of(row.where)
        by_group.setdefault(key, []).append((row.where, f"{shown(row.old)} → {shown(row.new)}"))
        if key not in effects or effects[key] is None:
            effects[key] = row.effect_on_headline if row.group else 0.0

    def size(key: str) -> float:
        effect = effects[key]
        return -1.0 if effect is None else abs(effect)

    rows = []
    for key in sorted(by_group, key=lambda k: (-size(k), list(by_group).index(k))):
        cells = by_group[key]
        where, old_new = cells[0]
        more = f" (+{len(cells) - 1} more)" if len(cells) > 1 else ""
        effect = effects[key]
        if effect is None:
            shown_effect = "listed, not split"
        elif key.endswith("(no effect on the projection)") or effect == 0:
            shown_effect = "none"
        else:
            shown_effect = signed(effect, currency_label)
        rows.append((key, f"{where}: {old_new}{more}", shown_effect))
    return rows


def slide_title(changes: Changes, settings: Settings) -> str:
    """``What changed since the last brief: FY35 headline +$2.4bn`` (or ``unchanged``)."""
    move = changes.move
    year = settings.year_label(settings.final_year)
    if move.method == "unchanged" or move.change == 0:
        return f"What changed since the last brief: {year} headline unchanged"
    return (
        f"What changed since the last brief: {year} headline "
        f"{signed(move.change, settings.currency_label)}"
    )
