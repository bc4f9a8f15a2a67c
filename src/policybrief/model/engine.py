"""Engine facade: ``run(inputs) -> Results``, every projection and analysis of MODEL.md.

Pure: no I/O and no printing; randomness comes only from the seed. The modules it composes:
``sampling`` (Beta-PERT draws in seeded blocks), ``levers`` (schedules and costs),
``projection`` (the recursion), ``simulation`` (chunked Monte Carlo and its reductions; see
its docstring for the memory choices), ``attribution`` (Shapley), ``sensitivity`` (tornado),
``goalseek``, ``reach`` (chance, year reached, feasibility corner) and ``summary``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from policybrief.errors import InputError
from policybrief.model import wellposed
from policybrief.model.attribution import shapley
from policybrief.model.cheapest import cheapest_package
from policybrief.model.discovery import discover
from policybrief.model.frontier import ScenarioPoint, dominance, frontier
from policybrief.model.goalseek import GOAL_SEEK_DRAWS, goal_seek
from policybrief.model.levers import discount_factors, intensity_matrix, schedule
from policybrief.model.projection import final_exports, project
from policybrief.model.rankcorr import rank_correlation
from policybrief.model.reach import corner_exports, outcomes
from policybrief.model.results import METRICS, Results, ScenarioResult, SobolRow, TargetInfo
from policybrief.model.sampling import central_theta, shock_sd, uncertain_quantities
from policybrief.model.sensitivity import tornado
from policybrief.model.simulation import simulate
from policybrief.model.sobol import OUTPUTS as SOBOL_OUTPUTS
from policybrief.model.sobol import headline_sobol
from policybrief.model.summary import (
    cagr,
    historical_cagr,
    per_fiscal_dollar,
    recent_cagr,
    required_growth,
)
from policybrief.model.validation import HINDCAST_DRAWS, Validation, validate

if TYPE_CHECKING:
    from collections.abc import Callable

    from policybrief.domain import Inputs
    from policybrief.model.arrays import FloatArray
    from policybrief.model.levers import Schedule
    from policybrief.model.results import Attribution
    from policybrief.model.sampling import Quantity, Theta
    from policybrief.model.simulation import DrawSummary

#: Entropy word of the hindcast's own shock stream ("HIND").
_HINDCAST = 0x48494E44
#: Default draws per chunk (rounded to whole random-stream blocks); results do not depend on it.
CHUNK_SIZE = 16_384


class _Clock:
    """Progress through the analyses, and (when asked) how long each took, in seconds."""

    def __init__(
        self,
        progress: Callable[[float, float, str], None] | None,
        timings: dict[str, float] | None,
    ) -> None:
        self._progress, self._timings = progress, timings
        self._last, self._done = time.perf_counter(), 0

    def lap(self, name: str) -> None:
        """Record the time since the last lap as ``name`` and move the progress on."""
        now = time.perf_counter()
        if self._timings is not None:
            self._timings[name] = now - self._last
        self._last, self._done = now, self._done + 1
        if self._progress is not None:
            share = _MONTE_CARLO_SHARE + (1 - _MONTE_CARLO_SHARE) * self._done / len(_ANALYSES)
            self._progress(min(share, 1.0), 1.0, "analyses")

    def monte_carlo(self, done: float, total: float, what: str) -> None:
        """The Monte Carlo's own progress, as the first share of the whole run's."""
        if self._progress is not None:
            self._progress(_MONTE_CARLO_SHARE * (done / total if total else 1.0), 1.0, what)


#: Share of the engine's progress given to the Monte Carlo; the analyses share the rest, so the
#: progress only ever moves forward.
_MONTE_CARLO_SHARE = 0.6
#: The analyses, in the order ``run`` makes them (the keys of ``timings``).
_ANALYSES = (
    "monte carlo",
    "shapley and reach",
    "tornado",
    "goal seek",
    "validation",
    "sobol",
    "discovery",
    "cheapest package",
    "frontier",
)


def run(
    inputs: Inputs,
    *,
    draws: int | None = None,
    seed: int | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[float, float, str], None] | None = None,
    timings: dict[str, float] | None = None,
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
    timings
        Optional dict that receives each analysis's wall time in seconds (for the benchmark).

    Returns
    -------
    Results

    Raises
    ------
    InputError
        When emigration levers can empty the workforce in a year (``model.wellposed``).
    """
    settings = inputs.settings
    n_draws = settings.draws if draws is None else draws
    the_seed = settings.seed if seed is None else seed
    base = settings.base_year
    _check(inputs)
    clock = _Clock(progress, timings)
    x = intensity_matrix(inputs)
    b, h = _baseline_and_headline(inputs)
    sched = schedule(inputs.levers, x, base, settings.horizon, reference=x[b])
    central = central_theta(inputs)
    quantities = uncertain_quantities(inputs)
    rank = rank_correlation(inputs, quantities)
    mc = simulate(
        sched,
        central,
        quantities,
        draws=n_draws,
        seed=the_seed,
        percentiles=settings.percentiles,
        targets=[(t.value, t.year - base) for t in inputs.targets],
        chunk_size=chunk_size,
        progress=clock.monte_carlo,
        correlate=rank.apply if rank is not None else None,
    )
    clock.lap("monte carlo")
    central_paths = {m: v[:, :, 0].T for m, v in project(central, sched).items()}  # (case, year)
    analyses = _analyses(
        _Run(inputs, x, sched, central, central_paths, quantities, mc, the_seed, b, h), clock
    )
    return Results(
        inputs=inputs,
        years=settings.years,
        targets=_target_info(inputs),
        historical_cagr=historical_cagr(inputs.history),
        recent_cagr=recent_cagr(inputs.history, base),
        baseline_cagr=analyses["scenarios"][b].cagr,
        draws=n_draws,
        seed=the_seed,
        correlations=rank.used if rank is not None else (),
        warnings=rank.warnings if rank is not None else (),
        **analyses,
    )


