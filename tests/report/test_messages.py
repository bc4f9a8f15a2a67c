from __future__ import annotations

import dataclasses
import re

import pytest
from tests.factories import fake_results, make_inputs, replace_lever, with_intensities

from policybrief.model.results import (
    TargetOutcome,
)
from policybrief.report.story import labels, messages
from policybrief.report.story.formatting import money


def _numbers(text: str) -> list[str]:
    return re.findall(r"\$[\d.,]+(?:bn|m|k)?", text)


def test_key_messages_give_three_to_five_sentences_with_numbers() -> None:
    results = fake_results(make_inputs())
    lines = messages.key_messages(results)
    assert 3 <= len(lines) <= 5
    assert all(line.endswith(".") for line in lines)
    head = results.headline
    assert money(float(head.central["exports"][-1])) in lines[0]
    assert "P10–P90" in lines[0]
    assert "more than under Current policy" in lines[0]
    assert "FY30" in lines[0]


def test_key_messages_say_when_the_headline_is_worse_than_current_policy() -> None:
    inputs = make_inputs()
    results = fake_results(inputs, growth={"Current policy": 0.1, "Reform": -0.05, "Stretch": 0.12})
    lines = messages.key_messages(results)
    first = lines[0]
    second = next(line for line in lines if line.startswith("That is"))  # no Sobol rows here
    assert "a decline of 5.0% a year" in second
    assert "-" not in second.split(" over ")[0]
    assert "less than under Current policy" in first
    assert first.endswith(": the Reform scenario does worse than Current policy.")
    cost = messages.cost_sentence(results)
    assert "loses" in cost
    assert "does not pay back" in cost
    assert "×" not in cost


def test_key_messages_state_targets_out_of_reach() -> None:
    results = fake_results(make_inputs(), reachable=(False, False))
    text = " ".join(messages.key_messages(results))
    assert (
        "What it would take (chance of at least 50%): no target gets that chance even at 10.0× "
        "the Reform package; at best, meeting one is unlikely (12%)."
    ) in text
    assert "out of reach" not in text  # said only of a target beyond the ranges' best corner
    assert "package package" not in text


def test_package_names_are_not_doubled() -> None:
    assert labels.package("Reform package") == "the Reform package"
    assert labels.package("Reform") == "the Reform package"
    assert labels.join_names(["A", "B", "C"]) == "A, B and C"
    assert labels.short_target("PM target: $25bn IT exports") == "PM target"


def test_key_messages_give_the_scale_and_cost_of_a_reachable_target() -> None:
    results = fake_results(make_inputs(), reachable=(True, False))
    text = " ".join(messages.key_messages(results))
    assert "Interim goal needs 1.7× the Reform package ($55m a year)" in text
    assert "Export goal does not get that chance even at 10.0× the Reform package." in text


def test_zero_cost_gives_no_ratio() -> None:
    results = fake_results(make_inputs(), cost={"Current policy": 0, "Reform": 0, "Stretch": 0})
    sentence = messages.cost_sentence(results)
    assert "no fiscal outlay" in sentence
    assert "×" not in sentence


def test_positive_cost_and_gain_give_export_dollars_per_fiscal_dollar() -> None:
    results = fake_results(make_inputs())
    head = results.headline
    assert head.gain_per_fiscal_dollar is not None
    sentence = messages.cost_sentence(results)
    assert (
        f"{head.gain_per_fiscal_dollar:,.1f}× of export sales per extra fiscal dollar" in sentence
    )
    assert "(gross exports, not a return to the budget)" in sentence
    assert money(head.pv_cost) in sentence


def test_key_messages_without_targets_still_give_three_sentences() -> None:
    results = fake_results(make_inputs(targets=()), reachable=())
    lines = messages.key_messages(results)
    assert len(lines) == 3
    assert not any("target" in line.lower() for line in lines)


def test_headline_equal_to_baseline_makes_no_comparison() -> None:
    results = fake_results(make_inputs(headline="Current policy"))
    lines = messages.key_messages(results)
    assert "than under" not in lines[0]
    assert "Current policy" in lines[0]


@pytest.mark.parametrize(
    ("p", "text"),
    [(0.0, "<1%"), (0.003, "<1%"), (0.5, "50%"), (0.998, ">99%"), (1.0, ">99%")],
)
def test_chance_never_rounds_a_small_chance_to_impossible(p: float, text: str) -> None:
    assert labels.chance(p) == text


def test_band_label_follows_the_configured_percentiles() -> None:
    results = fake_results(make_inputs(percentiles=(5, 50, 95)))
    assert labels.band_label(results) == "P5–P95"
    assert "P5–P95" in messages.key_messages(results)[0]


def test_caveats_and_method_name_the_draws_and_low_confidence_inputs() -> None:
    inputs = make_inputs()
    low = dataclasses.replace(inputs.parameters[2], confidence="Low")
    inputs = dataclasses.replace(
        inputs, parameters=(*inputs.parameters[:2], low, *inputs.parameters[3:])
    )
    results = fake_results(inputs)
    assert any("realization_base" in c for c in messages.caveats(results))
    assert any("2,000 Monte Carlo draws" in m for m in messages.method_text(results))


def test_talent_and_outlook_sentences_carry_the_numbers() -> None:
    results = fake_results(make_inputs())
    talent = messages.talent_sentence(results)
    assert "fewer professionals emigrate" in talent
    outlook = messages.outlook_sentence(results)
    for sc in results.scenarios:
        assert money(float(sc.central["exports"][-1])) in outlook
    assert _numbers(outlook)


