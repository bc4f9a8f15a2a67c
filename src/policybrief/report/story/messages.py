"""Generated sentences shared by the deck and the brief.

Every sentence is computed from the results and must stay true for any workbook: nothing here
assumes the headline scenario beats the baseline, that the baseline is called "current policy",
that a target is reachable, or that a package costs money. Numbers are formatted with
``report.story.formatting`` and chances, head counts and plurals with ``report.story.wording``, so the deck
and the brief say exactly the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from policybrief.model.goalseek import GOAL_SEEK_DRAWS
from policybrief.report.story.findings import cheapest_sentence, depends_sentence
from policybrief.report.story.formatting import money, pct, ratio
from policybrief.report.story.labels import (
    band_label,
    chance,
    change_label,
    final_exports,
    join_names,
    outcome_chance,
    package,
    rate,
    scale_text,
    scenario_ref,
    short_target,
    target_name,
)
from policybrief.report.story.method import caveats, method_text, present_value_phrase
from policybrief.report.story.wording import a_or_an, calibrated, people, total_over

if TYPE_CHECKING:
    from policybrief.model.results import GoalSeekResult, Results, ScenarioResult

__all__ = [
    "caveats",
    "comparison_clause",
    "contribution_sentence",
    "cost_sentence",
    "emigration_note",
    "gain_detail_sentence",
    "goal_seek_draws",
    "goal_seek_sentence",
    "growth_sentence",
    "headline_sentence",
    "key_messages",
    "method_text",
    "no_gain_sentence",
    "outlook_sentence",
    "present_value_phrase",
    "talent_sentence",
    "target_sentence",
]

#: Relative difference below which two amounts are reported as "the same".
_SAME = 1e-9


def _label(results: Results) -> str:
    return results.inputs.settings.currency_label


def _is_baseline(results: Results, scenario: ScenarioResult) -> bool:
    return scenario.name == results.inputs.settings.baseline_scenario


def comparison_clause(results: Results, value: float, reference: float) -> str:
    """``$1.2bn (18%) more than under Status quo`` / ``less`` / ``the same as``: the
    baseline scenario by its name."""
    base = results.inputs.settings.baseline_scenario
    diff = value - reference
    if abs(diff) <= _SAME * max(1.0, abs(reference)):
        return f"the same as under {base}"
    word = "more" if diff > 0 else "less"
    share = f" ({pct(abs(diff) / abs(reference))})" if reference else ""
    return f"{money(abs(diff), _label(results))}{share} {word} than under {base}"


def headline_sentence(results: Results) -> str:
    """Headline scenario's final-year exports, central and band, against the baseline."""
    s = results.inputs.settings
    head = results.headline
    central, lo, hi = final_exports(results, head)
    cur = money(central, s.currency_label)
    band = f"{band_label(results)}: {money(lo, s.currency_label)}–{money(hi, s.currency_label)}"
    if 50 in head.percentiles:
        median = float(head.percentiles[50]["exports"][-1])
        band = f"median of the simulations {money(median, s.currency_label)}; {band}"
    year = s.year_label(s.final_year) + " on central assumptions"
    if _is_baseline(results, head):
        return f"Under {head.name}, IT exports reach {cur} in {year} ({band})."
    base_central = float(results.baseline.central["exports"][-1])
    versus = comparison_clause(results, central, base_central)
    verdict = ""
    if central < base_central and abs(central - base_central) > _SAME * abs(base_central):
        verdict = f": {scenario_ref(head.name)} does worse than {results.baseline.name}"
    return (
        f"Under {scenario_ref(head.name)}, IT exports reach {cur} in {year} ({band}), "
        f"{versus} ({money(base_central, s.currency_label)}){verdict}."
    )