def _check(inputs: Inputs) -> None:
    """Refuse targets outside the projection and levers that can empty the workforce."""
    settings = inputs.settings
    for t in inputs.targets:
        if not settings.base_year < t.year <= settings.final_year:
            raise ValueError(f"target {t.label!r}: year {t.year} is outside the projection")
    if found := wellposed.problems(inputs):
        raise InputError(found)


def _baseline_and_headline(inputs: Inputs) -> tuple[int, int]:
    """The indices of the baseline and the headline scenario."""
    names = [sc.name for sc in inputs.scenarios]
    s = inputs.settings
    return names.index(s.baseline_scenario), names.index(s.headline_scenario)


def _target_info(inputs: Inputs) -> tuple[TargetInfo, ...]:
    """Each target with the growth a year it needs from the base year's exports."""
    base, exports_base = inputs.settings.base_year, inputs.parameter("exports_base").central
    return tuple(
        TargetInfo(t.label, t.value, t.year, required_growth(t.value, exports_base, base, t.year))
        for t in inputs.targets
    )


@dataclass(frozen=True)
class _Run:
    """What the analyses after the Monte Carlo share."""

    inputs: Inputs
    x: FloatArray  #: scenario × lever intensities
    sched: Schedule  #: the scenarios' lever terms
    central: Theta  #: one row, every quantity at Central
    central_paths: dict[str, FloatArray]  #: metric -> ``(scenario, year)`` at Central
    quantities: tuple[Quantity, ...]
    mc: DrawSummary
    seed: int
    b: int  #: the baseline scenario's index
    h: int  #: the headline scenario's index


def _analyses(run: _Run, clock: _Clock) -> dict[str, Any]:
    """Every analysis after the Monte Carlo, as ``Results`` fields (see ``_ANALYSES``)."""
    inputs, x, b, h, central, mc = run.inputs, run.x, run.b, run.h, run.central, run.mc
    s = inputs.settings
    found = _scenarios(run)
    clock.lap("shapley and reach")
    found["sensitivity"] = tornado(
        run.quantities, x[h], inputs.levers, central, s.base_year, s.horizon, reference=x[b]
    )
    clock.lap("tornado")
    found["goal_seek"] = goal_seek(
        s.headline_scenario,
        inputs.levers,
        x[h],
        mc.kept.rows(0, GOAL_SEEK_DRAWS),
        inputs.targets,
        base_year=s.base_year,
        probability=s.target_probability,
        max_scale=s.goal_seek_max_scale,
        reference=x[b],
        central=central,
    )
    clock.lap("goal seek")
    found["validation"] = _validation(inputs, central, mc, x[b], run.seed)
    clock.lap("validation")
    found["sobol"] = _sobol(inputs, run.quantities, run.seed)
    clock.lap("sobol")
    chances = mc.probability[:, h].tolist()
    found["discovery"] = discover(inputs, mc.kept, chances, quantities=run.quantities)
    clock.lap("discovery")
    found["cheapest"] = cheapest_package(inputs, mc.kept)
    clock.lap("cheapest package")
    found["frontier"] = frontier(inputs)
    found["dominance"] = dominance(
        [
            ScenarioPoint(sc.name, sc.pv_cost, float(sc.central["exports"][-1]))
            for sc in found["scenarios"]
        ]
    )
    clock.lap("frontier")
    return found


def _scenarios(run: _Run) -> dict[str, Any]:
    """Each scenario's result, and the Shapley attribution of every scenario but the baseline."""
    inputs, x, b, central, s = run.inputs, run.x, run.b, run.central, run.inputs.settings
    attribution = tuple(
        shapley(sc.name, x[k], x[b], inputs.levers, central, s.base_year, s.horizon, seed=run.seed)
        for k, sc in enumerate(inputs.scenarios)
        if k != b
    )
    year_index = [t.year - s.base_year for t in inputs.targets]
    corner = corner_exports(central, run.quantities, run.sched, year_index)
    scenarios = tuple(
        _scenario_result(run, k, corner, attribution) for k in range(len(inputs.scenarios))
    )
    return {"scenarios": scenarios, "attribution": attribution}


