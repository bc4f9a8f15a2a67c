"""The output registry: every output a build can write, in the order it writes them.

``build.py`` iterates ``OUTPUTS``; ``--only`` names them by ``kind``; each says which files it
owns in a build folder (so ``--only`` keeps the others), which template it needs (looked up by
``report.assets``) and how it writes itself. Adding an output format is one writer module and
one entry here. Writers import their heavy libraries when called, so this module stays light
(the command line imports it for ``--only``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path
    from typing import Any

    from policybrief.model.results import Results
    from policybrief.report.assets import Template
    from policybrief.report.context import BuildInfo
    from policybrief.report.story.story import Story

__all__ = ["OUTPUTS", "Output", "Render", "output_kinds"]


@dataclass(frozen=True)
class Render:
    """What a writer gets: the build's story (its results and provenance with what every output
    says, worded once), where to write, its template."""

    story: Story
    folder: Path
    stem: str
    template: Template | None
    provenance: Mapping[str, Any]

    @property
    def results(self) -> Results:
        """What the engine computed."""
        return self.story.results

    @property
    def info(self) -> BuildInfo:
        """The build's provenance."""
        return self.story.info


@dataclass(frozen=True)
class Output:
    """One output: its ``--only`` name, progress label, files, template and writer.

    ``charts`` outputs also need the brief's PNG charts, which the chart worker draws in a
    second process while this one writes the rest (``report.offload``).
    """

    kind: str
    label: str
    owns: Callable[[Path, str], list[str]]  #: its files in a build folder, relative
    write: Callable[[Render], None]
    template: str | None = None  #: the template file it needs (``report.assets.NEEDS``)
    charts: bool = False


def _results(r: Render) -> None:
    from policybrief.report.offload import Job, render_files  # noqa: PLC0415

    job = Job(r.results, r.info, r.stem, frozenset({"results"}), r.provenance)
    for name, data in render_files(job).items():
        (r.folder / name).write_bytes(data)


def _brief(r: Render) -> None:
    from policybrief.report.brief.render import write_brief  # noqa: PLC0415

    assert r.template is not None
    write_brief(
        r.results,
        r.info,
        r.folder / f"{r.stem}.md",
        template=r.template.text,
        template_name=r.template.label,
        story=r.story,
    )


def _deck(r: Render) -> None:
    from policybrief.report.deck.slides import write_deck  # noqa: PLC0415 - python-pptx on demand
    from policybrief.report.reproducible import normalise_zip  # noqa: PLC0415

    assert r.template is not None
    path = r.folder / f"{r.stem}.pptx"
    write_deck(
        r.results,
        r.info,
        path,
        template=r.template.data,
        template_name=r.template.label,
        story=r.story,
    )
    normalise_zip(path, r.info.build_time)


def _charts(folder: Path) -> list[str]:
    return [f"charts/{p.name}" for p in sorted(folder.glob("charts/*.png"))]


#: Every output, in the order a build writes them.
OUTPUTS: tuple[Output, ...] = (
    Output("results", "results workbook", lambda _f, stem: [f"{stem}-results.xlsx"], _results),
    Output(
        "brief",
        "brief",
        lambda folder, stem: [f"{stem}.md", *_charts(folder)],
        _brief,
        template="brief",
        charts=True,
    ),
    Output("deck", "deck", lambda _f, stem: [f"{stem}.pptx"], _deck, template="deck"),
)


def output_kinds() -> frozenset[str]:
    """The names ``--only`` accepts."""
    return frozenset(o.kind for o in OUTPUTS)
