"""The package's one exception hierarchy and the ``Problem`` record for input errors.

Everything a workbook says reaches the terminal through ``Problem.format``, so this is the one
place that decides what workbook text may become there (``inert``): control characters are
shown as visible escapes (a newline in a cell cannot start a forged line, an escape sequence
cannot recolour or clear the terminal, a bidirectional override cannot reorder what is shown)
and long text is cut. ``collapse`` bounds how many lines one workbook can produce.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Iterable

Severity = Literal["error", "warning"]

#: Characters of workbook text shown at most in a message or a hint (a cell holds up to 32,767).
MAX_SHOWN = 500
#: Characters of a location (``Sheet!A1``) shown at most; Excel's sheet names have 31.
MAX_LOCATION = 80
#: Problems of one kind on one sheet listed one by one; the rest are counted in one line.
MAX_ALIKE = 5
#: Lines listed per severity for one workbook; the rest are counted in one closing line.
MAX_LISTED = 40

# C0 controls (newline, carriage return, tab, escape, ...), DEL, C1 controls (including NEL and
# the 8-bit CSI), the Unicode line/paragraph separators, every bidirectional control, and lone
# surrogates (a file name that is not UTF-8 arrives with them and cannot be printed).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# What makes two messages "the same kind": the text with quoted parts and numbers masked.
_VARYING = re.compile(r"'[^']*'|\"[^\"]*\"|\d[\d,.]*(?:[eE][-+]?\d+)?")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` made safe to print as part of one terminal line.

    Parameters
    ----------
    text
        Any text, e.g. a cell's value or a sheet's name.
    limit
        Characters of ``text`` kept; longer text is cut and ends with ``…``.

    Returns
    -------
    str
        The text with every control character (C0 such as newline and escape, DEL, C1), line
        and paragraph separator and bidirectional control replaced by a visible escape
        (``\\n``, ``\\x1b``, ``\\u202e``).
    """
    if len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return _UNSAFE.sub(_escape, text)


def some(items: Iterable[object], limit: int = 10) -> str:
    """``a, b, c`` or, past ``limit`` items, ``a, b, c, … (25 in all)``, for messages."""
    texts = [str(item) for item in items]
    shown = ", ".join(texts[:limit])
    return f"{shown}, … ({len(texts):,} in all)" if len(texts) > limit else shown


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
    count
        How many problems this one stands for (more than 1 for ``collapse``'s summary lines).
    """

    sheet: str
    cell: str
    message: str
    hint: str = ""
    severity: Severity = "error"
    count: int = 1

    @property
    def location(self) -> str:
        """``Sheet!A1``, ``Sheet`` or an empty string."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or self.cell

    def format(self, source: str = "") -> str:
        """Render like a compiler message: ``file.xlsx: Baseline!E7: message (hint)``.

        Every part goes through ``inert``: the result is one line however hostile the
        workbook's text (or the file's name) is.
        """
        parts = [inert(source), inert(self.location, MAX_LOCATION)]
        prefix = "".join(f"{p}: " for p in parts if p)
        label = "warning: " if self.severity == "warning" else ""
        text = f"{prefix}{label}{inert(self.message)}"
        return f"{text} (hint: {inert(self.hint)})" if self.hint else text

    def __str__(self) -> str:
        return self.format()


def _kind(problem: Problem) -> tuple[str, str, str]:
    return (problem.severity, problem.sheet, _VARYING.sub("#", problem.message))


def _alike(rest: list[Problem]) -> Problem:
    first = rest[0]
    count = sum(p.count for p in rest)
    cells = [p.cell for p in rest if p.cell]
    shown = ", ".join(cells[:8]) + (", …" if len(cells) > 8 else "")
    where = f" (at {shown})" if shown else ""
    return Problem(
        first.sheet, "", f"and {count:,} more like this{where}", "", first.severity, count
    )


def _closing(rest: list[Problem]) -> Problem:
    if len(rest) == 1:
        return rest[0]
    count = sum(p.count for p in rest)
    noun = "errors" if rest[0].severity == "error" else "warnings"
    return Problem(
        "",
        "",
        f"and {count:,} more {noun} not listed",
        "fix the ones above first",
        rest[0].severity,
        count,
    )


def collapse(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """A bounded list of ``problems`` in their order, standing for all of them.

    Problems of the same kind on the same sheet (the same message once quoted text and numbers
    are set aside) are listed ``MAX_ALIKE`` at a time and the rest counted in one line; at
    most ``MAX_LISTED`` lines of each severity are listed and the rest counted in one closing
    line. ``Problem.count`` keeps the number each line stands for. Collapsing twice changes
    nothing.

    Parameters
    ----------
    problems
        Problems in the order they were found.

    Returns
    -------
    tuple of Problem
        At most ``MAX_LISTED + 1`` lines per severity.
    """
    items = list(problems)
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, problem in enumerate(items):
        if problem.count == 1:  # a line that already summarises others is always kept
            groups.setdefault(_kind(problem), []).append(i)
    kept: set[int] = set()
    after: dict[int, Problem] = {}
    for indices in groups.values():
        kept.update(indices[:MAX_ALIKE])
        if len(indices) > MAX_ALIKE + 1:
            after[indices[MAX_ALIKE - 1]] = _alike([items[i] for i in indices[MAX_ALIKE:]])
        else:
            kept.update(indices[MAX_ALIKE:])
    lines: list[Problem] = []
    for i, problem in enumerate(items):
        if i in kept or problem.count != 1:
            lines.append(problem)
        if i in after:
            lines.append(after[i])
    listed: list[Problem] = []
    shown: dict[Severity, int] = {"error": 0, "warning": 0}
    rest: dict[Severity, list[Problem]] = {"error": [], "warning": []}
    for problem in lines:
        if shown[problem.severity] < MAX_LISTED:
            listed.append(problem)
            shown[problem.severity] += 1
        else:
            rest[problem.severity].append(problem)
    return (*listed, *(_closing(r) for r in rest.values() if r))


class PolicyBriefError(Exception):
    """Base class of every error policybrief raises on purpose."""


class InputError(PolicyBriefError):
    """The input workbook cannot be used; carries every problem found, not only the first.

    ``problems`` is bounded by ``collapse``: a hostile workbook with a million bad cells gives
    a few dozen lines, the last ones counting the rest (``error_count`` is the full count).
    """

    def __init__(self, problems: Iterable[Problem], source: str = "") -> None:
        self.problems: tuple[Problem, ...] = collapse(problems)
        self.source = source
        super().__init__("\n".join(p.format(source) for p in self.errors) or "invalid input")

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Problems of severity ``error``."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def error_count(self) -> int:
        """How many errors were found, counting those summarised in one line."""
        return sum(p.count for p in self.errors)


class TemplateError(PolicyBriefError):
    """A deck or brief template is missing something the report needs (e.g. a named layout)."""
