"""Workbooks at the edges of what the deck must stay legible for (PRODUCT.md, "Deck").

2, 7 and 12 scenarios; 1, 11 and 25 levers; horizons of 1, 10 and 30 years; names of 60
characters; 10 targets; a baseline not called "current policy"; a headline worse than the
baseline. The cases are combined so that few decks cover them all (each LibreOffice render
costs seconds).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pptx import Presentation
from pptx.util import Inches
from tests.builders import WorkbookBuilder, _lever, valid_builder

from policybrief.report import assets

if TYPE_CHECKING:
    from pathlib import Path

#: Every generated name is padded to this many characters.
NAME_LENGTH = 60

#: Generated levers cycle through these: (channel, Low/Central/High effect, cost per unit).
CHANNELS = (
    ("productivity", (0.001, 0.002, 0.003), 4.0),
    ("emigration", (0.01, 0.02, 0.03), 6.0),
    ("absorption", (0.005, 0.01, 0.02), 3.0),
    ("inflow", (100.0, 200.0, 300.0), 1.5),
    ("realization", (0.005, 0.01, 0.02), 2.5),
)


def long_name(stem: str, length: int = NAME_LENGTH) -> str:
    """``stem`` and whole words, then a filler word (``xxx``) to exactly ``length`` characters."""
    words = ("with", "broad", "regional", "coverage", "and", "phased", "delivery")
    text = stem
    for word in words * 4:
        if len(f"{text} {word}") > length - 2:
            break
        text = f"{text} {word}"
    return f"{text} {'x' * (length - len(text) - 1)}"


def marker(kind: str, number: int) -> str:
    """A token that names one generated row everywhere it is shown (``S03``, ``L11``, ``T2``):
    whether every row made it onto the slides is a search for its token."""
    return f"{kind}{number:02d}"


@dataclass(frozen=True)
class LayoutCase:
    """One generated workbook and the slide shape its deck is rendered on."""

    name: str
    scenarios: int
    levers: int
    horizon: int
    long_names: bool = False
    baseline: str = "Business as usual"
    worse_headline: bool = False
    four_three: bool = False
    targets: int = 2

    def builder(self) -> WorkbookBuilder:
        """The workbook: ``valid_builder``'s baseline and history, generated levers,
        scenarios and targets."""
        b = valid_builder()
        b.settings.update(horizon=self.horizon, draws=500)
        b.levers = [self._lever(i) for i in range(self.levers)]
        ids = b.lever_ids()
        names = self.scenario_names()
        b.scenarios = {}
        for k, scenario in enumerate(names):
            # the baseline uses every lever a little; the others more, the headline most
            scale = 1.0 if k == 0 else 1.0 + 0.3 * k
            if self.worse_headline and k == 1:
                scale = 0.0  # the headline drops every lever the baseline uses
            b.scenarios[scenario] = dict.fromkeys(ids, scale)
        b.settings.update(baseline_scenario=names[0], headline_scenario=names[1])
        b.scenario_notes = {}
        base, final = 2025, 2025 + self.horizon
        b.targets = [
            self._target(f"Interim goal {marker('T', 1)}", 3300, base + max(1, self.horizon // 2)),
            self._target(f"Final goal {marker('T', 2)}", 3600 + 150 * self.horizon, final),
            *(
                self._target(f"Goal {marker('T', k)}", 3000 + 100 * k, final)
                for k in range(3, self.targets + 1)
            ),
        ]
        return b

    def scenario_names(self) -> list[str]:
        """Baseline first, headline second, then the others."""
        stems = [self.baseline, "Reform", *(["Option"] * (self.scenarios - 2))]
        stems = [f"{stem} {marker('S', k)}" for k, stem in enumerate(stems, 1)]
        return [long_name(s) if self.long_names else s for s in stems]

    def _lever(self, i: int) -> dict[str, object]:
        channel, effects, cost = CHANNELS[i % len(CHANNELS)]
        lever_id = f"lever_{i + 1:02d}_{channel}"
        name = f"Measure {marker('L', i + 1)} for {channel}"
        return _lever(
            lever_id,
            channel,
            effects,
            Name=long_name(name) if self.long_names else name,
            **{"Cost per unit": cost, "Max intensity": 40},
        )

    def _target(self, label: str, value: float, year: int) -> dict[str, object]:
        text = long_name(label) if self.long_names else label
        return {"Target": text, "Value": value, "Fiscal year": year, "Source": "test"}

    def template(self) -> bytes:
        """The shipped deck template, at 4:3 when the case asks for it."""
        data = assets.shipped_template(assets.DECK)
        if not self.four_three:
            return data
        prs = Presentation(io.BytesIO(data))
        ratio = Inches(10) / prs.slide_width
        prs.slide_width, prs.slide_height = Inches(10), Inches(7.5)
        # as PowerPoint does when the slide size changes: master and layout shapes follow
        for master in prs.slide_masters:
            for shape in [*master.shapes, *(s for lay in master.slide_layouts for s in lay.shapes)]:
                left, top, width, height = shape.left, shape.top, shape.width, shape.height
                if None not in (left, top, width, height):  # all four: a placeholder inherits
                    shape.left, shape.width = int(left * ratio), int(width * ratio)
                    shape.top, shape.height = top, height
        out = io.BytesIO()
        prs.save(out)
        return out.getvalue()

    def save(self, folder: Path) -> tuple[Path, Path]:
        """Write ``<name>.xlsx`` and ``templates/deck.pptx`` under ``folder``."""
        workbook = self.builder().save(folder / f"{self.name}.xlsx")
        templates = folder / f"{self.name}-templates"
        templates.mkdir(exist_ok=True)
        (templates / "deck.pptx").write_bytes(self.template())
        return workbook, templates


CASES = (
    LayoutCase("wide", scenarios=12, levers=25, horizon=30, long_names=True),
    LayoutCase("wide43", scenarios=12, levers=25, horizon=30, long_names=True, four_three=True),
    LayoutCase("middle", scenarios=7, levers=11, horizon=10, long_names=True, targets=10),
    LayoutCase("middle43", scenarios=7, levers=11, horizon=10, four_three=True),
    LayoutCase(
        "small", scenarios=2, levers=1, horizon=1, baseline="Status quo", worse_headline=True
    ),
)
