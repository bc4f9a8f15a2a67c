"""Generated sentences shared by the deck and the brief.

Every sentence is computed from the results and must stay true for any workbook: nothing here
assumes the headline scenario beats current policy, that a target is reachable, or that a
package costs money. Numbers are formatted with ``report.formatting`` so the deck and the brief
say exactly the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from policybrief.model.goalseek import GOAL_SEEK_DRAWS
from policybrief.report.findings import cheapest_sentence, depends_sentence
from policybrief.report.formatting import fy_label, money, number, pct, ratio
from policybrief.report.labels import (
    assumption_rank,
    band_label,
    chance,
    final_exports,
    join_names,
    outcome_chance,
    package,
    rate,
    scale_text,
    scenario_ref,
    target_name,
)

if TYPE_CHECKING:
    from policybrief.model.results import GoalSeekResult, Results, ScenarioResult

__all__ = [
    "caveats",
    "comparison_clause",
    "cost_sentence",
    "gain_detail_sentence",
    "goal_seek_draws",
    "goal_seek_sentence",
    "growth_sentence",
    "headline_sentence",
    "key_messages",
    "method_text",
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
    """``$1.2bn (18%) more than current policy`` / ``less`` / ``the same as``."""
    base = results.inputs.settings.baseline_scenario
    diff = value - reference
    if abs(diff) <= _SAME * max(1.0, abs(reference)):
        return f"the same as under {base}"
    word = "more" if diff > 0 else "less"
    share = f" ({pct(abs(diff) / abs(reference))})" if reference else ""
    return f"{money(abs(diff), _label(results))}{share} {word} than under {base}"


def headline_sentence(results: Results) -> str:
    """Headline scenario's final-year exports, central and band, against current policy."""
    s = results.inputs.settings
    head = results.headline
    central, lo, hi = final_exports(results, head)
    cur = money(central, s.currency_label)
    band = f"{band_label(results)}: {money(lo, s.currency_label)}–{money(hi, s.currency_label)}"
    if 50 in head.percentiles:
        median = float(head.percentiles[50]["exports"][-1])
        band = f"median of the simulations {money(median, s.currency_label)}; {band}"
    year = fy_label(s.final_year) + " on central assumptions"
    if _is_baseline(results, head):
        return f"Under {head.name}, IT exports reach {cur} in {year} ({band})."
    base_central = float(results.baseline.central["exports"][-1])
    versus = comparison_clause(results, central, base_central)
    verdict = ""
    if central < base_central and abs(central - base_central) > _SAME * abs(base_central):
        verdict = f": {scenario_ref(head.name)} does worse than current policy"
    return (
        f"Under {scenario_ref(head.name)}, IT exports reach {cur} in {year} ({band}), "
        f"{versus} ({money(base_central, s.currency_label)}){verdict}."
    )


