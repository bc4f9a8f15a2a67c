"""Check a deck rendered to PDF for text that is off its page, overlapping or cut (``render``).

The words of a slide are read back from the PDF LibreOffice writes (pdfplumber's characters).
Characters are joined into *runs*: consecutive characters of the content stream that sit one
after the other on the same baseline, in any direction (a chart's category labels may be
turned 45 or 90 degrees). Each run is an oriented rectangle; its core (the middle of the line
height, minus half a point at each end) is what must not meet another run's core. Lines of one
paragraph, cells of one table row and neighbouring words never meet that way; a text box
running into the footer, two tick labels drawn over each other or a waterfall label under its
neighbour do.

``Defect`` says what is wrong and where (page, text); ``check_pdf`` lists them all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pdfplumber

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

Point = tuple[float, float]

#: Share of the line height, from the bottom of a character's box, that is its core.
CORE = (0.2, 0.8)
#: Points trimmed from each end of a run's core (neighbouring runs may touch).
END_TRIM = 0.5
#: Points a character may stick out of the page before it counts as outside.
PAGE_SLACK = 0.5
ELLIPSIS = "…"


@dataclass(frozen=True)
class Run:
    """A line of text in one direction: origin, unit direction, length and height (PDF points,
    y upwards)."""

    text: str
    origin: Point
    direction: Point
    length: float
    height: float

    def core(self) -> list[Point]:
        """The four corners of the run's core."""
        ux, uy = self.direction
        vx, vy = -uy, ux
        ox, oy = self.origin
        t0, t1 = END_TRIM, max(END_TRIM, self.length - END_TRIM)
        h0, h1 = CORE[0] * self.height, CORE[1] * self.height
        return [
            (ox + ux * t + vx * h, oy + uy * t + vy * h)
            for t, h in ((t0, h0), (t1, h0), (t1, h1), (t0, h1))
        ]


@dataclass(frozen=True)
class Defect:
    """One legibility defect on a page (1-based)."""

    page: int
    kind: str  #: ``outside``, ``overlap`` or ``cut``
    text: str

    def __str__(self) -> str:
        return f"page {self.page}: {self.kind}: {self.text}"


def _char_geometry(char: dict[str, Any]) -> tuple[Point, Point, float, float]:
    """Origin, unit direction, advance and height of a character from its matrix and box."""
    a, b, c, d, e, f = (float(x) for x in char["matrix"])
    scale = math.hypot(a, b) or 1.0
    adv = float(char["adv"])
    width, height = float(char["x1"] - char["x0"]), float(char["bottom"] - char["top"])
    # the box is the matrix applied to [0, adv] x [0, size]: solve for size
    if abs(c) > abs(d):
        size = (width - abs(a) * adv) / abs(c)
    else:
        size = (height - abs(b) * adv) / abs(d) if d else height
    return (e, f), (a / scale, b / scale), adv * scale, max(size, 0.0) * math.hypot(c, d)


def runs(chars: Iterable[dict[str, Any]]) -> list[Run]:
    """Join characters, in content-stream order, into runs along one baseline."""
    out: list[Run] = []
    current: dict[str, Any] | None = None
    for char in chars:
        origin, direction, adv, height = _char_geometry(char)
        if current is not None:
            ox, oy = current["origin"]
            ux, uy = current["direction"]
            along = (origin[0] - ox) * ux + (origin[1] - oy) * uy
            across = -(origin[0] - ox) * uy + (origin[1] - oy) * ux
            same_way = abs(direction[0] - ux) + abs(direction[1] - uy) < 0.02
            tol = 0.35 * max(height, current["height"], 1.0)
            if same_way and abs(across) < tol and -tol < along - current["length"] < tol:
                current["text"] += char["text"]
                current["length"] = along + adv
                current["height"] = max(current["height"], height)
                continue
            out.append(Run(**current))
        current = {
            "text": char["text"],
            "origin": origin,
            "direction": direction,
            "length": adv,
            "height": height,
        }
    if current is not None:
        out.append(Run(**current))
    return [r for r in out if r.text.strip()]


def _separated(p: Sequence[Point], q: Sequence[Point]) -> bool:
    """True when an edge normal of either convex polygon separates them (SAT)."""
    for poly in (p, q):
        for i in range(len(poly)):
            x1, y1 = poly[i]
            x2, y2 = poly[(i + 1) % len(poly)]
            nx, ny = y1 - y2, x2 - x1
            a = [nx * x + ny * y for x, y in p]
            b = [nx * x + ny * y for x, y in q]
            if max(a) <= min(b) or max(b) <= min(a):
                return True
    return False


def overlapping(page_runs: Sequence[Run]) -> list[tuple[Run, Run]]:
    """Pairs of runs whose cores meet."""
    cores = [r.core() for r in page_runs]
    boxes = [
        (min(x for x, _ in c), min(y for _, y in c), max(x for x, _ in c), max(y for _, y in c))
        for c in cores
    ]
    order = sorted(range(len(cores)), key=lambda i: boxes[i][0])
    pairs = []
    for n, i in enumerate(order):
        for j in order[n + 1 :]:
            if boxes[j][0] >= boxes[i][2]:
                break
            if boxes[j][1] >= boxes[i][3] or boxes[i][1] >= boxes[j][3]:
                continue
            if not _separated(cores[i], cores[j]):
                pairs.append((page_runs[i], page_runs[j]))
    return pairs


def page_defects(page: Any, number: int) -> list[Defect]:
    """Text outside the page, overlapping runs and words cut with an ellipsis on one page."""
    defects = []
    chars = [c for c in page.chars if c["text"].strip()]
    outside = [
        c
        for c in chars
        if c["x0"] < -PAGE_SLACK
        or c["top"] < -PAGE_SLACK
        or c["x1"] > page.width + PAGE_SLACK
        or c["bottom"] > page.height + PAGE_SLACK
    ]
    if outside:
        defects.append(Defect(number, "outside", "".join(c["text"] for c in outside)[:80]))
    page_runs = runs(page.chars)
    defects += [
        Defect(number, "overlap", f"{a.text.strip()!r} / {b.text.strip()!r}")
        for a, b in overlapping(page_runs)
    ]
    defects += [Defect(number, "cut", r.text.strip()) for r in page_runs if ELLIPSIS in r.text]
    return defects


def check_pdf(path: Path) -> list[Defect]:
    """Every defect on every page of the PDF at ``path``."""
    with pdfplumber.open(path) as pdf:
        return [d for i, page in enumerate(pdf.pages, 1) for d in page_defects(page, i)]


def page_texts(path: Path) -> list[str]:
    """Each page's words, in reading order, joined by single spaces."""
    with pdfplumber.open(path) as pdf:
        return [" ".join(w["text"] for w in page.extract_words()) for page in pdf.pages]
