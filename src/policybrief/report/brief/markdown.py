"""Markdown escaping for the brief: workbook text escaped in full, the code's own words kept.

``md_escape`` makes any text from the workbook (a name, a note, a source) render literally.
``md_text`` is for sentences the code writes around such text (key messages, findings, the
method): the workbook's strings inside the sentence are escaped with ``md_escape``, while the
code's own phrases keep their characters, so "below 0.03%" or "<0.6%" is not turned into
``&lt;0.6%`` in the raw Markdown. The code's phrases still get the escaping that is free for
them (Markdown punctuation, a ``<`` that could open an HTML tag), so a workbook string the code
has reshaped (lower-cased, shortened with "…") and that no longer matches exactly stays inert.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["md_escape", "md_text", "workbook_strings"]

#: Characters with a meaning in (GitHub-flavoured) Markdown anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]#|~])")
#: A line start that would begin a list, a quote, a heading underline or a formula when pasted.
_LEADING = re.compile(r"^(\s*)([=+\-@>])")
_ORDERED = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")
#: An ``&`` that a Markdown renderer would read as the start of a character reference.
_ENTITY = re.compile(r"&(?=#?\w+;)")
#: A ``<`` that could open HTML (a tag, a closing tag, a comment or declaration) or an autolink.
_TAG = re.compile(r"<(?=[A-Za-z/!?])")


def _line_start(text: str) -> str:
    return _ORDERED.sub(r"\1\\\2", _LEADING.sub(r"\1\\\2", text))


_SPACE = re.compile(r"\s+")


def _inline(text: str) -> str:
    """Workbook text for the middle of a line: entities, ``<``/``>`` and punctuation escaped."""
    text = _SPACE.sub(" ", text)
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return _INLINE.sub(r"\\\1", text)


def _code(text: str) -> str:
    """The code's own words: only what could still become markup is escaped."""
    text = _SPACE.sub(" ", text)
    text = _TAG.sub("&lt;", _ENTITY.sub("&amp;", text))
    return _INLINE.sub(r"\\\1", text)


def md_escape(value: object) -> str:
    """Escape text from the workbook so it renders literally in Markdown (and in table cells).

    Newlines and tabs become spaces (a table row must stay on one line); ``<`` and ``>`` become
    HTML entities, so ``<script>`` comes out inert as ``&lt;script&gt;``; ``&`` becomes ``&amp;``
    only where it could start an entity (``&lt;``, ``&#60;``), so "IT & ITeS" stays readable; Markdown
    punctuation (``\\ ` * _ [ ] # | ~``) is backslash-escaped; a leading ``= + - @ >`` or
    ``1.`` is escaped so it cannot start a list or a quote or read as a formula.

    Parameters
    ----------
    value
        Any value; ``None`` gives an empty string.

    Returns
    -------
    str
        Markdown-safe text.
    """
    if value is None:
        return ""
    return _line_start(_inline(str(value).strip()))


def md_text(value: object, workbook: Iterable[str] = ()) -> str:
    """Escape a sentence the code wrote: each of the ``workbook`` strings in it with
    ``md_escape``, the rest only where it could become markup (see the module docstring).

    Parameters
    ----------
    value
        The sentence; ``None`` gives an empty string.
    workbook
        The workbook's strings that sentences may quote (``workbook_strings``).

    Returns
    -------
    str
        Markdown-safe text in which the code's "<0.6%" stays "<0.6%".
    """
    if value is None:
        return ""
    text = " ".join(str(value).split())
    names = sorted({w for w in (" ".join(x.split()) for x in workbook) if w}, key=len, reverse=True)
    if not names:
        return _line_start(_code(text))
    pattern = re.compile("|".join(re.escape(n) for n in names))
    out, at = [], 0
    for match in pattern.finditer(text):
        out.append(_code(text[at : match.start()]))
        out.append(_inline(match.group()))
        at = match.end()
    out.append(_code(text[at:]))
    return _line_start("".join(out))


def workbook_strings(value: object) -> tuple[str, ...]:
    """Every text value inside ``value`` (the workbook's ``Inputs``: names, labels, notes,
    sources), walking dataclasses, tuples, lists and dicts; for ``md_text``. A target label's
    short name (before its colon) is added, as sentences use it."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if item.strip():
                found.append(item)
                if ":" in item:
                    found.append(item.split(":", 1)[0].strip())
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (tuple, list)):
            stack.extend(item)
    return tuple(dict.fromkeys(found))
