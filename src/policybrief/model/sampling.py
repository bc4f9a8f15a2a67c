"""Uncertain quantities and their Beta-PERT draws, in fixed-size blocks of draws.

Every Baseline parameter and every lever effect with Low < High is sampled independently from
Beta-PERT(min=Low, mode=Central, max=High, λ=4). Draws are generated in blocks of
``BLOCK_SIZE``: block ``i`` uses its own ``Generator(PCG64(SeedSequence(seed, spawn_key=(i,))))``
(exactly the ``i``-th child of ``SeedSequence(seed).spawn``). The engine's chunks group whole
blocks, so the draws, and every result built from them, do not depend on the chunk size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from policybrief.workbook.types import BASELINE_PARAMETERS

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from policybrief.workbook.types import Inputs

    FloatArray = NDArray[np.float64]

#: Draws per random-stream block; chunks are whole numbers of blocks.
BLOCK_SIZE = 4096
#: Shape parameter of the Beta-PERT distribution.
PERT_LAMBDA = 4.0


@dataclass(frozen=True)
class Quantity:
    """One sampled quantity: a Baseline parameter or a lever effect.

    ``column`` is its position in the parameter matrix (``kind == "baseline"``, order of
    ``BASELINE_PARAMETERS``) or in the effect matrix (``kind == "lever"``, order of the levers).
    """

    label: str  #: Baseline name or "<lever_id> effect"
    kind: Literal["baseline", "lever"]
    column: int
    low: float
    central: float
    high: float


@dataclass(frozen=True)
class Theta:
    """Values of every model quantity for a batch of draws (or of analysis cases).

    ``params`` has shape ``(len(BASELINE_PARAMETERS), n)``; ``effects`` has shape
    ``(n_levers, n)``: one contiguous row per quantity, one column per draw.
    """

    params: FloatArray
    effects: FloatArray

    @property
    def size(self) -> int:
        """Number of draws (rows)."""
        return int(self.params.shape[1])

    def rows(self, start: int, stop: int) -> Theta:
        """Draws ``start:stop`` (views, no copy)."""
        return Theta(self.params[:, start:stop], self.effects[:, start:stop])


def uncertain_quantities(inputs: Inputs) -> tuple[Quantity, ...]:
    """Baseline parameters, then lever effects, that have Low < High (workbook order)."""
    found = [
        Quantity(name, "baseline", i, p.low, p.central, p.high)
        for i, name in enumerate(BASELINE_PARAMETERS)
        if (p := inputs.parameter(name)).uncertain
    ]
    found += [
        Quantity(
            f"{lever.id} effect",
            "lever",
            j,
            lever.effect_low,
            lever.effect_central,
            lever.effect_high,
        )
        for j, lever in enumerate(inputs.levers)
        if lever.uncertain
    ]
    return tuple(found)


def central_theta(inputs: Inputs, n: int = 1) -> Theta:
    """``n`` identical draws with every quantity at Central."""
    params = np.array([inputs.parameter(name).central for name in BASELINE_PARAMETERS])
    effects = np.array([lever.effect_central for lever in inputs.levers], dtype=np.float64)
    return Theta(
        np.repeat(params[:, None], n, axis=1),
        np.repeat(effects.reshape(len(inputs.levers), 1), n, axis=1),
    )


def pert_sample(
    rng: np.random.Generator, low: float, mode: float, high: float, size: int
) -> FloatArray:
    """Draw ``size`` values from Beta-PERT(min=low, mode=mode, max=high, λ=4).

    Parameters
    ----------
    rng
        The random stream.
    low, mode, high
        Minimum, most likely value and maximum; ``low <= mode <= high``. When
        ``low == high`` every value is ``mode``.
    size
        Number of values.

    Returns
    -------
    numpy.ndarray
        Values in ``[low, high]`` with mean ``(low + 4 mode + high) / 6``.
    """
    width = high - low
    if width <= 0:
        return np.full(size, mode, dtype=np.float64)
    alpha = 1.0 + PERT_LAMBDA * (mode - low) / width
    beta = 1.0 + PERT_LAMBDA * (high - mode) / width
    return low + width * rng.beta(alpha, beta, size)


def block_generator(seed: int, block: int) -> np.random.Generator:
    """The random stream of block ``block`` (the ``block``-th child of ``SeedSequence(seed)``)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))


def sample_theta(
    central: Theta,
    quantities: tuple[Quantity, ...],
    seed: int,
    start: int,
    stop: int,
    block_size: int = BLOCK_SIZE,
) -> Theta:
    """Draws ``start:stop`` of the Monte Carlo sample; ``start`` must be a block boundary.

    Parameters
    ----------
    central
        Every quantity at Central (fixed quantities keep these values; first draw used).
    quantities
        The uncertain quantities, sampled in this order within each block.
    seed
        The run's seed.
    start, stop
        Draw range; ``start % block_size == 0``.
    block_size
        Draws per random-stream block.

    Returns
    -------
    Theta
        ``stop - start`` rows.
    """
    if start % block_size:
        raise ValueError("sample_theta: start must be a block boundary")
    n = stop - start
    params = np.repeat(central.params[:, :1], n, axis=1)
    effects = np.repeat(central.effects[:, :1], n, axis=1)
    for first in range(start, stop, block_size):
        last = min(first + block_size, stop)
        rng = block_generator(seed, first // block_size)
        rows = slice(first - start, last - start)
        for q in quantities:
            target = params if q.kind == "baseline" else effects
            target[q.column, rows] = pert_sample(rng, q.low, q.central, q.high, last - first)
    return Theta(params, effects)
