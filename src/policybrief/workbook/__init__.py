"""Input side: read and validate a workbook into typed inputs; write new workbooks.

``read_workbook`` and ``write_workbook`` are loaded on first use (PEP 562), so importing a
light module of this package (``safety``, ``schema``) does not load openpyxl. The typed inputs
live in ``policybrief.domain``, which the model imports without this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policybrief.domain import Inputs

if TYPE_CHECKING:
    from policybrief.workbook.reader import read_workbook
    from policybrief.workbook.writer import write_workbook

__all__ = ["Inputs", "read_workbook", "write_workbook"]


def __getattr__(name: str) -> Any:
    if name == "read_workbook":
        from policybrief.workbook.reader import read_workbook  # noqa: PLC0415

        return read_workbook
    if name == "write_workbook":
        from policybrief.workbook.writer import write_workbook  # noqa: PLC0415

        return write_workbook
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