def _validation(
    inputs: Inputs, central: Theta, mc: DrawSummary, baseline: FloatArray, seed: int
) -> Validation:
    """The validation against history, on the run's first draws (see ``model.validation``).

    The hindcast's shocks come from a stream of their own (the projection's shocks are for the
    projection years); the one-year-ahead band is the baseline's first projected year.
    """
    s = inputs.settings
    draws = mc.kept.rows(0, min(mc.kept.size, HINDCAST_DRAWS))
    sigma = shock_sd(central)
    steps = s.base_year - min((p.year for p in inputs.history), default=s.base_year)
    log_shocks = None
    if sigma > 0 and steps > 0:
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, _HINDCAST])))
        log_shocks = rng.standard_normal((steps, draws.size)) * sigma - sigma * sigma / 2
    sched = schedule(inputs.levers, baseline[None, :], s.base_year, 1, reference=baseline)
    first = final_exports(draws, sched)[0]
    growth = first / inputs.parameter("exports_base").central - 1.0
    return validate(inputs, central, draws.without_shocks(), log_shocks, growth)


def _sobol(inputs: Inputs, quantities: tuple[Quantity, ...], seed: int) -> tuple[SobolRow, ...]:
    """Sobol rows of both outputs, each output's inputs in descending total index."""
    labels, indices = headline_sobol(inputs, quantities, seed=seed)
    rows = []
    for j, output in enumerate(SOBOL_OUTPUTS):
        found = [
            SobolRow(
                output,
                label,
                float(indices.first[i, j]),
                float(indices.total[i, j]),
                float(indices.total_low[i, j]),
                float(indices.total_high[i, j]),
            )
            for i, label in enumerate(labels)
        ]
        rows += sorted(found, key=lambda r: -r.total)
    return tuple(rows)


def _scenario_result(
    run: _Run, k: int, corner: FloatArray, attribution: tuple[Attribution, ...]
) -> ScenarioResult:
    """Paths and summary figures of scenario ``k``."""
    inputs, b, central, mc = run.inputs, run.b, run.central_paths, run.mc
    settings = inputs.settings
    scenario = inputs.scenarios[k]
    path = {m: np.array(central[m][k]) for m in METRICS}
    exports, earnings, rz = (central[m][:, 1:] for m in ("exports", "earnings", "realization"))
    emigrants, fiscal = central["emigrants"][:, 1:], central["fiscal_cost"][:, 1:]
    d = discount_factors(settings.discount_rate, settings.horizon)[1:]

    def pv(values: FloatArray) -> float:
        return float((values * d).sum())

    cost = float(fiscal[k].sum())
    pv_extra, pv_gain_v = pv(fiscal[k] - fiscal[b]), pv(earnings[k] - earnings[b])
    pv_gain = pv(exports[k] - exports[b])
    # ΔE = ΔV · mean(Rz) + ΔRz · mean(V) exactly (a two-factor Shapley split), year by year.
    new_earnings = (earnings[k] - earnings[b]) * (rz[k] + rz[b]) / 2
    reclassified = (rz[k] - rz[b]) * (earnings[k] + earnings[b]) / 2
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
        cagr=cagr(path["exports"][0], path["exports"][-1], settings.horizon),
        cumulative_cost=cost,
        export_gain=float((exports[k] - exports[b]).sum()),
        gain_per_fiscal_dollar=per_fiscal_dollar(pv_gain, pv_extra),
        emigrants_averted=float((emigrants[b] - emigrants[k]).sum()),
        # The return is judged against what current policy already spends: a scenario that
        # keeps the baseline's outlays and adds a harmful measure must not show a "return".
        extra_cost=cost - float(fiscal[b].sum()),
        outcomes=outcomes(
            inputs.targets,
            mc,
            case=k,
            central_exports=path["exports"],
            corner=corner,
            base_year=settings.base_year,
        ),
        pv_cost=pv(fiscal[k]),
        pv_extra_cost=pv_extra,
        pv_gain=pv_gain,
        pv_gain_earnings=pv_gain_v,
        return_on_earnings=per_fiscal_dollar(pv_gain_v, pv_extra),
        gain_new_earnings=pv(new_earnings),
        gain_reclassification=pv(reclassified),
        costless_share=_costless_share(inputs, scenario.name, attribution),
    )


def _costless_share(
    inputs: Inputs, name: str, attribution: tuple[Attribution, ...]
) -> float | None:
    """Share of the scenario's final-year gain (Shapley) from levers that cost nothing."""
    found = next((a for a in attribution if a.scenario == name), None)
    if found is None:
        return None
    total = found.scenario_value - found.baseline_value
    if total == 0:
        return None
    free = {lv.id for lv in inputs.levers if lv.costs_nothing}
    return sum(c for lever, c in found.contributions if lever in free) / total
