"""Rules that span sheets: Settings naming scenarios, and scenario notes naming scenarios."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from policybrief.errors import Problem

if TYPE_CHECKING:
    from policybrief.domain import Scenario, Settings


def resolve_scenarios(
    settings: Settings,
    scenarios: tuple[Scenario, ...],
    *,
    sheet: str,
    refs: dict[str, str],
    problems: list[Problem],
) -> Settings:
    """Check that the baseline and headline scenarios exist; match their names' case.

    Parameters
    ----------
    settings
        The Settings as read.
    scenarios
        The scenarios on the Scenarios sheet.
    sheet
        The Settings sheet's name (for messages).
    refs
        Cell of each setting's value (``B6``), for messages.
    problems
        Problems found are appended here.

    Returns
    -------
    Settings
        ``settings`` with the scenario names spelt exactly as on the Scenarios sheet (names
        are unique case-insensitively, so ``reform`` finds ``Reform``).
    """
    by_lower = {s.name.lower(): s.name for s in scenarios}
    changes: dict[str, str] = {}
    for key in ("baseline_scenario", "headline_scenario"):
        name = str(getattr(settings, key))
        actual = by_lower.get(name.lower())
        if actual is None:
            problems.append(
                Problem(
                    sheet,
                    refs.get(key, ""),
                    f"{key} '{name}' is not a scenario on the Scenarios sheet",
                    f"scenarios: {', '.join(s.name for s in scenarios)}",
                )
            )
        elif actual != name:
            changes[key] = actual
    return dataclasses.replace(
        settings,
        baseline_scenario=changes.get("baseline_scenario", settings.baseline_scenario),
        headline_scenario=changes.get("headline_scenario", settings.headline_scenario),
    )


def describe_scenarios(
    scenarios: tuple[Scenario, ...],
    notes: dict[str, tuple[str, str]],
    *,
    sheet: str,
    problems: list[Problem],
) -> tuple[Scenario, ...]:
    """Attach each scenario's sentence from ``Scenario notes``; warn about unknown names.

    Parameters
    ----------
    scenarios
        The scenarios on the Scenarios sheet.
    notes
        Lower-cased scenario name -> (description, cell) from ``Scenario notes``.
    sheet
        The ``Scenario notes`` sheet's name (for messages).
    problems
        Warnings are appended here.

    Returns
    -------
    tuple of Scenario
        The scenarios with ``description`` filled where a note exists.
    """
    names = {s.name.lower() for s in scenarios}
    for lower, (_, ref) in notes.items():
        if lower not in names:
            problems.append(
                Problem(
                    sheet,
                    ref,
                    f"note for unknown scenario '{lower}' is ignored",
                    f"scenarios: {', '.join(s.name for s in scenarios)}",
                    "warning",
                )
            )
    return tuple(
        dataclasses.replace(s, description=notes[s.name.lower()][0])
        if s.name.lower() in notes
        else s
        for s in scenarios
    )
