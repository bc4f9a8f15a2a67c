"""What the engine returns and the report layer consumes.

Arrays are indexed by year position: index 0 is the base year, index ``t`` is ``base_year + t``
(see ``Results.years``). All money is in the workbook's currency unit (``currency_label``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Mapping

    from policybrief.domain import Inputs
    from policybrief.errors import Problem
    from policybrief.model.arrays import FloatArray
    from policybrief.model.cheapest import CheapestPackage
    from policybrief.model.discovery import Discovery
    from policybrief.model.frontier import DominanceRow, Frontier
    from policybrief.model.validation import Validation

#: Metric names, in the order the results workbook lists them.
METRICS: tuple[str, ...] = (
    "exports",
    "earnings",
    "workforce",
    "productivity",
    "realization",
    "emigration_rate",
    "entrants",
    "emigrants",
    "fiscal_cost",
)


@dataclass(frozen=True)
class TargetOutcome:
    """One scenario's chance of one target, and when it is likely reached (MODEL.md v2).

    ``probability`` is ``draws_meeting / draws`` with Monte Carlo standard error
    ``std_error``; years are fiscal years, None meaning after the horizon (or, for the
    central path, never within it). ``feasible`` says whether the target year's exports reach
    the value with every uncertain input at its most favourable bound and no shocks
    (``corner_exports``).
    """

    target: str
    probability: float
    draws_meeting: int
    draws: int
    std_error: float
    year_p10: int | None
    year_p50: int | None
    year_p90: int | None
    year_central: int | None
    feasible: bool
    corner_exports: float


@dataclass(frozen=True)
class ScenarioResult:
    """Paths and summary figures of one scenario.

    Parameters
    ----------
    name, description
        From the workbook.
    central
        metric -> path with every quantity at Central, shape ``(horizon + 1,)``.
    mean
        metric -> mean over draws per year.
    percentiles
        percentile (e.g. 10) -> metric -> path of that percentile over draws.
    target_probability
        target label -> share of draws with exports in the target year >= target value.
    cagr
        Central exports' compound annual growth from the base year to the final year.
    cumulative_cost
        Sum of central fiscal cost over the projection years.
    export_gain
        Sum over projection years of central exports minus the baseline scenario's.
    gain_per_fiscal_dollar
        ``pv_gain / pv_extra_cost``: export dollars per fiscal dollar spent beyond the
        baseline scenario, both in present value (equal to ``export_gain / extra_cost`` at a
        discount rate of 0); None when the scenario costs no more than the baseline.
    emigrants_averted
        Baseline scenario's central emigrants minus this scenario's, summed over the years.
    extra_cost
        ``cumulative_cost`` minus the baseline scenario's (0 for the baseline itself).
    outcomes
        target label -> ``TargetOutcome`` (chance with its error, year reached, feasibility).
    pv_cost, pv_extra_cost
        Present values (Settings ``discount_rate``) of the central fiscal cost over years
        1..H, and of its excess over the baseline scenario's.
    pv_gain, pv_gain_earnings
        Present values of the central gain over the baseline in recorded exports and in
        export earnings ``V``.
    return_on_earnings
        ``pv_gain_earnings / pv_extra_cost`` (None when the extra cost is not positive);
        ``gain_per_fiscal_dollar`` is the same on recorded exports.
    gain_new_earnings, gain_reclassification
        ``pv_gain`` split into new earnings and the recording of existing earnings (a change
        of realization share): a two-factor Shapley split of ``ΔE = Δ(V·Rz)`` each year, so the
        two parts sum to ``pv_gain``.
    costless_share
        Share of the final-year gain over the baseline (Shapley) from levers that cost
        nothing; None for the baseline or when the gain is 0.
    """

    name: str
    description: str
    central: Mapping[str, FloatArray]
    mean: Mapping[str, FloatArray]
    percentiles: Mapping[int, Mapping[str, FloatArray]]
    target_probability: Mapping[str, float]
    cagr: float
    cumulative_cost: float
    export_gain: float
    gain_per_fiscal_dollar: float | None
    emigrants_averted: float
    extra_cost: float = 0.0
    outcomes: Mapping[str, TargetOutcome] = field(default_factory=dict)
    pv_cost: float = 0.0
    pv_extra_cost: float = 0.0
    pv_gain: float = 0.0
    pv_gain_earnings: float = 0.0
    return_on_earnings: float | None = None
    gain_new_earnings: float = 0.0
    gain_reclassification: float = 0.0
    costless_share: float | None = None


@dataclass(frozen=True)
class SobolRow:
    """Variance-based sensitivity of one headline output to one input (MODEL.md v2).

    ``output`` is ``exports`` (the headline's final-year exports) or ``gain`` (its final-year
    gain over the baseline); ``parameter`` a quantity label (``"<lever_id> effect"`` for a lever)
    or ``"year-to-year shocks"``. Intervals are bootstrap percentile intervals (95%).
    """

    output: str
    parameter: str
    first_order: float
    total: float
    total_ci_low: float
    total_ci_high: float


@dataclass(frozen=True)
class CorrelationUsed:
    """A pair of correlated inputs: the Spearman correlation asked for and the one used."""

    input_a: str
    input_b: str
    requested: float
    used: float


@dataclass(frozen=True)
class TargetInfo:
    """A target with the growth it requires from the base year."""

    label: str
    value: float
    year: int
    required_growth: float  #: (value / exports_base) ** (1 / (year - base_year)) - 1


@dataclass(frozen=True)
class Attribution:
    """Shapley attribution of one scenario's final-year central exports gain over the baseline.

    ``contributions`` is ``(lever_id, contribution)`` for each lever whose intensity differs
    from the baseline's, in workbook order; they sum to ``scenario_value - baseline_value``.
    """

    scenario: str
    baseline_value: float
    scenario_value: float
    contributions: tuple[tuple[str, float], ...]
    method: str  #: "exact" or e.g. "permutation estimate (2,000 permutations, seed 7)"


@dataclass(frozen=True)
class SensitivityRow:
    """One bar of the tornado: exports in the final year with one quantity at Low / High."""

    parameter: str  #: a Baseline parameter name, or "<lever_id> effect"
    kind: Literal["baseline", "lever"]
    low: float
    high: float
    exports_at_low: float
    exports_at_high: float

    @property
    def swing(self) -> float:
        """``|exports_at_high - exports_at_low|``."""
        return abs(self.exports_at_high - self.exports_at_low)


@dataclass(frozen=True)
class GoalSeekResult:
    """What it would take: the smallest scale of the headline package that meets a target."""

    scenario: str
    target: str
    year: int
    value: float
    reachable: bool
    scale: float | None  #: None when out of reach
    annual_cost: (
        float | None
    )  #: fiscal cost per year at full ramp at ``scale``; None if unreachable
    probability: float  #: probability reached at ``scale`` (at max scale when unreachable)
    #: Scale at which every scaled lever is at its max intensity (nothing changes beyond it);
    #: None when some scaled lever has no max intensity.
    saturation_scale: float | None = None


@dataclass(frozen=True)
class Results:
    """Everything the engine computed for one workbook."""

    inputs: Inputs
    years: tuple[int, ...]
    scenarios: tuple[ScenarioResult, ...]
    targets: tuple[TargetInfo, ...]
    attribution: tuple[Attribution, ...]  #: one per scenario other than the baseline
    sensitivity: tuple[SensitivityRow, ...]  #: headline scenario, sorted by swing, descending
    goal_seek: tuple[GoalSeekResult, ...]  #: headline scenario, one per target
    historical_cagr: float | None  #: over the History sheet (None with fewer than 2 points)
    baseline_cagr: float  #: baseline scenario's central CAGR, base to final year
    draws: int
    seed: int
    validation: Validation | None = None  #: against history (None when not computed)
    #: Recorded growth over the last 3 and 5 years to the base year: ``((3, g3), (5, g5))``,
    #: each present only when History records both ends (MODEL.md, Analyses).
    recent_cagr: tuple[tuple[int, float], ...] = ()
    #: Sobol indices of the headline's exports and gain, by output then descending total.
    sobol: tuple[SobolRow, ...] = ()
    #: PRIM boxes of the headline, one per target with a chance between 2% and 98%.
    discovery: tuple[Discovery, ...] = ()
    #: The cheapest package per target, the cost–exports frontier and dominated scenarios.
    cheapest: tuple[CheapestPackage, ...] = ()
    frontier: Frontier | None = None
    dominance: tuple[DominanceRow, ...] = ()
    correlations: tuple[CorrelationUsed, ...] = ()
    #: Warnings the model raised about the inputs (a repaired correlation matrix), with cells.
    warnings: tuple[Problem, ...] = ()

    def scenario(self, name: str) -> ScenarioResult:
        """The result of the scenario called ``name`` (KeyError if absent)."""
        for s in self.scenarios:
            if s.name == name:
                return s
        raise KeyError(name)

    @property
    def baseline(self) -> ScenarioResult:
        """Result of the baseline ("current policy") scenario."""
        return self.scenario(self.inputs.settings.baseline_scenario)

    @property
    def headline(self) -> ScenarioResult:
        """Result of the headline scenario."""
        return self.scenario(self.inputs.settings.headline_scenario)
