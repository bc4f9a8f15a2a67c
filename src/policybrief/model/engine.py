"""Engine facade: ``run(inputs) -> Results``, every projection and analysis of MODEL.md.

Pure: no I/O and no printing; randomness comes only from the seed. The modules it composes:
``sampling`` (Beta-PERT draws in seeded blocks), ``levers`` (schedules and costs),
``projection`` (the recursion), ``simulation`` (chunked Monte Carlo and its reductions; see
its docstring for the memory choices), ``attribution`` (Shapley), ``sensitivity`` (tornado),
``goalseek`` and ``summary``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from policybrief.model.attribution import shapley
from policybrief.model.goalseek import GOAL_SEEK_DRAWS, goal_seek
from policybrief.model.levers import schedule
from policybrief.model.projection import project
from policybrief.model.results import METRICS, Results, ScenarioResult, TargetInfo
from policybrief.model.sampling import central_theta, uncertain_quantities
from policybrief.model.sensitivity import tornado
from policybrief.model.simulation import simulate
from policybrief.model.summary import cagr, historical_cagr, per_fiscal_dollar, required_growth

if TYPE_CHECKING:
    from collections.abc import Callable

    from numpy.typing import NDArray

    from policybrief.model.simulation import DrawSummary
    from policybrief.workbook.types import Inputs

    FloatArray = NDArray[np.float64]

#: Default draws per chunk (rounded to whole random-stream blocks); results do not depend on it.
CHUNK_SIZE = 16_384


def intensity_matrix(inputs: Inputs) -> FloatArray:
    """Scenario × lever intensities, in workbook order."""
    return np.array(
        [[s.intensity(lv.id) for lv in inputs.levers] for s in inputs.scenarios],
        dtype=np.float64,
    ).reshape(len(inputs.scenarios), len(inputs.levers))


def run(
    inputs: Inputs,
    *,
    draws: int | None = None,
    seed: int | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[float, float, str], None] | None = None,
) -> Results:
    """Project every scenario and run every analysis of MODEL.md.

    Parameters
    ----------
    inputs
        Validated inputs.
    draws, seed
        Monte Carlo sample size and seed; default to the Settings values.
    chunk_size
        Draws processed at once (rounded to whole blocks of 4,096); bounds memory and does not
        change any result.
    progress
        Optional ``progress(done, total, what)`` callback.

    Returns
    -------
    Results
    """
    settings = inputs.settings
    n_draws = settings.draws if draws is None else draws
    the_seed = settings.seed if seed is None else seed
    base, horizon = settings.base_year, settings.horizon
    for t in inputs.targets:
        if not base < t.year <= settings.final_year:
            raise ValueError(f"target {t.label!r}: year {t.year} is outside the projection")

    levers = inputs.levers
    x = intensity_matrix(inputs)
    sched = schedule(levers, x, base, horizon)
    central = central_theta(inputs)
    quantities = uncertain_quantities(inputs)
    central_paths = {m: v[:, :, 0].T for m, v in project(central, sched).items()}  # (case, year)

    mc = simulate(
        sched,
        central,
        quantities,
        draws=n_draws,
        seed=the_seed,
        percentiles=settings.percentiles,
        targets=[(t.value, t.year - base) for t in inputs.targets],
        chunk_size=chunk_size,
        progress=progress,
    )
    names = [s.name for s in inputs.scenarios]
    b = names.index(settings.baseline_scenario)
    h = names.index(settings.headline_scenario)
    scenarios = tuple(
        _scenario_result(inputs, k, b, central_paths, mc) for k in range(len(inputs.scenarios))
    )

    if progress is not None:
        progress(0, 3, "analyses")
    attribution = tuple(
        shapley(name, x[k], x[b], levers, central, base, horizon, seed=the_seed)
        for k, name in enumerate(names)
        if k != b
    )
    if progress is not None:
        progress(1, 3, "analyses")
    sensitivity = tornado(quantities, x[h], levers, central, base, horizon)
    if progress is not None:
        progress(2, 3, "analyses")
    goals = goal_seek(
        settings.headline_scenario,
        levers,
        x[h],
        mc.kept.rows(0, GOAL_SEEK_DRAWS),
        inputs.targets,
        base_year=base,
        probability=settings.target_probability,
        max_scale=settings.goal_seek_max_scale,
    )
    if progress is not None:
        progress(3, 3, "analyses")

    exports_base = inputs.parameter("exports_base").central
    return Results(
        inputs=inputs,
        years=settings.years,
        scenarios=scenarios,
        targets=tuple(
            TargetInfo(
                t.label, t.value, t.year, required_growth(t.value, exports_base, base, t.year)
            )
            for t in inputs.targets
        ),
        attribution=attribution,
        sensitivity=sensitivity,
        goal_seek=goals,
        historical_cagr=historical_cagr(inputs.history),
        baseline_cagr=scenarios[b].cagr,
        draws=n_draws,
        seed=the_seed,
    )


def _scenario_result(
    inputs: Inputs,
    k: int,
    b: int,
    central: dict[str, FloatArray],
    mc: DrawSummary,
) -> ScenarioResult:
    """Paths and summary figures of scenario ``k`` (``b`` is the baseline's index)."""
    scenario = inputs.scenarios[k]
    path = {m: np.array(central[m][k]) for m in METRICS}
    exports, emigrants = central["exports"], central["emigrants"]
    cost = float(path["fiscal_cost"][1:].sum())
    # The return is judged against what current policy already spends: a scenario that keeps
    # the baseline's outlays and adds a harmful measure must not show a "return" on them.
    extra = cost - float(central["fiscal_cost"][b, 1:].sum())
    gain = float((exports[k, 1:] - exports[b, 1:]).sum())
    return ScenarioResult(
        name=scenario.name,
        description=scenario.description,
        central=path,
        mean={m: np.array(mc.mean[m][k]) for m in METRICS},
        percentiles={
            q: {m: np.array(v[k]) for m, v in by_metric.items()}
            for q, by_metric in mc.percentiles.items()
        },
        target_probability={
            t.label: float(mc.probability[i, k]) for i, t in enumerate(inputs.targets)
        },
        cagr=cagr(path["exports"][0], path["exports"][-1], inputs.settings.horizon),
        cumulative_cost=cost,
        export_gain=gain,
        gain_per_fiscal_dollar=per_fiscal_dollar(gain, extra),
        emigrants_averted=float((emigrants[b, 1:] - emigrants[k, 1:]).sum()),
        extra_cost=extra,
    )
