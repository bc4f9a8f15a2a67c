"""Cheapest package, frontier and dominance (MODEL.md v2 "Analyses").

The exhaustive grid here is written from the engine's primitives (``schedule``, ``years``,
``project``), not from the search's own evaluators, so a wrong year, draw subset or discount
in the search would show up as a gap.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from tests.factories import (
    BASELINE,
    HEADLINE,
    STRETCH,
    default_levers,
    make_inputs,
    replace_parameter,
)

from policybrief.domain import Lever, Scenario, Target
from policybrief.model import run
from policybrief.model.cheapest import cheapest_package, classify, needed_draws
from policybrief.model.frontier import (
    DominanceRow,
    ScenarioPoint,
    dominance,
    frontier,
    scenario_points,
)
from policybrief.model.levers import schedule
from policybrief.model.projection import project, years
from policybrief.model.sampling import central_theta, sample_theta, uncertain_quantities

GRID = 20  # steps of max/20
SEARCH = 500  # search draws for the grid comparisons (the grid evaluates ~60,000 packages)

EXTRA_LEVERS = (
    Lever(
        id="gateways",
        name="Payment gateways",
        channel="realization",
        effect_central=0.02,
        effect_low=0.01,
        effect_high=0.03,
        cost_per_unit=0.0,  # costs nothing
        max_intensity=1.0,
    ),
    Lever(
        id="tax",
        name="Export tax regime",
        channel="productivity",
        form="level",
        effect_central=0.03,
        effect_low=0.0,
        effect_high=0.05,
        cost_share=0.01,  # a share of recorded exports per unit
        max_intensity=1.0,
    ),
    Lever(
        id="shutdowns",
        name="Internet shutdowns",
        channel="productivity",
        form="level",
        effect_central=-0.03,
        effect_low=-0.05,
        effect_high=-0.01,
        start_year=2024,  # in force in the base year: ending it restores the level
        max_intensity=2.0,
    ),
)
ALL_LEVERS = {lv.id: lv for lv in (*default_levers(), *EXTRA_LEVERS)}

#: Lever sets small enough to enumerate; the last lever is helpful and paid (bisected).
LEVER_SETS = {
    "two: saturation and a cost share": ("tax", "skills"),
    "three: costless, harmful in force, lagged": ("gateways", "shutdowns", "retention"),
    "four: costless and a cost share": ("gateways", "tax", "skills", "visas"),
}


PLACEHOLDER = (Target("placeholder", 1.0, 2030),)


def _inputs(ids, targets=PLACEHOLDER, **settings):
    levers = tuple(ALL_LEVERS[i] for i in ids)
    scenarios = (
        Scenario(BASELINE, {i: (1.0 if i == "shutdowns" else 0.0) for i in ids}),
        Scenario(HEADLINE, {i: min(1.0, ALL_LEVERS[i].max_intensity or 1.0) for i in ids}),
        Scenario(STRETCH, {i: ALL_LEVERS[i].max_intensity or 2.0 for i in ids}),
    )
    inputs = make_inputs(
        levers=levers,
        scenarios=scenarios,
        targets=targets,
        discount_rate=0.05,
        **{"target_probability": 0.5, **settings},
    )
    return replace_parameter(inputs, "shock_sd", value=0.05)  # shocks on for the chance


def _draws(inputs, n, seed=11):
    return sample_theta(
        central_theta(inputs),
        uncertain_quantities(inputs),
        seed,
        0,
        n,
        horizon=inputs.settings.horizon,
    )


def _reference(inputs):
    return np.array([inputs.baseline.intensity(lv.id) for lv in inputs.levers])


def _exports(inputs, draws, x, year):
    """Each draw's exports in ``year`` for each package ``x`` (rows), ``(rows, draws)``."""
    base = inputs.settings.base_year
    out = np.empty((x.shape[0], draws.size))
    for first in range(0, x.shape[0], 1024):
        rows = x[first : first + 1024]
        sched = schedule(inputs.levers, rows, base, year - base, reference=_reference(inputs))
        *_, last = years(draws, sched)
        out[first : first + len(rows)] = np.broadcast_to(last.exports, (len(rows), draws.size))
    return out


def _pv_cost(inputs, x):
    s = inputs.settings
    sched = schedule(inputs.levers, x, s.base_year, s.horizon, reference=_reference(inputs))
    cost = project(central_theta(inputs), sched)["fiscal_cost"][1:, :, 0]  # (years, rows)
    d = (1 + s.discount_rate) ** -np.arange(1, s.horizon + 1)
    return d @ cost


