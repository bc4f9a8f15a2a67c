"""The story of one build: every sentence, ranking, flag and table the outputs show, worded once.

A renderer (the deck, the brief, the charts' alt text) gets one ``Story`` and reads what it
shows from it; it never calls the modules that word a finding (``messages``, ``findings``,
``method``, ``glossary``, ``assurance``, ``changes``, ``tables``, ``chart_words``) itself
(``tests/test_architecture.py``). So a sentence the deck and the brief both show is the same
sentence, computed once per build.

Each part is computed when it is first read and then kept (``functools.cached_property``): a
build that writes only the results workbook words nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from policybrief.report import charts
from policybrief.report.story import (
    changes,
    chart_words,
    details,
    findings,
    glossary,
    messages,
    method,
    tables,
    titles,
)
from policybrief.report.story.assumptions import Assumption, assumption_log, ranked_log
from policybrief.report.story.assurance import Item, assurance_items

if TYPE_CHECKING:
    from policybrief.model.results import Results, ScenarioResult, SobolRow
    from policybrief.report.context import BuildInfo

__all__ = ["Changed", "Story"]


@dataclass(frozen=True)
class Changed:
    """What changed since the last brief: the slide's title, the headline's move, one row per
    changed group (input, cells, effect; also as ``table``) and every target's chance and the
    fit to history before and after."""

    title: str
    headline: str
    rows: list[tuple[str, str, str]]
    chances: list[str]
    table: tables.Table


class Story:
    """What a build's outputs say, read by every renderer.

    Parameters
    ----------
    results
        What the engine computed.
    info
        The build's provenance (and what changed since the previous build).
    """

    def __init__(self, results: Results, info: BuildInfo) -> None:
        self.results = results
        self.info = info

    # -- the main story ------------------------------------------------------------------
    @cached_property
    def key_messages(self) -> list[str]:
        """The key messages, most important first (``messages.key_messages``)."""
        return messages.key_messages(self.results)

    @cached_property
    def caveat(self) -> str | None:
        """The test against history's warning, pointing to its slide; None when it passed."""
        return findings.validation_caveat(self.results)

    @cached_property
    def caveat_here(self) -> str | None:
        """The same warning where it is shown beside the test itself."""
        return findings.validation_caveat(self.results, refer=False)

    @cached_property
    def outlook(self) -> str:
        """Where the headline's exports go, against the baseline's."""
        return messages.outlook_sentence(self.results)

    @cached_property
    def growth(self) -> str:
        """The headline's growth rate against history."""
        return messages.growth_sentence(self.results)

    @cached_property
    def target(self) -> str | None:
        """The headline's chance of the first target; None without targets."""
        return messages.target_sentence(self.results)

    @cached_property
    def talent(self) -> str:
        """The talent pipeline in one sentence."""
        return messages.talent_sentence(self.results)

    @cached_property
    def emigration_note(self) -> str | None:
        """Why a scenario has more emigrants than the baseline; None when none has."""
        return messages.emigration_note(self.results)

    @cached_property
    def valued(self) -> str:
        """How money is valued (discounted or cumulative), as a phrase."""
        return messages.present_value_phrase(self.results)

    @cached_property
    def gain_detail(self) -> str | None:
        """The headline's export gain over the baseline, in detail."""
        return messages.gain_detail_sentence(self.results)

    @cached_property
    def costs(self) -> dict[str, str]:
        """Each scenario's fiscal cost sentence, by scenario name."""
        return {sc.name: messages.cost_sentence(self.results, sc) for sc in self.results.scenarios}

    def cost(self, scenario: ScenarioResult) -> str:
        """``scenario``'s fiscal cost sentence."""
        return self.costs[scenario.name]

    @cached_property
    def no_gain(self) -> str:
        """What the waterfall says when the headline uses the baseline's levers."""
        return messages.no_gain_sentence(self.results)

    def contribution(self, lever_id: str, value: float) -> str:
        """What one lever adds to the headline's gain (the waterfall's side text)."""
        return messages.contribution_sentence(self.results, lever_id, value)

    @cached_property
    def outlook_title(self) -> str:
        """The outlook slide's title: the headline's final-year exports."""
        return titles.outlook_title(self.results)

    @cached_property
    def uncertainty_title(self) -> str:
        """The uncertainty slide's title: the headline's band in the final year."""
        return titles.uncertainty_title(self.results)

    @cached_property
    def waterfall_title(self) -> str:
        """The waterfall slide's title: what the headline adds (or loses) over the baseline."""
        return titles.waterfall_title(self.results)

    @cached_property
    def waterfall_lines(self) -> list[str]:
        """Each lever's signed contribution to the headline's gain."""
        return titles.waterfall_lines(self.results)

    @cached_property
    def tornado_title(self) -> str:
        """The tornado slide's title: the input with the largest swing."""
        return titles.tornado_title(self.results)

    # -- the deck's detail lines (beside its charts, in its notes) ------------------------
    @cached_property
    def target_lines(self) -> list[str]:
        """What each target needs, in full."""
        return details.target_lines(self.results)

    @cached_property
    def target_lines_short(self) -> list[str]:
        """What the first three targets need, by short name."""
        return details.target_lines(self.results, short=True)

    @cached_property
    def headline_versus(self) -> str | None:
        """The headline against the baseline in the final year; None when they are one."""
        return details.headline_versus(self.results)

    @cached_property
    def band_line(self) -> str:
        """The central path and its band in the final year."""
        return details.band_line(self.results)

    @cached_property
    def comparison_note(self) -> str:
        """What the comparison's cost and return columns mean."""
        return details.comparison_note(self.results, self.valued)

    @cached_property
    def tornado_lines(self) -> list[str]:
        """The largest swings with their Low and High exports."""
        return details.tornado_lines(self.results)

    @cached_property
    def tornado_side(self) -> list[str]:
        """How to read the tornado, and its three largest swings."""
        return details.tornado_side(self.results)

    @cached_property
    def talent_lines(self) -> list[str]:
        """Each scenario's workforce and emigrants averted."""
        return details.talent_lines(self.results)

    @cached_property
    def sobol_lines(self) -> list[str]:
        """The Sobol indices of the gain with their bounds."""
        return details.sobol_lines(self.results)

    @cached_property
    def provenance(self) -> str:
        """What this build was made from, in one line."""
        return details.provenance_line(self.results, self.info)

    @cached_property
    def goal_seek_note(self) -> str:
        """What the goal-seek scale means."""
        return details.goal_seek_note(self.results)

    # -- the v2 analyses -----------------------------------------------------------------
    @cached_property
    def cheapest(self) -> list[str]:
        """The cheapest package, the frontier and dominance, in the sentences that apply."""
        said = (
            findings.cheapest_sentence(self.results),
            findings.frontier_sentence(self.results),
            findings.dominance_sentence(self.results),
        )
        return [x for x in said if x]

    @cached_property
    def depends(self) -> str | None:
        """What the decision depends on most (Sobol); None when nothing is uncertain."""
        return findings.depends_sentence(self.results)

    @cached_property
    def sobol_subject(self) -> str:
        """What the Sobol indices are of: "the headline's gain" or its exports."""
        return findings.sobol_subject(self.results)

    @cached_property
    def discovery(self) -> list[str]:
        """What must be true for the targets (PRIM boxes), one sentence each."""
        return findings.discovery_sentences(self.results)

    @cached_property
    def validation(self) -> list[str]:
        """The test against history, in sentences."""
        return findings.validation_sentences(self.results)

    @cached_property
    def goal_seek(self) -> list[str]:
        """What it would take, one sentence per goal-seek result (in ``results.goal_seek``'s
        order)."""
        return [messages.goal_seek_sentence(self.results, g) for g in self.results.goal_seek]

    @cached_property
    def goal_seek_draws(self) -> int:
        """How many draws each goal-seek chance rests on."""
        return messages.goal_seek_draws(self.results)

    # -- method, terms, assurance, what changed ------------------------------------------
    @cached_property
    def method(self) -> list[str]:
        """How the numbers were made, one point each."""
        return method.method_text(self.results)

    @cached_property
    def caveats(self) -> list[str]:
        """What the numbers do not say."""
        return method.caveats(self.results)

    @cached_property
    def terms(self) -> list[tuple[str, str]]:
        """Every method term the outputs use, with its meaning in plain words."""
        return glossary.terms(self.results)

    @cached_property
    def assurance(self) -> list[Item]:
        """The quality-assurance checklist with this build's evidence."""
        return assurance_items(self.results, self.info)

    @cached_property
    def changed(self) -> Changed | None:
        """What changed since the last brief; None without a previous build or a change."""
        c = self.info.changes
        if c is None or not c.any:
            return None
        s = self.results.inputs.settings
        rows = changes.group_rows(c, self.results.inputs)
        header = (
            "Changed input",
            "Cell: old → new",
            f"Effect on {s.year_label(s.final_year)} exports",
        )
        return Changed(
            title=changes.slide_title(c, s),
            headline=changes.headline_move(c, s),
            rows=rows,
            chances=[*changes.chance_lines(c), *changes.fit_lines(c, s)],
            table=tables.Table(header, tuple(rows), (3.0, 4.2, 1.8), left_aligned=(0, 1)),
        )

    # -- rankings, flags, charts and tables ----------------------------------------------
    @cached_property
    def assumptions(self) -> tuple[Assumption, ...]:
        """The assumptions log, most influential first, with the high-impact flags."""
        return ranked_log(self.inputs_log)

    @cached_property
    def inputs_log(self) -> tuple[Assumption, ...]:
        """The same log in the workbook's order (Baseline rows, then levers)."""
        return assumption_log(self.results, ranked=False)

    @cached_property
    def sobol(self) -> list[SobolRow]:
        """The Sobol rows the outputs show: of the gain when it varies, else of exports,
        largest total index first."""
        return chart_words.sobol_rows(self.results)

    @cached_property
    def charts(self) -> tuple[chart_words.ChartSpec, ...]:
        """Every chart's title and alt text, in the order the brief shows them
        (``report.charts``)."""
        return charts.chart_specs(self.results)

    @cached_property
    def more_charts(self) -> tuple[chart_words.ChartSpec, ...]:
        """The charts with a slide of their own and a section in the brief's "More charts"."""
        more = {c.name for c in charts.more_charts()}
        return tuple(c for c in self.charts if c.name in more)

    @cached_property
    def comparison_table(self) -> tables.Table:
        """One row per scenario: exports, band, growth, chances, cost, return."""
        return tables.comparison_table(self.results)

    @cached_property
    def goal_seek_table(self) -> tables.Table:
        """What it would take: one row per target."""
        return tables.goal_seek_table(self.results)

    @cached_property
    def levers_table(self) -> tables.Table:
        """The levers and their intensities per scenario."""
        return tables.levers_table(self.results)

    @cached_property
    def assumptions_table(self) -> tables.Table:
        """The first rows of the assumptions log."""
        return tables.assumptions_table(self.results)

    @cached_property
    def backtest_table(self) -> tables.Table | None:
        """The fit to history per start year; None when the test did not run."""
        return tables.backtest_table(self.results)

    @cached_property
    def cheapest_table(self) -> tables.Table | None:
        """The cheapest package per target; None when there is none."""
        return tables.cheapest_table(self.results)

    @cached_property
    def terms_table(self) -> tables.Table:
        """The terms used and their meanings."""
        return tables.Table(("Term", "Meaning"), tuple(self.terms), (2.4, 7.6), left_aligned=(0, 1))

    @cached_property
    def assurance_table(self) -> tables.Table:
        """The quality-assurance checklist: item, status, evidence."""
        return tables.Table(
            ("Quality-assurance item", "Status", "Evidence from this build"),
            tuple((i.item, i.status, i.evidence) for i in self.assurance),
            (2.6, 0.9, 6.5),
            left_aligned=(0, 1, 2),
        )
