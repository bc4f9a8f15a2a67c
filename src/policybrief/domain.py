"""The domain: typed, frozen inputs and the model's vocabulary (channels, forms, parameters).

What the workbook reader returns and the model consumes; both import it, neither owns it.
Nothing here knows about Excel (``workbook/`` turns cells into these objects) or about numpy
(``model/`` computes with them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from policybrief.fiscal import fy_label

if TYPE_CHECKING:
    from collections.abc import Mapping

    from policybrief.errors import Problem

Channel = Literal["productivity", "emigration", "absorption", "inflow", "realization"]
CHANNELS: tuple[Channel, ...] = (
    "productivity",
    "emigration",
    "absorption",
    "inflow",
    "realization",
)
#: Channels whose lever effects are shares (fractions: 0.004 = 0.4 points); ``inflow`` is
#: persons a year.
SHARE_CHANNELS: frozenset[Channel] = frozenset(c for c in CHANNELS if c != "inflow")

Confidence = Literal["High", "Medium", "Low", ""]
CONFIDENCES: tuple[str, ...] = ("High", "Medium", "Low")

#: Baseline parameters every workbook must define, in the order the model documents them.
BASELINE_PARAMETERS: tuple[str, ...] = (
    "exports_base",
    "workforce_base",
    "realization_base",
    "realization_max",
    "productivity_growth",
    "graduates_base",
    "graduates_growth",
    "absorption_rate",
    "other_entry_rate",
    "attrition_rate",
    "emigration_rate",
    "shock_sd",
)
#: Baseline parameters a workbook may leave out, with the value they then take (fixed).
OPTIONAL_PARAMETERS: Mapping[str, float] = MappingProxyType({"shock_sd": 0.0})
#: Baseline parameters that are never sampled: their Low and High are ignored.
FIXED_PARAMETERS: frozenset[str] = frozenset({"shock_sd"})

#: Longest Short name a lever may have (WORKBOOK.md v2): it labels chart axes.
MAX_SHORT_NAME = 24

#: The groups of inputs a change between two workbooks belongs to (``model.whatchanged``).
Kind = Literal["parameter", "lever", "scenario", "setting"]

#: How a productivity lever acts: on the growth rate (compounding) or once on the level.
Form = Literal["growth", "level"]
FORMS: tuple[Form, ...] = ("growth", "level")


@dataclass(frozen=True)
class Settings:
    """The Settings sheet."""

    title: str
    organisation: str
    base_year: int
    horizon: int
    baseline_scenario: str
    headline_scenario: str
    draws: int
    seed: int
    subtitle: str = ""
    author: str = ""
    percentiles: tuple[int, ...] = (10, 50, 90)
    target_probability: float = 0.5
    goal_seek_max_scale: float = 10.0
    currency_label: str = "USD million"
    discount_rate: float = 0.0  #: a year, for present values of cost and gain (v2)
    fiscal_year_start: int = 7  #: month (1-12) fiscal years start in; 1 = calendar years (v2)

    @property
    def final_year(self) -> int:
        """Last projection year."""
        return self.base_year + self.horizon

    @property
    def years(self) -> tuple[int, ...]:
        """Base year followed by every projection year."""
        return tuple(range(self.base_year, self.final_year + 1))

    def year_label(self, year: int) -> str:
        """``FY26``, or ``2026`` when fiscal years are calendar years."""
        return fy_label(year, self.fiscal_year_start)

    @property
    def band(self) -> tuple[int, int]:
        """Lowest and highest configured percentile (the fan chart's band)."""
        return min(self.percentiles), max(self.percentiles)


@dataclass(frozen=True)
class Parameter:
    """One row of the Baseline sheet. ``low == high == central`` when it is fixed."""

    name: str
    central: float
    low: float
    high: float
    description: str = ""
    unit: str = ""
    source: str = ""
    confidence: str = ""
    notes: str = ""
    cell: str = ""  #: where the Central value was read, e.g. ``Baseline!E7`` (for messages)

    @property
    def uncertain(self) -> bool:
        """True when the parameter is sampled (Low < High; never for a fixed parameter)."""
        return self.low < self.high and self.name not in FIXED_PARAMETERS


@dataclass(frozen=True)
class Lever:
    """One row of the Levers sheet."""

    id: str
    name: str
    channel: Channel
    effect_central: float
    effect_low: float
    effect_high: float
    lag: int = 0
    ramp: int = 1
    saturation: float | None = None
    cost_per_unit: float = 0.0
    max_intensity: float | None = None
    start_year: int | None = None  #: None means the first projection year
    end_year: int | None = None  #: None means no end
    unit: str = ""
    source: str = ""
    confidence: str = ""
    notes: str = ""
    form: Form = "growth"  #: productivity only: growth rate (default) or level (v2)
    short_name: str = ""  #: for chart axes, at most ``MAX_SHORT_NAME`` characters (v2)
    cost_share: float = 0.0  #: fiscal cost per unit as a share of recorded exports (v2)

    @property
    def costs_nothing(self) -> bool:
        """True when the lever has neither a cost per unit nor a cost share."""
        return self.cost_per_unit == 0 and self.cost_share == 0

    @property
    def uncertain(self) -> bool:
        """True when the effect is sampled (Low < High)."""
        return self.effect_low < self.effect_high


@dataclass(frozen=True)
class Scenario:
    """One column of the Scenarios sheet: an intensity for every lever (0 when blank)."""

    name: str
    intensities: Mapping[str, float]
    description: str = ""
    #: the scenario's name cell, e.g. ``Scenarios!C1`` (for messages)
    cell: str = field(default="", compare=False)

    def intensity(self, lever_id: str) -> float:
        """Intensity of a lever in this scenario (0 if the scenario does not use it)."""
        return self.intensities.get(lever_id, 0.0)


@dataclass(frozen=True)
class Target:
    """One row of the Targets sheet."""

    label: str
    value: float
    year: int
    source: str = ""


@dataclass(frozen=True)
class HistoryPoint:
    """One row of the History sheet."""

    year: int
    exports: float
    definition: str = ""
    source: str = ""
    workforce: float | None = None  #: recorded workforce, when known (v2)


@dataclass(frozen=True)
class Correlation:
    """One row of the Correlations sheet: a Spearman rank correlation between two inputs.

    ``input_a`` and ``input_b`` are Baseline parameter names or lever ids (a lever id means
    the lever's effect); ``cell`` is where the correlation was read (``Correlations!C3``).
    """

    input_a: str
    input_b: str
    rho: float
    cell: str = ""
    source: str = ""


@dataclass(frozen=True)
class Inputs:
    """Everything read from one workbook, validated.

    ``parameters`` holds every name in ``BASELINE_PARAMETERS`` (in that order); ``levers`` and
    ``scenarios`` keep the workbook's order; every scenario has an intensity for every lever.
    """

    settings: Settings
    parameters: tuple[Parameter, ...]
    levers: tuple[Lever, ...]
    scenarios: tuple[Scenario, ...]
    targets: tuple[Target, ...]
    history: tuple[HistoryPoint, ...]
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    correlations: tuple[Correlation, ...] = ()

    def parameter(self, name: str) -> Parameter:
        """The Baseline parameter called ``name`` (KeyError if absent)."""
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(name)

    def lever(self, lever_id: str) -> Lever:
        """The lever with id ``lever_id`` (KeyError if absent)."""
        for lever in self.levers:
            if lever.id == lever_id:
                return lever
        raise KeyError(lever_id)

    def scenario(self, name: str) -> Scenario:
        """The scenario called ``name`` (KeyError if absent)."""
        for s in self.scenarios:
            if s.name == name:
                return s
        raise KeyError(name)

    def annual_cost(self, scenario: str) -> tuple[float, float]:
        """What ``scenario`` spends a year with every lever at full ramp: the fixed part (in the
        currency unit) and the part costed as a share of exports (a fraction)."""
        sc = self.scenario(scenario)
        fixed = sum(lv.cost_per_unit * sc.intensity(lv.id) for lv in self.levers)
        of_exports = sum(lv.cost_share * sc.intensity(lv.id) for lv in self.levers)
        return fixed, of_exports

    @property
    def baseline(self) -> Scenario:
        """The "current policy" reference scenario."""
        return self.scenario(self.settings.baseline_scenario)

    @property
    def headline(self) -> Scenario:
        """The scenario the deck leads with."""
        return self.scenario(self.settings.headline_scenario)