def _grid_cheapest(inputs, draws, target):
    """Least PV cost over the max/20 grid with the chance met on ``draws`` (inf if none)."""
    grids = [np.linspace(0.0, lv.max_intensity, GRID + 1) for lv in inputs.levers]
    fibers = np.array(list(itertools.product(*grids[:-1])))
    m = needed_draws(inputs.settings.target_probability, draws.size)

    def meets(index):
        x = np.column_stack([fibers, grids[-1][np.minimum(index, GRID)]])
        hits = (_exports(inputs, draws, x, target.year) >= target.value).sum(axis=1)
        return hits >= m

    # the last lever helps in every draw: bisect its least grid index meeting the target
    lo, hi = np.full(len(fibers), -1), np.full(len(fibers), GRID + 1)
    while np.any(hi - lo > 1):
        mid = (lo + hi) // 2
        ok = meets(mid) & (mid <= GRID)
        hi, lo = np.where(ok, mid, hi), np.where(ok, lo, mid)
    found = hi <= GRID
    if not found.any():
        return math.inf
    x = np.column_stack([fibers[found], grids[-1][hi[found]]])
    return float(_pv_cost(inputs, x).min())


def _top_and_start(inputs):
    top = np.array([lv.max_intensity if lv.effect_central > 0 else 0.0 for lv in inputs.levers])
    start = np.array(
        [t if lv.costs_nothing else 0.0 for lv, t in zip(inputs.levers, top, strict=True)]
    )
    return top, start


def _targets(inputs, draws):
    """An easy, a hard and an infeasible target, placed between the least and top packages."""
    m = needed_draws(inputs.settings.target_probability, draws.size)
    top, start = _top_and_start(inputs)
    q = {
        year: np.sort(_exports(inputs, draws, np.array([start, top]), year), axis=1)[:, -m]
        for year in (2028, 2030)
    }
    return (
        Target("easy", float(q[2028][0] + 0.3 * (q[2028][1] - q[2028][0])), 2028),
        Target("hard", float(q[2030][0] + 0.9 * (q[2030][1] - q[2030][0])), 2030),
        Target("infeasible", float(q[2030][1] * 1.01), 2030),
    )


@pytest.mark.parametrize("ids", LEVER_SETS.values(), ids=LEVER_SETS.keys())
def test_cheapest_package_is_within_one_percent_of_an_exhaustive_grid(ids):
    inputs = _inputs(ids)
    draws = _draws(inputs, 2 * SEARCH)
    search = draws.rows(0, SEARCH)
    targets = _targets(inputs, search)
    inputs = _inputs(ids, targets=targets)
    found = cheapest_package(inputs, draws, search_draws=SEARCH)
    for target, package in zip(targets[:2], found[:2], strict=True):
        grid = _grid_cheapest(inputs, search, target)
        assert package.feasible
        assert package.pv_cost <= grid * 1.01 + 1e-9, (target.label, package.pv_cost, grid)
        x = np.array([[v for _, v in package.intensities]])
        assert_allclose(_pv_cost(inputs, x), package.pv_cost, rtol=1e-9)
        hits = (_exports(inputs, search, x, target.year) >= target.value).sum()
        assert hits >= needed_draws(0.5, SEARCH)
        assert package.probability_search >= 0.5
    infeasible = found[2]
    assert infeasible.status == "infeasible"
    assert not infeasible.feasible
    assert infeasible.intensities == ()
    assert infeasible.pv_cost is None
    assert infeasible.probability_search < 0.5  # the best chance there is, at the top corner


@pytest.mark.parametrize("ids", LEVER_SETS.values(), ids=LEVER_SETS.keys())
def test_the_answer_meets_the_chance_on_all_draws_within_the_monte_carlo_error(ids):
    n_all = 3 * 4096
    inputs = _inputs(ids)
    draws = _draws(inputs, n_all, seed=5)
    inputs = _inputs(ids, targets=_targets(inputs, draws.rows(0, 4096))[:2])
    for package in cheapest_package(inputs, draws):
        assert package.draws_search == 4096
        assert package.draws == n_all
        assert package.probability_search >= 0.5
        # the all-draws estimate differs from the search's by sampling error only
        spread = math.sqrt(0.25 * (1 / 4096 - 1 / n_all))
        assert package.probability >= 0.5 - 3 * spread
        assert package.status == classify(True, round(package.probability * n_all), n_all, 0.5)
        assert package.status in {"ok", "borderline"}


