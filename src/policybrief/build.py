"""The facade: ``build(workbook, out_dir) -> BuildResult`` (placeholder: being written)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from policybrief.errors import Problem


@dataclass(frozen=True)
class BuildResult:
    """What one build wrote."""

    workbook: Path
    out_dir: Path
    files: tuple[Path, ...]
    warnings: tuple[Problem, ...]


def build(
    workbook: Path,
    out_root: Path,
    *,
    draws: int | None = None,
    seed: int | None = None,
    only: frozenset[str] | None = None,
    progress: Callable[[float, float, str], None] | None = None,
) -> BuildResult:
    """Validate, project and render ``workbook`` into ``out_root/<stem>/`` atomically."""
    raise NotImplementedError
