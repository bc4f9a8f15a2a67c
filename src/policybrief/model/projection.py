"""The vectorised recursion of MODEL.md (version 2) over draws × cases × years.

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

Version 2 terms: other entrants are a share of last year's workforce; revenue per worker is
``P_0 · G_t · (1 + Λ_level) / (1 + Λ*_level)`` with the growth index ``G`` taking each draw's
yearly shock; every lever term is relative to the baseline's base-year term ``Λ*``; earnings
``V = W · P`` are reported beside exports ``E = V · Rz``; fiscal cost has a part that scales
with exports. Shares computed from lever terms (absorption, realization) are kept in
``[0, 1]`` and ``[0, realization_max]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from policybrief.domain import BASELINE_PARAMETERS
from policybrief.model.results import METRICS

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from policybrief.model.arrays import FloatArray
    from policybrief.model.levers import Schedule
    from policybrief.model.sampling import Theta

_COL = {name: i for i, name in enumerate(BASELINE_PARAMETERS)}


@dataclass(frozen=True)
class Year:
    """Every metric in one year, for ``(cases, draws)``.

    Arrays have shape ``(cases, draws)``, ``(draws,)`` or ``(cases, 1)`` (broadcastable). They
    may be buffers reused by later years and may be the very same object as the previous
    year's when the value did not change: read, copy or reduce them before asking for the next
    year, and never write to them.
    """

    exports: FloatArray
    earnings: FloatArray
    workforce: FloatArray
    productivity: FloatArray
    realization: FloatArray
    emigration_rate: FloatArray
    entrants: FloatArray
    emigrants: FloatArray
    fiscal_cost: FloatArray
    #: Metrics whose values equal the previous year's exactly (same array object).
    repeated: frozenset[str] = frozenset()

    def metric(self, name: str) -> FloatArray:
        """The array of metric ``name``."""
        value: FloatArray = getattr(self, name)
        return value


class _Term:
    """Lever term ``Λ_c`` of one term, recomputed only when its loads change.

    ``derive(Λ, out)`` turns the term into what the recursion uses (e.g. ``growth + Λ − Λ*``),
    written into ``out``; with no lever active the value is ``derive(0)``, computed once.
    """

    def __init__(
        self,
        sched: Schedule,
        name: str,
        effects: FloatArray,
        derive: Callable[[FloatArray, FloatArray], None],
    ) -> None:
        load = sched.loads.get(name)
        k, n = sched.cases, effects.shape[1]
        self._loads = (
            None if load is None else load.reshape(load.shape[0], sched.horizon, k)
        )  # (levers, year, case)
        self._betas = None if load is None else effects[sched.columns[name]]
        self._derive = derive
        none = np.empty((1, n))
        derive(np.zeros((1, n)), none)
        self._none: FloatArray = none
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
            self.changed = t == 1
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


def in_force(sched: Schedule, name: str, effects: FloatArray) -> FloatArray:
    """``Λ*_c(Y0)`` per draw, ``(draws,)``: the baseline's term in the base year (0 if none)."""
    star = sched.reference.get(name)
    if star is None:
        return np.zeros(effects.shape[1])
    total: FloatArray = star @ effects[sched.columns[name]]
    return total


