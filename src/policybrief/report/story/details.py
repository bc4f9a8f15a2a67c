"""The detail lines the deck shows beside its charts and in its speaker notes: what each target
needs, the central path and its band, the tornado's swings, the talent pipeline by scenario,
what the comparison's cost columns and the goal-seek scale mean. Worded here, with the exact
numbers, so the deck lays them out and words none of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policybrief.report.story.formatting import money, number
from policybrief.report.story.labels import (
    band_label,
    chance,
    final_exports,
    quantity_label,
    scale_text,
    short_target,
)
from policybrief.report.story.messages import comparison_clause

if TYPE_CHECKING:
    from policybrief.model.results import Results
    from policybrief.report.context import BuildInfo

__all__ = [
    "band_line",
    "comparison_note",
    "goal_seek_note",
    "headline_versus",
    "provenance_line",
    "sobol_lines",
    "talent_lines",
    "target_lines",
    "tornado_lines",
    "tornado_side",
]


def target_lines(results: Results, *, short: bool = False) -> list[str]:
    """What each target needs: ``PM target: $25bn in FY29 needs 26.4% a year from FY25.``;
    ``short``: the first three, by short name, without the value."""
    s = results.inputs.settings
    start = s.year_label(s.base_year)
    if short:
        return [
            f"{short_target(t.label)} needs {t.required_growth * 100:.1f}% a year from {start}."
            for t in results.targets[:3]
        ]
    return [
        f"{t.label}: {money(t.value, s.currency_label)} in {s.year_label(t.year)} needs "
        f"{t.required_growth * 100:.1f}% a year from {start}."
        for t in results.targets
    ]


def headline_versus(results: Results) -> str | None:
    """``Reform package in FY35: $4.1bn (20%) more than under Current policy.``; None when the
    headline is the baseline."""
    head, base = results.headline, results.baseline
    if head.name == base.name:
        return None
    s = results.inputs.settings
    versus = comparison_clause(
        results, float(head.central["exports"][-1]), float(base.central["exports"][-1])
    )
    return f"{head.name} in {s.year_label(s.final_year)}: {versus}."


def band_line(results: Results) -> str:
    """``Central path: $24.8bn in FY35; P10–P90 range $13.6bn to $37.5bn.``"""
    s = results.inputs.settings
    central, lo, hi = final_exports(results, results.headline)
    unit, band = s.currency_label, band_label(results)
    return (
        f"Central path: {money(central, unit)} in {s.year_label(s.final_year)}; {band} range "
        f"{money(lo, unit)} to {money(hi, unit)}."
    )


def comparison_note(results: Results, valued: str) -> str:
    """What the comparison's cost and return columns mean (``valued``: how money is valued)."""
    s = results.inputs.settings
    base = s.baseline_scenario
    return (
        f"Fiscal cost: over {s.year_label(s.base_year + 1)}–{s.year_label(s.final_year)}, "
        f"{valued}. Exports per extra fiscal $: export gain over {base} divided by the cost "
        f"above {base}'s, both on the same basis (n/a: it spends no more)."
    )


def tornado_lines(results: Results) -> list[str]:
    """The ten largest swings with their Low and High exports (the notes)."""
    unit = results.inputs.settings.currency_label
    return [
        f"{quantity_label(results, r.parameter, width=200)} ({r.parameter}): "
        f"Low {r.low:g} -> {money(r.exports_at_low, unit)}; "
        f"High {r.high:g} -> {money(r.exports_at_high, unit)} (swing {money(r.swing, unit)})"
        for r in results.sensitivity[:10]
    ]


def tornado_side(results: Results) -> list[str]:
    """How to read the tornado, and its three largest swings."""
    s = results.inputs.settings
    year, unit = s.year_label(s.final_year), s.currency_label
    return [
        f"Bars show {year} exports with one input at its Low or High value, the rest at Central.",
        *(
            f"{i + 1}. {quantity_label(results, r.parameter, width=200)} moves {year} "
            f"exports by {money(r.swing, unit)}"
            for i, r in enumerate(results.sensitivity[:3])
        ),
    ]


def talent_lines(results: Results) -> list[str]:
    """Each scenario's final-year workforce and emigrants averted (the notes)."""
    s = results.inputs.settings
    return [
        f"{sc.name}: workforce {number(float(sc.central['workforce'][-1]))} in "
        f"{s.year_label(s.final_year)}, emigrants averted {number(sc.emigrants_averted)}"
        for sc in results.scenarios
    ]


def goal_seek_note(results: Results) -> str:
    """What the goal-seek scale means."""
    s = results.inputs.settings
    return (
        f"Scale = multiple of every {s.headline_scenario} lever intensity (capped at each "
        f"lever's maximum) needed for a chance of at least {chance(s.target_probability)} of "
        f"meeting the target; searched up to {scale_text(s.goal_seek_max_scale)}."
    )


def sobol_lines(results: Results) -> list[str]:
    """The Sobol indices of the gain with their 95% bounds (the notes), at most twelve."""
    return [
        f"{r.output}: {r.parameter}: total {r.total:.3f} "
        f"({r.total_ci_low:.3f}–{r.total_ci_high:.3f}), first order {r.first_order:.3f}"
        for r in results.sobol
        if r.output == "gain"
    ][:12]


def provenance_line(results: Results, info: BuildInfo) -> str:
    """What this build was made from: the workbook and its sha256, seed, draws, version, date."""
    return (
        f"Workbook {info.workbook_name}, sha256 {info.workbook_sha256}; seed "
        f"{results.seed}; {results.draws:,} draws; policybrief {info.version}; built "
        f"{info.build_date}."
    )
