"""Input side: read and validate a workbook into typed inputs; write new workbooks."""

from __future__ import annotations

from policybrief.workbook.reader import read_workbook
from policybrief.workbook.types import Inputs
from policybrief.workbook.writer import write_workbook

__all__ = ["Inputs", "read_workbook", "write_workbook"]
