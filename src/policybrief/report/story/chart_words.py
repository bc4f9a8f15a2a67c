"""The words of the main story's charts: each one's alt text, which states its key number so
the brief and the deck read correctly without images, and the rows the bar charts show. No
matplotlib here. Which charts exist, with their titles, is ``report.charts.CHARTS``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policybrief.report.story.findings import sobol_output
from policybrief.report.story.formatting import money
from policybrief.report.story.labels import change_label, quantity_label
from policybrief.report.story.titles import headline_attribution
from policybrief.report.story.wording import people

if TYPE_CHECKING:
    from policybrief.model.results import Results, SobolRow

__all__ = [
    "TOP_BARS",
    "ChartSpec",
    "backtest_alt",
    "fan_alt",
    "frontier_alt",
    "headline_contributions",
    "outlook_alt",
    "sobol_alt",
    "sobol_rows",
    "tornado_alt",
    "waterfall_alt",
    "workforce_alt",
]

#: The most inputs a tornado or Sobol chart shows.
TOP_BARS = 10


@dataclass(frozen=True)
class ChartSpec:
    """A chart of the brief: file name (``charts/<name>.png``), title and alt text."""

    name: str
    title: str
    alt: str

    @property
    def filename(self) -> str:
        """Path relative to the output folder, e.g. ``charts/outlook.png``."""
        return f"charts/{self.name}.png"


def headline_contributions(results: Results) -> tuple[tuple[str, float], ...]:
    """The headline's contributions by lever (lever id, value), empty when it has none."""
    att = headline_attribution(results)
    return () if att is None else att.contributions


def _final(metric: str, scenario: Any) -> float:
    return float(scenario.central[metric][-1])


def outlook_alt(results: Results) -> str:
    s = results.inputs.settings
    unit, head, base = s.currency_label, results.headline, results.baseline
    return (
        f"Exports by scenario to {s.year_label(s.final_year)}: {head.name} reaches "
        f"{money(_final('exports', head), unit)} against "
        f"{money(_final('exports', base), unit)} under {base.name}."
    )


def fan_alt(results: Results) -> str:
    s = results.inputs.settings
    unit, head = s.currency_label, results.headline
    lo, hi = s.band
    band_lo = float(head.percentiles[lo]["exports"][-1])
    band_hi = float(head.percentiles[hi]["exports"][-1])
    return (
        f"Fan chart of {head.name}: {s.year_label(s.final_year)} exports "
        f"{money(_final('exports', head), unit)} central, "
        f"P{lo}–P{hi} {money(band_lo, unit)}–{money(band_hi, unit)}."
    )


def waterfall_alt(results: Results) -> str:
    s = results.inputs.settings
    unit, head, base = s.currency_label, results.headline, results.baseline
    contribs = headline_contributions(results)
    if not contribs:
        return f"{head.name} uses the same levers as {base.name}: no gain to attribute."
    top_id, top_val = max(contribs, key=lambda c: abs(c[1]))
    return (
        f"Waterfall from {base.name} ({money(_final('exports', base), unit)}) to "
        f"{head.name} ({money(_final('exports', head), unit)}) in "
        f"{s.year_label(s.final_year)}; the largest contribution is "
        f"{change_label(results, head.name, top_id)} ({money(top_val, unit)})."
    )


def tornado_alt(results: Results) -> str:
    if not results.sensitivity:
        return "No uncertain quantities: every input is fixed, so there is no tornado."
    s = results.inputs.settings
    top = results.sensitivity[0]
    return (
        f"Tornado of {s.year_label(s.final_year)} exports under {results.headline.name}: "
        f"{quantity_label(results, top.parameter)} matters most, moving exports from "
        f"{money(top.exports_at_low, s.currency_label)} to "
        f"{money(top.exports_at_high, s.currency_label)}."
    )


def workforce_alt(results: Results) -> str:
    s = results.inputs.settings
    head, base = results.headline, results.baseline
    return (
        f"Export IT workforce by scenario: {people(_final('workforce', head))} in "
        f"{s.year_label(s.final_year)} under {head.name} against "
        f"{people(_final('workforce', base))} under {base.name}; "
        f"{people(head.emigrants_averted)} emigrants averted."
    )


def frontier_alt(results: Results) -> str:
    unit = results.inputs.settings.currency_label
    final = results.inputs.settings.year_label(results.inputs.settings.final_year)
    fr = results.frontier
    if fr is None or not fr.points:
        return f"No frontier: the workbook has no lever with a cost and a maximum ({final})."
    top = fr.points[-1]
    return (
        f"{final} exports against fiscal cost (present value): the best package for each of "
        f"{len(fr.points)} budgets, up to {money(top.exports, unit)} for "
        f"{money(top.pv_cost, unit)}, with every scenario as a point."
    )


def sobol_rows(results: Results) -> list[SobolRow]:
    """The Sobol rows the outputs show: of the output the decision is judged on
    (``findings.sobol_output``), largest total index first, at most ``TOP_BARS``."""
    _output, rows = sobol_output(results)
    return sorted(rows, key=lambda r: -r.total)[:TOP_BARS]


def sobol_alt(results: Results) -> str:
    rows = sobol_rows(results)
    if not rows or rows[0].total <= 0:
        return "No uncertain input: no variance to attribute (0 inputs)."
    top = rows[0]
    return (
        f"Total Sobol indices of the headline's {top.output} in "
        f"{results.inputs.settings.year_label(results.inputs.settings.final_year)}: {quantity_label(results, top.parameter)} "
        f"has the largest, {top.total:.0%}."
    )


def backtest_alt(results: Results) -> str:
    v = results.validation
    s = results.inputs.settings
    unit = s.currency_label
    if v is None or v.skipped or not v.hindcasts:
        hist = sorted((h.year, h.exports) for h in results.inputs.history)
        seen = (
            f"Recorded exports {s.year_label(hist[0][0])}–{s.year_label(hist[-1][0])} (last "
            f"{money(hist[-1][1], unit)})"
            if hist
            else "No recorded exports"
        )
        why = f": {v.skipped}" if v is not None and v.skipped else ""
        return f"{seen}; the model was not tested against history{why}."
    first = v.hindcasts[0]
    return (
        f"Recorded exports against the model run from {s.year_label(first.start_year)} "
        f"(and later start years) with its P10–P90 band: it reaches "
        f"{money(first.central[-1], unit)} in {s.year_label(first.years[-1])} against "
        f"{money(first.recorded[-1] or 0.0, unit)} recorded ({first.error_pct:+.0f}%)."
    )
