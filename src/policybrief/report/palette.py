"""The one colour palette of every chart: the deck's native charts and the brief's PNGs.

Colour-blind safe: the series and role colours are the Okabe–Ito palette (Okabe and Ito,
"Color Universal Design", 2008), told apart by people with any common colour-vision
deficiency; the greys and the band's tint differ from them in lightness. The same chart uses
the same colour for the same thing in the deck and in the brief: ``scenario_colours`` gives
each scenario its colour once for both.

Colours are ``RRGGBB`` hex text, as python-pptx takes them; ``css`` adds the ``#`` matplotlib
expects. This module imports neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policybrief.model.results import Results

__all__ = [
    "AXIS",
    "BAND",
    "BASELINE",
    "FLAG",
    "FRONTIER",
    "GAIN",
    "GRID",
    "HEADING",
    "HEADLINE",
    "HISTORY",
    "INK",
    "INPUT_HIGH",
    "INPUT_LOW",
    "LOSS",
    "MUTED",
    "OKABE_ITO",
    "OTHERS",
    "STRIPE",
    "TARGET",
    "TARGET_MARKERS",
    "TEXT",
    "TOTAL",
    "WHITE",
    "css",
    "hindcast_colour",
    "results_colours",
    "scenario_colours",
]

#: The Okabe–Ito palette by name.
OKABE_ITO = {
    "black": "000000",
    "orange": "E69F00",
    "sky blue": "56B4E9",
    "bluish green": "009E73",
    "yellow": "F0E442",
    "blue": "0072B2",
    "vermillion": "D55E00",
    "reddish purple": "CC79A7",
}

# -- series ------------------------------------------------------------------------------
#: The headline scenario (thickest line) and the totals of the waterfall.
HEADLINE = OKABE_ITO["blue"]
#: The baseline scenario, drawn dashed.
BASELINE = "8C8C8C"
#: Recorded exports.
HISTORY = "404040"
#: The other scenarios, in workbook order (repeating after five). Yellow is left out: too
#: light for a line on white.
OTHERS = (
    OKABE_ITO["orange"],
    OKABE_ITO["bluish green"],
    OKABE_ITO["reddish purple"],
    OKABE_ITO["sky blue"],
    OKABE_ITO["vermillion"],
)

# -- roles -------------------------------------------------------------------------------
#: Targets, drawn as markers (one shape per target, ``TARGET_MARKERS``).
TARGET = OKABE_ITO["black"]
TARGET_MARKERS = ("diamond", "triangle", "square", "circle", "x")
#: A lever's contribution that adds to exports, and one that takes away.
GAIN = OKABE_ITO["bluish green"]
LOSS = OKABE_ITO["vermillion"]
#: Totals of the waterfall (the baseline's and the headline's exports).
TOTAL = HEADLINE
#: The uncertainty band (P10–P90) around the headline, and the Sobol first-order index:
#: sky blue at a 50% tint, light enough to show the lines drawn over it.
BAND = "AAD9F4"
#: Exports with an input at its Low and at its High value (tornado). Not gain and loss: a low
#: emigration rate raises exports.
INPUT_LOW = OKABE_ITO["orange"]
INPUT_HIGH = OKABE_ITO["blue"]
#: The cost–exports frontier line.
FRONTIER = HISTORY

# -- ink ---------------------------------------------------------------------------------
#: Chart text (ticks, axis titles, legends), gridlines and axis lines.
INK = "374151"
GRID = "D9D9D9"
AXIS = "9CA3AF"
#: Slide text, footers and headings.
TEXT = "1F2937"
MUTED = "6B7280"
HEADING = "1B2A4A"
WHITE = "FFFFFF"
#: Table rows: every other row's fill, and a flagged row's (the flag is also said in words).
STRIPE = "F3F5F8"
FLAG = "FDECEA"


def css(colour: str) -> str:
    """``#RRGGBB`` (matplotlib) from ``RRGGBB`` (python-pptx)."""
    return f"#{colour}"


def scenario_colours(names: Sequence[str], headline: str, baseline: str) -> dict[str, str]:
    """A stable colour per scenario: headline blue, baseline grey, the others in order.

    Parameters
    ----------
    names
        Scenario names in workbook order.
    headline, baseline
        The Settings' headline and baseline scenarios.

    Returns
    -------
    dict
        Colour (``RRGGBB``) by scenario name.
    """
    colours: dict[str, str] = {}
    others = 0
    for name in names:
        if name == headline:
            colours[name] = HEADLINE
        elif name == baseline:
            colours[name] = BASELINE
        else:
            colours[name] = OTHERS[others % len(OTHERS)]
            others += 1
    return colours


def hindcast_colour(index: int) -> str:
    """The colour of the ``index``-th run of the test against history (0 = earliest start)."""
    series = (HEADLINE, *OTHERS)
    return series[index % len(series)]


def results_colours(results: Results) -> dict[str, str]:
    """``scenario_colours`` of a build: its scenarios in workbook order, with the Settings'
    headline and baseline (the deck's charts, the brief's PNGs and the Summary sheet)."""
    s = results.inputs.settings
    names = [sc.name for sc in results.scenarios]
    return scenario_colours(names, s.headline_scenario, s.baseline_scenario)
