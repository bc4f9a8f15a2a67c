"""policybrief: from an Excel workbook of policy levers to a projection, a deck and a brief."""

from __future__ import annotations

from policybrief.errors import InputError, PolicyBriefError, Problem

__version__ = "0.1.0"

__all__ = ["InputError", "PolicyBriefError", "Problem", "__version__"]
