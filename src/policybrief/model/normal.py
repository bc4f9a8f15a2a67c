"""The standard normal quantile function, vectorised in numpy (SciPy is not a dependency).

``statistics.NormalDist.inv_cdf`` implements the same algorithm for one value at a time, at
about a microsecond per call: too slow for the hundreds of thousands of shocks of a Sobol
design.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from policybrief.model.arrays import FloatArray

# Wichura's AS241 (PPND16), as in ``statistics.NormalDist.inv_cdf``: rational approximations,
# highest power first, for |u − 1/2| ≤ 0.425, then for r = sqrt(−log(min(u, 1 − u))) ≤ 5 and
# beyond. Relative accuracy about 1e-16.
_CENTRAL = (
    (2.5090809287301226727e3, 3.3430575583588128105e4, 6.7265770927008700853e4,
     4.5921953931549871457e4, 1.3731693765509461125e4, 1.9715909503065514427e3,
     1.3314166789178437745e2, 3.3871328727963666080e0),
    (5.2264952788528545610e3, 2.8729085735721942674e4, 3.9307895800092710610e4,
     2.1213794301586595867e4, 5.3941960214247511077e3, 6.8718700749205790830e2,
     4.2313330701600911252e1, 1.0),
)  # fmt: skip
_INTERMEDIATE = (
    (7.7454501427834140764e-4, 2.2723844989269184583e-2, 2.4178072517745061177e-1,
     1.2704582524523683826e0, 3.6478483247632046050e0, 5.7694972214606914055e0,
     4.6303378461565452959e0, 1.4234371107496835773e0),
    (1.0507500716444168432e-9, 5.4759380849953449460e-4, 1.5198666563616457197e-2,
     1.4810397642748007459e-1, 6.8976733498510000455e-1, 1.6763848301838038494e0,
     2.0531916266377588219e0, 1.0),
)  # fmt: skip
_TAIL = (
    (2.0103343992922881327e-7, 2.7115555687434875782e-5, 1.2426609473880784386e-3,
     2.6532189526576123093e-2, 2.9656057182850489123e-1, 1.7848265399172913358e0,
     5.4637849111641143699e0, 6.6579046435011037772e0),
    (2.0442631033899397856e-15, 1.4215117583164458887e-7, 1.8463183175100546818e-5,
     7.8686913114561325910e-4, 1.4875361290850614853e-2, 1.3692988092273580531e-1,
     5.9983220655588793769e-1, 1.0),
)  # fmt: skip


def normal_quantile(u: ArrayLike) -> FloatArray:
    """Standard normal quantiles of ``u`` in ``(0, 1)`` (Wichura's AS241, vectorised).

    Parameters
    ----------
    u
        Probabilities, any shape.

    Returns
    -------
    numpy.ndarray
        ``Φ⁻¹(u)``, the same values as ``statistics.NormalDist().inv_cdf`` to rounding.
    """
    u = np.asarray(u, dtype=np.float64)
    q = u - 0.5
    out = np.empty_like(u)
    central = np.abs(q) <= 0.425
    r = 0.180625 - q[central] ** 2
    num, den = _CENTRAL
    out[central] = q[central] * np.polyval(num, r) / np.polyval(den, r)
    outer = ~central
    r = np.sqrt(-np.log(np.minimum(u[outer], 1.0 - u[outer])))
    value = np.empty_like(r)
    for (num, den), part, shift in (
        (_INTERMEDIATE, r <= 5.0, 1.6),
        (_TAIL, r > 5.0, 5.0),
    ):
        s = r[part] - shift
        value[part] = np.polyval(num, s) / np.polyval(den, s)
    out[outer] = np.copysign(value, q[outer])
    return out
