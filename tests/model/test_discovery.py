"""Scenario discovery on the engine's draws: the run's own cases, targets kept, bounds in units."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from tests.factories import make_inputs, replace_parameter

from policybrief.domain import Target
from policybrief.model.discovery import discover, headline_exports, input_values
from policybrief.model.engine import intensity_matrix
from policybrief.model.levers import schedule
from policybrief.model.projection import project
from policybrief.model.sampling import central_theta, uncertain_quantities
from policybrief.model.simulation import simulate

TARGETS = (
    Target("Interim goal", 2400.0, 2028),
    Target("Export goal", 3000.0, 2030),
    Target("Sure thing", 1000.0, 2027),
)


def _inputs():
    """The factory's inputs with yearly shocks on and a target every draw meets."""
    shocked = replace_parameter(make_inputs(), "shock_sd", value=0.05)
    return make_inputs(parameters=shocked.parameters, targets=TARGETS)


def _run(inputs):
    """The engine's Monte Carlo (as ``engine.run`` calls it): the summary and the headline."""
    s = inputs.settings
    x = intensity_matrix(inputs)
    names = [sc.name for sc in inputs.scenarios]
    sched = schedule(
        inputs.levers, x, s.base_year, s.horizon, reference=x[names.index(s.baseline_scenario)]
    )
    mc = simulate(
        sched,
        central_theta(inputs),
        uncertain_quantities(inputs),
        draws=s.draws,
        seed=s.seed,
        percentiles=(10, 50, 90),
        targets=[(t.value, t.year - s.base_year) for t in inputs.targets],
        chunk_size=4096,
    )
    return mc, names.index(s.headline_scenario), sched


@pytest.fixture(scope="module")
def found():
    inputs = _inputs()
    mc, h, _ = _run(inputs)
    return inputs, mc, h, discover(inputs, mc.kept, mc.probability[:, h])


def test_headline_exports_are_the_runs_own_for_each_draw():
    inputs = _inputs()
    mc, h, sched = _run(inputs)
    years = [t.year - inputs.settings.base_year for t in inputs.targets]
    exports = headline_exports(inputs, mc.kept, years)
    assert_array_equal(exports, project(mc.kept, sched)["exports"][years, h])


def test_each_box_counts_the_draws_that_met_the_target_in_the_run(found):
    inputs, mc, h, discoveries = found
    for d in discoveries:
        i = [t.label for t in inputs.targets].index(d.target)
        assert d.draws == inputs.settings.draws
        assert d.cases == mc.meeting[i, h]
        assert d.chance == mc.probability[i, h]


def test_targets_outside_two_to_98_percent_are_left_out(found):
    inputs, mc, h, discoveries = found
    assert mc.probability[2, h] == 1.0
    assert [d.target for d in discoveries] == ["Interim goal", "Export goal"]
    assert [d.target for d in discover(inputs, mc.kept, [0.02, 0.985, 0.98])] == [
        "Interim goal",
        "Sure thing",
    ]
    assert discover(inputs, mc.kept, [0.0, 0.01, 1.0]) == ()


def test_coverage_and_density_are_counted_over_the_draws_used(found):
    inputs, mc, _, discoveries = found
    x = input_values(mc.kept, uncertain_quantities(inputs))
    for d in discoveries:
        exports = headline_exports(inputs, mc.kept, [d.year - inputs.settings.base_year])[0]
        met = exports >= d.value
        inside = d.box.contains(x)
        assert d.inside == np.count_nonzero(inside)
        assert d.coverage == np.count_nonzero(met & inside) / np.count_nonzero(met)
        assert d.density == np.count_nonzero(met & inside) / np.count_nonzero(inside)


def test_restrictions_give_each_input_its_bounds_in_its_own_units(found):
    inputs, _, _, discoveries = found
    quantities = {q.label: q for q in uncertain_quantities(inputs)}
    for d in discoveries:
        assert d.restrictions
        losses = [r.density_loss for r in d.restrictions]
        assert losses == sorted(losses, reverse=True)
        for r in d.restrictions:
            q = quantities[r.label]
            assert r.kind == q.kind
            assert r.lower is not None or r.upper is not None
            for bound in (r.lower, r.upper):
                assert bound is None or q.low < bound < q.high


def test_boxes_bound_each_input_on_the_side_that_helps_exports(found):
    # more productivity growth and absorption raise exports, more emigration lowers them
    _, _, _, discoveries = found
    helps = {"productivity_growth", "absorption_rate", "graduates_growth", "realization_base"}
    for d in discoveries:
        named = {r.label for r in d.restrictions}
        assert {"productivity_growth", "emigration_rate"} <= named
        for r in d.restrictions:
            if r.label in helps or r.kind == "lever":
                assert r.upper is None, r
            if r.label == "emigration_rate":
                assert r.lower is None, r


def test_prim_uses_at_most_the_draws_asked_for(found):
    inputs, mc, h, _ = found
    for d in discover(inputs, mc.kept, mc.probability[:, h], draws=500):
        assert d.draws == 500


def test_discover_wants_one_chance_per_target(found):
    inputs, mc, _, _ = found
    with pytest.raises(ValueError, match="one chance per target"):
        discover(inputs, mc.kept, [0.5])


def test_no_uncertain_input_gives_unrestricted_boxes(found):
    inputs, mc, h, _ = found
    for d in discover(inputs, mc.kept, mc.probability[:, h], quantities=()):
        assert d.restrictions == ()
        assert d.coverage == 1.0
        assert d.density == d.cases / d.draws
