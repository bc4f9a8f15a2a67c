"""One direction of flow: domain <- workbook, domain <- model <- report <- build <- cli; inside
the report, story <- deck, brief, workbook (each renderer alone).

Read from the source with ``ast`` (every import, including those inside functions and under
``TYPE_CHECKING``), so a new module that reaches the wrong way fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "policybrief"

#: The modules that word the story's sentences; renderers read them through ``Story``.
WORDING = tuple(
    f"policybrief.report.story.{m}"
    for m in ("messages", "findings", "method", "glossary", "assurance", "changes")
)

#: What each layer may not import.
FORBIDDEN = {
    "domain": ("policybrief.workbook", "policybrief.model", "policybrief.report"),
    "workbook": ("policybrief.model", "policybrief.report", "policybrief.build"),
    "model": ("policybrief.workbook", "policybrief.report", "policybrief.build"),
    "report": ("policybrief.build", "policybrief.cli"),
    # Inside the report: the story words and numbers; the renderers lay them out, each alone.
    "report/story": (
        "policybrief.report.deck",
        "policybrief.report.brief",
        "policybrief.report.workbook",
        "pptx",
        "matplotlib",
        "xlsxwriter",
    ),
    # The renderers read the story's sentences from ``Story``, never from the modules that word
    # them, so the deck and the brief cannot word one finding two ways.
    "report/deck": (
        "policybrief.report.brief",
        "policybrief.report.workbook",
        "matplotlib",
        *WORDING,
    ),
    "report/brief": ("policybrief.report.deck", "policybrief.report.workbook", "pptx", *WORDING),
    "report/workbook": ("policybrief.report.deck", "policybrief.report.brief", "pptx"),
    # A chart's drawings may use the deck's and the brief's kits (inside the functions: the
    # registry itself imports no renderer, ``test_chart_registry``); never the results workbook.
    "report/charts": ("policybrief.report.workbook",),
}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            # ``from package import module`` imports ``package.module``
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _modules(layer: str) -> list[Path]:
    if layer == "domain":
        return [SRC / "domain.py"]
    return sorted((SRC / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_layer_imports_against_the_flow(layer: str) -> None:
    wrong = [
        f"{path.relative_to(SRC)} imports {name}"
        for path in _modules(layer)
        for name in sorted(_imports(path))
        if name.startswith(FORBIDDEN[layer])
    ]
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_a_wrong_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from policybrief.report import deck\n", encoding="utf-8")
    assert "policybrief.report" in _imports(bad)


def test_the_check_sees_a_module_imported_from_its_package(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from policybrief.report.story import labels, messages\n", encoding="utf-8")
    found = _imports(bad)
    assert "policybrief.report.story.messages" in found
    assert any(name.startswith(WORDING) for name in found)


def test_the_deck_slides_word_nothing_themselves() -> None:
    """The deck's slide modules lay out what the ``Story`` says: they import no labels,
    formatting or wording, only the story, the rows of its tables and the attribution lookup."""
    allowed = {
        "policybrief.report.story",
        "policybrief.report.story.story",
        "policybrief.report.story.story.Story",
        "policybrief.report.story.tables",
        "policybrief.report.story.tables.table_rows",
        "policybrief.report.story.titles",
        "policybrief.report.story.titles.headline_attribution",
    }
    for name in ("slides.py", "appendix.py"):
        path = SRC / "report" / "deck" / name
        story = {m for m in _imports(path) if m.startswith("policybrief.report.story")}
        assert story <= allowed, f"{name} imports {sorted(story - allowed)}"
