"""The package's one exception hierarchy and the ``Problem`` record for input errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Iterable

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in an input workbook.

    Parameters
    ----------
    sheet
        Sheet name as the analyst sees it (``Baseline``); empty for file-level problems.
    cell
        A1 reference (``E7``), a range or column letter, or empty when no cell applies.
    message
        What is wrong, in the analyst's words.
    hint
        How to fix it (optional).
    severity
        ``"error"`` stops the build; ``"warning"`` is reported and the build goes on.
    """

    sheet: str
    cell: str
    message: str
    hint: str = ""
    severity: Severity = "error"

    @property
    def location(self) -> str:
        """``Sheet!A1``, ``Sheet`` or an empty string."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or self.cell

    def format(self, source: str = "") -> str:
        """Render like a compiler message: ``file.xlsx: Baseline!E7: message (hint)``."""
        parts = [p for p in (source, self.location) if p]
        prefix = "".join(f"{p}: " for p in parts)
        label = "warning: " if self.severity == "warning" else ""
        text = f"{prefix}{label}{self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text

    def __str__(self) -> str:
        return self.format()


class PolicyBriefError(Exception):
    """Base class of every error policybrief raises on purpose."""


class InputError(PolicyBriefError):
    """The input workbook cannot be used; carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem], source: str = "") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        super().__init__("\n".join(p.format(source) for p in self.errors) or "invalid input")

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Problems of severity ``error``."""
        return tuple(p for p in self.problems if p.severity == "error")


class TemplateError(PolicyBriefError):
    """A deck or brief template is missing something the report needs (e.g. a named layout)."""