def test_return_is_judged_on_spending_above_current_policy() -> None:
    same = {"Current policy": 10.0, "Reform": 10.0, "Stretch": 30.0}
    results = fake_results(make_inputs(), cost=same)
    head = results.headline
    assert head.extra_cost == 0
    assert head.gain_per_fiscal_dollar is None
    sentence = messages.cost_sentence(results)
    assert "the same as Current policy" in sentence
    assert "×" not in sentence
    stretch = results.scenario("Stretch")
    assert stretch.gain_per_fiscal_dollar is not None
    assert "more than Current policy" in messages.cost_sentence(results, stretch)


def test_quantity_label_reads_as_words_not_ids() -> None:
    results = fake_results(make_inputs())
    lever = results.inputs.levers[0]
    assert labels.quantity_label(results, f"{lever.id} effect") == f"{lever.name} (effect)"
    param = results.inputs.parameters[0]
    expected = param.description or param.name
    assert labels.quantity_label(results, param.name, width=200) == expected
    assert labels.quantity_label(results, "no_such_thing") == "no_such_thing"
    assert len(labels.quantity_label(results, "x" * 100, width=20)) == 20


def test_a_long_list_of_low_confidence_inputs_is_cut_most_influential_first() -> None:
    inputs = make_inputs()
    low = tuple(dataclasses.replace(p, confidence="Low") for p in inputs.parameters)
    results = fake_results(dataclasses.replace(inputs, parameters=low))
    line = next(c for c in messages.caveats(results) if c.startswith("Low-confidence"))
    assert "more (see the assumptions log)" in line
    first = next(r.parameter for r in results.sensitivity if r.parameter in line)
    assert line.index(first) == line.index(": ") + 2


# --- model v2 wording: chances, reach, the goal seek's saturation, the sign of a lever -------


def _outcome(**changes: object) -> TargetOutcome:
    base = TargetOutcome(
        target="T",
        probability=0.0,
        draws_meeting=0,
        draws=10_000,
        std_error=0.0,
        year_p10=None,
        year_p50=None,
        year_p90=None,
        year_central=None,
        feasible=True,
        corner_exports=1.0,
    )
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize(
    ("p", "draws", "text"),
    [(0.0, 10_000, "<0.03%"), (1.0, 10_000, ">99.97%"), (0.0, 100, "<3%"), (0.25, 400, "25%")],
)
def test_a_chance_of_none_or_all_of_the_draws_is_a_bound_not_0_or_100_percent(
    p: float, draws: int, text: str
) -> None:
    assert labels.chance(p, draws) == text


def test_no_draw_meeting_a_reachable_target_is_said_as_a_count() -> None:
    assert labels.outcome_chance(_outcome()) == (
        "exceptionally unlikely (no draw of 10,000; below 0.03%)"
    )
    assert labels.outcome_chance(_outcome(), short=True) == "<0.03%"
    every = _outcome(probability=1.0, draws_meeting=10_000)
    assert labels.outcome_chance(every) == "virtually certain (every draw of 10,000; above 99.97%)"


def test_a_target_beyond_the_most_favourable_corner_is_out_of_reach_in_words() -> None:
    beyond = _outcome(feasible=False)
    assert labels.outcome_chance(beyond) == "out of reach within the workbook's ranges"
    assert labels.outcome_chance(beyond, short=True) == "out of reach"
    lucky = _outcome(feasible=False, probability=0.0003, draws_meeting=3)
    assert labels.outcome_chance(lucky) == (
        "out of reach within the workbook's ranges except through exceptional years "
        "(3 of 10,000 draws)"
    )


def test_the_goal_seek_never_quotes_a_scale_past_the_point_where_every_cap_binds() -> None:
    results = fake_results(make_inputs(), reachable=(False, False))
    capped = tuple(dataclasses.replace(g, saturation_scale=5.0) for g in results.goal_seek)
    results = dataclasses.replace(results, goal_seek=capped)
    text = messages.goal_seek_sentence(results, results.goal_seek[0])
    assert text == (
        "Interim goal cannot be given a 50% chance: even with every lever of the Reform package "
        "at its maximum (from 5.0×), meeting it is unlikely (12%)."
    )
    assert "10.0×" not in " ".join(messages.key_messages(results))
    uncapped = tuple(dataclasses.replace(g, saturation_scale=None) for g in results.goal_seek)
    results = dataclasses.replace(results, goal_seek=uncapped)
    assert "even at 10.0× the Reform package, meeting it is unlikely (12%)." in (
        messages.goal_seek_sentence(results, results.goal_seek[0])
    )


def test_a_lever_the_headline_ends_is_named_by_the_change() -> None:
    inputs = make_inputs()
    lever = inputs.levers[1]
    inputs = replace_lever(inputs, lever.id, name="Internet shutdowns (harmful)")
    inputs = with_intensities(inputs, "Current policy", **{lever.id: 2.0})
    inputs = with_intensities(inputs, "Reform", **{lever.id: 0.0})
    inputs = with_intensities(inputs, "Stretch", **{lever.id: 1.0})
    results = fake_results(inputs)
    assert labels.change_label(results, "Reform", lever.id) == "Ending internet shutdowns"
    assert labels.change_label(results, "Stretch", lever.id) == "Less internet shutdowns"
    assert labels.change_label(results, "Current policy", lever.id) == (
        "Internet shutdowns (harmful)"
    )
    acronym = replace_lever(inputs, lever.id, name="IT export tax regime")
    assert labels.change_label(fake_results(acronym), "Reform", lever.id) == (
        "Ending IT export tax regime"
    )


def test_the_cost_sentence_says_how_money_is_valued() -> None:
    inputs = make_inputs(discount_rate=0.05)
    text = messages.cost_sentence(fake_results(inputs))
    assert "(present value at 5.0% a year)" in text
    assert "(undiscounted)" in messages.cost_sentence(fake_results(make_inputs()))
