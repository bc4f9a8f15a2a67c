"""Small, valid ``Inputs`` built directly in Python (no workbook), easy to vary per test.

``make_inputs()`` is the canonical valid dataset: a 5-year projection from base year 2025 with
three levers, three scenarios, two targets and five history points; some parameters and every
lever effect are uncertain. ``tests.builders.canonical_builder()`` lays it out as a workbook
(``builder_from_inputs``) and ``tests/workbook/test_roundtrip.py`` proves the reader reads
that workbook back as these very ``Inputs`` (so each ``Parameter.cell`` is where its Central
is laid out). Override anything::

    make_inputs(horizon=15, headline="Stretch", draws=500)
    make_inputs(levers=(...,), scenarios=(...,))
    replace_parameter(inputs, "emigration_rate", low=0.04, high=0.04)
    replace_lever(inputs, "retention", lag=0, ramp=1)
    with_intensities(inputs, "Reform", skills=3.0)
    collapse_ranges(inputs)  # every Low = High = Central: the model becomes deterministic
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from policybrief.domain import (
    HistoryPoint,
    Inputs,
    Lever,
    Parameter,
    Scenario,
    Settings,
    Target,
)
from policybrief.model.results import (
    METRICS,
    Attribution,
    GoalSeekResult,
    Results,
    ScenarioResult,
    SensitivityRow,
    TargetInfo,
    TargetOutcome,
)

BASELINE = "Current policy"
HEADLINE = "Reform"
STRETCH = "Stretch"


def default_parameters() -> tuple[Parameter, ...]:
    """Baseline parameters in ``BASELINE_PARAMETERS`` order; five of them uncertain."""
    rows = (
        # name, central, low, high, unit
        ("exports_base", 2000.0, 2000.0, 2000.0, "USD million"),
        ("workforce_base", 100_000.0, 100_000.0, 100_000.0, "persons"),
        ("realization_base", 0.8, 0.7, 0.85, "share"),
        ("realization_max", 0.95, 0.95, 0.95, "share"),
        ("productivity_growth", 0.03, 0.01, 0.05, "share/yr"),
        ("graduates_base", 20_000.0, 20_000.0, 20_000.0, "persons/yr"),
        ("graduates_growth", 0.02, 0.0, 0.03, "share/yr"),
        ("absorption_rate", 0.4, 0.3, 0.5, "share"),
        ("other_entry_rate", 0.02, 0.02, 0.02, "share/yr"),
        ("attrition_rate", 0.03, 0.03, 0.03, "share/yr"),
        ("emigration_rate", 0.04, 0.02, 0.06, "share/yr"),
        ("shock_sd", 0.0, 0.0, 0.0, "share/yr"),
    )
    return tuple(
        Parameter(
            name=name,
            central=central,
            low=low,
            high=high,
            unit=unit,
            description=name.replace("_", " "),
            source="test factory",
            confidence="Medium",
            cell=f"Baseline!E{i + 2}",
        )
        for i, (name, central, low, high, unit) in enumerate(rows)
    )


def default_levers() -> tuple[Lever, ...]:
    """Three levers: a saturating productivity lever, a lagged/ramped emigration lever, inflow."""
    return (
        Lever(
            id="skills",
            name="Advanced skills programme",
            channel="productivity",
            effect_central=0.01,
            effect_low=0.005,
            effect_high=0.015,
            saturation=2.0,
            cost_per_unit=10.0,
            max_intensity=5.0,
            unit="programme units",
        ),
        Lever(
            id="retention",
            name="Retention incentives",
            channel="emigration",
            effect_central=0.1,
            effect_low=0.05,
            effect_high=0.15,
            lag=1,
            ramp=2,
            cost_per_unit=5.0,
            max_intensity=5.0,
            unit="incentive units",
        ),
        Lever(
            id="visas",
            name="Talent visas",
            channel="inflow",
            effect_central=500.0,
            effect_low=200.0,
            effect_high=800.0,
            cost_per_unit=2.0,
            max_intensity=10.0,
            unit="thousand visas",
        ),
    )


def default_scenarios() -> tuple[Scenario, ...]:
    """Baseline (a little of one lever), headline and a stretch package."""
    return (
        Scenario(BASELINE, {"skills": 0.5, "retention": 0.0, "visas": 0.0}, "What is funded now"),
        Scenario(HEADLINE, {"skills": 1.0, "retention": 1.0, "visas": 1.0}, "The reform package"),
        Scenario(STRETCH, {"skills": 2.0, "retention": 2.0, "visas": 3.0}, "A bigger push"),
    )


def default_targets() -> tuple[Target, ...]:
    """Two targets inside the default horizon (2026-2030)."""
    return (
        Target("Interim goal", 2400.0, 2028, source="test factory"),
        Target("Export goal", 3000.0, 2030, source="test factory"),
    )


def default_history() -> tuple[HistoryPoint, ...]:
    """Five history points ending in the base year."""
    values = (1500.0, 1600.0, 1750.0, 1850.0, 2000.0)
    return tuple(
        HistoryPoint(2021 + i, v, definition="IT exports", source="test factory")
        for i, v in enumerate(values)
    )


_SETTING_ALIASES = {"headline": "headline_scenario", "baseline": "baseline_scenario"}
_INPUT_FIELDS = (
    "parameters",
    "levers",
    "scenarios",
    "targets",
    "history",
    "warnings",
    "correlations",
)


def make_inputs(**overrides: Any) -> Inputs:
    """Valid ``Inputs``; keyword overrides replace Settings fields or whole Inputs fields.

    Settings fields may be given by name (``horizon=15``, ``draws=500``, ``percentiles=(5, 95)``)
    and ``headline=`` / ``baseline=`` are short for ``headline_scenario`` /
    ``baseline_scenario``. ``parameters``, ``levers``, ``scenarios``, ``targets``, ``history``,
    ``warnings`` and ``correlations`` replace the whole tuple.
    """
    setting_values: dict[str, Any] = {
        "title": "Test projections",
        "organisation": "Test ministry",
        "base_year": 2025,
        "horizon": 5,
        "baseline_scenario": BASELINE,
        "headline_scenario": HEADLINE,
        "draws": 2000,
        "seed": 7,
    }
    input_values: dict[str, Any] = {
        "parameters": default_parameters(),
        "levers": default_levers(),
        "scenarios": default_scenarios(),
        "targets": default_targets(),
        "history": default_history(),
    }
    setting_names = {f.name for f in dataclasses.fields(Settings)}
    for key, value in overrides.items():
        name = _SETTING_ALIASES.get(key, key)
        if name in setting_names:
            setting_values[name] = value
        elif name in _INPUT_FIELDS:
            input_values[name] = tuple(value)
        else:
            raise TypeError(f"make_inputs() got an unknown override {key!r}")
    return Inputs(settings=Settings(**setting_values), **input_values)


def replace_settings(inputs: Inputs, **changes: Any) -> Inputs:
    """``inputs`` with some Settings fields changed."""
    changes = {_SETTING_ALIASES.get(k, k): v for k, v in changes.items()}
    return dataclasses.replace(inputs, settings=dataclasses.replace(inputs.settings, **changes))


def replace_parameter(inputs: Inputs, name: str, **changes: Any) -> Inputs:
    """``inputs`` with fields of the Baseline parameter ``name`` changed.

    ``value=x`` is short for ``central=low=high=x`` (a fixed parameter).
    """
    if "value" in changes:
        value = changes.pop("value")
        changes.update(central=value, low=value, high=value)
    inputs.parameter(name)  # KeyError for a typo
    parameters = tuple(
        dataclasses.replace(p, **changes) if p.name == name else p for p in inputs.parameters
    )
    return dataclasses.replace(inputs, parameters=parameters)


def replace_lever(inputs: Inputs, lever_id: str, **changes: Any) -> Inputs:
    """``inputs`` with fields of lever ``lever_id`` changed.

    ``effect=x`` is short for ``effect_central=effect_low=effect_high=x`` (a fixed effect).
    """
    if "effect" in changes:
        value = changes.pop("effect")
        changes.update(effect_central=value, effect_low=value, effect_high=value)
    inputs.lever(lever_id)
    levers = tuple(
        dataclasses.replace(lv, **changes) if lv.id == lever_id else lv for lv in inputs.levers
    )
    return dataclasses.replace(inputs, levers=levers)


def with_intensities(inputs: Inputs, scenario: str, **intensities: float) -> Inputs:
    """``inputs`` with some lever intensities of ``scenario`` changed."""
    inputs.scenario(scenario)
    scenarios = tuple(
        dataclasses.replace(s, intensities={**s.intensities, **intensities})
        if s.name == scenario
        else s
        for s in inputs.scenarios
    )
    return dataclasses.replace(inputs, scenarios=scenarios)


def collapse_ranges(inputs: Inputs) -> Inputs:
    """``inputs`` with every Low and High set to Central: nothing is uncertain."""
    parameters = tuple(
        dataclasses.replace(p, low=p.central, high=p.central) for p in inputs.parameters
    )
    levers = tuple(
        dataclasses.replace(lv, effect_low=lv.effect_central, effect_high=lv.effect_central)
        for lv in inputs.levers
    )
    return dataclasses.replace(inputs, parameters=parameters, levers=levers)


def fake_results(
    inputs: Inputs,
    *,
    growth: dict[str, float] | None = None,
    cost: dict[str, float] | None = None,
    reachable: tuple[bool, ...] = (True, False),
) -> Results:
    """Hand-built, internally consistent Results (no engine): exports grow at ``growth``."""
    s = inputs.settings
    years = s.years
    t = np.arange(len(years), dtype=float)
    base0 = inputs.parameter("exports_base").central
    names = [sc.name for sc in inputs.scenarios]
    growth = growth or {n: 0.08 + 0.02 * i for i, n in enumerate(names)}
    cost = cost or {n: 10.0 * i for i, n in enumerate(names)}
    results: list[ScenarioResult] = []
    central_exports = {n: base0 * (1 + growth[n]) ** t for n in names}
    base_name = s.baseline_scenario
    base_cost = float(cost[base_name]) * s.horizon
    for n in names:
        exports = central_exports[n]
        workforce = 100_000 * (1 + growth[n] / 2) ** t
        emigrants = np.where(t == 0, 0.0, 4000 * (1 - growth[n]))
        fiscal = np.where(t == 0, 0.0, cost[n])
        central = {m: np.full(len(years), 1.0) for m in METRICS}
        central.update(exports=exports, workforce=workforce, emigrants=emigrants)
        central["fiscal_cost"] = fiscal
        spread = 0.03 * t
        percentiles = {
            p: {m: v * (1 + (p - 50) / 40 * spread) for m, v in central.items()}
            for p in s.percentiles
        }
        probs = {
            tg.label: float(np.clip((exports[tg.year - s.base_year] / tg.value) - 0.5, 0, 1))
            for tg in inputs.targets
        }
        total_cost = float(fiscal.sum())
        gain = float((exports - central_exports[base_name])[1:].sum())
        outcomes = {
            tg.label: TargetOutcome(
                target=tg.label,
                probability=p,
                draws_meeting=round(p * s.draws),
                draws=s.draws,
                std_error=math.sqrt(p * (1 - p) / s.draws),
                year_p10=None,
                year_p50=None,
                year_p90=None,
                year_central=None,
                feasible=True,
                corner_exports=float(exports[tg.year - s.base_year]) * 2,
            )
            for tg in inputs.targets
            if (p := round(probs[tg.label] * s.draws) / s.draws) is not None
        }
        results.append(
            ScenarioResult(
                name=n,
                description="",
                central=central,
                mean=central,
                percentiles=percentiles,
                target_probability={k: o.probability for k, o in outcomes.items()},
                outcomes=outcomes,
                cagr=(exports[-1] / exports[0]) ** (1 / s.horizon) - 1,
                cumulative_cost=total_cost,
                export_gain=gain,
                gain_per_fiscal_dollar=(
                    gain / extra if (extra := total_cost - base_cost) > 0 else None
                ),
                extra_cost=extra,
                pv_cost=total_cost,
                pv_extra_cost=extra,
                pv_gain=gain,
                pv_gain_earnings=gain,
                gain_new_earnings=gain,
                emigrants_averted=float(
                    (4000 * (1 - growth[base_name]) - 4000 * (1 - growth[n])) * s.horizon
                ),
            )
        )
    final = {r.name: float(r.central["exports"][-1]) for r in results}
    levers = [lv.id for lv in inputs.levers]
    attribution = []
    for n in names:
        if n == base_name:
            continue
        diff = final[n] - final[base_name]
        weights = np.linspace(1.0, 2.0, len(levers))
        weights[-1] = -0.3
        shares = weights / weights.sum()
        attribution.append(
            Attribution(
                scenario=n,
                baseline_value=final[base_name],
                scenario_value=final[n],
                contributions=tuple(
                    (lv, float(diff * w)) for lv, w in zip(levers, shares, strict=True)
                ),
                method="exact",
            )
        )
    head_final = final[s.headline_scenario]
    rows = [
        SensitivityRow(p.name, "baseline", p.low, p.high, head_final * 0.9, head_final * 1.05)
        for p in inputs.parameters
        if p.uncertain
    ] + [
        SensitivityRow(f"{lv.id} effect", "lever", lv.effect_low, lv.effect_high, 0.99, 1.01)
        for lv in inputs.levers
    ]
    rows = [
        dataclasses.replace(
            r, exports_at_low=head_final * (1 - 0.02 * (i + 1)), exports_at_high=head_final
        )
        for i, r in enumerate(rows)
    ]
    rows.sort(key=lambda r: -r.swing)
    goal = tuple(
        GoalSeekResult(
            scenario=s.headline_scenario,
            target=tg.label,
            year=tg.year,
            value=tg.value,
            reachable=ok,
            scale=1.7 if ok else None,
            annual_cost=55.0 if ok else None,
            probability=0.5 if ok else 0.12,
        )
        for tg, ok in zip(inputs.targets, reachable, strict=False)
    )
    targets = tuple(
        TargetInfo(
            tg.label, tg.value, tg.year, (tg.value / base0) ** (1 / (tg.year - s.base_year)) - 1
        )
        for tg in inputs.targets
    )
    return Results(
        inputs=inputs,
        years=years,
        scenarios=tuple(results),
        targets=targets,
        attribution=tuple(attribution),
        sensitivity=tuple(rows),
        goal_seek=goal,
        historical_cagr=0.07,
        baseline_cagr=growth[base_name],
        draws=s.draws,
        seed=s.seed,
    )
