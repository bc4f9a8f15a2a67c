"""What every brief figure shares: size, fonts, margins, axes formats, label wrapping and the
reproducible PNG encoder.

Bytes are reproducible: a fixed size and dpi, the bundled DejaVu font, and no
``Software``/timestamp entries in the PNG metadata. matplotlib is imported inside the
functions (see the package docstring).
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING, Any

from policybrief.report import palette
from policybrief.report.palette import AXIS, GRID, INK, css
from policybrief.report.story.formatting import money

if TYPE_CHECKING:
    from collections.abc import Callable

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from policybrief.model.results import Results

DPI = 100
SIZE = (8.0, 4.5)
RC: dict[Any, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "text.color": css(INK),
    "axes.labelcolor": css(INK),
    "axes.edgecolor": css(AXIS),
    "xtick.color": css(INK),
    "ytick.color": css(INK),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "policybrief",
}

#: Fixed margins (left, bottom, right, top) per chart: a layout engine would triple draw time.
_MARGINS = {
    "tornado": (0.33, 0.09, 0.97, 0.90),
    "sobol": (0.33, 0.09, 0.97, 0.90),
    "frontier": (0.10, 0.13, 0.97, 0.90),
    "waterfall": (0.10, 0.30, 0.98, 0.90),
}
_DEFAULT_MARGINS = (0.10, 0.09, 0.98, 0.90)


def new_figure(name: str) -> tuple[Figure, Axes]:
    """A blank figure of the brief's size with one axes, laid out for chart ``name``."""
    from matplotlib.figure import Figure  # noqa: PLC0415 - see the package docstring

    fig = Figure(figsize=SIZE, dpi=DPI)
    left, bottom, right, top = _MARGINS.get(name, _DEFAULT_MARGINS)
    fig.subplots_adjust(left=left, bottom=bottom, right=right, top=top)
    ax = fig.add_subplot()
    ax.grid(axis="y", color=css(GRID), linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def value_grid(ax: Axes) -> None:
    """Gridlines across the x axis only (for horizontal bars)."""
    ax.grid(axis="x", color=css(GRID), linewidth=0.6)
    ax.grid(axis="y", visible=False)


def scenario_colours(results: Results) -> dict[str, str]:
    """Each scenario's colour (``#RRGGBB``), the same as in the deck's charts."""
    return {name: css(colour) for name, colour in palette.results_colours(results).items()}


#: matplotlib's names of ``palette.TARGET_MARKERS``.
TARGET_MARKERS = tuple(
    {"diamond": "D", "triangle": "^", "square": "s", "circle": "o", "x": "x"}[shape]
    for shape in palette.TARGET_MARKERS
)


def money_axis(ax: Axes, unit: str, axis: str = "y") -> None:
    """Tick labels in money (``$1.2bn``) on the y (or x) axis."""
    from matplotlib.ticker import FuncFormatter  # noqa: PLC0415 - see the package docstring

    fmt = FuncFormatter(lambda v, _pos: money(v, unit))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def year_axis(ax: Axes, years: list[int], label: Callable[[int], str]) -> None:
    """Fiscal-year tick labels (``FY26``, or ``2026`` for calendar years), at most about twelve
    of them; ``label`` is ``Settings.year_label``."""
    step = max(1, len(years) // 12)
    ticks = years[::step]
    ax.set_xticks(ticks, [label(y) for y in ticks])


def wrap(text: str, width: int = 14) -> str:
    """``text`` on lines of about ``width`` characters, broken between words only: a word
    longer than ``width`` keeps its own line whole, and no word is ever dropped."""
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines) or text


def encode_png(rgba: bytes, width: int, height: int) -> bytes:
    """Encode an RGBA buffer as ``savefig`` does (same chunks, no ``Software`` text).

    Fastest zlib level: the same pixels as the default level, files ~5% larger, ~6 ms less
    per chart.
    """
    from PIL import Image  # noqa: PLC0415 - see the package docstring
    from PIL.PngImagePlugin import PngInfo  # noqa: PLC0415

    image = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.save(buffer, format="png", pnginfo=PngInfo(), dpi=(DPI, DPI), compress_level=1)
    return buffer.getvalue()
