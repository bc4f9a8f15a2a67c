"""The report's documented rules, pinned with literals (issue 9): changing a rule breaks a test.

- README, "High impact, low confidence": an assumption ranked 5 or better whose Confidence is
  ``Low`` is flagged, in the deck's assumptions table and in the brief's log alike;
- README, Sobol indices: the assumptions log is ranked by the total index on the gain;
- the comparison table says "loss" for a scenario whose extra fiscal dollars lose exports;
- chances are never rounded to 0% or 100%: below 0.5% is "<1%", above 99.5% is ">99%".

The other documented rules are pinned where they live: the band (P10–P90) in
``test_messages.py`` (``test_band_label_follows_the_configured_percentiles``), money's
rounding in ``tests/test_formatting.py``, the "Ending …" names in ``test_messages.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

import pytest
from tests.factories import fake_results, make_inputs

from policybrief.model.results import SobolRow
from policybrief.report.brief.render import render_brief
from policybrief.report.context import BuildInfo
from policybrief.report.story import tables
from policybrief.report.story.labels import assumption_rank, chance

if TYPE_CHECKING:
    from policybrief.model.results import Results

INFO = BuildInfo(
    workbook_name="rules.xlsx",
    workbook_sha256="cd" * 32,
    build_time=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
    version="9.9.9",
)
#: Seven inputs, most influential first by total index; first-order indices run the other
#: way, so a log ranked by first order would read bottom to top.
RANKED = (
    "productivity_growth",
    "emigration_rate",
    "absorption_rate",
    "graduates_growth",
    "realization_base",
    "other_entry_rate",
    "attrition_rate",
)
#: The one of them with Medium confidence (every other input is Low).
MEDIUM = "emigration_rate"


@pytest.fixture(scope="module")
def results() -> Results:
    inputs = make_inputs()
    parameters = tuple(
        dataclasses.replace(p, confidence="Medium" if p.name == MEDIUM else "Low")
        for p in inputs.parameters
    )
    levers = tuple(dataclasses.replace(lv, confidence="Low") for lv in inputs.levers)
    inputs = dataclasses.replace(inputs, parameters=parameters, levers=levers)
    sobol = tuple(
        # output, parameter, first-order, total, total CI low, total CI high
        SobolRow("gain", name, 0.01 * (i + 1), 0.7 - 0.1 * i, 0.0, 1.0)
        for i, name in enumerate(RANKED)
    )
    return dataclasses.replace(fake_results(inputs), sobol=sobol)


def test_the_assumptions_log_is_ranked_by_total_index_on_the_gain(results: Results) -> None:
    rank = assumption_rank(results)
    assert [name for name, _r in sorted(rank.items(), key=lambda item: item[1])] == list(RANKED)


def test_the_deck_flags_rank_five_or_better_with_low_confidence(results: Results) -> None:
    table = tables.assumptions_table(results)
    rank_col, flag_col = table.header.index("Sobol rank"), table.header.index("Flag")
    flags = {row[rank_col]: row[flag_col] for row in table.rows if row[rank_col] != "—"}
    assert flags == {
        "1": "High impact, low confidence",
        "2": "",  # Medium confidence
        "3": "High impact, low confidence",
        "4": "High impact, low confidence",
        "5": "High impact, low confidence",
        "6": "",  # rank 6: not high impact
        "7": "",
    }
    assert [table.rows[i][rank_col] for i in table.flagged] == ["1", "3", "4", "5"]


def test_the_brief_flags_the_same_assumptions_in_the_same_words(results: Results) -> None:
    text = render_brief(results, INFO)
    flagged = [line for line in text.splitlines() if "⚠ high impact, low confidence |" in line]
    ranks = [line.rstrip(" |").split(" | ")[-2] for line in flagged]
    assert sorted(ranks) == ["1", "3", "4", "5"]
    assert "⚠ marks a high-impact (top 5), low-confidence assumption." in text


def test_a_scenario_whose_extra_cost_loses_exports_shows_loss() -> None:
    inputs = make_inputs()
    losing = fake_results(inputs, growth={"Current policy": 0.10, "Reform": 0.08, "Stretch": 0.12})
    head = losing.scenario("Reform")
    assert head.gain_per_fiscal_dollar is not None
    assert head.gain_per_fiscal_dollar < 0
    table = tables.comparison_table(losing)
    column = table.header.index("Exports per extra fiscal $")
    cells = {row[0]: row[column] for row in table.rows}
    assert cells["Reform"] == "loss"
    assert cells["Current policy"] == "—"
    assert cells["Stretch"].endswith("×")


@pytest.mark.parametrize(
    ("probability", "text"),
    [
        (0.004, "<1%"),
        (0.005, "<1%"),  # 50 of 10,000 draws: "0%" before, as Python rounds half to even
        (0.006, "1%"),
        (0.35, "35%"),
        (0.994, "99%"),
        (0.995, ">99%"),
        (0.996, ">99%"),
    ],
)
def test_a_chance_is_never_rounded_to_zero_or_a_hundred(probability: float, text: str) -> None:
    assert chance(probability) == text
