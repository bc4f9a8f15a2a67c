"""The vectorised recursion of MODEL.md over draws × cases × years.

Everything except the workforce is closed-form in time (channel effects are matrix products,
productivity a cumulative product), so the only Python loop is the workforce recursion over
the horizon's years; it runs on whole ``(draws, cases)`` slices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from policybrief.workbook.types import BASELINE_PARAMETERS

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from policybrief.model.levers import Schedule
    from policybrief.model.sampling import Theta
    from policybrief.workbook.types import Channel

    FloatArray = NDArray[np.float64]

_COL = {name: i for i, name in enumerate(BASELINE_PARAMETERS)}


def channel_effect(theta: Theta, sched: Schedule, channel: Channel) -> FloatArray | float:
    """``Λ_c`` with shape ``(draws, cases, horizon)``, or ``0.0`` when no lever uses ``c``."""
    cols = sched.columns.get(channel)
    if cols is None:
        return 0.0
    n = theta.size
    return (theta.effects[:, cols] @ sched.loads[channel]).reshape(n, sched.cases, sched.horizon)


def project(theta: Theta, sched: Schedule) -> dict[str, FloatArray]:
    """Paths of every metric for each draw and case.

    Parameters
    ----------
    theta
        Quantity values, one row per draw (``n`` rows).
    sched
        Lever terms for ``cases`` intensity vectors over ``horizon`` years.

    Returns
    -------
    dict
        Metric name (see ``results.METRICS``) -> array ``(n, cases, horizon + 1)``; index 0 of
        the last axis is the base year (flows 0, rates at base values). ``fiscal_cost`` does
        not depend on the draw and is a broadcast view.
    """
    n, k, h = theta.size, sched.cases, sched.horizon

    def col(name: str) -> FloatArray:
        return theta.params[:, _COL[name], None, None]  # (n, 1, 1)

    e0, w0, rz0 = col("exports_base"), col("workforce_base"), col("realization_base")
    shape = (n, k, h + 1)
    out = {name: np.empty(shape) for name in ("productivity", "emigration_rate", "entrants")}

    # Productivity: P_t = P_0 · Π (1 + g + Λ_p), a cumulative product over the years.
    prod = out["productivity"]
    prod[:, :, 0:1] = e0 / (w0 * rz0)
    growth = 1.0 + col("productivity_growth") + channel_effect(theta, sched, "productivity")
    np.multiply(
        prod[:, :, 0:1],
        np.cumprod(np.broadcast_to(growth, (n, k, h)), axis=2),
        out=prod[:, :, 1:],
    )

    # Emigration rate and entrants are levels: no dependence on the previous year.
    rate = out["emigration_rate"]
    rate[:, :, 0:1] = col("emigration_rate")
    relief = np.maximum(0.0, 1.0 - channel_effect(theta, sched, "emigration"))
    np.multiply(col("emigration_rate"), relief, out=rate[:, :, 1:])

    absorbed = np.minimum(1.0, col("absorption_rate") + channel_effect(theta, sched, "absorption"))
    t = np.arange(1, h + 1, dtype=np.float64)
    cohort = (1.0 + col("graduates_growth")) ** t  # (n, 1, h)
    entrants = out["entrants"]
    entrants[:, :, 0] = 0.0
    entrants[:, :, 1:] = (col("graduates_base") * absorbed + col("other_entrants_base")) * cohort
    entrants[:, :, 1:] += channel_effect(theta, sched, "inflow")

    # Workforce: the one recursion over years, on whole (draws, cases) slices.
    stay = 1.0 - col("attrition_rate") - rate[:, :, 1:]  # (n, k, h)
    workforce = np.empty(shape)
    workforce[:, :, 0:1] = w0
    for i in range(h):
        np.multiply(workforce[:, :, i], stay[:, :, i], out=workforce[:, :, i + 1])
        workforce[:, :, i + 1] += entrants[:, :, i + 1]

    realization = np.empty(shape)
    realization[:, :, 0:1] = rz0
    np.minimum(
        col("realization_max"),
        rz0 + channel_effect(theta, sched, "realization"),
        out=realization[:, :, 1:],
    )

    exports = workforce * prod
    exports *= realization
    exports[:, :, 0:1] = e0  # exactly the base value, not W_0 · P_0 · Rz_0 after rounding
    emigrants = np.empty(shape)
    emigrants[:, :, 0] = 0.0
    np.multiply(rate[:, :, 1:], workforce[:, :, :-1], out=emigrants[:, :, 1:])

    cost = np.zeros((k, h + 1))
    cost[:, 1:] = sched.cost
    return {
        "exports": exports,
        "workforce": workforce,
        "productivity": prod,
        "realization": realization,
        "emigration_rate": rate,
        "entrants": entrants,
        "emigrants": emigrants,
        "fiscal_cost": np.broadcast_to(cost, shape),
    }


def final_exports(theta: Theta, sched: Schedule) -> FloatArray:
    """Exports in the schedule's last year, ``(draws, cases)``."""
    return project(theta, sched)["exports"][:, :, -1]
