"""The wording rules every output follows, in one place (deck, brief, charts' alt text).

- **Chances** in a sentence come with a calibrated word and the number, on one scale stated on
  the method slide (``LIKELIHOOD_SCALE``, after the IPCC's): "unlikely (18%)"; a table cell
  under a "Chance" header shows the number only (``share_text``).
- **No draw** meeting a target is never "0%": it is ``no draw of 10,000 (below 0.03%)`` in a
  sentence (the 95% upper bound 3/n, MODEL.md) and ``<0.03%`` in a table cell; every draw is
  ``every draw of 10,000 (above 99.97%)`` / ``>99.97%``.
- **Out of reach** is said only of a target that even the most favourable corner of the
  workbook's ranges misses: ``out of reach within the workbook's ranges`` in a sentence and
  ``out of reach`` in a table cell. A target that some draws could meet but the required chance
  cannot be had is "cannot be given a 50% chance", never "out of reach".
- **Head counts** to three significant figures: ``1.32 million``, ``612,000``.
- **One and many**: ``1 more scenario``, ``2 more scenarios``.
- **One year or cumulative**: sums over the horizon say "in total over FY26–FY35"; a single
  year names its year ("in FY35").
"""

from __future__ import annotations

import math
import re

from policybrief.report.story.formatting import number, pct

__all__ = [
    "LIKELIHOOD_SCALE",
    "OUT_OF_REACH",
    "OUT_OF_REACH_SHORT",
    "a_or_an",
    "bound",
    "calibrated",
    "likelihood",
    "people",
    "plural",
    "scale_sentence",
    "share_text",
    "total_over",
]

#: The one probability scale (after the IPCC's calibrated language, AR5/AR6 guidance notes):
#: each word with the lowest whole percentage it covers, the ranges made not to overlap.
LIKELIHOOD_SCALE: tuple[tuple[int, str], ...] = (
    (99, "virtually certain"),
    (90, "very likely"),
    (66, "likely"),
    (34, "about as likely as not"),
    (11, "unlikely"),
    (2, "very unlikely"),
    (0, "exceptionally unlikely"),
)

OUT_OF_REACH = "out of reach within the workbook's ranges"
OUT_OF_REACH_SHORT = "out of reach"


def scale_sentence() -> str:
    """The scale as the method slide states it, built from ``LIKELIHOOD_SCALE``."""
    parts = []
    top = 100
    for low, word in LIKELIHOOD_SCALE:
        parts.append(f"{word} {low}–{top}%")
        top = low - 1 if low else 0
    return (
        "Chances are worded on one scale (after the IPCC's calibrated language), judged on the "
        "chance rounded to a whole percent, so the bands do not overlap: " + ", ".join(parts) + "."
    )


def bound(share: float) -> str:
    """A share near 0 or 1 as a percentage with two significant figures of its distance from
    the edge: ``0.03%``, ``3%``, ``99.97%``."""
    if share > 0.5:
        return f"{100 - float(f'{(1 - share) * 100:.2g}'):g}%"
    return f"{share * 100:.2g}%"


def share_text(probability: float, draws: int | None = None) -> str:
    """A probability as a number only (table cells): ``35%``, ``<1%``, ``>99%``, ``<0.03%``.

    Never a bare 0% or 100%: 0 of ``draws`` is below 3/n (the 95% upper bound), all of them
    above 1 − 3/n; without ``draws`` the bound is 1%.
    """
    if not math.isfinite(probability):
        return "n/a"
    if probability <= 0:
        return f"<{bound(min(1.0, 3 / draws))}" if draws else "<1%"
    if probability >= 1:
        return f">{bound(max(0.0, 1 - 3 / draws))}" if draws else ">99%"
    shown = pct(probability)  # whole percent, half to even: 0.5% would read "0%"
    if shown == "0%":
        return "<1%"
    if shown == "100%":
        return ">99%"
    return shown


def likelihood(probability: float) -> str:
    """The calibrated word for a probability, judged on the whole percentage shown."""
    shown = 100 * probability
    if 0 < shown < 1:
        return LIKELIHOOD_SCALE[-1][1]
    shown = min(100.0, max(0.0, round(shown)))
    return next(word for low, word in LIKELIHOOD_SCALE if shown >= low)


def calibrated(probability: float, draws: int | None = None) -> str:
    """A chance in a sentence: the word and the number, ``unlikely (18%)``.

    No draw of ``draws`` is ``exceptionally unlikely (no draw of 500; below 0.6%)`` (the word
    of the bound), every draw ``virtually certain (every draw of 500; above 99.4%)``.
    """
    if not math.isfinite(probability):
        return "n/a"
    if draws and probability <= 0:
        edge = min(1.0, 3 / draws)
        return f"{likelihood(edge)} (no draw of {draws:,}; below {bound(edge)})"
    if draws and probability >= 1:
        edge = max(0.0, 1 - 3 / draws)
        return f"{likelihood(edge)} (every draw of {draws:,}; above {bound(edge)})"
    return f"{likelihood(probability)} ({share_text(probability, draws)})"


#: Numbers read aloud with a vowel first: 8, 11, 18, 80–89, 8,000, 11.5… ("an 80% chance"),
#: not 110 or 1,100 ("a hundred and ten").
_VOWEL_NUMBER = re.compile(r"(?:8|11|18)(?!\d)|8\d")


def a_or_an(phrase: str) -> str:
    """``phrase`` with its indefinite article: ``a 50% chance``, ``an 80% chance``."""
    vowel = _VOWEL_NUMBER.match(phrase) or phrase[:1].lower() in "aeio"
    return f"{'an' if vowel else 'a'} {phrase}"


def people(count: float) -> str:
    """A head count to the precision a projection supports: ``1.48 million``, ``612,000``."""
    if not math.isfinite(count):
        return "n/a"
    if abs(count) >= 1e6:
        return f"{count / 1e6:.3g} million"
    if abs(count) >= 1000:
        return f"{float(f'{count:.3g}'):,.0f}"
    return number(count)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 scenario``, ``2 scenarios``, ``1,200 draws``; ``many`` for irregular plurals."""
    word = noun if count == 1 else (many or f"{noun}s")
    return f"{count:,} {word}"


def total_over(span: str) -> str:
    """How a sum over years is said: ``in total over FY26–FY35``."""
    return f"in total over {span}"
