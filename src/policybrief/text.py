"""What text from outside (file names, workbook cells) may become when printed to a terminal.

Control characters (C0 including newline and ESC, DEL, C1), Unicode bidirectional overrides
and lone surrogates (a file name that is not valid UTF-8) are shown as visible escapes, so a
name or a cell can neither forge a line of output nor move the cursor; long text is shortened.
"""

from __future__ import annotations

import re

__all__ = ["shown"]

#: Longest text shown in a message before it is shortened with an ellipsis.
MAX_SHOWN = 200

_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` made safe to print on one terminal line.

    Parameters
    ----------
    text
        Any string (a path, a cell's text).
    limit
        Characters kept before an ellipsis.

    Returns
    -------
    str
        ``text`` with every unsafe character as a visible escape (``\\x1b``, ``\\u202e``).
    """
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _UNSAFE.sub(_escape, text)
