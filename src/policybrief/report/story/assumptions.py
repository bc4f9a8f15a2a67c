"""The assumptions log: every Baseline parameter and lever effect, ranked by influence.

One list for every output: the deck's "Assumptions log" slide shows its first rows
(``tables.assumptions_table``), the results workbook's ``Assumptions`` sheet every row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policybrief.report.story.labels import HIGH_IMPACT_RANK, assumption_rank, quantity_label

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policybrief.model.results import Results

__all__ = ["FLAG_TEXT", "Assumption", "assumption_log", "ranked_log"]

#: What a flagged row says (deck and results workbook).
FLAG_TEXT = "High impact, low confidence"


@dataclass(frozen=True)
class Assumption:
    """One input of the log.

    ``name`` is the Baseline parameter's name or ``"<lever id> effect"``; ``label`` its
    reader-friendly name (``labels.quantity_label``); ``varied`` whether the Monte Carlo draws
    it between ``low`` and ``high`` (otherwise it is fixed at ``central``); ``rank`` its
    influence (1 = most; None when not ranked); ``flagged`` when it is among the
    ``HIGH_IMPACT_RANK`` most influential and of Low confidence.
    """

    name: str
    label: str
    description: str  #: the parameter's description, or the lever's name
    unit: str
    central: float
    low: float
    high: float
    varied: bool
    source: str
    confidence: str
    rank: int | None
    flagged: bool


def assumption_log(results: Results, *, ranked: bool = True) -> tuple[Assumption, ...]:
    """Every parameter and lever effect, most influential first (then by name), or in the
    workbook's order (Baseline rows, then levers) when not ``ranked``.

    Ranked by ``labels.assumption_rank`` (total Sobol index on the gain, else the tornado).
    """
    inputs = results.inputs
    rank = assumption_rank(results)
    raw = [
        (
            p.name,
            p.description,
            p.unit,
            p.central,
            p.low,
            p.high,
            p.uncertain,
            p.source,
            p.confidence,
        )
        for p in inputs.parameters
    ] + [
        (
            f"{lv.id} effect",
            lv.name,
            lv.unit,
            lv.effect_central,
            lv.effect_low,
            lv.effect_high,
            lv.uncertain,
            lv.source,
            lv.confidence,
        )
        for lv in inputs.levers
    ]
    log = []
    for name, description, unit, central, low, high, varied, source, confidence in raw:
        r = rank.get(name)
        log.append(
            Assumption(
                name=name,
                label=quantity_label(results, name, width=10_000),
                description=description,
                unit=unit,
                central=central,
                low=low,
                high=high,
                varied=varied,
                source=source,
                confidence=confidence,
                rank=r,
                flagged=r is not None and r <= HIGH_IMPACT_RANK and confidence == "Low",
            )
        )
    return ranked_log(log) if ranked else tuple(log)


def ranked_log(log: Sequence[Assumption]) -> tuple[Assumption, ...]:
    """``log`` most influential first (then by name); the unranked after the ranked."""
    return tuple(sorted(log, key=lambda a: (a.rank or math.inf, a.name)))
