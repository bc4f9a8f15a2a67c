"""The vectorised recursion of MODEL.md over draws × cases × years.

Each year is one vectorised step over (cases, draws); the only Python loop is over the
horizon's years (at most ~30 steps), never over draws or cases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from policybrief.model.results import METRICS
from policybrief.workbook.types import BASELINE_PARAMETERS

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from policybrief.model.levers import Schedule
    from policybrief.model.sampling import Theta
    from policybrief.workbook.types import Channel

    FloatArray = NDArray[np.float64]

_COL = {name: i for i, name in enumerate(BASELINE_PARAMETERS)}


def _loads(sched: Schedule, channel: Channel, year: int) -> FloatArray | None:
    """``f(x) · w`` of the channel's levers in projection year ``year`` (1-based): ``(levers, cases)``."""
    load = sched.loads.get(channel)
    if load is None:
        return None
    k = sched.cases
    return load[:, (year - 1) * k : year * k]


def project(theta: Theta, sched: Schedule) -> dict[str, FloatArray]:
    """Paths of every metric for each draw and case.

    Arrays are laid out ``(year, case, draw)``; each year is computed on whole ``(cases, draws)``
    slices (small enough to stay in cache, with numpy's inner loops along the long, contiguous
    draw axis), so the year loop is the only Python loop.

    Parameters
    ----------
    theta
        Quantity values for ``n`` draws.
    sched
        Lever terms for ``cases`` intensity vectors over ``horizon`` years.

    Returns
    -------
    dict
        Metric name (see ``results.METRICS``) -> array ``(horizon + 1, cases, n)``; year index 0
        is the base year (flows 0, rates at base values). ``fiscal_cost`` does not depend on
        the draw and is a broadcast view.
    """
    n, k, h = theta.size, sched.cases, sched.horizon
    p = theta.params
    e0, w0, rz0 = p[_COL["exports_base"]], p[_COL["workforce_base"]], p[_COL["realization_base"]]
    r_max = p[_COL["realization_max"]]
    growth = 1.0 + p[_COL["productivity_growth"]]
    graduates, cohort_growth = p[_COL["graduates_base"]], 1.0 + p[_COL["graduates_growth"]]
    absorption, others = p[_COL["absorption_rate"]], p[_COL["other_entrants_base"]]
    attrition, emigration = p[_COL["attrition_rate"]], p[_COL["emigration_rate"]]
    effects = {c: theta.effects[cols] for c, cols in sched.columns.items()}

    shape = (h + 1, k, n)
    out = {name: np.empty(shape) for name in METRICS if name != "fiscal_cost"}
    prod, rate, entrants = out["productivity"], out["emigration_rate"], out["entrants"]
    workforce, realization = out["workforce"], out["realization"]
    exports, emigrants = out["exports"], out["emigrants"]
    prod[0] = e0 / (w0 * rz0)
    rate[0] = emigration
    entrants[0] = 0.0
    workforce[0] = w0
    realization[0] = rz0
    exports[0] = e0
    emigrants[0] = 0.0
    cohort = np.ones(n)

    def lam(channel: Channel, year: int) -> FloatArray | float:
        load = _loads(sched, channel, year)
        if load is None:
            return 0.0
        value: FloatArray = load.T @ effects[channel]  # (cases, draws)
        return value

    for t in range(1, h + 1):
        # P_t = P_{t-1} · (1 + g + Λ_p)
        np.multiply(prod[t - 1], growth + lam("productivity", t), out=prod[t])
        # m_t = m · max(0, 1 − Λ_e)
        relief = np.maximum(0.0, 1.0 - lam("emigration", t))
        np.multiply(emigration, relief, out=rate[t])
        # N_t = (G · min(1, s + Λ_a) + O) · (1 + g_G)^t + Λ_i
        cohort *= cohort_growth
        absorbed = np.minimum(1.0, absorption + lam("absorption", t))
        np.multiply(graduates, absorbed, out=entrants[t])
        entrants[t] += others
        entrants[t] *= cohort
        entrants[t] += lam("inflow", t)
        # W_t = W_{t-1} · (1 − attrition − m_t) + N_t; emigrants_t = m_t · W_{t-1}
        np.multiply(rate[t], workforce[t - 1], out=emigrants[t])
        np.multiply(workforce[t - 1], 1.0 - attrition, out=workforce[t])
        workforce[t] -= emigrants[t]
        workforce[t] += entrants[t]
        # Rz_t = min(Rz_max, Rz_0 + Λ_r); E_t = W_t · P_t · Rz_t
        np.minimum(r_max, rz0 + lam("realization", t), out=realization[t])
        np.multiply(workforce[t], prod[t], out=exports[t])
        exports[t] *= realization[t]

    cost = np.zeros((h + 1, k, 1))
    cost[1:, :, 0] = sched.cost.T
    out["fiscal_cost"] = np.broadcast_to(cost, shape)
    return {m: out[m] for m in METRICS}


def final_exports(theta: Theta, sched: Schedule) -> FloatArray:
    """Exports in the schedule's last year, ``(cases, draws)``."""
    exports = project(theta, sched)["exports"]
    value: FloatArray = exports[-1]
    return value
