"""The wording rules (``report.story.wording``), each with a literal expected sentence.

Sign- and baseline-aware phrases ("Ending internet shutdowns … adds", the baseline by its own
name), calibrated chances on the one stated scale, a zero-draw chance, head counts to three
figures, one and many, sums said as totals, short target names in the third key message, and
the brief's escaping of workbook text only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from tests.factories import fake_results, make_inputs, replace_lever, with_intensities

from policybrief.domain import Inputs, Target
from policybrief.model.results import CorrelationUsed, Results, SobolRow
from policybrief.report.brief.markdown import md_escape, md_text
from policybrief.report.brief.render import render_brief
from policybrief.report.context import BuildInfo
from policybrief.report.story import findings, labels, messages, method, tables, wording

INFO = BuildInfo(
    workbook_name="test.xlsx",
    workbook_sha256="ab" * 32,
    build_time=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
    version="9.9.9",
)


def _status_quo(inputs: Inputs | None = None) -> Inputs:
    """The default inputs with the baseline called "Status quo" instead of "Current policy"."""
    inputs = inputs or make_inputs()
    scenarios = tuple(
        dataclasses.replace(sc, name="Status quo") if sc.name == "Current policy" else sc
        for sc in inputs.scenarios
    )
    settings = dataclasses.replace(inputs.settings, baseline_scenario="Status quo")
    return dataclasses.replace(inputs, scenarios=scenarios, settings=settings)


def _shutdowns(inputs: Inputs) -> Inputs:
    """Lever 'visas' turned into a harmful lever the baseline has and the headline ends."""
    inputs = replace_lever(inputs, "visas", name="Internet shutdowns and platform bans (harmful)")
    inputs = with_intensities(inputs, inputs.settings.baseline_scenario, visas=1.0)
    return with_intensities(inputs, "Reform", visas=0.0)


def _every_sentence(results: Results) -> str:
    parts = [
        *messages.key_messages(results),
        messages.cost_sentence(results),
        messages.gain_detail_sentence(results) or "",
        messages.talent_sentence(results),
        messages.outlook_sentence(results),
        *method.method_text(results),
        *method.caveats(results),
        *(messages.goal_seek_sentence(results, g) for g in results.goal_seek),
    ]
    return " ".join(parts)


# --- sign: a harmful lever is named by what the headline does with it ----------------------


def test_ending_a_harmful_lever_is_what_adds_the_exports() -> None:
    results = fake_results(_shutdowns(make_inputs()))
    assert messages.contribution_sentence(results, "visas", 942.0) == (
        "Ending internet shutdowns and platform bans adds $942m to FY30 exports."
    )
    assert messages.contribution_sentence(results, "skills", -35.0) == (
        "Advanced skills programme takes away $35m from FY30 exports."
    )


# --- baseline: named as the workbook names it, never "current policy" ------------------------


def test_a_baseline_with_another_name_is_called_by_that_name() -> None:
    results = fake_results(_status_quo())
    assert messages.cost_sentence(results) == (
        "In total over FY26–FY30 (undiscounted), the Reform scenario costs $50m and adds $759m "
        "of exports over Status quo: 15.2× of export sales per extra fiscal dollar (gross "
        "exports, not a return to the budget)."
    )
    assert "current policy" not in _every_sentence(results).lower()


def test_a_headline_worse_than_a_status_quo_baseline_says_so_by_name() -> None:
    growth = {"Status quo": 0.1, "Reform": -0.05, "Stretch": 0.12}
    results = fake_results(_status_quo(), growth=growth)
    first = messages.key_messages(results)[0]
    assert first.endswith(
        "$1.7bn (52%) less than under Status quo ($3.2bn): the Reform scenario does worse "
        "than Status quo."
    )
    assert messages.no_gain_sentence(results) == (
        "The headline scenario is the baseline, Status quo: there is no gain to attribute."
    )


# --- chances: the calibrated word and the number, on one scale -------------------------------


@pytest.mark.parametrize(
    ("p", "words"),
    [
        (0.003, "exceptionally unlikely (<1%)"),
        (0.01, "exceptionally unlikely (1%)"),
        (0.05, "very unlikely (5%)"),
        (0.10, "very unlikely (10%)"),
        (0.18, "unlikely (18%)"),
        (0.333, "unlikely (33%)"),
        (0.5, "about as likely as not (50%)"),
        (0.7, "likely (70%)"),
        (0.93, "very likely (93%)"),
        (0.992, "virtually certain (99%)"),
    ],
)
def test_every_chance_in_a_sentence_has_its_calibrated_word(p: float, words: str) -> None:
    assert wording.calibrated(p, 10_000) == words


def test_the_scale_is_stated_once_and_the_method_states_it() -> None:
    assert wording.scale_sentence() == (
        "Chances are worded on one scale (after the IPCC's calibrated language), judged on the "
        "chance rounded to a whole percent, so the bands do not overlap: virtually "
        "certain 99–100%, very likely 90–98%, likely 66–89%, about as likely as not 34–65%, "
        "unlikely 11–33%, very unlikely 2–10%, exceptionally unlikely 0–1%."
    )
    results = fake_results(make_inputs())
    assert wording.scale_sentence() in method.method_text(results)
    # every word the sentences use is on the scale
    for p in (0.0, 0.004, 0.02, 0.2, 0.4, 0.8, 0.95, 1.0):
        assert any(word == wording.likelihood(p) for _, word in wording.LIKELIHOOD_SCALE)


def test_target_chances_come_with_their_words() -> None:
    results = fake_results(_status_quo())
    assert messages.target_sentence(results) == (
        "Chance of meeting each target under the Reform scenario: Interim goal ($2.4bn by "
        "FY28): about as likely as not (61%); Export goal ($3.0bn by FY30): about as likely as "
        "not (57%) (under Status quo: Interim goal about as likely as not (55%); Export goal "
        "about as likely as not (48%))."
    )


# --- a zero-draw chance and "out of reach": one phrase each ---------------------------------


def _zero(results: Results, *, feasible: bool) -> Results:
    head = results.headline
    outcomes = {
        k: dataclasses.replace(o, probability=0.0, draws_meeting=0, feasible=feasible)
        for k, o in head.outcomes.items()
    }
    scenarios = tuple(
        dataclasses.replace(sc, outcomes=outcomes) if sc.name == head.name else sc
        for sc in results.scenarios
    )
    return dataclasses.replace(results, scenarios=scenarios)


def test_no_draw_meeting_a_target_is_said_as_no_draw_of_n_never_zero_percent() -> None:
    results = _zero(fake_results(make_inputs()), feasible=True)
    sentence = messages.target_sentence(results)
    assert sentence is not None
    assert sentence.startswith(
        "Chance of meeting each target under the Reform scenario: Interim goal ($2.4bn by "
        "FY28): exceptionally unlikely (no draw of 2,000; below 0.15%); Export goal"
    )
    assert "0%" not in sentence.replace("0.15%", "")
    cell = labels.outcome_chance(results.headline.outcomes["Interim goal"], short=True)
    assert cell == "<0.15%"


def test_out_of_reach_is_kept_for_a_target_beyond_the_ranges() -> None:
    results = _zero(fake_results(make_inputs()), feasible=False)
    sentence = messages.target_sentence(results)
    assert sentence is not None
    assert sentence.startswith(
        "Chance of meeting each target under the Reform scenario: Interim goal ($2.4bn by "
        "FY28): out of reach within the workbook's ranges; Export goal ($3.0bn by FY30): out of "
        "reach within the workbook's ranges (under Current policy:"
    )
    assert "no draw" not in sentence
    # a goal seek that finds no scale is not "out of reach": that is the ranges' phrase
    seek = " ".join(messages.goal_seek_sentence(results, g) for g in results.goal_seek)
    assert "out of reach" not in seek


# --- rounding, one and many, totals -----------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "text"),
    [(1_321_939, "1.32 million"), (612_345, "612,000"), (7_668, "7,670"), (412, "412")],
)
def test_head_counts_are_rounded_to_three_significant_figures(count: float, text: str) -> None:
    assert wording.people(count) == text


def test_the_talent_sentence_rounds_and_says_the_emigrants_are_a_total() -> None:
    results = fake_results(_status_quo())
    assert messages.talent_sentence(results) == (
        "Under the Reform scenario the IT workforce reaches 128,000 in FY30 (Status quo: "
        "122,000); 400 fewer professionals emigrate in total over FY26–FY30."
    )


def _more_emigrants(rate_up: float) -> Results:
    """The Stretch scenario with 6,590 more emigrants than the baseline; its emigration rate
    raised by ``rate_up`` (0: the same rate as the baseline's)."""
    results = fake_results(_status_quo())
    base = results.baseline
    stretch = results.scenarios[-1]
    central = {**stretch.central, "emigration_rate": base.central["emigration_rate"] + rate_up}
    stretch = dataclasses.replace(stretch, central=central, emigrants_averted=-6_590.4)
    return dataclasses.replace(results, scenarios=(*results.scenarios[:-1], stretch))


def test_more_emigrants_than_the_baseline_are_explained() -> None:
    assert messages.emigration_note(_more_emigrants(0.0)) == (
        "More professionals emigrate under Stretch (6,590 more in total over FY26–FY30) than "
        "under Status quo: its levers enlarge the workforce, and a larger workforce loses more "
        "people at the same emigration rate."
    )
    assert messages.emigration_note(_more_emigrants(0.01)) == (
        "More professionals emigrate under Stretch (6,590 more in total over FY26–FY30) than "
        "under Status quo: its levers raise the emigration rate or enlarge the workforce that "
        "it applies to."
    )
    assert messages.emigration_note(fake_results(_status_quo())) is None


def test_one_and_many() -> None:
    assert wording.plural(1, "more scenario") == "1 more scenario"
    assert wording.plural(2, "more scenario") == "2 more scenarios"
    results = fake_results(make_inputs())
    one = dataclasses.replace(
        results, correlations=(CorrelationUsed("skills effect", "visas effect", 0.5, 0.5),)
    )
    assert (
        "1 pair of inputs is correlated as the Correlations sheet says (rank correlations); all "
        "other inputs are sampled independently."
    ) in method.caveats(one)
    two = dataclasses.replace(one, correlations=one.correlations * 2)
    assert any(c.startswith("2 pairs of inputs are correlated") for c in method.caveats(two))
    # tables no longer say "N more scenarios": they continue on further slides ("(2 of 2)")
    assert all(not t.note for t in (tables.comparison_table(results),))


def test_sums_over_the_horizon_say_they_are_totals_and_single_years_name_the_year() -> None:
    results = fake_results(make_inputs(discount_rate=0.05))
    lines = messages.key_messages(results)
    assert " in FY30 on central assumptions" in lines[0]
    cost = messages.cost_sentence(results)
    assert cost.startswith("In total over FY26–FY30 (present value at 5.0% a year), ")
    gain = messages.gain_detail_sentence(results)
    assert gain is not None
    assert gain.startswith(
        "Of the $759m gain in recorded exports over Current policy in total over FY26–FY30 "
        "(present value at 5.0% a year)"
    )


# --- the third key message names targets by their short names ----------------------------------


def test_the_third_key_message_does_not_repeat_long_target_names() -> None:
    targets = (
        Target("PM target: $25bn IT exports", 2400.0, 2028),
        Target("Uraan Pakistan: $10bn ICT exports", 3000.0, 2030),
    )
    results = fake_results(make_inputs(targets=targets), reachable=(True, False))
    third = messages.key_messages(results)[2]
    assert third == (
        "What it would take (chance of at least 50%): PM target needs 1.7× the Reform package "
        "($55m a year); Uraan Pakistan does not get that chance even at 10.0× the Reform "
        "package."
    )


# --- the brief escapes the workbook's text, not the code's words ------------------------------


def test_md_text_escapes_only_the_workbook_strings() -> None:
    sentence = "at best, <b>PM</b> target is exceptionally unlikely (<0.6%) & >99% elsewhere"
    assert md_text(sentence, ["<b>PM</b> target"]) == (
        "at best, &lt;b&gt;PM&lt;/b&gt; target is exceptionally unlikely (<0.6%) & >99% elsewhere"
    )
    # reshaped workbook text that no longer matches exactly still cannot become markup
    assert md_text("ending <script>x</script> adds $5m", ["Nothing"]) == (
        "ending &lt;script>x&lt;/script> adds $5m"
    )
    assert md_escape("<0.6%") == "&lt;0.6%"  # workbook text is escaped in full


def test_the_rendered_brief_keeps_code_written_bounds_and_escapes_names() -> None:
    inputs = make_inputs()
    scenarios = tuple(
        dataclasses.replace(sc, name="<i>Reform</i>") if sc.name == "Reform" else sc
        for sc in inputs.scenarios
    )
    settings = dataclasses.replace(inputs.settings, headline_scenario="<i>Reform</i>")
    results = fake_results(dataclasses.replace(inputs, scenarios=scenarios, settings=settings))
    template = "{{ ('chance <0.6% under ' ~ headline.name) | text }}\n"
    assert render_brief(results, INFO, template=template) == (
        "chance <0.6% under &lt;i&gt;Reform&lt;/i&gt;\n"
    )
    brief = render_brief(results, INFO)
    assert "&lt;0." not in brief
    assert "<i>" not in brief


def test_the_brief_names_the_headline_in_a_sentence_and_targets_by_short_name() -> None:
    targets = (Target("PM target: $25bn IT exports", 2400.0, 2028),)
    results = fake_results(make_inputs(targets=targets), reachable=(True,))
    brief = render_brief(results, INFO)
    assert "\nUnder the Reform scenario, exports in FY30 are $3.2bn at central values, " in brief
    assert "| Chance: PM target |" in brief


def test_a_falling_baseline_and_a_worse_headline_are_said_with_their_sign() -> None:
    growth = {"Status quo": -0.05, "Reform": -0.08, "Stretch": 0.02}
    results = fake_results(_status_quo(), growth=growth)
    brief = render_brief(results, INFO)
    assert (
        "\nRecorded exports: growth of 7.0% a year over the recorded history; under Status quo, "
        "a decline of 5.0% a year to FY30.\n"
    ) in brief
    sobol = (SobolRow("gain", "visas effect", 0.4, 0.5, 0.45, 0.55),)
    depends = findings.depends_sentence(dataclasses.replace(results, sobol=sobol))
    assert depends == (
        "Of the workbook's assumptions, the size of the FY30 shortfall of the Reform scenario "
        "against Status quo varies most with talent visas (50% of its variance, total Sobol "
        "index)."
    )


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("50% chance", "a 50% chance"),
        ("80% chance", "an 80% chance"),
        ("8% chance", "an 8% chance"),
        ("11% chance", "an 11% chance"),
        ("18% chance", "an 18% chance"),
        ("1% chance", "a 1% chance"),
        ("110% chance", "a 110% chance"),
    ],
)
def test_the_article_before_a_number_follows_how_it_is_read(phrase: str, text: str) -> None:
    assert wording.a_or_an(phrase) == text


