"""Golden values of the version-2 terms of MODEL.md, worked out by hand.

Most tests use a "flat" model in which the workforce never changes (no graduates, other
entrants, attrition or emigration) and every quantity is fixed, so that with
``exports_base = workforce_base = 1000``, ``realization_base = 0.5`` and
``productivity_growth = 0.1``::

    P_0 = 1000 / (1000 · 0.5) = 2,   G_t = 1.1^t,   E_t = 1000 · 2 · G_t · level_t · Rz_t
        = 1000 · 1.1^t · level_t          (while Rz_t = 0.5)

and each lever's term can be read off the exports path alone.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from tests.factories import collapse_ranges, make_inputs, replace_parameter, replace_settings

from policybrief.domain import BASELINE_PARAMETERS, Lever, Scenario, Target
from policybrief.model import METRICS, run, simulation
from policybrief.model.engine import intensity_matrix
from policybrief.model.goalseek import saturation_scale, scaled_intensities
from policybrief.model.levers import schedule
from policybrief.model.projection import project
from policybrief.model.sampling import (
    SHOCK_STREAM,
    Theta,
    block_generator,
    central_theta,
    sample_theta,
    uncertain_quantities,
)

RTOL = 1e-12

FLAT = {
    "exports_base": 1000.0,
    "workforce_base": 1000.0,
    "realization_base": 0.5,
    "realization_max": 0.9,
    "productivity_growth": 0.1,
    "graduates_base": 0.0,
    "graduates_growth": 0.0,
    "absorption_rate": 0.0,
    "other_entry_rate": 0.0,
    "attrition_rate": 0.0,
    "emigration_rate": 0.0,
    "shock_sd": 0.0,
}


def _lever(lever_id: str, channel: str, effect: float, **fields) -> Lever:
    """A lever with a fixed effect (Low = Central = High)."""
    return Lever(lever_id, lever_id, channel, effect, effect, effect, **fields)


def _scenarios(levers, **scenarios: dict[str, float]) -> tuple[Scenario, ...]:
    """Scenarios by name (the first is the baseline, the last the headline); blanks are 0."""
    return tuple(
        Scenario(name, {lv.id: x.get(lv.id, 0.0) for lv in levers}) for name, x in scenarios.items()
    )


def _flat(levers, scenarios, *, horizon=4, targets=(), **parameters):
    """The flat model of the module docstring, every quantity fixed; ``parameters`` override."""
    inputs = make_inputs(
        horizon=horizon,
        levers=levers,
        scenarios=scenarios,
        baseline=scenarios[0].name,
        headline=scenarios[-1].name,
        targets=targets,
        draws=100,
    )
    for name, value in {**FLAT, **parameters}.items():
        inputs = replace_parameter(inputs, name, value=value)
    return collapse_ranges(inputs)


def _exports(inputs) -> dict[str, np.ndarray]:
    """Central exports path of every scenario, base year first."""
    return {s.name: s.central["exports"] for s in run(inputs).scenarios}


# --- level-form productivity levers -----------------------------------------------------------


def test_level_form_lever_shifts_the_level_while_active_without_compounding():
    # Effect 0.2 at intensity 1: level_t = 1 + 0.2 · w(Y), Λ*_level = 0 (nothing in force).
    levers = (
        _lever("on", "productivity", 0.2, form="level"),  # w = 1 from FY26
        _lever("lagged", "productivity", 0.2, form="level", lag=1),  # w = 0, 1, 1, 1
        _lever("ramped", "productivity", 0.2, form="level", ramp=2),  # w = 0.5, 1, 1, 1
        _lever("ended", "productivity", 0.2, form="level", end_year=2027),  # w = 1, 1, 0, 0
        _lever("growth", "productivity", 0.2),  # growth form, for contrast: G_t = 1.3^t
    )
    inputs = _flat(
        levers,
        _scenarios(
            levers,
            none={},
            on={"on": 1.0},
            lagged={"lagged": 1.0},
            ramped={"ramped": 1.0},
            ended={"ended": 1.0},
            growth={"growth": 1.0},
        ),
    )
    e = _exports(inputs)
    # E_t = 1000 · 1.1^t · level_t; 1.1^t = 1.1, 1.21, 1.331, 1.4641
    expected = {
        "none": [1000, 1100, 1210, 1331, 1464.1],
        # 1.2 · (1100, 1210, 1331, 1464.1): the gap stays 20% and does not grow
        "on": [1000, 1320, 1452, 1597.2, 1756.92],
        # FY26 at 1.0, then 1.2
        "lagged": [1000, 1100, 1452, 1597.2, 1756.92],
        # FY26 at 1 + 0.2 · 0.5 = 1.1: 1100 · 1.1 = 1210; then 1.2
        "ramped": [1000, 1210, 1452, 1597.2, 1756.92],
        # 1.2 in FY26-FY27, back to 1.0 from FY28: the level returns, nothing was compounded
        "ended": [1000, 1320, 1452, 1331, 1464.1],
        # growth form: 1000 · 1.3^t = 1300, 1690, 2197, 2856.1
        "growth": [1000, 1300, 1690, 2197, 2856.1],
    }
    for name, values in expected.items():
        assert_allclose(e[name], values, rtol=RTOL, err_msg=name)


def test_level_form_enters_productivity_and_earnings_but_not_the_workforce():
    levers = (
        # saturation 1 at intensity ln 2: f = 1 · (1 − exp(−ln 2)) = 0.5; level = 1 + 0.2 · 0.5
        _lever("level", "productivity", 0.2, form="level", saturation=1.0),
        _lever("growth", "productivity", 0.05),
    )
    inputs = _flat(
        levers,
        _scenarios(levers, none={}, both={"level": math.log(2), "growth": 1.0}),
        horizon=3,
    )
    c = run(inputs).headline.central
    # G_t = (1 + 0.1 + 0.05)^t = 1.15, 1.3225, 1.520875;  P_t = 2 · G_t · 1.1
    p = [2.0, 2.53, 2.9095, 3.345925]
    assert_allclose(c["productivity"], p, rtol=RTOL)
    assert_allclose(c["workforce"], [1000.0] * 4, rtol=RTOL)
    # V_t = W_t · P_t;  E_t = V_t · 0.5
    assert_allclose(c["earnings"], [1000 * v for v in p], rtol=RTOL)
    assert_allclose(c["exports"], [500 * v for v in p], rtol=RTOL)


# --- levers already in force in the base year --------------------------------------------------


def _without(inputs, lever_id):
    """``inputs`` as if lever ``lever_id`` did not exist."""
    levers = tuple(lv for lv in inputs.levers if lv.id != lever_id)
    scenarios = tuple(
        dataclasses.replace(
            s, intensities={k: v for k, v in s.intensities.items() if k != lever_id}
        )
        for s in inputs.scenarios
    )
    return dataclasses.replace(inputs, levers=levers, scenarios=scenarios)


def _in_force_case(lever, **parameters):
    """Baseline ``in force`` (intensity 1), ``ended`` (0) and ``doubled`` (2)."""
    levers = (lever,)
    return _flat(
        levers,
        _scenarios(
            levers,
            **{"in force": {lever.id: 1.0}, "ended": {}, "doubled": {lever.id: 2.0}},
        ),
        **parameters,
    )


def _assert_baseline_is_as_if_the_lever_did_not_exist(inputs, lever_id):
    with_lever = run(inputs).baseline.central
    without = run(_without(inputs, lever_id)).baseline.central
    for m in METRICS:
        if m != "fiscal_cost":
            assert_allclose(with_lever[m], without[m], rtol=RTOL, err_msg=m)


def test_growth_lever_in_force_in_the_base_year_is_part_of_the_base_growth_rate():
    # Internet shutdowns since FY20 cost 3 points of growth: the observed 10% already
    # includes them, so Λ*_p = −0.03 and growth = 1 + 0.1 + Λ − (−0.03).
    lever = _lever("shutdowns", "productivity", -0.03, start_year=2020)
    inputs = _in_force_case(lever)
    _assert_baseline_is_as_if_the_lever_did_not_exist(inputs, "shutdowns")
    e = _exports(inputs)
    # in force: 1 + 0.1 − 0.03 + 0.03 = 1.1 → 1100, 1210, 1331, 1464.1
    assert_allclose(e["in force"], [1000, 1100, 1210, 1331, 1464.1], rtol=RTOL)
    # ended: 1 + 0.1 + 0 + 0.03 = 1.13 → 1130, 1276.9, 1442.897, 1630.47361
    assert_allclose(e["ended"], [1000, 1130, 1276.9, 1442.897, 1630.47361], rtol=RTOL)
    # doubled: 1 + 0.1 − 0.06 + 0.03 = 1.07 → 1070, 1144.9, 1225.043, 1310.79601
    assert_allclose(e["doubled"], [1000, 1070, 1144.9, 1225.043, 1310.79601], rtol=RTOL)


def test_level_lever_in_force_in_the_base_year_is_part_of_base_year_exports():
    # Shutdowns since FY24 cost 10% of the level: base-year exports already carry the 0.9,
    # so P_t = P_0 · G_t · (1 + Λ) / (1 + Λ*) with Λ* = −0.1.
    lever = _lever("shutdowns", "productivity", -0.1, form="level", start_year=2024)
    inputs = _in_force_case(lever)
    _assert_baseline_is_as_if_the_lever_did_not_exist(inputs, "shutdowns")
    e = _exports(inputs)
    # in force: 0.9 / 0.9 = 1 → the baseline path
    assert_allclose(e["in force"], [1000, 1100, 1210, 1331, 1464.1], rtol=RTOL)
    # ended: 1 / 0.9 → 1100 / 0.9 = 1222.2…, … (a one-off 11.1% gain, not compounding)
    assert_allclose(e["ended"], [1000, *(v / 0.9 for v in (1100, 1210, 1331, 1464.1))], rtol=RTOL)
    # doubled: 0.8 / 0.9
    assert_allclose(
        e["doubled"], [1000, *(v * 0.8 / 0.9 for v in (1100, 1210, 1331, 1464.1))], rtol=RTOL
    )
    # The base year itself is as observed in every scenario: P_0 = 2.
    for s in run(inputs).scenarios:
        assert s.central["productivity"][0] == 2.0


def test_lever_in_force_that_ends_in_the_horizon_restores_the_level_in_the_baseline_too():
    # As above, but the shutdowns stop after FY27: from FY28 the baseline's Λ = 0, so its
    # level is 1 / 0.9 as well; ending them now gains only FY26-FY27.
    lever = _lever("shutdowns", "productivity", -0.1, form="level", start_year=2024, end_year=2027)
    e = _exports(_in_force_case(lever))
    assert_allclose(e["in force"], [1000, 1100, 1210, 1331 / 0.9, 1464.1 / 0.9], rtol=RTOL)
    assert_allclose(e["ended"], [1000, 1100 / 0.9, 1210 / 0.9, 1331 / 0.9, 1464.1 / 0.9], rtol=RTOL)


def test_realization_lever_in_force_is_part_of_the_base_realization_share():
    # A withholding rule since FY23 keeps 10 points of proceeds informal: observed
    # Rz_0 = 0.5 includes it (Λ* = −0.1). Rz_t = min(0.9, 0.5 + Λ − (−0.1)).
    lever = _lever("withholding", "realization", -0.1, start_year=2023)
    inputs = _in_force_case(lever)
    _assert_baseline_is_as_if_the_lever_did_not_exist(inputs, "withholding")
    results = run(inputs)
    ended = results.scenario("ended").central
    # ended: Rz = 0.5 + 0 + 0.1 = 0.6;  E_t = 2000 · 1.1^t · 0.6 = 1320, 1452, 1597.2, 1756.92
    assert_allclose(ended["realization"], [0.5, 0.6, 0.6, 0.6, 0.6], rtol=RTOL)
    assert_allclose(ended["exports"], [1000, 1320, 1452, 1597.2, 1756.92], rtol=RTOL)
    # doubled: Rz = 0.5 − 0.2 + 0.1 = 0.4 → E_t = 2000 · 1.1^t · 0.4 = 880, 968, …
    doubled = results.scenario("doubled").central
    assert_allclose(doubled["realization"], [0.5, 0.4, 0.4, 0.4, 0.4], rtol=RTOL)
    assert_allclose(doubled["exports"], [1000, 880, 968, 1064.8, 1171.28], rtol=RTOL)
    # Earnings V = W · P do not depend on the realization share: all three scenarios agree.
    for s in results.scenarios:
        assert_allclose(s.central["earnings"], results.baseline.central["earnings"], rtol=RTOL)


def test_emigration_lever_in_force_is_part_of_the_base_emigration_rate():
    # A retention scheme since FY24 cuts emigration by 20%: the observed 10% includes it
    # (Λ* = 0.2), so m_t = 0.1 · max(0, 1 − (Λ − 0.2)).
    lever = _lever("retention", "emigration", 0.2, start_year=2024)
    inputs = _in_force_case(lever, emigration_rate=0.1)
    _assert_baseline_is_as_if_the_lever_did_not_exist(inputs, "retention")
    results = run(inputs)
    base, ended = results.baseline.central, results.scenario("ended").central
    # in force: m = 0.1;  W_t = 1000 · 0.9^t = 900, 810, 729, 656.1
    assert_allclose(base["emigration_rate"], [0.1] * 5, rtol=RTOL)
    assert_allclose(base["workforce"], [1000, 900, 810, 729, 656.1], rtol=RTOL)
    # ended: m = 0.1 · (1 − (0 − 0.2)) = 0.12;  W_t = 1000 · 0.88^t = 880, 774.4, …
    assert_allclose(ended["emigration_rate"], [0.1] + [0.12] * 4, rtol=RTOL)
    assert_allclose(ended["workforce"], [1000, 880, 774.4, 681.472, 599.69536], rtol=RTOL)
    # emigrants_t = m_t · W_{t−1} = 120, 105.6, 92.928, 81.77664
    assert_allclose(ended["emigrants"], [0, 120, 105.6, 92.928, 81.77664], rtol=RTOL)
    # E_t = W_t · 2 · 1.1^t · 0.5 = W_t · 1.1^t: 968, 937.024, …
    assert_allclose(ended["exports"][:3], [1000, 968, 937.024], rtol=RTOL)
    # ending it costs emigrants: averted = Σ (baseline − scenario), baseline 0.1 · W_{t−1}
    averted = (100 + 90 + 81 + 72.9) - (120 + 105.6 + 92.928 + 81.77664)
    assert_allclose(results.scenario("ended").emigrants_averted, averted, rtol=RTOL)


def test_lever_started_before_the_base_year_but_still_in_its_lag_is_not_in_force():
    # Start FY24, lag 3: the effect begins in FY27 (w(FY25) = 0), so Λ* = 0 and the baseline
    # gets the whole effect from FY27: level 1.2.
    lever = _lever("reform", "productivity", 0.2, form="level", start_year=2024, lag=3)
    e = _exports(_in_force_case(lever))
    assert_allclose(e["in force"], [1000, 1100, 1452, 1597.2, 1756.92], rtol=RTOL)
    assert_allclose(e["ended"], [1000, 1100, 1210, 1331, 1464.1], rtol=RTOL)


# --- costs that scale with exports -------------------------------------------------------------


def test_cost_share_makes_fiscal_cost_scale_with_the_scenarios_exports():
    levers = (
        # level 1 + 0.1 · 2 = 1.2 from FY26; cost per unit 5 plus 1% of recorded exports
        _lever("regime", "productivity", 0.1, form="level", cost_per_unit=5.0, cost_share=0.01),
        # funded FY27-FY28 (a = 1), effective from FY28 (lag 1): +0.05 growth in FY28 only;
        # its cost is 2% of recorded exports per unit while funded, nothing per unit
        _lever(
            "credit",
            "productivity",
            0.05,
            lag=1,
            start_year=2027,
            end_year=2028,
            cost_share=0.02,
        ),
    )
    inputs = _flat(levers, _scenarios(levers, none={}, reform={"regime": 2.0, "credit": 1.0}))
    c = run(inputs).headline.central
    # G = 1.1, 1.21, 1.21 · 1.15 = 1.3915, 1.3915 · 1.1 = 1.53065;  E_t = 1000 · G_t · 1.2
    e = [1000, 1320, 1452, 1669.8, 1836.78]
    assert_allclose(c["exports"], e, rtol=RTOL)
    # C_t = 2 · (5 + 0.01 · E_t) + 1 · a_credit(Y) · 0.02 · E_t
    # FY26: 2 · (5 + 13.2)                      = 36.4
    # FY27: 2 · (5 + 14.52)   + 0.02 · 1452     = 39.04   + 29.04   = 68.08
    # FY28: 2 · (5 + 16.698)  + 0.02 · 1669.8   = 43.396  + 33.396  = 76.792
    # FY29: 2 · (5 + 18.3678)                   = 46.7356 (credit no longer funded)
    assert_allclose(c["fiscal_cost"], [0, 36.4, 68.08, 76.792, 46.7356], rtol=RTOL)


def test_cost_share_is_charged_on_each_draws_own_exports():
    # With exports uncertain, cost = x · (cost_per_unit + share · E) draw by draw: its
    # percentiles are those of exports, mapped through the same line.
    lever = _lever("regime", "productivity", 0.1, form="level", cost_per_unit=5.0, cost_share=0.01)
    inputs = _flat((lever,), _scenarios((lever,), none={}, reform={"regime": 2.0}))
    inputs = replace_parameter(inputs, "productivity_growth", low=0.0, high=0.2)
    s = run(inputs, draws=500).headline
    for q in (10, 50, 90):
        assert_allclose(
            s.percentiles[q]["fiscal_cost"][1:],
            2 * (5 + 0.01 * s.percentiles[q]["exports"][1:]),
            rtol=RTOL,
        )
    assert_allclose(s.mean["fiscal_cost"][1:], 2 * (5 + 0.01 * s.mean["exports"][1:]), rtol=RTOL)
    assert s.percentiles[90]["fiscal_cost"][-1] > s.percentiles[10]["fiscal_cost"][-1]


# --- discounting and the fiscal return -------------------------------------------------------


def test_present_values_fiscal_return_and_the_gain_split_by_hand():
    """Present values at the base year: projection year t is discounted by (1 + r)^−t.

    MODEL.md does not say whether the first projection year is discounted by a full year;
    the engine (``engine.discount_factors``) and this test take the base year as the present,
    so FY26 counts 1/1.1 at 10%.
    """
    levers = (
        _lever("regime", "productivity", 0.1, form="level", cost_per_unit=5.0, cost_share=0.01),
        _lever("payments", "realization", 0.1),  # costs nothing: Rz = 0.5 + 0.1 = 0.6
    )
    inputs = _flat(
        levers,
        _scenarios(levers, current={"regime": 1.0}, reform={"regime": 2.0, "payments": 1.0}),
        horizon=3,
    )
    inputs = replace_settings(inputs, discount_rate=0.1)
    results = run(inputs)
    base, reform = results.baseline, results.headline
    # Discount factors 1/1.1, 1/1.21, 1/1.331 for FY26-FY28.
    d = np.array([1 / 1.1, 1 / 1.21, 1 / 1.331])
    # Baseline (level 1.1, Rz 0.5): V = 2000 · 1.1^t · 1.1 = 2420, 2662, 2928.2
    #   E = 0.5 · V = 1210, 1331, 1464.1;  C = 1 · (5 + 0.01 · E) = 17.1, 18.31, 19.641
    # Reform (level 1.2, Rz 0.6):   V = 2000 · 1.1^t · 1.2 = 2640, 2904, 3194.4
    #   E = 0.6 · V = 1584, 1742.4, 1916.64;  C = 2 · (5 + 0.01 · E) = 41.68, 44.848, 48.3328
    assert_allclose(base.central["exports"][1:], [1210, 1331, 1464.1], rtol=RTOL)
    assert_allclose(reform.central["earnings"][1:], [2640, 2904, 3194.4], rtol=RTOL)
    assert_allclose(reform.central["fiscal_cost"][1:], [41.68, 44.848, 48.3328], rtol=RTOL)
    # PV cost = 41.68/1.1 + 44.848/1.21 + 48.3328/1.331
    assert_allclose(reform.pv_cost, 41.68 / 1.1 + 44.848 / 1.21 + 48.3328 / 1.331, rtol=RTOL)
    assert_allclose(base.pv_cost, 17.1 / 1.1 + 18.31 / 1.21 + 19.641 / 1.331, rtol=RTOL)
    # ΔC = 24.58, 26.538, 28.6918 = 5 (fixed) + 0.01 · (2 E_reform − E_base), the latter
    # 19.58 · 1.1^(t−1), whose PV is 17.8 a year:  PV = 5 · Σ d + 3 · 17.8
    pv_extra = 5 * d.sum() + 3 * 17.8
    assert_allclose(reform.pv_extra_cost, pv_extra, rtol=RTOL)
    assert_allclose(np.dot([24.58, 26.538, 28.6918], d), pv_extra, rtol=RTOL)
    # ΔE = 374, 411.4, 452.54 (= 374 · 1.1^(t−1)) → PV 340 a year = 1020
    assert_allclose(reform.pv_gain, 1020.0, rtol=RTOL)
    # ΔV = 220, 242, 266.2 → PV 200 a year = 600
    assert_allclose(reform.pv_gain_earnings, 600.0, rtol=RTOL)
    assert_allclose(reform.gain_per_fiscal_dollar, 1020.0 / pv_extra, rtol=RTOL)
    assert_allclose(reform.return_on_earnings, 600.0 / pv_extra, rtol=RTOL)
    # Split of ΔE = Δ(V · Rz): new earnings ΔV · (0.6 + 0.5)/2 = 121, 133.1, 146.41 → PV 330;
    # reclassification ΔRz · (V_reform + V_base)/2 = 0.1 · 2530, … = 253, 278.3, 306.13 → 690.
    assert_allclose(reform.gain_new_earnings, 330.0, rtol=RTOL)
    assert_allclose(reform.gain_reclassification, 690.0, rtol=RTOL)
    assert_allclose(reform.gain_new_earnings + reform.gain_reclassification, reform.pv_gain)
    # The undiscounted figures stay undiscounted.
    assert_allclose(reform.export_gain, 374 + 411.4 + 452.54, rtol=RTOL)
    assert_allclose(reform.cumulative_cost, 41.68 + 44.848 + 48.3328, rtol=RTOL)
    assert_allclose(reform.extra_cost, 24.58 + 26.538 + 28.6918, rtol=RTOL)
    # Share of the final-year gain (Shapley) from the costless lever: v(∅) = 1464.1,
    # v(regime) = 2000 · 1.331 · 1.2 · 0.5 = 1597.2, v(payments) = 2000 · 1.331 · 1.1 · 0.6
    # = 1756.92, v(both) = 1916.64; φ_payments = ((1756.92 − 1464.1) + (1916.64 − 1597.2)) / 2
    # = 306.13 of 452.54.
    assert_allclose(reform.costless_share, 306.13 / 452.54, rtol=RTOL)
    # The baseline spends nothing extra: no return.
    assert base.pv_extra_cost == 0.0
    assert base.gain_per_fiscal_dollar is None
    assert base.return_on_earnings is None


def test_a_discount_rate_of_zero_gives_plain_sums():
    levers = (_lever("regime", "productivity", 0.1, form="level", cost_per_unit=5.0),)
    inputs = _flat(levers, _scenarios(levers, none={}, reform={"regime": 2.0}), horizon=3)
    reform = run(inputs).headline
    assert_allclose(reform.pv_cost, reform.cumulative_cost, rtol=RTOL)
    assert_allclose(reform.pv_gain, reform.export_gain, rtol=RTOL)
    # 30 a year; gain 0.2 · (1100 + 1210 + 1331) = 728.2
    assert_allclose(reform.gain_per_fiscal_dollar, 728.2 / 30, rtol=RTOL)


# --- other entrants ----------------------------------------------------------------------------


def test_other_entrants_are_a_share_of_last_years_workforce():
    # No graduates, no levers: N_t = 0.1 · W_{t−1};  W_t = W_{t−1} · (1 − 0.05) + N_t
    # = 1.05 · W_{t−1}.
    inputs = _flat(
        (), _scenarios((), none={}), horizon=3, other_entry_rate=0.1, attrition_rate=0.05
    )
    c = run(inputs).baseline.central
    # W = 1000, 1050, 1102.5, 1157.625;  N = 0.1 · (1000, 1050, 1102.5) = 100, 105, 110.25
    assert_allclose(c["workforce"], [1000, 1050, 1102.5, 1157.625], rtol=RTOL)
    assert_allclose(c["entrants"], [0, 100, 105, 110.25], rtol=RTOL)
    # E_t = W_t · 2 · 1.1^t · 0.5 = W_t · 1.1^t = 1155, 1334.025, 1540.798875
    assert_allclose(c["exports"], [1000, 1155, 1334.025, 1540.798875], rtol=RTOL)


def test_without_graduates_exports_do_not_depend_on_the_base_workforce():
    # The v1 critique: a fixed flow of entrants made a smaller base grow faster. With entrants
    # a share of the workforce, W_t / W_0 = 1.05^t whatever W_0, and E_t = E_0 · 1.05^t · 1.1^t.
    for workforce in (300.0, 1000.0, 800_000.0):
        inputs = _flat(
            (),
            _scenarios((), none={}),
            horizon=2,
            other_entry_rate=0.1,
            attrition_rate=0.05,
            workforce_base=workforce,
        )
        assert_allclose(run(inputs).baseline.central["exports"], [1000, 1155, 1334.025], rtol=RTOL)


# --- shocks ------------------------------------------------------------------------------------


def _shocked(sigma, **overrides):
    inputs = make_inputs(**overrides)
    return replace_parameter(inputs, "shock_sd", value=sigma)


def test_shocks_multiply_each_draws_revenue_per_worker_by_exp_of_their_running_sum():
    # Nothing else uncertain: E_t(draw) = E_t(central) · exp(Σ_{s≤t} (σ z_s − σ²/2)), with z
    # the block's own normal stream (block 0, sub-stream SHOCK_STREAM), drawn (horizon, n).
    sigma, n, horizon = 0.1, 50, 5
    inputs = collapse_ranges(_shocked(sigma, horizon=horizon))
    central = central_theta(inputs)
    theta = sample_theta(central, (), 7, 0, n, horizon=horizon)
    z = block_generator(7, 0, SHOCK_STREAM).standard_normal((horizon, n))
    assert_allclose(theta.shocks, sigma * z - sigma**2 / 2, rtol=RTOL)
    sched = schedule(inputs.levers, intensity_matrix(inputs), 2025, horizon, reference=None)
    paths = project(theta, sched)
    flat = project(central, sched)
    factor = np.exp(np.cumsum(sigma * z - sigma**2 / 2, axis=0))  # (years 1.., draws)
    for m in ("exports", "earnings", "productivity"):
        assert_allclose(paths[m][1:], flat[m][1:] * factor[:, None, :], rtol=1e-11, err_msg=m)
    # Workforce, realization and every flow are untouched by the shocks.
    for m in ("workforce", "realization", "entrants", "emigrants", "emigration_rate"):
        assert_allclose(paths[m], np.broadcast_to(flat[m], paths[m].shape), rtol=RTOL, err_msg=m)


def test_shock_sd_zero_draws_no_shocks_and_leaves_every_parameter_draw_as_it_was():
    inputs = make_inputs()
    central, quantities = central_theta(inputs), uncertain_quantities(inputs)
    with_horizon = sample_theta(central, quantities, 11, 0, 5000, horizon=5)
    without = sample_theta(central, quantities, 11, 0, 5000, horizon=0)
    assert with_horizon.shocks is None
    assert_array_equal(with_horizon.params, without.params)
    assert_array_equal(with_horizon.effects, without.effects)


def test_adding_shocks_leaves_every_parameter_draw_unchanged():
    # The shocks come from their own stream per block: switching them on changes no draw of
    # any parameter or effect (only the fixed shock_sd row itself, which is its Central).
    off, on = make_inputs(), _shocked(0.15)
    q_off, q_on = uncertain_quantities(off), uncertain_quantities(on)
    assert q_off == q_on  # shock_sd is fixed, never sampled
    a = sample_theta(central_theta(off), q_off, 3, 0, 3 * 4096 + 10, horizon=5)
    b = sample_theta(central_theta(on), q_on, 3, 0, 3 * 4096 + 10, horizon=5)
    assert a.shocks is None
    assert b.shocks is not None
    assert b.shocks.shape == (5, 3 * 4096 + 10)
    sd_row = BASELINE_PARAMETERS.index("shock_sd")
    others = [i for i in range(len(BASELINE_PARAMETERS)) if i != sd_row]
    assert_array_equal(a.params[others], b.params[others])
    assert_array_equal(a.effects, b.effects)
    assert np.all(b.params[sd_row] == 0.15)


def test_zero_shocks_through_the_projection_are_bit_identical_to_no_shocks():
    # exp(0) = 1 exactly: a shock path of zeros changes no bit of any metric.
    inputs = make_inputs()
    central, quantities = central_theta(inputs), uncertain_quantities(inputs)
    theta = sample_theta(central, quantities, 5, 0, 300)
    zeros = Theta(theta.params, theta.effects, np.zeros((5, 300)))
    sched = schedule(inputs.levers, intensity_matrix(inputs), 2025, 5, reference=None)
    a, b = project(theta, sched), project(zeros, sched)
    for m in METRICS:
        assert_array_equal(a[m], b[m], err_msg=m)


def test_run_with_shock_sd_zero_equals_a_run_through_the_shock_path_with_zero_shocks(
    monkeypatch,
):
    # Every result of run() with shock_sd = 0 (no shock array at all) against the same run
    # with each block's shocks an explicit array of zeros: bands, means, chances, year reached
    # and the goal seek are identical to the bit.
    inputs = make_inputs()
    plain = run(inputs, draws=5000)

    real_sample_theta = simulation.sample_theta

    def zero_shocks(central, quantities, seed, start, stop, block_size=4096, **kw):
        theta = real_sample_theta(central, quantities, seed, start, stop, block_size, **kw)
        assert theta.shocks is None
        return Theta(theta.params, theta.effects, np.zeros((kw["horizon"], stop - start)))

    monkeypatch.setattr(simulation, "sample_theta", zero_shocks)
    zero = run(inputs, draws=5000)
    for a, b in zip(plain.scenarios, zero.scenarios, strict=True):
        assert a.outcomes == b.outcomes
        for m in METRICS:
            assert_array_equal(a.mean[m], b.mean[m], err_msg=m)
            for q in a.percentiles:
                assert_array_equal(a.percentiles[q][m], b.percentiles[q][m], err_msg=m)
    assert plain.goal_seek == zero.goal_seek


def test_central_path_ignores_shocks():
    # The central path uses ε = 0 and omits the −σ²/2 term: shock_sd does not move it.
    a, b = run(make_inputs(), draws=200), run(_shocked(0.2), draws=200)
    for sa, sb in zip(a.scenarios, b.scenarios, strict=True):
        for m in METRICS:
            assert_array_equal(sa.central[m], sb.central[m], err_msg=m)
    assert a.sensitivity == b.sensitivity
    assert a.attribution == b.attribution


# --- percentiles over a bounded number of draws ------------------------------------------------


def test_percentile_draws_follow_the_memory_rule_of_model_md():
    # min(draws, 100000, ⌊8,000,000 / (scenarios · (horizon + 1))⌋)
    assert simulation.percentile_draws(10**6, 3, 10) == 100_000  # 8e6 / 33 = 242,424
    assert simulation.percentile_draws(10**6, 12, 30) == 21_505  # 8e6 / 372 = 21,505.4
    assert simulation.percentile_draws(10**6, 5, 20) == 76_190  # 8e6 / 105 = 76,190.5
    assert simulation.percentile_draws(5000, 12, 30) == 5000


def test_run_takes_percentiles_over_the_leading_draws_and_means_over_all(monkeypatch):
    # With room for 3 scenarios × 6 years × 1,000 values, percentiles come from the first
    # 1,000 of 5,000 draws; means still use every draw.
    monkeypatch.setattr(simulation, "PERCENTILE_VALUES", 3 * 6 * 1000)
    inputs = make_inputs()
    results = run(inputs, draws=5000)
    x = intensity_matrix(inputs)
    sched = schedule(inputs.levers, x, 2025, 5, reference=x[0])
    theta = sample_theta(central_theta(inputs), uncertain_quantities(inputs), 7, 0, 5000)
    paths = project(theta, sched)
    for k, s in enumerate(results.scenarios):
        for m in ("exports", "workforce"):
            assert_allclose(s.mean[m], paths[m][:, k].mean(axis=1), rtol=RTOL, err_msg=m)
            for q in (10, 50, 90):
                first = np.percentile(paths[m][:, k, :1000], q, axis=1)
                assert_allclose(s.percentiles[q][m], first, rtol=RTOL, err_msg=m)
        assert not np.allclose(
            s.percentiles[90]["exports"][1:],
            np.percentile(paths["exports"][1:, k], 90, axis=1),
            rtol=1e-6,
        )


# --- reach: chance, year reached, feasibility corner -------------------------------------------


def _direct_first_years(inputs, draws):
    """Per draw, case and target: the first projection year with E ≥ value (H + 1: never)."""
    h = inputs.settings.horizon
    sched = schedule(
        inputs.levers,
        intensity_matrix(inputs),
        2025,
        h,
        reference=intensity_matrix(inputs)[0],
    )
    theta = sample_theta(
        central_theta(inputs),
        uncertain_quantities(inputs),
        inputs.settings.seed,
        0,
        draws,
        horizon=h,
    )
    exports = project(theta, sched)["exports"]  # (years, cases, draws)
    out = []
    for t in inputs.targets:
        hit = exports[1:] >= t.value
        first = np.where(hit.any(axis=0), hit.argmax(axis=0) + 1, h + 1)
        out.append(first)  # (cases, draws)
    return exports, out


def test_year_reached_and_chance_equal_a_direct_count_over_every_draw():
    """P10/P50/P90 of the year reached, the chance and its standard error, against every draw.

    MODEL.md does not say how a percentile of a whole-year quantity is taken; the engine (and
    this test) use the inverted CDF: the first year by which at least q% of the draws have
    reached the value (``np.percentile(..., method="inverted_cdf")``), with draws that never
    reach it counted above every year. 2,999 draws make q% of n fractional, and one block
    partial.
    """
    draws = 2999
    inputs = _shocked(
        0.08,
        horizon=8,
        draws=draws,
        targets=(Target("Near", 2600.0, 2029), Target("Far", 3400.0, 2033)),
    )
    results = run(inputs)
    exports, firsts = _direct_first_years(inputs, draws)
    h = inputs.settings.horizon
    for k, s in enumerate(results.scenarios):
        for i, t in enumerate(inputs.targets):
            out = s.outcomes[t.label]
            meeting = int(np.count_nonzero(exports[t.year - 2025, k] >= t.value))
            assert out.draws_meeting == meeting
            assert out.draws == draws
            p = meeting / draws
            assert out.probability == p == s.target_probability[t.label]
            assert_allclose(out.std_error, math.sqrt(p * (1 - p) / draws), rtol=RTOL)
            # P10/P50/P90 of the first year, "never" above every year: the inverted CDF
            years = np.sort(firsts[i][k])
            for q, got in ((10, out.year_p10), (50, out.year_p50), (90, out.year_p90)):
                first = int(np.percentile(years, q, method="inverted_cdf"))
                assert got == (None if first > h else 2025 + first), (s.name, t.label, q)
            central = s.central["exports"]
            hits = [2025 + j for j in range(1, h + 1) if central[j] >= t.value]
            assert out.year_central == (hits[0] if hits else None)
    # the cases cover reached, partly reached and never
    years = [o.year_p90 for s in results.scenarios for o in s.outcomes.values()]
    assert None in years
    assert any(y is not None for y in years)


def test_standard_error_is_zero_only_when_no_draw_or_every_draw_meets_the_target():
    inputs = make_inputs(targets=(Target("Easy", 100.0, 2027), Target("Moonshot", 1e7, 2030)))
    results = run(inputs, draws=400)
    easy, moon = results.headline.outcomes["Easy"], results.headline.outcomes["Moonshot"]
    assert (easy.draws_meeting, easy.probability, easy.std_error) == (400, 1.0, 0.0)
    assert (moon.draws_meeting, moon.probability, moon.std_error) == (0, 0.0, 0.0)
    assert (easy.year_p10, easy.year_p50, easy.year_p90, easy.year_central) == (2026,) * 4
    assert (moon.year_p10, moon.year_p90, moon.year_central) == (None, None, None)


def _monotone_inputs():
    """Four uncertain inputs, each moving final exports one way whatever the others are."""
    inputs = make_inputs(
        horizon=4,
        targets=(Target("Reachable", 2900.0, 2029), Target("Too far", 4000.0, 2029)),
    )
    inputs = collapse_ranges(inputs)
    inputs = replace_parameter(inputs, "productivity_growth", low=0.0, high=0.06)  # raises E
    inputs = replace_parameter(inputs, "emigration_rate", low=0.02, high=0.08)  # lowers E
    inputs = replace_parameter(inputs, "graduates_growth", low=-0.02, high=0.05)  # raises E
    levers = tuple(
        dataclasses.replace(lv, effect_low=0.0, effect_high=0.03) if lv.id == "skills" else lv
        for lv in inputs.levers
    )
    return dataclasses.replace(inputs, levers=levers)


def test_feasibility_corner_equals_the_brute_force_maximum_over_every_bound_combination():
    inputs = _monotone_inputs()
    quantities = uncertain_quantities(inputs)
    assert len(quantities) == 4
    results = run(inputs, draws=200)
    x = intensity_matrix(inputs)
    sched = schedule(inputs.levers, x, 2025, 4, reference=x[0])
    central = central_theta(inputs)
    # every one of the 2^4 corners, shocks off
    combos = np.array(list(itertools.product((0, 1), repeat=4)))
    params = np.repeat(central.params, len(combos), axis=1)
    effects = np.repeat(central.effects, len(combos), axis=1)
    for j, q in enumerate(quantities):
        values = np.where(combos[:, j] == 1, q.high, q.low)
        (params if q.kind == "baseline" else effects)[q.column] = values
    exports = project(Theta(params, effects), sched)["exports"][4]  # FY29, (cases, corners)
    for k, s in enumerate(results.scenarios):
        best = exports[k].max()
        for t in inputs.targets:
            out = s.outcomes[t.label]
            assert_allclose(out.corner_exports, best, rtol=RTOL)
            assert out.feasible == (best >= t.value)
    assert results.headline.outcomes["Reachable"].feasible
    assert not results.headline.outcomes["Too far"].feasible


def test_feasibility_corner_ignores_shocks():
    # Shocks can carry draws past the corner; the corner itself has no shocks.
    inputs = _monotone_inputs()
    a = run(inputs, draws=200).headline.outcomes
    b = run(replace_parameter(inputs, "shock_sd", value=0.3), draws=2000).headline.outcomes
    assert a["Too far"].corner_exports == b["Too far"].corner_exports
    assert not b["Too far"].feasible
    assert b["Too far"].draws_meeting > 0  # exceptional years only


def test_feasibility_corner_without_uncertainty_is_the_central_path():
    inputs = collapse_ranges(make_inputs())
    results = run(inputs, draws=100)
    for s in results.scenarios:
        for t in inputs.targets:
            assert_allclose(
                s.outcomes[t.label].corner_exports, s.central["exports"][t.year - 2025], rtol=RTOL
            )


# --- goal seek: the scale at which every cap binds ---------------------------------------------


def test_saturation_scale_is_the_largest_max_intensity_over_intensity_of_the_scaled_levers():
    a = _lever("a", "productivity", 0.01, max_intensity=5.0)
    b = _lever("b", "inflow", 100.0, max_intensity=10.0)
    harmful = Lever("harm", "harm", "productivity", -0.01, -0.02, 0.0)  # never scaled, no max
    unused = _lever("unused", "absorption", 0.01)  # intensity 0: never scaled, no max
    levers = (a, b, harmful, unused)
    # a: 5 / 1 = 5;  b: 10 / 4 = 2.5 → 5, whatever the levers that are not scaled
    assert saturation_scale(levers, np.array([1.0, 4.0, 1.0, 0.0])) == 5.0
    # at k = 5 every scaled lever is at its cap, and beyond it nothing changes
    at, beyond = scaled_intensities(levers, np.array([1.0, 4.0, 1.0, 0.0]), np.array([5.0, 9.0]))
    assert_array_equal(at, [5.0, 10.0, 1.0, 0.0])
    assert_array_equal(beyond, at)
    # a scaled lever without a max intensity keeps growing: no saturation scale
    assert saturation_scale(levers, np.array([1.0, 4.0, 1.0, 2.0])) is None
    # nothing scaled: 0
    assert saturation_scale(levers, np.array([0.0, 0.0, 1.0, 0.0])) == 0.0


def test_goal_seek_reports_the_saturation_scale_of_the_headline_package():
    # Reform: skills 1 (max 5), retention 1 (max 5), visas 1 (max 10) → 10.
    results = run(make_inputs(), draws=300)
    assert {g.saturation_scale for g in results.goal_seek} == {10.0}
    inputs = dataclasses.replace(
        make_inputs(),
        levers=tuple(
            dataclasses.replace(lv, max_intensity=None) if lv.id == "visas" else lv
            for lv in make_inputs().levers
        ),
    )
    assert {g.saturation_scale for g in run(inputs, draws=300).goal_seek} == {None}


@pytest.mark.parametrize("sigma", [0.0, 0.1])
def test_goal_seek_cost_includes_the_cost_share_at_the_found_scale(sigma):
    # annual_cost is the central fiscal cost in the target year at scale k: with a cost share
    # it is x_k · (cost_per_unit + share · E_central(k)), read back from a re-run at scale k.
    inputs = make_inputs(draws=1000)
    inputs = dataclasses.replace(
        inputs,
        levers=tuple(
            dataclasses.replace(lv, cost_share=0.01) if lv.id == "skills" else lv
            for lv in inputs.levers
        ),
    )
    inputs = replace_parameter(inputs, "shock_sd", value=sigma)
    results = run(inputs)
    x = intensity_matrix(inputs)
    for goal in results.goal_seek:
        assert goal.reachable
        k = np.array([goal.scale])
        scaled = scaled_intensities(inputs.levers, x[1], k)
        sched = schedule(inputs.levers, scaled, 2025, goal.year - 2025, reference=x[0])
        cost = project(central_theta(inputs), sched)["fiscal_cost"][-1, 0, 0]
        assert_allclose(goal.annual_cost, cost, rtol=RTOL)
        exports = project(central_theta(inputs), sched)["exports"][-1, 0, 0]
        fixed = float(np.dot([10.0, 5.0, 2.0], scaled[0]))
        assert_allclose(goal.annual_cost, fixed + 0.01 * scaled[0, 0] * exports, rtol=RTOL)
