"""Read and validate a workbook (placeholder: being written)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from policybrief.workbook.types import Inputs


def read_workbook(path: Path) -> Inputs:
    """Read ``path`` into validated inputs, or raise ``InputError`` with every problem."""
    raise NotImplementedError
