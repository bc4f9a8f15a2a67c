"""Write new workbooks (placeholder: being written)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def write_workbook(path: Path, *, example: str = "blank", force: bool = False) -> None:
    """Write a new workbook at ``path``; refuse to overwrite unless ``force``."""
    raise NotImplementedError
