"""Scenario discovery on the run's draws (MODEL.md v2): what must be true for a target to be met.

For the headline scenario and each target whose chance (over every draw of the run) is between
``CHANCE_RANGE``, PRIM (``prim.prim``) boxes the uncertain quantities' values of the run's
first ``min(draws, PRIM_DRAWS)`` draws, a draw being a case of interest when the headline's
exports in the target year reach the target's value.

- The draws are the Monte Carlo's own (``DrawSummary.kept``), with their yearly shocks: a
  draw meets the target or not exactly as it did in the run. PRIM boxes only the parameters,
  so what the shocks decide shows as density below 1.
- The run does not keep exports per draw, so the headline is projected again for those draws,
  alone and only up to the last target year examined. The projection is elementwise (see
  ``projection``), so each draw's exports are the run's (~1 ms at 10,000 draws).
- ``PRIM_DRAWS`` bounds the cost for large runs: PRIM takes ~20 ms per target for 21 inputs
  and 10,000 draws, ~45 ms at 25,000, and 25,000 draws already place a box's bounds far more
  finely than a sentence quotes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from policybrief.model.levers import schedule
from policybrief.model.prim import PrimBox, prim
from policybrief.model.projection import years
from policybrief.model.sampling import uncertain_quantities

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Unpack

    from policybrief.domain import Inputs, Target
    from policybrief.model.arrays import BoolArray, FloatArray
    from policybrief.model.prim import PrimOptions
    from policybrief.model.sampling import Quantity, Theta

#: PRIM uses the run's first this-many draws (all when there are fewer).
PRIM_DRAWS = 25_000
#: Targets whose chance lies in this closed range are examined (MODEL.md: 2% to 98%).
CHANCE_RANGE = (0.02, 0.98)


@dataclass(frozen=True)
class Restriction:
    """One restricted input of a box: its bounds in the input's own units.

    ``lower`` / ``upper`` are inclusive; None on a side that is not restricted.
    ``density_loss`` is how much the box's density falls when the restriction is removed.
    """

    label: str  #: ``Quantity.label``: a Baseline name or "<lever_id> effect"
    kind: Literal["baseline", "lever"]
    lower: float | None
    upper: float | None
    density_loss: float


@dataclass(frozen=True)
class Discovery:
    """The PRIM box of one target for the headline scenario.

    ``chance`` is the run's share of draws meeting the target (every draw); ``draws`` and
    ``cases`` are the draws PRIM used and how many of them meet it. ``coverage`` is the share
    of those cases inside the box, ``density`` the share of the draws inside the box that
    meet the target, ``mass`` the share of the draws inside. ``restrictions`` is ordered by
    ``density_loss``, largest first; empty when no input separates the cases.
    """

    scenario: str
    target: str
    year: int
    value: float
    chance: float
    draws: int
    cases: int
    coverage: float
    density: float
    mass: float
    inside: int
    restrictions: tuple[Restriction, ...]
    box: PrimBox


def input_values(theta: Theta, quantities: Sequence[Quantity]) -> FloatArray:
    """``(draws, quantities)``: each uncertain quantity's value in each draw."""
    out = np.empty((theta.size, len(quantities)))
    for j, q in enumerate(quantities):
        out[:, j] = (theta.params if q.kind == "baseline" else theta.effects)[q.column]
    return out


def headline_exports(inputs: Inputs, theta: Theta, year_index: Sequence[int]) -> FloatArray:
    """``(len(year_index), draws)``: the headline scenario's exports in those years.

    ``year_index`` counts from the base year (0); the draws keep their shocks.
    """
    levers = inputs.levers
    x = np.array([[inputs.headline.intensity(lv.id) for lv in levers]], dtype=np.float64)
    reference = np.array([inputs.baseline.intensity(lv.id) for lv in levers], dtype=np.float64)
    horizon = max(year_index, default=0)
    sched = schedule(levers, x, inputs.settings.base_year, horizon, reference=reference)
    index = np.asarray(year_index, dtype=np.intp)
    out = np.empty((index.size, theta.size))
    for t, year in enumerate(years(theta, sched)):
        out[index == t] = np.broadcast_to(year.exports, (1, theta.size))[0]
    return out


def discover(
    inputs: Inputs,
    kept: Theta,
    chances: Sequence[float],
    *,
    quantities: tuple[Quantity, ...] | None = None,
    draws: int = PRIM_DRAWS,
    **options: Unpack[PrimOptions],
) -> tuple[Discovery, ...]:
    """PRIM boxes of the headline scenario, one per target with a chance in ``CHANCE_RANGE``.

    Parameters
    ----------
    inputs
        The run's inputs.
    kept
        The run's leading draws with their shocks (``DrawSummary.kept``).
    chances
        The headline's chance of each target over every draw, in ``inputs.targets`` order
        (e.g. ``DrawSummary.probability[:, headline]``).
    quantities
        The uncertain quantities (default ``uncertain_quantities(inputs)``): the columns of
        the draws PRIM boxes.
    draws
        PRIM uses the first ``min(draws, kept.size)`` draws.
    **options
        Passed to ``prim.prim`` (``alpha``, ``min_density``, ``min_coverage``, ``min_mass``,
        ``z``, ``tolerance``); its defaults otherwise.

    Returns
    -------
    tuple of Discovery
        In target order; targets outside the chance range are left out.
    """
    if len(chances) != len(inputs.targets):
        raise ValueError("discover: one chance per target")
    lo, hi = CHANCE_RANGE
    picked = [(t, float(p)) for t, p in zip(inputs.targets, chances, strict=True) if lo <= p <= hi]
    if not picked:
        return ()
    found = uncertain_quantities(inputs) if quantities is None else quantities
    theta = kept.rows(0, min(draws, kept.size))
    base = inputs.settings.base_year
    exports = headline_exports(inputs, theta, [t.year - base for t, _ in picked])
    x = input_values(theta, found)
    scenario = inputs.settings.headline_scenario
    out = []
    for (target, chance), values in zip(picked, exports, strict=True):
        met = values >= target.value
        box = prim(x, met, **options)
        out.append(_discovery(scenario, target, chance, met, box, found))
    return tuple(out)


def _discovery(
    scenario: str,
    target: Target,
    chance: float,
    met: BoolArray,
    box: PrimBox,
    quantities: Sequence[Quantity],
) -> Discovery:
    """The discovery of one target: ``met`` marks the draws meeting it, ``box`` PRIM's box."""
    return Discovery(
        scenario=scenario,
        target=target.label,
        year=target.year,
        value=target.value,
        chance=chance,
        draws=met.size,
        cases=int(met.sum()),
        coverage=box.coverage,
        density=box.density,
        mass=box.mass,
        inside=box.inside,
        restrictions=_restrictions(box, quantities),
        box=box,
    )


def _restrictions(box: PrimBox, quantities: Sequence[Quantity]) -> tuple[Restriction, ...]:
    """The box's restricted inputs, the most important (largest density loss) first."""
    rows = [
        Restriction(
            label=q.label,
            kind=q.kind,
            lower=float(box.lower[j]) if np.isfinite(box.lower[j]) else None,
            upper=float(box.upper[j]) if np.isfinite(box.upper[j]) else None,
            density_loss=float(box.density_loss[j]),
        )
        for j, q in enumerate(quantities)
        if box.restricted[j]
    ]
    return tuple(sorted(rows, key=lambda r: -r.density_loss))