def _terms(theta: Theta, sched: Schedule) -> dict[str, _Term]:
    """Every lever term of the recursion, each relative to the baseline's base-year value."""
    p, fx = theta.params, theta.effects
    growth = 1.0 + p[_COL["productivity_growth"]] - in_force(sched, "productivity", fx)
    level_star = 1.0 + in_force(sched, "level", fx)
    emigration = p[_COL["emigration_rate"]]
    keep_e = 1.0 + in_force(sched, "emigration", fx)
    absorption = p[_COL["absorption_rate"]] - in_force(sched, "absorption", fx)
    inflow_star = in_force(sched, "inflow", fx)
    r_max = p[_COL["realization_max"]]
    rz0 = p[_COL["realization_base"]] - in_force(sched, "realization", fx)

    def productivity(lam: FloatArray, out: FloatArray) -> None:  # 1 + g + Λ − Λ*
        np.add(growth, lam, out=out)

    def level(lam: FloatArray, out: FloatArray) -> None:  # (1 + Λ) / (1 + Λ*)
        np.add(1.0, lam, out=out)
        out /= level_star

    def emigration_rate(lam: FloatArray, out: FloatArray) -> None:  # m · max(0, 1 − (Λ − Λ*))
        np.subtract(keep_e, lam, out=out)
        np.maximum(0.0, out, out=out)
        out *= emigration

    def absorbed(lam: FloatArray, out: FloatArray) -> None:  # min(1, s + Λ − Λ*), ≥ 0
        np.add(absorption, lam, out=out)
        np.clip(out, 0.0, 1.0, out=out)

    def inflow(lam: FloatArray, out: FloatArray) -> None:  # Λ − Λ*
        np.subtract(lam, inflow_star, out=out)

    def realization(lam: FloatArray, out: FloatArray) -> None:  # min(Rz_max, Rz_0 + Λ − Λ*)
        np.add(rz0, lam, out=out)
        np.minimum(r_max, out, out=out)
        np.maximum(0.0, out, out=out)

    derive = {
        "productivity": productivity,
        "level": level,
        "emigration": emigration_rate,
        "absorption": absorbed,
        "inflow": inflow,
        "realization": realization,
    }
    return {name: _Term(sched, name, fx, fn) for name, fn in derive.items()}


def years(theta: Theta, sched: Schedule) -> Iterator[Year]:
    """The recursion's values year by year: the base year, then projection years 1..horizon.

    Parameters
    ----------
    theta
        Quantity values for ``n`` draws (with their shocks, if any).
    sched
        Lever terms for ``cases`` intensity vectors over ``horizon`` years.

    Yields
    ------
    Year
        ``horizon + 1`` years; in the base year flows are 0 and rates take their base values.
        See ``Year`` for the lifetime of its arrays.
    """
    recursion = _Recursion(theta, sched)
    yield recursion.base_year()
    for t in range(1, sched.horizon + 1):
        yield recursion.step(t)


