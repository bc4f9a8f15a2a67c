"""Golden central paths worked out by hand, and lever schedule details."""

from __future__ import annotations

import math

import numpy as np
from numpy.testing import assert_allclose
from tests.factories import collapse_ranges, make_inputs, replace_parameter

from policybrief.domain import Lever, Scenario, Target
from policybrief.model import run


def _golden_inputs():
    levers = (
        # saturating: f(ln 2) = 1 · (1 − exp(−ln 2)) = 0.5, so Λ_p = 0.05 · 0.5 = 0.025
        Lever("prod", "Prod", "productivity", 0.05, 0.05, 0.05, saturation=1.0, cost_per_unit=10.0),
        # lag 1, ramp 2 from 2026: w(2026) = 0, w(2027) = 0.5, w(2028) = 1
        Lever("stay", "Stay", "emigration", 0.2, 0.2, 0.2, lag=1, ramp=2, cost_per_unit=1.0),
        # 0.5 + 0.2 = 0.7 is capped at realization_max 0.6
        Lever("real", "Real", "realization", 0.2, 0.2, 0.2),
        # funded (and effective) in 2027 only
        Lever(
            "visa",
            "Visa",
            "inflow",
            10.0,
            10.0,
            10.0,
            cost_per_unit=3.0,
            start_year=2027,
            end_year=2027,
        ),
    )
    scenarios = (
        Scenario("Current policy", {"prod": 0.0, "stay": 0.0, "real": 0.0, "visa": 0.0}),
        Scenario("Reform", {"prod": math.log(2), "stay": 1.0, "real": 1.0, "visa": 2.0}),
    )
    inputs = make_inputs(
        horizon=3,
        levers=levers,
        scenarios=scenarios,
        targets=(Target("T", 1300.0, 2028),),
        draws=50,
    )
    for name, value in {
        "exports_base": 1000.0,
        "workforce_base": 1000.0,
        "realization_base": 0.5,
        "realization_max": 0.6,
        "productivity_growth": 0.1,
        "graduates_base": 100.0,
        "graduates_growth": 0.1,
        "absorption_rate": 0.5,
        "other_entry_rate": 0.05,
        "attrition_rate": 0.05,
        "emigration_rate": 0.1,
    }.items():
        inputs = replace_parameter(inputs, name, value=value)
    return collapse_ranges(inputs)


def test_central_paths_match_the_hand_computed_recursion():
    # Base year: P_0 = 1000 / (1000 · 0.5) = 2.
    # 2026: P_1 = 2 · (1 + 0.1 + 0.025) = 2.25;  m_1 = 0.1 · (1 − 0) = 0.1;  s_1 = 0.5
    #       N_1 = 100 · 0.5 · 1.1 + 0.05 · 1000 + 0 = 105;  W_1 = 1000 · (1 − 0.05 − 0.1) + 105
    #       = 955;  Rz_1 = min(0.6, 0.5 + 0.2) = 0.6;  V_1 = 955 · 2.25 = 2148.75
    #       E_1 = 2148.75 · 0.6 = 1289.25;  emigrants_1 = 0.1 · 1000 = 100
    #       C_1 = 10 · ln 2 + 1 · 1 = 7.931 (visa not funded)
    # 2027: P_2 = 2.25 · 1.125 = 2.53125;  m_2 = 0.1 · (1 − 0.2 · 0.5) = 0.09
    #       N_2 = 100 · 0.5 · 1.21 + 0.05 · 955 + 10 · 2 = 60.5 + 47.75 + 20 = 128.25
    #       W_2 = 955 · (1 − 0.05 − 0.09) + 128.25 = 949.55;  emigrants_2 = 0.09 · 955 = 85.95
    #       C_2 = 10 · ln 2 + 1 + 3 · 2 = 13.931
    # 2028: P_3 = 2.84765625;  m_3 = 0.08;  N_3 = 100 · 0.5 · 1.331 + 0.05 · 949.55 = 114.0275
    #       (visa over);  W_3 = 949.55 · 0.87 + 114.0275 = 940.136
    results = run(_golden_inputs())
    c = results.scenario("Reform").central
    w = [1000.0, 955.0, 949.55, 940.136]
    p = [2.0, 2.25, 2.53125, 2.84765625]
    expected = {
        "productivity": p,
        "emigration_rate": [0.1, 0.1, 0.09, 0.08],
        "entrants": [0.0, 105.0, 128.25, 114.0275],
        "workforce": w,
        "realization": [0.5, 0.6, 0.6, 0.6],
        "earnings": [wi * pi for wi, pi in zip(w, p, strict=True)],
        "exports": [1000.0, 1289.25, 949.55 * 2.53125 * 0.6, 940.136 * 2.84765625 * 0.6],
        "emigrants": [0.0, 100.0, 85.95, 0.08 * 949.55],
        "fiscal_cost": [0.0, 10 * math.log(2) + 1, 10 * math.log(2) + 7, 10 * math.log(2) + 1],
    }
    for metric, values in expected.items():
        assert_allclose(c[metric], values, rtol=1e-12, err_msg=metric)