def growth_sentence(results: Results) -> str:
    """Growth a year of the headline and baseline, beside the historical record."""
    s = results.inputs.settings
    span = f"{s.year_label(s.base_year)}–{s.year_label(s.final_year)}"
    head = results.headline
    parts = [f"That is {rate(head.cagr)} over {span}"]
    if not _is_baseline(results, head):
        parts.append(f"against {rate(results.baseline_cagr)} under {s.baseline_scenario}")
    text = ", ".join(parts)
    hist = results.inputs.history
    if results.historical_cagr is not None and len(hist) >= 2:
        first, last = hist[0].year, hist[-1].year
        verb = "grew" if results.historical_cagr >= 0 else "fell"
        text += (
            f"; recorded exports {verb} {rate_plain(results.historical_cagr)} a year over "
            f"{s.year_label(first)}–{s.year_label(last)}"
        )
        recent = [
            f"{rate_plain(g)} over the last {n} years"
            for n, g in results.recent_cagr
            if n < last - first
        ]
        if recent:
            text += f" ({join_names(recent)})"
    return text + "."


def rate_plain(growth: float) -> str:
    """A growth rate with its sign only when negative: ``13.3%``, ``-2.0%``."""
    return pct(growth, digits=1)


def target_sentence(results: Results) -> str | None:
    """Chance of each target under the headline (and under the baseline); None if no targets.

    Each chance has its calibrated word (``report.story.wording``); a target beyond the most favourable
    corner of the workbook's ranges is "out of reach within the workbook's ranges", never a
    percentage; a reachable one says by when half the draws reach it. The baseline's chances
    name the targets by their short names.
    """
    if not results.targets:
        return None
    head, base = results.headline, results.baseline
    s = results.inputs.settings
    items = []
    for t in results.targets:
        o = head.outcomes[t.label]
        text = f"{target_name(results, t.label)}: {outcome_chance(o)}"
        if o.feasible and o.year_p50 is not None:
            text += f", reached by {s.year_label(o.year_p50)} in half the draws"
        items.append(text)
    text = f"Chance of meeting each target under {scenario_ref(head.name)}: " + "; ".join(items)
    if not _is_baseline(results, head):
        base_items = "; ".join(
            f"{short_target(t.label)} {outcome_chance(base.outcomes[t.label])}"
            for t in results.targets
        )
        text += f" (under {base.name}: {base_items})"
    return text + "."


def goal_seek_draws(results: Results) -> int:
    """Draws the goal seek judged its chances on (the run's first ``GOAL_SEEK_DRAWS``)."""
    return min(results.draws, GOAL_SEEK_DRAWS)


def _at_most(results: Results, result: GoalSeekResult) -> str:
    """``even at 10.0× the package``; or, when every cap binds below the largest scale tried,
    ``even with every lever of the package at its maximum (from 5.0×)``: beyond that scale
    nothing changes, so a larger multiple is never quoted."""
    s = results.inputs.settings
    pkg = package(result.scenario)
    sat = result.saturation_scale
    if sat is not None and sat < s.goal_seek_max_scale:
        return f"even with every lever of {pkg} at its maximum (from {sat:,.1f}×)"
    return f"even at {scale_text(s.goal_seek_max_scale)} {pkg}"


def goal_seek_sentence(results: Results, result: GoalSeekResult) -> str:
    """One target's goal-seek outcome as a full sentence (for notes and tables)."""
    s = results.inputs.settings
    pkg = package(result.scenario)
    n = goal_seek_draws(results)
    need = chance(s.target_probability)
    if not result.reachable or result.scale is None:
        return (
            f"{result.target} cannot be given {a_or_an(need)} chance: {_at_most(results, result)}, "
            f"meeting it is {calibrated(result.probability, n)}."
        )
    if result.scale <= 0:
        return (
            f"{result.target} already has a chance of at least {need} without any of {pkg}: "
            f"meeting it is {calibrated(result.probability, n)}."
        )
    cost = (
        f" (fiscal cost {money(result.annual_cost, s.currency_label)} in {s.year_label(result.year)})"
        if result.annual_cost
        else ""
    )
    return (
        f"{result.target} needs {scale_text(result.scale)} {pkg}{cost} "
        f"for a chance of at least {need}; at that scale, meeting it is "
        f"{calibrated(result.probability, n)}."
    )


