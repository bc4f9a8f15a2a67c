"""The projection engine: pure functions from typed inputs (and a seed) to ``Results``."""

from __future__ import annotations

from policybrief.model.engine import run
from policybrief.model.results import METRICS, Results

__all__ = ["METRICS", "Results", "run"]