class _Recursion:
    """The recursion's state over ``(cases, draws)``: buffers that each year updates in place."""

    def __init__(self, theta: Theta, sched: Schedule) -> None:
        n, k = theta.size, sched.cases
        p = self.params = theta.params
        self.draws, self.sched, self.shocks = n, sched, theta.shocks
        self.terms = _terms(theta, sched)
        self.has_inflow = "inflow" in sched.loads
        self.graduates = p[_COL["graduates_base"]]
        self.cohort_growth = 1.0 + p[_COL["graduates_growth"]]
        self.other_rate = p[_COL["other_entry_rate"]]
        self.keep = 1.0 - p[_COL["attrition_rate"]]
        w0 = p[_COL["workforce_base"]]
        self.p0 = p[_COL["exports_base"]] / (w0 * p[_COL["realization_base"]])
        self.index = np.ones((k, n))  # G_t
        self.prod = np.empty((k, n))
        self.prod[...] = self.p0
        self.workforce = np.empty((k, n))
        self.workforce[...] = w0
        self.exports, self.earnings = np.empty((k, n)), np.empty((k, n))
        self.emigrants, self.entrants = np.empty((k, n)), np.empty((k, n))
        self.cost = np.empty((k, n)) if sched.has_cost_share else None
        self.cohort = np.ones(n)  # (1 + g_G)^t
        self.retain = np.empty((k, n))  # 1 − attrition − m_t
        self.intake = np.empty((k, n))  # graduates · s_t

    def base_year(self) -> Year:
        """The base year: flows 0, rates at their base values."""
        p = self.params
        e0, rz0 = p[_COL["exports_base"]], p[_COL["realization_base"]]
        zeros = np.zeros(self.draws)
        return Year(
            exports=e0,
            earnings=e0 / rz0,
            workforce=p[_COL["workforce_base"]],
            productivity=self.prod[0],
            realization=rz0,
            emigration_rate=p[_COL["emigration_rate"]],
            entrants=zeros,
            emigrants=zeros,
            fiscal_cost=zeros,
        )

    def step(self, t: int) -> Year:
        """Projection year ``t`` (1-based), from year ``t − 1``'s state."""
        self._productivity(t)
        rate = self._workforce(t)
        # V_t = W_t · P_t; E_t = V_t · Rz_t
        realization_t = self.terms["realization"].at(t)
        np.multiply(self.workforce, self.prod, out=self.earnings)
        np.multiply(self.earnings, realization_t, out=self.exports)
        return Year(
            exports=self.exports,
            earnings=self.earnings,
            workforce=self.workforce,
            productivity=self.prod,
            realization=realization_t,
            emigration_rate=rate,
            entrants=self.entrants,
            emigrants=self.emigrants,
            fiscal_cost=_cost(self.sched, t, self.exports, self.cost),
            repeated=frozenset(
                metric
                for metric, term_name in (
                    ("emigration_rate", "emigration"),
                    ("realization", "realization"),
                )
                if t > 1 and not self.terms[term_name].changed
            ),
        )

    def _productivity(self, t: int) -> None:
        """G_t = G_{t-1} · (1 + g + Λ_p − Λ*_p) · exp(ε_t − σ²/2); P_t = P_0 · G_t · level_t."""
        self.index *= self.terms["productivity"].at(t)
        if self.shocks is not None:
            self.index *= np.exp(self.shocks[t - 1])
        np.multiply(self.index, self.p0, out=self.prod)
        self.prod *= self.terms["level"].at(t)

    def _workforce(self, t: int) -> FloatArray:
        """Emigrants, entrants and ``W_t`` of year ``t``; returns the emigration rate ``m_t``."""
        terms, workforce = self.terms, self.workforce
        # m_t; emigrants_t = m_t · W_{t-1}
        rate = terms["emigration"].at(t)
        if terms["emigration"].changed:
            np.subtract(self.keep, rate, out=self.retain)
        np.multiply(rate, workforce, out=self.emigrants)
        # N_t = graduates · s_t · (1 + g_G)^t + other_entry_rate · W_{t-1} + Λ_i − Λ*_i
        self.cohort *= self.cohort_growth
        absorbed_t = terms["absorption"].at(t)
        if terms["absorption"].changed:
            np.multiply(self.graduates, absorbed_t, out=self.intake)
        np.multiply(self.intake, self.cohort, out=self.entrants)
        self.entrants += self.other_rate * workforce
        if self.has_inflow:
            self.entrants += terms["inflow"].at(t)
        # W_t = W_{t-1} · (1 − attrition − m_t) + N_t
        workforce *= self.retain
        workforce += self.entrants
        return rate


def _cost(sched: Schedule, t: int, exports: FloatArray, out: FloatArray | None) -> FloatArray:
    """``C_t = fixed + share · E_t`` per case (and per draw when some cost scales)."""
    fixed = sched.cost[:, t - 1 : t]  # (cases, 1)
    if out is None:
        return fixed
    np.multiply(sched.cost_share[:, t - 1 : t], exports, out=out)
    out += fixed
    return out


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
        is the base year (flows 0, rates at base values).
    """
    n, k, h = theta.size, sched.cases, sched.horizon
    out = {name: np.empty((h + 1, k, n)) for name in METRICS}
    for t, year in enumerate(years(theta, sched)):
        for name, values in out.items():
            values[t] = year.metric(name)
    return out


def final_exports(theta: Theta, sched: Schedule) -> FloatArray:
    """Exports in the schedule's last year, ``(cases, draws)``."""
    *_, last = years(theta, sched)
    return np.array(np.broadcast_to(last.exports, (sched.cases, theta.size)))