def growth_sentence(results: Results) -> str:
    """Growth a year of the headline and baseline, beside the historical record."""
    s = results.inputs.settings
    span = f"{fy_label(s.base_year)}–{fy_label(s.final_year)}"
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
            f"{fy_label(first)}–{fy_label(last)}"
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
    """Chance of each target under the headline (and under current policy); None if no targets.

    A target beyond the most favourable corner of the workbook's ranges is "out of reach within
    the workbook's ranges", never a percentage; a reachable one says by when half the draws
    reach it.
    """
    if not results.targets:
        return None
    head, base = results.headline, results.baseline
    items = []
    for t in results.targets:
        o = head.outcomes[t.label]
        text = f"{target_name(results, t.label)}: {outcome_chance(o)}"
        if o.feasible and o.year_p50 is not None:
            text += f", reached by {fy_label(o.year_p50)} in half the draws"
        items.append(text)
    text = f"Chance of meeting each target under {scenario_ref(head.name)}: " + "; ".join(items)
    if not _is_baseline(results, head):
        base_items = ", ".join(
            outcome_chance(base.outcomes[t.label], short=True) for t in results.targets
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
    if not result.reachable or result.scale is None:
        return (
            f"{result.target} is out of reach: {_at_most(results, result)}, the chance is only "
            f"{chance(result.probability, n)}."
        )
    if result.scale <= 0:
        return (
            f"{result.target} is met with a {chance(result.probability, n)} chance "
            f"without any of {pkg}."
        )
    cost = (
        f" (fiscal cost {money(result.annual_cost, s.currency_label)} in {fy_label(result.year)})"
        if result.annual_cost
        else ""
    )
    return (
        f"{result.target} needs {scale_text(result.scale)} {pkg}{cost} "
        f"for a chance of at least {chance(s.target_probability)} "
        f"(reached: {chance(result.probability, n)})."
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
            reach.append(f"{g.target} is met even without {pkg}")
        else:
            cost = f" ({money(g.annual_cost, s.currency_label)} a year)" if g.annual_cost else ""
            reach.append(f"{g.target} needs {scale_text(g.scale)} {pkg}{cost}")
    parts = list(reach)
    if out:
        at_max = _at_most(results, out[0])
        if len(out) == len(results.goal_seek) > 1:
            best = max(g.probability for g in results.goal_seek)
            parts.append(
                f"{'both' if len(out) == 2 else f'all {len(out)}'} targets are out of reach "
                f"{at_max} (best chance: {chance(best, goal_seek_draws(results))})"
            )
        else:
            verb = "is" if len(out) == 1 else "are"
            parts.append(f"{join_names([g.target for g in out])} {verb} out of reach {at_max}")
    need = chance(s.target_probability)
    return f"What it would take (chance of at least {need}): " + "; ".join(parts) + "."


def present_value_phrase(results: Results) -> str:
    """How money summed over years is valued: ``present value at 5.0% a year`` or
    ``undiscounted`` (Settings ``discount_rate``)."""
    rate_ = results.inputs.settings.discount_rate
    return f"present value at {pct(rate_, digits=1)} a year" if rate_ > 0 else "undiscounted"


def cost_sentence(results: Results, scenario: ScenarioResult | None = None) -> str:
    """Fiscal cost, export gain and export dollars per fiscal dollar, summed over the horizon
    in present value (Settings ``discount_rate``)."""
    s = results.inputs.settings
    sc = results.headline if scenario is None else scenario
    label = s.currency_label
    span = f"{fy_label(s.base_year + 1)}–{fy_label(s.final_year)}"
    valued = f" ({present_value_phrase(results)})"
    cost, gain, extra = sc.pv_cost, sc.pv_gain, sc.pv_extra_cost
    ref = scenario_ref(sc.name)[0].upper() + scenario_ref(sc.name)[1:]
    if _is_baseline(results, sc):
        return f"{sc.name} costs {money(cost, label)} in fiscal outlays over {span}{valued}."
    if abs(gain) <= _SAME * max(1.0, abs(cost)):
        effect = "adds no exports over current policy"
    elif gain > 0:
        effect = f"adds {money(gain, label)} of exports over current policy"
    else:
        effect = f"loses {money(-gain, label)} of exports against current policy"
    if cost == 0:
        return f"{ref} needs no fiscal outlay over {span} and {effect}{valued}."
    if cost < 0:
        return (
            f"{ref} saves {money(-cost, label)} in fiscal terms over {span} and {effect}{valued}."
        )
    outlay = f"{ref} costs {money(cost, label)} over {span}"
    if sc.gain_per_fiscal_dollar is None:  # no more than current policy spends
        same = "the same as" if abs(extra) <= _SAME * cost else "less than"
        return f"{outlay}, {same} current policy, and {effect}{valued}."
    tail = (
        f": {ratio(sc.gain_per_fiscal_dollar)} of export sales per extra fiscal dollar (gross "
        "exports, not a return to the budget)"
        if gain > 0
        else ", so the extra spending does not pay back in exports"
    )
    more = f" ({money(extra, label)} more than current policy)" if extra < cost else ""
    return f"{outlay}{more} and {effect}{valued}{tail}."


def gain_detail_sentence(results: Results, scenario: ScenarioResult | None = None) -> str | None:
    """Where the export gain comes from: new earnings or the recording of existing ones, and
    how much comes from levers that cost nothing. None for the baseline or no gain."""
    sc = results.headline if scenario is None else scenario
    if _is_baseline(results, sc) or sc.pv_gain <= 0:
        return None
    label = results.inputs.settings.currency_label
    parts = [
        (
            f"Of the {money(sc.pv_gain, label)} gain in recorded exports over current policy "
            f"({present_value_phrase(results)}), {money(sc.gain_new_earnings, label)} is new export "
            f"earnings and {money(sc.gain_reclassification, label)} is earnings already made that "
            "are now recorded (a higher realization share)"
        )
    ]
    if sc.costless_share is not None:
        parts.append(
            f"{pct(sc.costless_share)} of the {fy_label(results.inputs.settings.final_year)} "
            "gain comes from levers that cost the budget nothing"
        )
    return "; ".join(parts) + "."


def key_messages(results: Results) -> list[str]:
    """Three to five generated sentences with the numbers that matter.

    Parameters
    ----------
    results
        What the engine computed.

    Returns
    -------
    list of str
        Headline exports against current policy; growth against history; chance of each
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
    year = fy_label(s.final_year)
    parts = [
        f"{sc.name} {money(float(sc.central['exports'][-1]), s.currency_label)}"
        for sc in results.scenarios
    ]
    base = money(float(results.baseline.central["exports"][0]), s.currency_label)
    return (
        f"From {base} in {fy_label(s.base_year)}, central exports in {year}: "
        + "; ".join(parts)
        + "."
    )


def people(count: float) -> str:
    """A head count to the precision a projection supports: ``1.48 million``, ``612,000``."""
    if abs(count) >= 1e6:
        return f"{count / 1e6:.3g} million"
    if abs(count) >= 1000:
        return f"{float(f'{count:.3g}'):,.0f}"
    return number(count)


def talent_sentence(results: Results) -> str:
    """Final-year workforce of the headline against current policy, and emigrants averted."""
    s = results.inputs.settings
    head, base = results.headline, results.baseline
    w_head = float(head.central["workforce"][-1])
    w_base = float(base.central["workforce"][-1])
    text = (
        f"Under {scenario_ref(head.name)} the IT workforce reaches {people(w_head)} in "
        f"{fy_label(s.final_year)}"
    )
    if not _is_baseline(results, head):
        text += f" ({s.baseline_scenario}: {people(w_base)})"
        averted = head.emigrants_averted
        if averted > 0:
            text += f"; {number(averted)} fewer professionals emigrate over the horizon"
        elif averted < 0:
            text += f"; {number(-averted)} more professionals emigrate over the horizon"
        else:
            text += "; emigration is unchanged"
    return text + "."


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
        more = (
            f" and {len(low_conf) - 4} more (see the assumptions log)" if len(low_conf) > 4 else ""
        )
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
        f"{pairs} pair{'s' if pairs != 1 else ''} of inputs {'are' if pairs != 1 else 'is'} "
        "correlated as the Correlations sheet says (rank correlations); all other inputs are "
        "sampled independently."
    )


def method_text(results: Results) -> list[str]:
    """How the numbers were made, in plain words (one item per point)."""
    s = results.inputs.settings
    attribution = results.attribution[0].method if results.attribution else "exact"
    return [
        (
            "Exports = IT workforce × revenue per worker × realization share (recorded share of "
            "earned revenue), stepped year by year from "
            f"{fy_label(s.base_year)} to {fy_label(s.final_year)}."
        ),
        (
            "Each policy lever moves one factor: productivity growth (or, for a one-off gain or "
            "loss, its level), emigration, graduate absorption, new entrants, or realization; "
            "effects phase in after a lag over a ramp. Levers already in force in "
            f"{fy_label(s.base_year)} are part of the base-year figures: ending one gains (or "
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
            "the target; when none does, it is reported as below 3 in the number of draws "
            "(95% confidence), and a target the most favourable end of every range cannot "
            "reach is out of reach within the workbook's ranges."
        ),
        (
            f"Money summed over the years is in {present_value_phrase(results)}; the return "
            "is the export gain over current policy per extra fiscal dollar."
        ),
        f"Where the gain comes from: Shapley attribution ({attribution}) of final-year exports.",
        "What matters most: each uncertain input set to Low, then High, the rest at Central.",
        (
            f"What it would take: smallest scale of {package(s.headline_scenario)} giving at "
            f"least {chance(s.target_probability)} chance of each target "
            f"(up to {scale_text(s.goal_seek_max_scale)})."
        ),
    ]
