"""How the numbers were made and what they do not say: the method slide's points and the
caveats, shared by the deck and the brief (split from ``messages.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policybrief.report.story.formatting import number, pct
from policybrief.report.story.labels import assumption_rank, band_label, chance, package, scale_text
from policybrief.report.story.wording import OUT_OF_REACH, plural, scale_sentence

if TYPE_CHECKING:
    from policybrief.model.results import Results

__all__ = ["caveats", "method_text", "present_value_phrase"]


def present_value_phrase(results: Results) -> str:
    """How money summed over years is valued: ``present value at 5.0% a year`` or
    ``undiscounted`` (Settings ``discount_rate``)."""
    rate_ = results.inputs.settings.discount_rate
    return f"present value at {pct(rate_, digits=1)} a year" if rate_ > 0 else "undiscounted"


def caveats(results: Results) -> list[str]:
    """What the numbers do not say; shown on the method slide and in the brief."""
    s = results.inputs.settings
    low_conf = [
        p.name for p in results.inputs.parameters if p.confidence == "Low" and p.uncertain
    ] + [f"{lv.id} effect" for lv in results.inputs.levers if lv.confidence == "Low"]
    items = [
        (
            "Projections, not forecasts: each path follows from the workbook's assumptions; "
            "it is not a prediction of what will happen."
        ),
        _band_caveat(results),
        _correlation_caveat(results),
        (
            "Lever effects come from studies elsewhere or from judgement; interactions between "
            "levers run only through the model's factors."
        ),
        (
            f"Money is in {s.currency_label}, nominal as entered; fiscal cost is the "
            "government's outlay, not the economy-wide cost."
        ),
    ]
    if low_conf:
        # Most influential first; a long list is cut: the assumptions log has them all.
        rank = assumption_rank(results)
        low_conf.sort(key=lambda name: rank.get(name, len(rank) + 1))
        named = ", ".join(low_conf[:4])
        more = f" and {len(low_conf) - 4:,} more (see the assumptions log)"
        more = more if len(low_conf) > 4 else ""
        items.append(f"Low-confidence inputs, most influential first: {named}{more}.")
    return items


def _band_caveat(results: Results) -> str:
    sigma = results.inputs.parameter("shock_sd").central
    if sigma > 0:
        return (
            f"The {band_label(results)} band covers uncertainty in the listed parameters and "
            "lever effects and year-to-year shocks to revenue per worker (standard deviation "
            f"{pct(sigma, digits=1)} a year, as in the workbook); it leaves out breaks the record "
            "does not contain."
        )
    return (
        f"The {band_label(results)} band covers uncertainty in the listed parameters and lever "
        "effects only: with shock_sd at 0 there are no year-to-year shocks, so the band is "
        "narrower than the year-to-year swings of the record."
    )


def _correlation_caveat(results: Results) -> str:
    pairs = len(results.correlations)
    if not pairs:
        return "Inputs are sampled independently; correlated risks would widen the band."
    return (
        f"{plural(pairs, 'pair')} of inputs {'are' if pairs != 1 else 'is'} "
        "correlated as the Correlations sheet says (rank correlations); all other inputs are "
        "sampled independently."
    )


def method_text(results: Results) -> list[str]:
    """How the numbers were made, in plain words (one item per point).

    Items 2 and 3 (draws, band and chances) are also the uncertainty slide's side text; item 4
    states the probability scale every chance is worded on (``wording.LIKELIHOOD_SCALE``).
    """
    s = results.inputs.settings
    attribution = results.attribution[0].method if results.attribution else "exact"
    return [
        (
            "Exports = IT workforce × revenue per worker × realization share (recorded share of "
            "earned revenue), stepped year by year from "
            f"{s.year_label(s.base_year)} to {s.year_label(s.final_year)}."
        ),
        (
            "Each policy lever moves one factor: productivity growth (or, for a one-off gain or "
            "loss, its level), emigration, graduate absorption, new entrants, or realization; "
            "effects phase in after a lag over a ramp. Levers already in force in "
            f"{s.year_label(s.base_year)} are part of the base-year figures: ending one gains (or "
            "loses) what it was worth."
        ),
        (
            f"Uncertainty: {number(results.draws)} Monte Carlo draws (seed {results.seed}); every "
            "uncertain input is drawn from a Beta-PERT distribution over its Low–Central–High range, "
            "with the same draws for every scenario."
        ),
        (
            "Central paths use every input at Central and no shocks; the band shows "
            f"{band_label(results)} of the draws. A chance is the share of draws that reach "
            "the target; when none does, it is reported as no draw of the number run, below 3 in "
            "that number (95% confidence), and a target the most favourable end of every range "
            f"cannot reach is {OUT_OF_REACH}."
        ),
        scale_sentence(),
        (
            f"Money summed over the years is in {present_value_phrase(results)}; the return "
            f"is the export gain over {results.baseline.name} per extra fiscal dollar."
        ),
        f"Where the gain comes from: Shapley attribution ({attribution}) of final-year exports.",
        "What matters most: each uncertain input set to Low, then High, the rest at Central.",
        (
            f"What it would take: smallest scale of {package(s.headline_scenario)} giving at "
            f"least {chance(s.target_probability)} chance of each target "
            f"(up to {scale_text(s.goal_seek_max_scale)})."
        ),
    ]
