"""The workbook's Correlations applied to the Monte Carlo draws (MODEL.md v2).

Builds the Spearman matrix over the correlated uncertain quantities (unlisted pairs 0),
repairs it when it is not positive definite (``correlation.repair_spearman``, Higham 2002),
warns once per listed pair that moved (with its cell) and once for the unlisted pairs that
moved, and reorders each block's uniforms by Iman–Conover (``correlation.iman_conover``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from policybrief.errors import Problem
from policybrief.model.correlation import iman_conover, repair_spearman
from policybrief.model.results import CorrelationUsed

if TYPE_CHECKING:
    from policybrief.domain import Inputs
    from policybrief.model.arrays import FloatArray, IntArray
    from policybrief.model.sampling import Quantity


def input_id(quantity: Quantity) -> str:
    """The id a workbook uses for a quantity: a Baseline name or a lever id."""
    return quantity.label.removesuffix(" effect") if quantity.kind == "lever" else quantity.label


@dataclass(frozen=True)
class RankCorrelation:
    """Rows of the uniforms to reorder, the Spearman matrix used, and what to report."""

    rows: IntArray  #: positions in the quantity order
    matrix: FloatArray
    used: tuple[CorrelationUsed, ...]
    warnings: tuple[Problem, ...]

    def apply(self, u: FloatArray) -> None:
        """Reorder one block's uniforms ``(quantities, draws)`` in place."""
        u[self.rows] = iman_conover(u[self.rows].T, self.matrix).T


def rank_correlation(inputs: Inputs, quantities: tuple[Quantity, ...]) -> RankCorrelation | None:
    """The correlation step of a run, or None when the workbook lists no correlations.

    The reader has checked every id names an uncertain input; pairs are unique.
    """
    if not inputs.correlations:
        return None
    position = {input_id(q): i for i, q in enumerate(quantities)}
    ids = sorted(
        {c.input_a for c in inputs.correlations} | {c.input_b for c in inputs.correlations},
        key=position.__getitem__,
    )
    index = {name: i for i, name in enumerate(ids)}
    requested = np.eye(len(ids))
    for c in inputs.correlations:
        i, j = index[c.input_a], index[c.input_b]
        requested[i, j] = requested[j, i] = c.rho
    repair = repair_spearman(requested)
    listed = {frozenset((c.input_a, c.input_b)): c for c in inputs.correlations}
    warnings: list[Problem] = []
    unlisted: list[str] = []
    for i, j in repair.moved:
        pair = frozenset((ids[i], ids[j]))
        value = float(repair.used[i, j])
        if pair in listed:
            c = listed[pair]
            sheet, _, cell = c.cell.rpartition("!")
            warnings.append(
                Problem(
                    sheet,
                    cell,
                    f"the correlations are not mutually consistent (the matrix is not "
                    f"positive definite): {c.input_a}–{c.input_b} {c.rho:g} was used as "
                    f"{value:.3f}, the nearest valid value",
                    "check the pairs involving these inputs; the results list the matrix used",
                    "warning",
                )
            )
        else:
            unlisted.append(f"{ids[i]}–{ids[j]} {value:.3f}")
    if unlisted:
        warnings.append(
            Problem(
                "Correlations",
                "",
                "to make the correlations consistent, pairs not listed (0) were used as: "
                + ", ".join(unlisted),
                "list these pairs explicitly if you know their correlation",
                "warning",
            )
        )
    used = tuple(
        CorrelationUsed(
            c.input_a, c.input_b, c.rho, float(repair.used[index[c.input_a], index[c.input_b]])
        )
        for c in inputs.correlations
    )
    rows = np.array([position[name] for name in ids], dtype=np.intp)
    return RankCorrelation(rows, repair.used, used, tuple(warnings))