def test_a_costless_helpful_lever_sits_at_its_max_and_a_harmful_one_at_zero():
    ids = ("gateways", "shutdowns", "retention")
    inputs = _inputs(ids)
    draws = _draws(inputs, 1000)
    inputs = _inputs(ids, targets=_targets(inputs, draws)[:2])
    for package in cheapest_package(inputs, draws):
        chosen = dict(package.intensities)
        assert chosen["gateways"] == 1.0
        assert chosen["shutdowns"] == 0.0


def test_a_target_met_without_spending_costs_nothing():
    ids = ("gateways", "skills")
    inputs = _inputs(ids, targets=(Target("met already", 1000.0, 2027),))
    (package,) = cheapest_package(inputs, _draws(inputs, 1000))
    assert package.status == "ok"
    assert package.pv_cost == 0.0
    assert dict(package.intensities) == {"gateways": 1.0, "skills": 0.0}


@pytest.mark.parametrize(
    ("hits", "status"),
    [(5000, "ok"), (4990, "borderline"), (4901, "borderline"), (4800, "failed")],
)
def test_a_shortfall_on_all_draws_is_borderline_within_two_standard_errors(hits, status):
    # n = 10,000, p = 0.5: one standard error is 0.5 percentage points, 50 draws
    assert classify(True, hits, 10_000, 0.5) == status
    assert classify(False, hits, 10_000, 0.5) == "infeasible"


def test_the_search_is_deterministic():
    ids = ("gateways", "tax", "skills", "visas")
    inputs = _inputs(ids)
    draws = _draws(inputs, 1000)
    inputs = _inputs(ids, targets=_targets(inputs, draws))
    assert cheapest_package(inputs, draws) == cheapest_package(inputs, draws)
    assert frontier(inputs) == frontier(inputs)


def test_scenario_points_are_the_engines_pv_cost_and_final_exports():
    inputs = _inputs(("gateways", "tax", "skills", "shutdowns"))
    results = run(inputs, draws=200)
    for point in scenario_points(inputs):
        s = results.scenario(point.scenario)
        assert_allclose(point.pv_cost, s.pv_cost, rtol=1e-12)
        assert_allclose(point.exports, s.central["exports"][-1], rtol=1e-12)


@pytest.mark.parametrize("ids", LEVER_SETS.values(), ids=LEVER_SETS.keys())
def test_frontier_exports_rise_with_the_budget_and_stay_within_it(ids):
    inputs = _inputs(ids)
    result = frontier(inputs)
    points = result.points
    assert len(points) >= 8
    budgets = [p.budget for p in points]
    assert budgets[0] == 0.0
    assert_allclose(budgets[-1], max(s.pv_cost for s in scenario_points(inputs)))
    assert all(b < c for b, c in itertools.pairwise(budgets))
    assert all(a.exports <= b.exports for a, b in itertools.pairwise(points))
    for p in points:
        assert p.within_budget
        assert p.pv_cost <= p.budget + 1e-9 * max(p.budget, 1.0)
        x = np.array([[v for _, v in p.intensities]])
        assert_allclose(_pv_cost(inputs, x), p.pv_cost, rtol=1e-9)
    for s in result.scenarios:  # every scenario on or below the frontier
        assert s.best_exports >= s.exports
        assert s.least_cost is not None
        assert s.least_cost <= s.pv_cost * (1 + 1e-9) + 1e-9


def test_frontier_is_at_least_as_good_as_a_grid_at_every_budget():
    inputs = _inputs(("tax", "skills", "retention"))
    grids = [np.linspace(0.0, lv.max_intensity, GRID + 1) for lv in inputs.levers]
    x = np.array(list(itertools.product(*grids)))
    cost = _pv_cost(inputs, x)
    sched = schedule(inputs.levers, x, 2025, 5, reference=_reference(inputs))
    exports = project(central_theta(inputs), sched)["exports"][-1, :, 0]
    for p in frontier(inputs).points:
        best = exports[cost <= p.budget].max()
        assert p.exports >= best * (1 - 1e-3), (p.budget, p.exports, best)


def test_dominance_marks_a_scenario_beaten_on_cost_and_exports():
    points = [
        ScenarioPoint("Current", 100.0, 1000.0),
        ScenarioPoint("Reform", 300.0, 1500.0),
        ScenarioPoint("Costly", 400.0, 1400.0),  # Reform is cheaper and better
        ScenarioPoint("Same cost", 300.0, 1200.0),  # Reform: same cost, more exports
        ScenarioPoint("Free", 0.0, 1000.0),  # same exports as Current, for nothing
        ScenarioPoint("Twin", 0.0, 1000.0),  # identical to Free: neither dominates
    ]
    rows = {r.scenario: r for r in dominance(points)}
    assert rows["Costly"] == DominanceRow("Costly", 400.0, 1400.0, True, "Reform", ("Reform",))
    assert rows["Same cost"].dominated_by == "Reform"
    assert rows["Current"].dominated
    assert rows["Current"].dominators == ("Free", "Twin")
    assert not rows["Reform"].dominated
    assert not rows["Free"].dominated
    assert not rows["Twin"].dominated


