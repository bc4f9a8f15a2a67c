"""The array types the model's modules annotate with: one home for the aliases.

Imported under ``TYPE_CHECKING`` only; at run time the model passes plain NumPy arrays.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

#: Real-valued arrays: exports, rates, draws, weights.
FloatArray: TypeAlias = NDArray[np.float64]
#: Index arrays (positions into draws, levers or years).
IntArray: TypeAlias = NDArray[np.intp]
#: Masks (draws meeting a target, levers in a package).
BoolArray: TypeAlias = NDArray[np.bool_]
