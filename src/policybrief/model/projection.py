"""The vectorised recursion of MODEL.md over draws × cases × years.

``years`` runs the recursion one year at a time over whole ``(cases, draws)`` slices and hands
each year's values to the caller, which reduces or stores them (``project`` stores every
year; the Monte Carlo reduces each year while it is still in cache; the goal seek only reads
exports). The only Python loop is over the horizon's years, never over draws or cases.

Cost per year (measured at 10^6 draws × 3 scenarios × 10 years, where this is most of the
run): the lever terms ``Λ_c(t) = Σ_l β_l · f(x_l) · w_l(t)`` and what depends only on them
(the growth factor, the emigration rate and ``1 − attrition − m_t``, the absorbed share and
``G · s_t + O``, the realization share) change only while some lever phases in or out. They are recomputed only when the channel's loads
``f(x) · w(t)`` differ from the previous year's; otherwise last year's arrays are reused as
they are (identical values, no arithmetic). Levers with a zero load that year are skipped, a
channel without levers costs nothing per case, and every operation writes into preallocated
buffers. Every value is computed elementwise (no BLAS), so a draw's path does not depend on
which other draws or cases are computed with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from policybrief.model.results import METRICS
from policybrief.workbook.types import BASELINE_PARAMETERS, CHANNELS

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from numpy.typing import NDArray

    from policybrief.model.levers import Schedule
    from policybrief.model.sampling import Theta
    from policybrief.workbook.types import Channel

    FloatArray = NDArray[np.float64]

_COL = {name: i for i, name in enumerate(BASELINE_PARAMETERS)}


@dataclass(frozen=True)
class Year:
    """Every metric but ``fiscal_cost`` in one year, for ``(cases, draws)``.

    Arrays have shape ``(cases, draws)`` or ``(draws,)`` (a value that does not depend on the
    case, broadcastable). They may be buffers reused by later years and may be the very same
    object as the previous year's when the value did not change: read, copy or reduce them
    before asking for the next year, and never write to them.
    """

    exports: FloatArray
    workforce: FloatArray
    productivity: FloatArray
    realization: FloatArray
    emigration_rate: FloatArray
    entrants: FloatArray
    emigrants: FloatArray
    #: Metrics whose values equal the previous year's exactly (same array object).
    repeated: frozenset[str] = frozenset()

    def metric(self, name: str) -> FloatArray:
        """The array of metric ``name``."""
        value: FloatArray = getattr(self, name)
        return value


class _Channel:
    """Lever term ``Λ_c`` of one channel, recomputed only when its loads change.

    ``derive(Λ, out)`` turns the term into what the recursion uses (e.g. ``growth + Λ``), written
    into ``out``; ``none`` is that value without levers (``(draws,)``).
    """

    def __init__(
        self,
        sched: Schedule,
        channel: Channel,
        effects: FloatArray,
        none: FloatArray,
        derive: Callable[[FloatArray, FloatArray], None],
    ) -> None:
        load = sched.loads.get(channel)
        k, n = sched.cases, effects.shape[1]
        self._loads = (
            None if load is None else load.reshape(load.shape[0], sched.horizon, k)
        )  # (levers, year, case)
        self._betas = None if load is None else effects[sched.columns[channel]]
        self._none = none
        self._derive = derive
        self._key: bytes | None = None
        self._value: FloatArray = none
        #: Whether the last ``at`` call returned a value different from the call before.
        self.changed = True
        if self._loads is not None:
            self._lam = np.empty((k, n))
            self._term = np.empty((k, n))
            self._out = np.empty((k, n))

    def at(self, t: int) -> FloatArray:
        """The derived value in projection year ``t`` (1-based)."""
        if self._loads is None or self._betas is None:
            return self._none
        loads = self._loads[:, t - 1, :]  # (levers, cases)
        key = loads.tobytes()
        self.changed = key != self._key
        if not self.changed:
            return self._value
        self._key = key
        active = [i for i in range(loads.shape[0]) if loads[i].any()]
        if not active:
            self._value = self._none
            return self._value
        lam, term = self._lam, self._term
        first, *rest = active
        np.multiply(loads[first][:, None], self._betas[first], out=lam)
        for i in rest:
            np.multiply(loads[i][:, None], self._betas[i], out=term)
            lam += term
        self._derive(lam, self._out)
        self._value = self._out
        return self._value


def years(theta: Theta, sched: Schedule) -> Iterator[Year]:
    """The recursion's values year by year: the base year, then projection years 1..horizon.

    Parameters
    ----------
    theta
        Quantity values for ``n`` draws.
    sched
        Lever terms for ``cases`` intensity vectors over ``horizon`` years.

    Yields
    ------
    Year
        ``horizon + 1`` years; in the base year flows are 0 and rates take their base values.
        See ``Year`` for the lifetime of its arrays.
    """
    n, k, h = theta.size, sched.cases, sched.horizon
    p = theta.params
    e0, w0, rz0 = p[_COL["exports_base"]], p[_COL["workforce_base"]], p[_COL["realization_base"]]
    r_max = p[_COL["realization_max"]]
    growth = 1.0 + p[_COL["productivity_growth"]]
    graduates, cohort_growth = p[_COL["graduates_base"]], 1.0 + p[_COL["graduates_growth"]]
    absorption, others = p[_COL["absorption_rate"]], p[_COL["other_entrants_base"]]
    attrition, emigration = p[_COL["attrition_rate"]], p[_COL["emigration_rate"]]
    keep = 1.0 - attrition

    def productivity_factor(lam: FloatArray, out: FloatArray) -> None:  # 1 + g + Λ_p
        np.add(growth, lam, out=out)

    def emigration_rate(lam: FloatArray, out: FloatArray) -> None:  # m · max(0, 1 − Λ_e)
        np.subtract(1.0, lam, out=out)
        np.maximum(0.0, out, out=out)
        out *= emigration

    def absorbed(lam: FloatArray, out: FloatArray) -> None:  # min(1, s + Λ_a)
        np.add(absorption, lam, out=out)
        np.minimum(1.0, out, out=out)

    def inflow(lam: FloatArray, out: FloatArray) -> None:  # Λ_i
        out[...] = lam

    def realization(lam: FloatArray, out: FloatArray) -> None:  # min(Rz_max, Rz_0 + Λ_r)
        np.add(rz0, lam, out=out)
        np.minimum(r_max, out, out=out)

    derive = {
        "productivity": (productivity_factor, growth),
        "emigration": (emigration_rate, emigration),
        "absorption": (absorbed, np.minimum(1.0, absorption)),
        "inflow": (inflow, np.zeros(n)),
        "realization": (realization, np.minimum(r_max, rz0)),
    }
    channels = {c: _Channel(sched, c, theta.effects, derive[c][1], derive[c][0]) for c in CHANNELS}
    has_inflow = "inflow" in sched.loads

    prod = np.empty((k, n))
    prod[...] = e0 / (w0 * rz0)
    workforce = np.empty((k, n))
    workforce[...] = w0
    zeros = np.zeros(n)
    exports = np.empty((k, n))
    emigrants = np.empty((k, n))
    entrants = np.empty((k, n))
    yield Year(
        exports=e0,
        workforce=w0,
        productivity=prod[0],
        realization=rz0,
        emigration_rate=emigration,
        entrants=zeros,
        emigrants=zeros,
    )
    cohort = np.ones(n)
    retain = np.empty((k, n))  # 1 − attrition − m_t
    intake = np.empty((k, n))  # G · s_t + O
    for t in range(1, h + 1):
        # P_t = P_{t-1} · (1 + g + Λ_p)
        prod *= channels["productivity"].at(t)
        # m_t = m · max(0, 1 − Λ_e); emigrants_t = m_t · W_{t-1}
        rate = channels["emigration"].at(t)
        if t == 1 or channels["emigration"].changed:
            np.subtract(keep, rate, out=retain)
        np.multiply(rate, workforce, out=emigrants)
        # N_t = (G · min(1, s + Λ_a) + O) · (1 + g_G)^t + Λ_i
        cohort *= cohort_growth
        absorbed_t = channels["absorption"].at(t)
        if t == 1 or channels["absorption"].changed:
            np.multiply(graduates, absorbed_t, out=intake)
            intake += others
        np.multiply(intake, cohort, out=entrants)
        if has_inflow:
            entrants += channels["inflow"].at(t)
        # W_t = W_{t-1} · (1 − attrition − m_t) + N_t
        workforce *= retain
        workforce += entrants
        # Rz_t = min(Rz_max, Rz_0 + Λ_r); E_t = W_t · P_t · Rz_t
        realization_t = channels["realization"].at(t)
        np.multiply(workforce, prod, out=exports)
        exports *= realization_t
        repeated = [
            metric
            for metric, unchanged in (
                ("emigration_rate", not channels["emigration"].changed),
                ("realization", not channels["realization"].changed),
            )
            if t > 1 and unchanged
        ]
        yield Year(
            exports=exports,
            workforce=workforce,
            productivity=prod,
            realization=realization_t,
            emigration_rate=rate,
            entrants=entrants,
            emigrants=emigrants,
            repeated=frozenset(repeated),
        )


def project(theta: Theta, sched: Schedule) -> dict[str, FloatArray]:
    """Paths of every metric for each draw and case.

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
    shape = (h + 1, k, n)
    out = {name: np.empty(shape) for name in METRICS if name != "fiscal_cost"}
    for t, year in enumerate(years(theta, sched)):
        for name, values in out.items():
            values[t] = year.metric(name)
    cost = np.zeros((h + 1, k, 1))
    cost[1:, :, 0] = sched.cost.T
    out["fiscal_cost"] = np.broadcast_to(cost, shape)
    return {m: out[m] for m in METRICS}


def final_exports(theta: Theta, sched: Schedule) -> FloatArray:
    """Exports in the schedule's last year, ``(cases, draws)``."""
    *_, last = years(theta, sched)
    return np.array(np.broadcast_to(last.exports, (sched.cases, theta.size)))