def _goal_seek_summary(results: Results) -> str | None:
    if not results.goal_seek:
        return None
    s = results.inputs.settings
    pkg = package(s.headline_scenario)
    reach: list[str] = []
    out: list[GoalSeekResult] = []
    for g in results.goal_seek:
        if not g.reachable or g.scale is None:
            out.append(g)
        elif g.scale <= 0:
            reach.append(f"{short_target(g.target)} is met even without {pkg}")
        else:
            cost = f" ({money(g.annual_cost, s.currency_label)} a year)" if g.annual_cost else ""
            reach.append(f"{short_target(g.target)} needs {scale_text(g.scale)} {pkg}{cost}")
    parts = list(reach)
    if out:
        at_max = _at_most(results, out[0])
        if len(out) == len(results.goal_seek) > 1:
            best = max(g.probability for g in results.goal_seek)
            parts.append(
                f"no target gets that chance {at_max}; at best, meeting one is "
                f"{calibrated(best, goal_seek_draws(results))}"
            )
        else:
            names = join_names([short_target(g.target) for g in out])
            verb = "does" if len(out) == 1 else "do"
            parts.append(f"{names} {verb} not get that chance {at_max}")
    need = chance(s.target_probability)
    return f"What it would take (chance of at least {need}): " + "; ".join(parts) + "."


def cost_sentence(results: Results, scenario: ScenarioResult | None = None) -> str:
    """Fiscal cost, export gain and export dollars per fiscal dollar, summed over the horizon
    in present value (Settings ``discount_rate``); the sentence opens by saying so ("In total
    over FY26–FY35 …"), so a sum is never read as one year's figure."""
    s = results.inputs.settings
    sc = results.headline if scenario is None else scenario
    label, base = s.currency_label, results.baseline.name
    span = f"{s.year_label(s.base_year + 1)}–{s.year_label(s.final_year)}"
    opening = (
        f"{total_over(span)[0].upper()}{total_over(span)[1:]} ({present_value_phrase(results)})"
    )
    cost, gain, extra = sc.pv_cost, sc.pv_gain, sc.pv_extra_cost
    ref = scenario_ref(sc.name)
    if _is_baseline(results, sc):
        return f"{opening}, {sc.name} costs {money(cost, label)} in fiscal outlays."
    if abs(gain) <= _SAME * max(1.0, abs(cost)):
        effect = f"adds no exports over {base}"
    elif gain > 0:
        effect = f"adds {money(gain, label)} of exports over {base}"
    else:
        effect = f"loses {money(-gain, label)} of exports against {base}"
    if cost == 0:
        return f"{opening}, {ref} needs no fiscal outlay and {effect}."
    if cost < 0:
        return f"{opening}, {ref} saves {money(-cost, label)} in fiscal terms and {effect}."
    outlay = f"{opening}, {ref} costs {money(cost, label)}"
    if sc.gain_per_fiscal_dollar is None:  # no more than the baseline spends
        same = "the same as" if abs(extra) <= _SAME * cost else "less than"
        return f"{outlay}, {same} {base}, and {effect}."
    tail = (
        f": {ratio(sc.gain_per_fiscal_dollar)} of export sales per extra fiscal dollar (gross "
        "exports, not a return to the budget)"
        if gain > 0
        else ", so the extra spending does not pay back in exports"
    )
    more = f" ({money(extra, label)} more than {base})" if extra < cost else ""
    return f"{outlay}{more} and {effect}{tail}."


def gain_detail_sentence(results: Results, scenario: ScenarioResult | None = None) -> str | None:
    """Where the export gain comes from: new earnings or the recording of existing ones, and
    how much comes from levers that cost nothing. None for the baseline or no gain."""
    sc = results.headline if scenario is None else scenario
    if _is_baseline(results, sc) or sc.pv_gain <= 0:
        return None
    s = results.inputs.settings
    label = s.currency_label
    span = f"{s.year_label(s.base_year + 1)}–{s.year_label(s.final_year)}"
    parts = [
        (
            f"Of the {money(sc.pv_gain, label)} gain in recorded exports over "
            f"{results.baseline.name} {total_over(span)} ({present_value_phrase(results)}), "
            f"{money(sc.gain_new_earnings, label)} is new export earnings and "
            f"{money(sc.gain_reclassification, label)} is earnings already made that are now "
            "recorded (a higher realization share)"
        )
    ]
    if sc.costless_share is not None:
        parts.append(
            f"{pct(sc.costless_share)} of the {s.year_label(s.final_year)} gain alone comes from "
            "levers that cost the budget nothing"
        )
    return "; ".join(parts) + "."