def test_a_goal_seek_at_80_percent_reads_an_80_percent_chance() -> None:
    results = fake_results(make_inputs(target_probability=0.8), reachable=(False, False))
    assert messages.goal_seek_sentence(results, results.goal_seek[0]) == (
        "Interim goal cannot be given an 80% chance: even at 10.0× the Reform package, meeting "
        "it is unlikely (12%)."
    )
    assert "that gives at least an 80% chance of each target:" in render_brief(results, INFO)


def test_the_shocks_lead_the_depends_sentence_when_they_explain_most() -> None:
    from policybrief.model.results import SobolRow
    from policybrief.report.story import findings

    results = fake_results(make_inputs())
    name = results.inputs.parameters[4].name

    def row(parameter: str, total: float) -> SobolRow:
        return SobolRow("gain", parameter, total, total, total, total)

    led = dataclasses.replace(results, sobol=(row("year-to-year shocks", 0.63), row(name, 0.13)))
    subject = findings.sobol_subject(led)
    who = labels.short_quantity(led, name)
    assert findings.depends_sentence(led) == (
        f"The size of {subject} varies most with the year-to-year shocks (63% of its variance, "
        "total Sobol index), sized to the record's volatility and beyond any policy; of the "
        f"workbook's other assumptions, with {who} (13% of its variance, total Sobol index)."
    )
    plain = dataclasses.replace(results, sobol=(row("year-to-year shocks", 0.05), row(name, 0.4)))
    assert findings.depends_sentence(plain) == (
        f"Of the workbook's assumptions, the size of {subject} varies most with {who} (40% of "
        "its variance, total Sobol index)."
    )
