"""The terms the deck and the brief use, in plain words (the appendix slide "Terms used" and
the brief's section of the same name), so a reader never meets a method's name unexplained."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policybrief.report.story.labels import band_label

if TYPE_CHECKING:
    from policybrief.model.results import Results

__all__ = ["terms"]


#: The term that opens the list.
_FIRST: tuple[tuple[str, str], ...] = (
    (
        "Central path",
        (
            "the projection with every input at its central value and no year-to-year shock; "
            "the headline figures use it"
        ),
    ),
)

#: The terms after the band's, whose words do not depend on the workbook.
_FIXED: tuple[tuple[str, str], ...] = (
    ("Chance of a target", "the share of simulated outcomes that reach it by its year"),
    ("CAGR", "compound annual growth rate: the steady yearly growth giving the same end point"),
    (
        "Present value",
        (
            "costs and gains in later years discounted to the base year at the workbook's "
            "discount rate"
        ),
    ),
    (
        "Shapley contribution",
        (
            "a lever's (or a changed input's) share of a difference, averaged over every order "
            "in which the changes could be made; the shares add up to the whole"
        ),
    ),
    (
        "Swing (tornado)",
        (
            "how far the headline moves when one input goes from its low to its high value, "
            "the others held central"
        ),
    ),
    (
        "Sobol index",
        (
            "the share of the outcome's variance an input explains (total: with all its "
            "interactions; first order: alone)"
        ),
    ),
    (
        "Scenario discovery box",
        (
            "the ranges of inputs inside which the target is most often met; coverage is the "
            "share of successes inside it, density the share of outcomes inside it that succeed"
        ),
    ),
    (
        "Dominated scenario",
        (
            "another scenario gives at least its exports for at most its cost, one of them "
            "strictly better"
        ),
    ),
    (
        "Realization",
        "the share of the sector's export earnings recorded as exports in the official series",
    ),
    (
        "Test against history",
        (
            "the model run forward from past years with base-year rates and no new policy, "
            "compared with the recorded exports (error at the base year; RMSE of the log gap)"
        ),
    ),
)


def terms(results: Results) -> list[tuple[str, str]]:
    """``(term, meaning)`` pairs, in the order a reader meets them."""
    low, high = results.inputs.settings.band
    band = band_label(results)
    return [
        *_FIRST,
        (
            f"{band} band; median (P50)",
            (
                f"the range between the P{low} and the P{high} of the simulated outcomes (the "
                "P-th percentile is the outcome that P% of them fall below), and the middle "
                "outcome; shocks compound, so the median can sit below the central path"
            ),
        ),
        *_FIXED,
    ]
