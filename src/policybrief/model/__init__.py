"""The projection engine: pure functions from typed inputs (and a seed) to ``Results``.

``run`` is loaded on first use (PEP 562), so importing the data classes of
``policybrief.model.results`` (e.g. to unpickle results) does not load the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policybrief.model.results import METRICS, Results

if TYPE_CHECKING:
    from policybrief.model.engine import run

__all__ = ["METRICS", "Results", "run"]


def __getattr__(name: str) -> Any:
    if name == "run":
        from policybrief.model.engine import run  # noqa: PLC0415

        return run
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
