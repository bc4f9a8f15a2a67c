"""One-at-a-time sensitivity (the tornado) of final-year exports in one scenario."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from policybrief.model.levers import schedule
from policybrief.model.projection import final_exports
from policybrief.model.results import SensitivityRow
from policybrief.model.sampling import Theta

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policybrief.domain import Lever
    from policybrief.model.arrays import FloatArray
    from policybrief.model.sampling import Quantity


def tornado(
    quantities: Sequence[Quantity],
    intensities: FloatArray,
    levers: Sequence[Lever],
    central: Theta,
    base_year: int,
    horizon: int,
    *,
    reference: FloatArray | None = None,
) -> tuple[SensitivityRow, ...]:
    """Final-year exports with each uncertain quantity at Low, then High, the rest at Central.

    Parameters
    ----------
    quantities
        The uncertain quantities.
    intensities
        The scenario's lever intensities.
    levers, central, base_year, horizon
        The model: levers, one central row of quantities, and the projection years.
    reference
        The baseline scenario's intensities (levers in force in the base year).

    Returns
    -------
    tuple of SensitivityRow
        Sorted by swing ``|high − low|``, largest first (ties keep the workbook order).
    """
    if not quantities:
        return ()
    n = 2 * len(quantities)
    params = np.repeat(central.params[:, :1], n, axis=1)
    effects = np.repeat(central.effects[:, :1], n, axis=1)
    for i, q in enumerate(quantities):
        target = params if q.kind == "baseline" else effects
        target[q.column, 2 * i] = q.low
        target[q.column, 2 * i + 1] = q.high
    sched = schedule(levers, intensities[None, :], base_year, horizon, reference=reference)
    exports = final_exports(Theta(params, effects), sched)[0]
    rows = [
        SensitivityRow(
            parameter=q.label,
            kind=q.kind,
            low=q.low,
            high=q.high,
            exports_at_low=float(exports[2 * i]),
            exports_at_high=float(exports[2 * i + 1]),
        )
        for i, q in enumerate(quantities)
    ]
    return tuple(sorted(rows, key=lambda r: -r.swing))
