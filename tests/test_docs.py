"""docs/pakistan-example.md quotes numbers from a build: they must be the build's numbers.

Each table below is generated from the shipped example's results (its own draws and seed) and
must appear verbatim in the document; rebuilding the example after a change to the workbook or
the model makes this test fail until the document is updated (print the blocks with
``python -m tests.test_docs``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from policybrief.model import run
from policybrief.report.story import findings
from policybrief.report.story.formatting import fy_label
from policybrief.report.story.labels import outcome_chance
from policybrief.workbook import read_workbook

if TYPE_CHECKING:
    from policybrief.model.results import Results

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "pakistan-example.md"
WORKBOOK = ROOT / "workbooks" / "pakistan_it_exports.xlsx"


def _validation_table(results: Results) -> str:
    v = results.validation
    assert v is not None
    base = fy_label(results.inputs.settings.base_year)
    lines = [
        (
            f"| start | workforce at start | modelled {base} (USD m) | recorded (USD m) | error | "
            "RMSE of logs | recorded years in P10–P90 | productivity growth that fits |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for h in v.hindcasts:
        lines.append(
            f"| {fy_label(h.start_year)} | {h.workforce_start:,.0f} ({h.workforce_from}) | "
            f"{h.central[-1]:,.0f} | {h.recorded[-1]:,.0f} | {h.error_pct:+.1f}% | "
            f"{h.rmse_log:.3f} | {round(h.coverage * h.window)} of {h.window} | "
            f"{h.suggested_productivity_growth:.1%} |"
        )
    return "\n".join(lines)


def _one_year_ahead(results: Results) -> str:
    v = results.validation
    assert v is not None
    assert v.history_sd is not None
    low, high = v.growth_band
    return (
        f"{v.growth_inside} of {v.growth_count} recorded annual growth rates fall inside the "
        f"P10–P90 band of the first projected year's growth ({low:.1%} to {high:.1%}); the "
        f"standard deviation of recorded log growth is {v.history_sd:.1%} against a shock_sd "
        f"of {v.shock_sd:.1%}."
    )


def _paths_table(results: Results) -> str:
    s = results.inputs.settings
    years = [s.base_year + 1, 2029, 2030, s.final_year]
    lines = [
        "| scenario | " + " | ".join(fy_label(y) for y in years) + " | CAGR |",
        "|---|" + "---:|" * (len(years) + 1),
    ]
    for sc in results.scenarios:
        cells = [f"{sc.central['exports'][y - s.base_year]:,.0f}" for y in years]
        lines.append(f"| {sc.name} | " + " | ".join(cells) + f" | {sc.cagr:.1%} |")
    return "\n".join(lines)


def _chances_table(results: Results) -> str:
    lines = [
        "| target | " + " | ".join(sc.name for sc in results.scenarios[:2]) + " |",
        "|---|---|---|",
    ]
    for t in results.targets:
        cells = [outcome_chance(sc.outcomes[t.label]) for sc in results.scenarios[:2]]
        lines.append(f"| {t.label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _tornado_table(results: Results) -> str:
    lines = [
        "| rank | input | exports at Low (USD m) | exports at High (USD m) | sign |",
        "|---:|---|---:|---:|---|",
    ]
    for i, r in enumerate(results.sensitivity[:5], start=1):
        sign = "+" if r.exports_at_high > r.exports_at_low else "−"
        lines.append(
            f"| {i} | {r.parameter} | {r.exports_at_low:,.0f} | {r.exports_at_high:,.0f} | {sign} |"
        )
    return "\n".join(lines)


def _decision(results: Results) -> str:
    lines = [findings.cheapest_sentence(results) or "", findings.dominance_sentence(results) or ""]
    gain = sorted((r for r in results.sobol if r.output == "gain"), key=lambda r: -r.total)
    lines.append(
        "Largest total Sobol indices on the FY35 gain: "
        + "; ".join(
            f"{r.parameter} {r.total:.2f} ({r.total_ci_low:.2f}–{r.total_ci_high:.2f})"
            for r in gain[:4]
        )
        + "."
    )
    lines += findings.discovery_sentences(results)
    return "\n\n".join(f"> {line}" for line in lines if line)


def blocks(results: Results) -> dict[str, str]:
    """Every figure block the document quotes, by name."""
    return {
        "validation": _validation_table(results),
        "one year ahead": _one_year_ahead(results),
        "paths": _paths_table(results),
        "chances": _chances_table(results),
        "tornado": _tornado_table(results),
        "decision": _decision(results),
    }


@pytest.fixture(scope="module")
def results() -> Results:
    return run(read_workbook(WORKBOOK))


@pytest.mark.parametrize(
    "name", ["validation", "one year ahead", "paths", "chances", "tornado", "decision"]
)
def test_the_pakistan_document_quotes_the_build(results: Results, name: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert blocks(results)[name] in text, f"docs/pakistan-example.md: the {name} block is stale"


if __name__ == "__main__":  # print the blocks to paste into the document
    for name, block in blocks(run(read_workbook(WORKBOOK))).items():
        print(f"<!-- {name} -->\n{block}\n")
