"""The assurance checklist (deck appendix, brief): the Aqua Book's quality-assurance items, each
with a status this build can vouch for and the evidence behind it.

The UK government's Aqua Book asks that analysis be specified, that its data and assumptions be
checked and logged, that it be verified (built right) and validated (the right model, against
the record), that its uncertainty be quantified, that it be reproducible, and that it be
independently assured and approved. A build knows the first six from its own run and says so
with the numbers; it cannot know the last, so that item always reads "to do" until the
analyst records a review outside policybrief. A status is one of ``STATUSES``; nothing is
marked done that the build did not check.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from policybrief.report.story.assumptions import assumption_log
from policybrief.report.story.wording import plural

if TYPE_CHECKING:
    from policybrief.model.results import Results
    from policybrief.report.context import BuildInfo

__all__ = ["STATUSES", "Item", "assurance_items"]

#: The statuses an item can have: checked and fine; checked, with something to read; not done.
STATUSES = ("done", "check", "to do")


@dataclass(frozen=True)
class Item:
    """One line of the checklist."""

    item: str
    status: str  #: one of ``STATUSES``
    evidence: str


def _inputs(results: Results) -> Item:
    n = len(results.inputs.warnings)
    evidence = "every input passed the reader's checks (types, ranges, cross-sheet references)" + (
        f"; {plural(n, 'warning')} to read" if n else "; no warnings"
    )
    return Item("Data and inputs checked", "check" if n else "done", evidence)


def _assumptions(results: Results) -> Item:
    log = assumption_log(results)
    unsourced = [a for a in log if not a.source]
    unrated = [a for a in log if not a.confidence]
    flagged = [a for a in log if a.flagged]
    parts = [f"{plural(len(log), 'assumption')} logged, ranked by influence"]
    if unsourced:
        parts.append(f"{len(unsourced)} without a source")
    if unrated:
        parts.append(f"{len(unrated)} without a confidence rating")
    if flagged:
        parts.append(f"{len(flagged)} of high impact and low confidence")
    status = "check" if unsourced or unrated or flagged else "done"
    return Item("Assumptions log", status, "; ".join(parts))


def _validation(results: Results) -> Item:
    v = results.validation
    if v is None or v.skipped:
        why = v.skipped if v is not None else "no history to test against"
        return Item("Validation against the record", "to do", f"not run: {why}")
    starts = len(v.hindcasts)
    evidence = (
        f"run from {plural(starts, 'start year')} with base rates and no new policy; "
        f"{v.growth_inside} of {v.growth_count} recorded growth rates inside the band"
    )
    if v.warnings:
        return Item(
            "Validation against the record",
            "check",
            f"{evidence}; {plural(len(v.warnings), 'warning')}",
        )
    return Item("Validation against the record", "done", evidence)


def _consistency(results: Results) -> list[str]:
    """What this build checks of its own results: each waterfall's parts sum to its gain,
    percentile paths are ordered, chances lie in [0, 1]."""
    found = []
    for a in results.attribution:
        gain = a.scenario_value - a.baseline_value
        if abs(sum(v for _, v in a.contributions) - gain) > 1e-6 * max(1.0, abs(gain)):
            found.append(f"the waterfall of {a.scenario} does not sum to its gain")
    for sc in results.scenarios:
        paths = [sc.percentiles[q]["exports"] for q in sorted(sc.percentiles)]
        if any(bool((hi < lo - 1e-9 * abs(lo).max()).any()) for lo, hi in pairwise(paths)):
            found.append(f"the percentiles of {sc.name} are not ordered")
        if any(not 0.0 <= o.probability <= 1.0 for o in sc.outcomes.values()):
            found.append(f"a chance of {sc.name} lies outside 0-100%")
    return found


def _verification(results: Results, info: BuildInfo) -> Item:
    found = _consistency(results)
    tested = (
        f"the engine's arithmetic is tested against an independent implementation in "
        f"policybrief {info.version}'s test suite"
    )
    if found:
        return Item("Verification (built right)", "check", f"{'; '.join(found)}; {tested}")
    return Item(
        "Verification (built right)",
        "done",
        "this build's own checks hold (each waterfall sums to its gain, percentiles are "
        f"ordered, chances lie in 0–100%); {tested}",
    )


def assurance_items(results: Results, info: BuildInfo) -> list[Item]:
    """The checklist, in the Aqua Book's order, for this build.

    Parameters
    ----------
    results
        The engine's results.
    info
        Build provenance (workbook sha256, version).

    Returns
    -------
    list of Item
        Scope, inputs, assumptions, verification, validation, uncertainty, reproducibility,
        independent assurance and sign-off.
    """
    s = results.inputs.settings
    repaired = len(results.warnings)
    return [
        Item(
            "Scope and specification",
            "done",
            f"{plural(len(results.inputs.scenarios), 'scenario')} against the baseline "
            f"'{s.baseline_scenario}', {plural(len(results.targets), 'target')}, "
            f"{s.year_label(s.base_year + 1)}–{s.year_label(s.final_year)}, all in the workbook",
        ),
        _inputs(results),
        _assumptions(results),
        _verification(results, info),
        _validation(results),
        Item(
            "Uncertainty quantified",
            "check" if repaired else "done",
            f"{results.draws:,} Monte Carlo draws (seed {results.seed}); chances with their "
            "standard errors; tornado and Sobol indices"
            + (f"; {plural(repaired, 'correlation warning')}" if repaired else ""),
        ),
        Item(
            "Reproducible",
            "done",
            f"workbook sha256 {info.short_sha}, seed {results.seed}, policybrief {info.version}: "
            "the same inputs give byte-identical outputs",
        ),
        Item(
            "Independent assurance and sign-off",
            "to do",
            "not recorded by policybrief: an assurer's review and the approver's sign-off are "
            "for the analyst to arrange",
        ),
    ]
