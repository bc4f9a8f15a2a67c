"""What the v2 analyses found, in words: the test against history, what the decision depends
on (Sobol indices, PRIM boxes) and the cheapest way to the targets (cheapest package, frontier,
dominance). The deck, the brief and the key messages (``messages.py``) all take these sentences
from here, so they cannot disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from policybrief.model.sobol import SHOCKS_LABEL as SHOCKS
from policybrief.report.story.formatting import money, pct
from policybrief.report.story.labels import (
    chance,
    input_value,
    join_names,
    scenario_ref,
    short_quantity,
    short_target,
    target_name,
)
from policybrief.report.story.wording import calibrated

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policybrief.domain import Settings
    from policybrief.model.results import Results, SobolRow

__all__ = [
    "cheapest_sentence",
    "depends_sentence",
    "discovery_sentences",
    "dominance_sentence",
    "frontier_sentence",
    "package_text",
    "sobol_output",
    "sobol_subject",
    "validation_caveat",
    "validation_sentences",
]


def sobol_output(results: Results) -> tuple[str, list[SobolRow]]:
    """The Sobol output the decision is judged on: the gain, or exports when it cannot vary."""
    gain = [r for r in results.sobol if r.output == "gain"]
    if gain and any(r.total > 0 for r in gain):
        return "gain", gain
    return "exports", [r for r in results.sobol if r.output == "exports"]


def sobol_subject(results: Results) -> str:
    """What the Sobol indices split: ``the FY35 gain of the Reform package over Current policy``,
    ``the FY38 shortfall of the Shutdowns scenario against Status quo`` when the headline is
    worse, or ``FY35 exports under …`` when the gain cannot vary."""
    output, _rows = sobol_output(results)
    head, base = results.headline.name, results.baseline.name
    year = results.inputs.settings.year_label(results.inputs.settings.final_year)
    if output != "gain":
        return f"{year} exports under {scenario_ref(head)}"
    final = float(results.headline.central["exports"][-1])
    if final < float(results.baseline.central["exports"][-1]):
        return f"the {year} shortfall of {scenario_ref(head)} against {base}"
    return f"the {year} gain of {scenario_ref(head)} over {base}"


def depends_sentence(results: Results) -> str | None:
    """The assumption the decision depends on most (total Sobol index), in words; None without
    uncertain inputs."""
    _output, rows = sobol_output(results)
    inputs = [r for r in rows if r.parameter != SHOCKS]
    if not inputs or max(r.total for r in inputs) <= 0:
        return None
    top = max(inputs, key=lambda r: r.total)
    what = sobol_subject(results)
    named = (
        f"{short_quantity(results, top.parameter)} ({pct(top.total)} of its variance, total "
        "Sobol index)"
    )
    shocks = next((r for r in rows if r.parameter == SHOCKS), None)
    if shocks is not None and shocks.total > top.total:
        # The shocks lead: say so first, then the input a reader can check or change.
        return (
            f"The size of {what} varies most with the year-to-year shocks ({pct(shocks.total)} "
            "of its variance, total Sobol index), sized to the record's volatility and beyond "
            f"any policy; of the workbook's other assumptions, with {named}."
        )
    return f"Of the workbook's assumptions, the size of {what} varies most with {named}."


def _start(year: int, settings: Settings) -> str:
    return f"from {settings.year_label(year)}"


def validation_sentences(results: Results) -> list[str]:
    """What the test against history found, in words (MODEL.md "Validation against history").

    The first sentence is the verdict for the earliest start year; then the band coverage, the
    one-year-ahead check, history's volatility beside the shocks, and the suggested
    productivity growth. A skipped validation says why.
    """
    v = results.validation
    if v is None:
        return []
    if v.skipped:
        return [f"The model was not tested against history: {v.skipped}."]
    s = results.inputs.settings
    label = s.currency_label
    base = s.year_label(s.base_year)
    first, *rest = v.hindcasts
    recorded = first.recorded[-1] or 0.0
    text = [
        (
            f"Run {_start(first.start_year, s)} with the base-year rates and no new policy, the "
            f"model reaches {money(first.central[-1], label)} in {base} against "
            f"{money(recorded, label)} recorded ({first.error_pct:+.1f}%)"
            + "".join(f"; {_start(h.start_year, s)}: {h.error_pct:+.1f}%" for h in rest)
            + "."
        ),
        "Recorded years inside the model's P10–P90 band: "
        + "; ".join(
            f"{_start(h.start_year, s)}, {round(h.coverage * h.window)} of {h.window}"
            for h in v.hindcasts
        )
        + ".",
    ]
    low, high = v.growth_band
    sd = f"{pct(v.history_sd, digits=1)}" if v.history_sd is not None else "n/a"
    text.append(
        f"One year ahead, {v.growth_inside} of {v.growth_count} recorded annual growth rates "
        f"fall inside the band of the first projected year's growth ({pct(low)} to "
        f"{pct(high)}); recorded growth varies by {sd} a year (standard deviation of log "
        f"growth) against year-to-year shocks of {pct(v.shock_sd, digits=1)} in the workbook."
    )
    text.append(
        "The productivity growth that reproduces the record exactly is "
        + ", ".join(
            f"{pct(h.suggested_productivity_growth, digits=1)} {_start(h.start_year, s)}"
            for h in v.hindcasts
        )
        + f"; the workbook uses {pct(v.productivity_growth, digits=1)}."
    )
    return text


def validation_caveat(results: Results, *, refer: bool = True) -> str | None:
    """One sentence when the validation fails a threshold, else None; ``refer`` adds where to
    read more (for the key messages, not for the validation slide itself)."""
    v = results.validation
    if v is None or v.skipped or not v.warnings:
        return None
    where = " (see “Does the model reproduce history?”)" if refer else ""
    return "Caution from the test against history: " + "; ".join(v.warnings) + where + "."


def discovery_sentences(results: Results) -> list[str]:
    """Scenario discovery (PRIM) in plain words, one sentence per target with a box.

    "Uraan … is unlikely (19%) under the Reform package; with non-graduate entrants above 11.4%
    and productivity growth above 8.5% (as in 54% of the draws that meet it), the target is
    unlikely (31%)." Chances are calibrated (``wording.calibrated``), like every chance in a sentence.
    """
    out = []
    for d in results.discovery:
        name = target_name(results, d.target)
        head = f"{name} is {calibrated(d.chance)} under {scenario_ref(d.scenario)}"
        if not d.restrictions:
            out.append(f"{head}; no combination of the workbook's inputs singles those draws out.")
            continue
        parts = []
        for r in d.restrictions:
            what = short_quantity(results, r.label)
            if r.lower is not None and r.upper is not None:
                bound = (
                    f"between {input_value(results, r.label, r.lower)} and "
                    f"{input_value(results, r.label, r.upper)}"
                )
            elif r.lower is not None:
                bound = f"above {input_value(results, r.label, r.lower)}"
            else:
                bound = f"below {input_value(results, r.label, r.upper or 0.0)}"
            parts.append(f"{what} {bound}")
        listed = join_names(parts)
        out.append(
            f"{head}; with {listed} (as in {pct(d.coverage)} of the draws that meet it), the "
            f"target is {calibrated(d.density)}."
        )
    return out


def package_text(results: Results, intensities: Sequence[tuple[str, float]]) -> str:
    """A package in words: each lever it uses with its intensity, ``R&D tax credit 1.7``;
    intensities below 0.05 are left out, so a trace of a lever does not clutter the list."""
    names = {lv.id: lv.name for lv in results.inputs.levers}
    used = [(names.get(i, i), x) for i, x in intensities if x >= 0.05]
    return ", ".join(f"{name} {x:.1f}" for name, x in used) or "no lever"


def cheapest_sentence(results: Results) -> str | None:
    """The cheapest package per target (MODEL.md v2), for the key messages; None without
    targets. Targets no package can give the required chance are said so, with the best chance
    there is (calibrated). Targets go by their short names: the key message before this one
    has already named them in full."""
    if not results.cheapest:
        return None
    s = results.inputs.settings
    need = chance(s.target_probability)
    found, none = [], []
    for c in results.cheapest:
        name = short_target(c.target)
        if not c.feasible or c.pv_cost is None:
            none.append((name, calibrated(c.probability, c.draws)))
            continue
        caveat = " (borderline: within sampling error)" if c.status == "borderline" else ""
        found.append(f"{name} for {money(c.pv_cost, s.currency_label)} in present value{caveat}")
    parts = []
    if found:
        parts.append(
            f"The cheapest package giving a chance of at least {need}: " + "; ".join(found)
        )
    if none:
        which = "any target" if not found else join_names([n for n, _ in none])
        best = join_names([f"{n} {c}" for n, c in none])
        parts.append(
            f"no combination of the levers, even all at their maximum intensity, gives {which} "
            f"a chance of {need}; at best, {best}"
        )
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def dominance_sentence(results: Results) -> str | None:
    """Which scenarios are dominated (another costs no more and gives no less), or None."""
    dominated = [d for d in results.dominance if d.dominated]
    if not dominated:
        return None
    items = [f"{d.scenario} (by {d.dominated_by})" for d in dominated]
    verb = "is" if len(items) == 1 else "are"
    return (
        f"{join_names(items)} {verb} dominated: another scenario costs no more in present "
        "value and gives no lower central exports in the final year."
    )


def frontier_sentence(results: Results) -> str | None:
    """The headline against the frontier: what its budget could buy, and what its exports cost."""
    fr = results.frontier
    if fr is None:
        return None
    head = next((f for f in fr.scenarios if f.scenario == results.headline.name), None)
    if head is None:
        return None
    label = results.inputs.settings.currency_label
    year = results.inputs.settings.year_label(results.inputs.settings.final_year)
    text = (
        f"For its cost ({money(head.pv_cost, label)} in present value), the best package reaches "
        f"{money(head.best_exports, label)} in {year} against {money(head.exports, label)} under "
        f"{scenario_ref(head.scenario)}"
    )
    if head.least_cost is not None and head.least_cost < head.pv_cost:
        text += (
            f"; on the workbook's assumptions the same {year} exports can be had for "
            f"{money(head.least_cost, label)} with {package_text(results, head.package)} (every "
            "other lever with a maximum at 0)"
        )
    return text + "."
