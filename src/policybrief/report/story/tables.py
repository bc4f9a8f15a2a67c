"""The deck's and the brief's tables as rows of text: the scenario comparison, what it would
take, the levers, the assumptions log, the test against history and the cheapest packages.

Every row and every scenario column is kept, and names are never cut; the deck lays a table
out (``report.deck.table``) and continues it on the next slide when it does not fit
(``report.deck.continued``); the brief writes the same rows as Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policybrief.model.goalseek import GOAL_SEEK_DRAWS
from policybrief.report.story.assumptions import FLAG_TEXT, assumption_log
from policybrief.report.story.findings import package_text
from policybrief.report.story.formatting import money, number, pct
from policybrief.report.story.labels import (
    band_label,
    chance,
    final_exports,
    outcome_chance,
    quantity_label,
    scale_text,
    short_target,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policybrief.model.results import Results

__all__ = [
    "Table",
    "assumptions_table",
    "backtest_table",
    "cheapest_table",
    "comparison_table",
    "goal_seek_table",
    "levers_table",
    "table_rows",
]


@dataclass(frozen=True)
class Table:
    """Header, rows and relative column widths; ``note`` says what was left out."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    note: str = ""
    flagged: tuple[int, ...] = ()  #: row indexes to highlight
    left_aligned: tuple[int, ...] = (0,)  #: text columns; the others (numbers) align right


def _flat(text: str) -> str:
    """``text`` on one line (a cell wraps it)."""
    return " ".join(text.split())


def comparison_table(results: Results) -> Table:
    """One row per scenario: final-year exports, band, CAGR, every target's chance, cost,
    return (the deck continues the columns on a further slide when there are many targets)."""
    s = results.inputs.settings
    label = s.currency_label
    targets = results.targets
    year = s.year_label(s.final_year)
    header = (
        "Scenario",
        f"{year} exports",
        band_label(results),
        "CAGR",
        *(f"Chance: {_flat(short_target(t.label))}" for t in targets),
        "Fiscal cost (PV)" if s.discount_rate > 0 else "Fiscal cost (cum.)",
        "Exports per extra fiscal $",
    )
    rows = []
    dominated = {d.scenario for d in results.dominance if d.dominated}
    for sc in results.scenarios:
        central, lo, hi = final_exports(results, sc)
        rows.append(
            (
                _flat(sc.name) + (" (dominated)" if sc.name in dominated else ""),
                money(central, label),
                f"{money(lo, label)}–{money(hi, label)}",
                pct(sc.cagr, digits=1),
                *(outcome_chance(sc.outcomes[t.label], short=True) for t in targets),
                money(sc.pv_cost, label),
                _ratio_text(results, sc.name, sc.gain_per_fiscal_dollar),
            )
        )
    widths = (2.6, 1.3, 1.9, 0.9, *(1.3 for _ in targets), 1.5, 1.4)
    return Table(header, tuple(rows), widths)


def _ratio_text(results: Results, name: str, value: float | None) -> str:
    if name == results.inputs.settings.baseline_scenario:
        return "—"
    if value is None:
        return "n/a"
    return "loss" if value < 0 else f"{value:,.1f}×"


def goal_seek_table(results: Results) -> Table:
    """One row per target: value and year, growth needed, scale of the package, cost, chance."""
    s = results.inputs.settings
    label = s.currency_label
    growth = {t.label: t.required_growth for t in results.targets}
    rows = []
    n = min(results.draws, GOAL_SEEK_DRAWS)
    for g in results.goal_seek:
        if not g.reachable or g.scale is None:
            saturated = (
                g.saturation_scale is not None and g.saturation_scale < s.goal_seek_max_scale
            )
            verdict = (
                "No scale: every lever at its max falls short"
                if saturated
                else f"No scale up to {scale_text(s.goal_seek_max_scale)}"
            )
            cost = "—"
        elif g.scale <= 0:
            verdict = "Met without the package"
            cost = money(0.0, label)
        else:
            verdict = f"{scale_text(g.scale)} the package"
            cost = money(g.annual_cost or 0.0, label)
        rows.append(
            (
                _flat(g.target),
                f"{money(g.value, label)} in {s.year_label(g.year)}",
                pct(growth.get(g.target, float("nan")), digits=1) + " a year",
                verdict,
                cost,
                chance(g.probability, n),
            )
        )
    header = (
        "Target",
        "Goal",
        "Growth needed",
        "What it would take",
        "Cost in target year",
        "Chance at that scale",
    )
    return Table(header, tuple(rows), (2.6, 1.8, 1.6, 2.8, 1.4, 1.5), left_aligned=(0, 3))


