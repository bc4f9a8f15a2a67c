"""Engine facade (placeholder: being written)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from policybrief.model.results import Results
    from policybrief.workbook.types import Inputs


def run(
    inputs: Inputs,
    *,
    draws: int | None = None,
    seed: int | None = None,
    chunk_size: int = 50_000,
    progress: Callable[[float, float, str], None] | None = None,
) -> Results:
    """Project every scenario and run every analysis of MODEL.md."""
    raise NotImplementedError