def contribution_sentence(results: Results, lever_id: str, value: float) -> str:
    """One lever's part of the headline's final-year change, named by what the headline does
    with it: "Ending internet shutdowns and platform bans adds $942m to FY35 exports", never
    "Internet shutdowns adds …" (``labels.change_label``)."""
    s = results.inputs.settings
    name = change_label(results, s.headline_scenario, lever_id)
    verb = "adds" if value >= 0 else "takes away"
    where = "to" if value >= 0 else "from"
    return (
        f"{name} {verb} {money(abs(value), s.currency_label)} {where} "
        f"{s.year_label(s.final_year)} exports."
    )


def no_gain_sentence(results: Results) -> str:
    """Why there is no waterfall: the headline is the baseline, named as the workbook names it."""
    return (
        f"The headline scenario is the baseline, {results.baseline.name}: there is no gain to "
        "attribute."
    )


def key_messages(results: Results) -> list[str]:
    """Three to five generated sentences with the numbers that matter.

    Parameters
    ----------
    results
        What the engine computed.

    Returns
    -------
    list of str
        Headline exports against the baseline; growth against history; chance of each
        target; what it would take; fiscal cost and return. The target and goal-seek sentences
        are omitted when the workbook has no targets.
    """
    messages = [headline_sentence(results)]
    for extra in (
        target_sentence(results),
        cheapest_sentence(results) or _goal_seek_summary(results),
    ):
        if extra is not None:
            messages.append(extra)
    messages.append(cost_sentence(results))
    messages.append(depends_sentence(results) or growth_sentence(results))
    return messages


def outlook_sentence(results: Results) -> str:
    """One sentence on the export outlook of every scenario in the final year."""
    s = results.inputs.settings
    year = s.year_label(s.final_year)
    parts = [
        f"{sc.name} {money(float(sc.central['exports'][-1]), s.currency_label)}"
        for sc in results.scenarios
    ]
    base = money(float(results.baseline.central["exports"][0]), s.currency_label)
    return (
        f"From {base} in {s.year_label(s.base_year)}, central exports in {year}: "
        + "; ".join(parts)
        + "."
    )


def talent_sentence(results: Results) -> str:
    """Final-year workforce of the headline against the baseline, and emigrants averted in
    total over the projection years; head counts to three significant figures."""
    s = results.inputs.settings
    head, base = results.headline, results.baseline
    w_head = float(head.central["workforce"][-1])
    w_base = float(base.central["workforce"][-1])
    text = (
        f"Under {scenario_ref(head.name)} the IT workforce reaches {people(w_head)} in "
        f"{s.year_label(s.final_year)}"
    )
    if not _is_baseline(results, head):
        span = f"{s.year_label(s.base_year + 1)}–{s.year_label(s.final_year)}"
        text += f" ({base.name}: {people(w_base)})"
        averted = head.emigrants_averted
        if averted > 0:
            text += f"; {people(averted)} fewer professionals emigrate {total_over(span)}"
        elif averted < 0:
            text += f"; {people(-averted)} more professionals emigrate {total_over(span)}"
        else:
            text += "; emigration is unchanged"
    return text + "."


def emigration_note(results: Results) -> str | None:
    """Why a scenario has more emigrants than the baseline (a negative number averted), or
    None when none has: ``More professionals emigrate under Digital push (6,590 more in total
    over FY26–FY35) than under Current policy: its levers enlarge the workforce, and a larger
    workforce loses more people at the same emigration rate.``"""
    s = results.inputs.settings
    base = results.baseline
    span = f"{s.year_label(s.base_year + 1)}–{s.year_label(s.final_year)}"
    notes = []
    for sc in results.scenarios:
        if sc.name == base.name or round(sc.emigrants_averted) >= 0:
            continue
        same_rate = np.allclose(sc.central["emigration_rate"], base.central["emigration_rate"])
        why = (
            "its levers enlarge the workforce, and a larger workforce loses more people at the "
            "same emigration rate"
            if same_rate
            else "its levers raise the emigration rate or enlarge the workforce that it applies to"
        )
        notes.append(
            f"More professionals emigrate under {sc.name} ({people(-sc.emigrants_averted)} more "
            f"{total_over(span)}) than under {base.name}: {why}."
        )
    return " ".join(notes) or None