def test_levers_without_a_max_keep_the_headline_intensity_and_cost():
    inputs = _inputs(("skills", "tax"), targets=(Target("near", 2500.0, 2028),))
    levers = tuple(dataclasses.replace(lv, max_intensity=None) for lv in inputs.levers)
    inputs = dataclasses.replace(inputs, levers=levers)
    (package,) = cheapest_package(inputs, _draws(inputs, 500))
    assert dict(package.intensities) == {"skills": 1.0, "tax": 1.0}  # the headline's
    points = frontier(inputs).points
    headline_cost = _pv_cost(inputs, np.array([[1.0, 1.0]]))[0]
    for p in points:
        assert p.within_budget == (p.budget >= headline_cost)
        assert_allclose(p.pv_cost, headline_cost, rtol=1e-12)


def test_a_chance_of_zero_needs_nothing_and_a_chance_of_one_may_be_out_of_reach():
    ids = ("gateways", "skills")
    targets = (Target("any", 2500.0, 2028),)
    draws = _draws(_inputs(ids), 500)
    (free,) = cheapest_package(_inputs(ids, targets=targets, target_probability=0.0), draws)
    assert free.status == "ok"
    assert dict(free.intensities) == {"gateways": 1.0, "skills": 0.0}
    (certain,) = cheapest_package(_inputs(ids, targets=targets, target_probability=1.0), draws)
    assert certain.status == "infeasible"
    assert 0 < certain.probability_search < 1


#: Search draws of the property test. With a few hundred draws the chance's boundary is jagged
#: enough to hold local minima a few percent dearer, which random testing at 300 draws found
#: (the two examples below: 7.7% and 1.3% dearer at 300 draws; within 1% at 1,000). Random
#: testing also found a case 1.7% dearer at 1,000 draws (costs 4, 0, 2; caps 1, 2, 1; fraction
#: 0.25; chance 0.2): a known limit of the greedy-plus-exchange search, recorded in
#: ``cheapest``'s docstring. The examples are derandomised so CI is reproducible.
SEARCH = 1000


@settings(max_examples=8, deadline=None, derandomize=True)
@example(costs=[0.0, 4.0, 9.0], caps=[1.0, 2.0, 1.0], fraction=0.5, probability=0.8)
@example(costs=[1.0, 6.0, 9.0], caps=[1.0, 3.0, 1.5], fraction=0.75, probability=0.8)
@given(
    costs=st.lists(st.floats(0.0, 20.0), min_size=3, max_size=3),
    caps=st.lists(st.floats(0.5, 6.0), min_size=3, max_size=3),
    fraction=st.floats(0.05, 1.05),
    probability=st.sampled_from([0.2, 0.5, 0.8]),
)
def test_no_random_package_is_more_than_one_percent_cheaper(costs, caps, fraction, probability):
    ids = ("skills", "retention", "visas")
    inputs = _inputs(ids, target_probability=probability)
    levers = tuple(
        dataclasses.replace(lv, cost_per_unit=c, max_intensity=m)
        for lv, c, m in zip(inputs.levers, costs, caps, strict=True)
    )
    inputs = dataclasses.replace(inputs, levers=levers)
    draws = _draws(inputs, SEARCH)
    m = needed_draws(probability, SEARCH)
    top, start = _top_and_start(inputs)
    ends = np.sort(_exports(inputs, draws, np.array([start, top]), 2029), axis=1)[:, -m]
    target = Target("t", float(ends[0] + fraction * (ends[1] - ends[0])), 2029)
    (package,) = cheapest_package(dataclasses.replace(inputs, targets=(target,)), draws)
    rng = np.random.default_rng(0)
    x = rng.uniform(0.0, 1.0, (3000, 3)) ** rng.choice([0.5, 1.0, 2.0], (3000, 1)) * top
    x = np.vstack([x, top])
    meets = (_exports(inputs, draws, x, 2029) >= target.value).sum(axis=1) >= m
    assert package.feasible == bool(meets[-1])  # infeasible exactly when the top corner misses
    if package.feasible:
        assert package.probability_search >= probability
        assert package.pv_cost <= _pv_cost(inputs, x[meets]).min() * 1.01 + 1e-9