def levers_table(results: Results) -> Table:
    """Lever intensities in every scenario, the annual cost at full ramp, and a total row.

    Every lever and every scenario: the deck splits the table over slides when it is long or
    wide (``deck_tables``).
    """
    inputs = results.inputs
    label = inputs.settings.currency_label
    scenarios = inputs.scenarios
    levers = list(inputs.levers)
    rows = []
    for lv in levers:
        cells = []
        for sc in scenarios:
            x = sc.intensity(lv.id)
            cost = money(lv.cost_per_unit * x, label)
            if lv.cost_share:
                share = f"{100 * lv.cost_share * x:.3g}% of exports"
                cost = share if not lv.cost_per_unit else f"{cost} + {share}"
            cells.append(f"{number(x, digits=1)} ({cost})" if x else "—")
        rows.append((_flat(lv.name or lv.id), lv.channel, *cells))
    totals = []
    for sc in scenarios:
        fixed_cost, of_exports = inputs.annual_cost(sc.name)
        fixed = money(fixed_cost, label)
        totals.append(f"{fixed} + {100 * of_exports:.3g}% of exports" if of_exports else fixed)
    rows.append(("Annual cost, all levers", "", *totals))
    header = ("Lever", "Channel", *(_flat(sc.name) for sc in scenarios))
    widths = (4.0, 1.3, *(1.7 for _ in scenarios))
    return Table(header, tuple(rows), widths, left_aligned=(0, 1))


def assumptions_table(results: Results) -> Table:
    """Parameters and lever effects by sensitivity rank, with range, source and confidence:
    every row of ``assumptions.assumption_log`` (the deck continues it on further slides).

    Ranked by ``labels.assumption_rank`` (total Sobol index on the gain); high-impact (top
    ``HIGH_IMPACT_RANK``), low-confidence rows are flagged.
    """
    entries = assumption_log(results)
    rows = []
    for a in entries:
        span = _span(a.low, a.high) if a.varied else "fixed"
        rows.append(
            (
                quantity_label(results, a.name, width=200),
                _num(a.central),
                span,
                _flat(a.source or "—"),
                a.confidence or "—",
                str(a.rank) if a.rank else "—",
                FLAG_TEXT if a.flagged else "",
            )
        )
    flagged = [i for i, a in enumerate(entries) if a.flagged]
    header = ("Assumption", "Central", "Range", "Source", "Confidence", "Sobol rank", "Flag")
    widths = (2.4, 1.0, 1.5, 3.6, 1.1, 0.6, 2.1)
    return Table(header, tuple(rows), widths, "", tuple(flagged), left_aligned=(0, 3, 4, 6))


def _span(low: float, high: float) -> str:
    """``2.0%–5.0%``; ``-5.0% to -1.0%`` when a dash would read as a minus sign."""
    sep = " to " if min(low, high) < 0 else "–"
    return f"{_num(low)}{sep}{_num(high)}"


def _num(value: float) -> str:
    """Compact number for the assumptions log: shares as %, large values with separators."""
    if value != 0 and abs(value) < 1:
        return pct(value, digits=1)
    if abs(value) >= 1000:
        return number(value)
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def table_rows(table: Table) -> Sequence[tuple[str, ...]]:
    """Header and rows together (for notes)."""
    return (table.header, *table.rows)


def backtest_table(results: Results) -> Table | None:
    """One row per hindcast start year: the fit figures (None when the test did not run)."""
    v = results.validation
    if v is None or v.skipped or not v.hindcasts:
        return None
    s = results.inputs.settings
    label = s.currency_label
    base = s.year_label(s.base_year)
    rows = []
    for h in v.hindcasts:
        how = "recorded" if h.workforce_from == "history" else "run back"
        rows.append(
            (
                f"From {s.year_label(h.start_year)}",
                f"{number(h.workforce_start)} ({how})",
                money(h.central[-1], label),
                money(h.recorded[-1] or 0.0, label),
                f"{h.error_pct:+.1f}%",
                f"{h.rmse_log:.3f}",
                f"{round(h.coverage * h.window)} of {h.window}",
                pct(h.suggested_productivity_growth, digits=1),
            )
        )
    header = (
        "Start",
        "Workforce at start",
        f"Modelled {base}",
        f"Recorded {base}",
        "Error",
        "RMSE (log)",
        "Years in P10–P90",
        "Growth that fits",
    )
    return Table(header, tuple(rows), (1.2, 2.2, 1.4, 1.4, 1.0, 1.1, 1.4, 1.4))


def cheapest_table(results: Results) -> Table | None:
    """One row per target: the cheapest package, its PV cost and its chance (None without)."""
    if not results.cheapest:
        return None
    label = results.inputs.settings.currency_label
    rows = []
    for c in results.cheapest:
        best = ""
        if not c.feasible or c.pv_cost is None:
            package, cost = "none within the levers' maximum intensities", "—"
            best = "best "
        else:
            package, cost = package_text(results, c.intensities), money(c.pv_cost, label)
        status = {"ok": "", "borderline": " (borderline)", "failed": " (search failed)"}
        rows.append(
            (
                _flat(c.target),
                package,
                cost,
                best + chance(c.probability, c.draws) + status.get(c.status, ""),
            )
        )
    header = ("Target", "Cheapest package (intensity)", "Cost (PV)", "Chance")
    return Table(header, tuple(rows), (2.4, 6.0, 1.3, 1.6), left_aligned=(0, 1))