def test_baseline_without_levers_grows_at_the_baseline_rates():
    results = run(_golden_inputs())
    c = results.baseline.central
    # 2026: P = 2.2, Rz = 0.5, W = 1000 · 0.85 + 55 + 50 = 955, E = 955 · 2.2 · 0.5 = 1050.5
    assert_allclose(c["exports"][:2], [1000.0, 1050.5], rtol=1e-12)
    assert_allclose(c["fiscal_cost"], 0.0)
    assert results.baseline.gain_per_fiscal_dollar is None


def test_summary_figures_follow_the_central_paths():
    results = run(_golden_inputs())
    reform, base = results.scenario("Reform"), results.baseline
    assert_allclose(reform.cumulative_cost, reform.central["fiscal_cost"].sum())
    gain = (reform.central["exports"] - base.central["exports"])[1:].sum()
    assert_allclose(reform.export_gain, gain)
    # the baseline spends nothing here, so the extra cost is the whole cost
    assert_allclose(reform.extra_cost, reform.cumulative_cost - base.cumulative_cost)
    assert_allclose(reform.gain_per_fiscal_dollar, gain / reform.extra_cost)
    averted = (base.central["emigrants"] - reform.central["emigrants"]).sum()
    assert_allclose(reform.emigrants_averted, averted)
    assert_allclose(reform.cagr, (reform.central["exports"][-1] / 1000.0) ** (1 / 3) - 1)
    assert_allclose(results.baseline_cagr, base.cagr)
    # target 1300 in 2028 from 1000 in 2025
    assert_allclose(results.targets[0].required_growth, 1.3 ** (1 / 3) - 1)
    # History 1500 (2021) -> 2000 (2025)
    assert_allclose(results.historical_cagr, (2000 / 1500) ** 0.25 - 1)


def test_historical_cagr_is_none_with_one_history_point():
    inputs = make_inputs(history=make_inputs().history[:1])
    assert run(inputs, draws=20).historical_cagr is None


def test_results_cover_the_base_year_and_every_projection_year():
    results = run(make_inputs(), draws=100)
    assert results.years == tuple(range(2025, 2031))
    for s in results.scenarios:
        for q in (10, 50, 90):
            assert set(s.percentiles[q]) == set(s.central) == set(s.mean)
            assert all(v.shape == (6,) for v in s.percentiles[q].values())
        assert s.percentiles[50]["entrants"][0] == 0.0
    assert [a.scenario for a in results.attribution] == ["Reform", "Stretch"]
    assert np.all(np.diff([r.swing for r in results.sensitivity]) <= 0)
    assert {r.parameter for r in results.sensitivity} >= {"skills effect", "emigration_rate"}


def test_a_workbook_without_levers_runs():
    # A Levers sheet with no rows is valid input: every scenario is the baseline path.
    inputs = make_inputs(
        levers=(), scenarios=(Scenario("Current policy", {}), Scenario("Reform", {}))
    )
    results = run(inputs, draws=100)
    assert_allclose(results.headline.central["exports"], results.baseline.central["exports"])
    assert results.headline.export_gain == 0.0
    assert {g.saturation_scale for g in results.goal_seek} == {0.0}
