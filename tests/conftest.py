"""Hypothesis runs derandomised by default, so a CI run is reproducible: the same examples
every time. ``HYPOTHESIS_PROFILE=explore nox -s tests`` searches afresh (random examples, more
of them) when hunting for counterexamples."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("repro", derandomize=True)
settings.register_profile("explore", max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repro"))
