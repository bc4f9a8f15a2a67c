"""Which templates a build uses, and hostile or broken templates, through the command line.

``deck.pptx`` and ``brief.md.j2`` come from ``--template DIR``, else from ``templates/`` beside
the ``workbooks/`` folder holding the workbook, else the package; never from the folder the
command runs in. A broken or hostile template (syntax error, undefined variable, endless loops,
zip bomb, links to outside files, not a presentation, missing layouts) exits 2 with a message
naming the template file, writes nothing, and never shows a traceback.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from tests.builders import valid_builder

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_DECK = (ROOT / "src" / "policybrief" / "templates" / "deck.pptx").read_bytes()


def _cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policybrief", "build", *map(str, args), "--draws", "200"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={**os.environ, "CI": "1", "MPLBACKEND": "Agg"},
        check=False,
    )


def _deck(edit: Callable[[object], None] | None = None) -> bytes:
    prs = Presentation()
    if edit is not None:
        edit(prs)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, body in members.items():
            dst.writestr(name, body)
    return out.getvalue()


def _with_member(data: bytes, name: str, body: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(name, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _external_links(prs) -> None:
    prs.slide_masters[0].part.relate_to("http://evil.example/t.png", RT.IMAGE, is_external=True)
    prs.slide_layouts[0].part.relate_to("http://evil.example/", RT.HYPERLINK, is_external=True)


def _sample_slide_link(prs) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.part.relate_to("http://sample.example/", RT.HYPERLINK, is_external=True)


def _drop_layouts(prs) -> None:
    for name in ("Title Only", "Title Slide"):
        prs.slide_layouts.remove(next(lay for lay in prs.slide_layouts if lay.name == name))


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return valid_builder().save(tmp_path / "a.xlsx")


def test_a_templates_folder_where_the_command_runs_is_ignored(
    workbook: Path, tmp_path: Path
) -> None:
    run = tmp_path / "downloads"
    (run / "templates").mkdir(parents=True)
    (run / "templates" / "brief.md.j2").write_text("HIJACKED {{ title }}\n")
    (run / "templates" / "deck.pptx").write_bytes(b"not a deck")

    proc = _cli(workbook, "--out", tmp_path / "out", cwd=run)

    assert proc.returncode == 0, proc.stderr
    assert "deck template: the copy shipped with policybrief" in proc.stdout
    assert "brief template: the copy shipped with policybrief" in proc.stdout
    assert "HIJACKED" not in (tmp_path / "out" / "a" / "a.md").read_text()


def test_templates_beside_the_workbooks_folder_are_used_and_recorded(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "workbooks").mkdir(parents=True)
    (project / "templates").mkdir()
    valid_builder().save(project / "workbooks" / "a.xlsx")
    (project / "templates" / "brief.md.j2").write_text("# Ours: {{ title | md }}\n")

    # Run from inside workbooks/: the folder's name, not the working directory, decides.
    proc = _cli(
        "a.xlsx", "--out", tmp_path / "out", "--only", "brief,deck", cwd=project / "workbooks"
    )

    assert proc.returncode == 0, proc.stderr
    assert f"brief template: {project / 'templates' / 'brief.md.j2'} (beside workbooks/)" in (
        proc.stdout
    )
    assert "deck template: the copy shipped with policybrief" in proc.stdout  # no deck.pptx there
    folder = tmp_path / "out" / "a"
    assert (folder / "a.md").read_text() == "# Ours: Test brief\n"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["templates"]["brief"]["from"] == "beside workbooks/"
    assert manifest["templates"]["deck"]["from"] == "shipped with policybrief"


def test_template_option_uses_that_folder(workbook: Path, tmp_path: Path) -> None:
    mine = tmp_path / "brand"
    mine.mkdir()
    (mine / "deck.pptx").write_bytes(SHIPPED_DECK)
    (mine / "brief.md.j2").write_text("Brand {{ title | md }}\n")

    proc = _cli(workbook, "--out", tmp_path / "out", "--template", mine, cwd=tmp_path)

    assert proc.returncode == 0, proc.stderr
    assert f"deck template: {mine / 'deck.pptx'} (--template)" in proc.stdout
    assert (tmp_path / "out" / "a" / "a.md").read_text() == "Brand Test brief\n"


def test_a_sample_slide_link_goes_with_the_sample_slide(workbook: Path, tmp_path: Path) -> None:
    mine = tmp_path / "brand"
    mine.mkdir()
    (mine / "deck.pptx").write_bytes(_deck(_sample_slide_link))

    proc = _cli(
        workbook, "--out", tmp_path / "out", "--template", mine, "--only", "deck", cwd=tmp_path
    )

    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(tmp_path / "out" / "a" / "a.pptx") as deck:
        rels = b"".join(deck.read(n) for n in deck.namelist() if n.endswith(".rels"))
    assert b'TargetMode="External"' not in rels


BROKEN: dict[str, tuple[str, bytes | None, str]] = {
    # name: (file, content (None: left out), what the message must say)
    "brief syntax error": ("brief.md.j2", b"# {{ title }\n", "brief.md.j2: line 1: unexpected '}'"),
    "brief undefined variable": (
        "brief.md.j2",
        b"# {{ title }}\n\n{{ no_such_thing }}\n",
        "brief.md.j2: line 3: 'no_such_thing' is undefined",
    ),
    "brief error in an expression": ("brief.md.j2", b"{{ 1 / 0 }}", "line 1: ZeroDivisionError"),
    "brief nested loops": (
        "brief.md.j2",
        b"{% for a in range(100000) %}\n{% for b in range(100000) %}{% endfor %}{% endfor %}",
        "line 2: stopped: more than 200,000 loop iterations and calls",
    ),
    "brief huge value": ("brief.md.j2", b"{{ 'x' * 10**10 }}", "stopped: a repetition of"),
    "brief not utf-8": ("brief.md.j2", "café".encode("cp1252"), "not UTF-8 text"),
    "brief missing": ("brief.md.j2", None, "there is no brief.md.j2 in that folder"),
    "deck missing": ("deck.pptx", None, "there is no deck.pptx in that folder"),
    "deck not a zip": ("deck.pptx", b"not a presentation", "not a zip-based Office file"),
    "deck is a word document": (
        "deck.pptx",
        _zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
        "not a PowerPoint presentation",
    ),
    "deck zip bomb": (
        "deck.pptx",
        _with_member(SHIPPED_DECK, "ppt/media/image9.png", bytes(50 * 2**20)),
        "refused as a possible zip bomb",
    ),
    "deck with entities": (
        "deck.pptx",
        _with_member(SHIPPED_DECK, "ppt/extra.xml", b'<!DOCTYPE x [<!ENTITY a "b">]><x/>'),
        "ppt/extra.xml declares XML entities",
    ),
    "deck links outside": (
        "deck.pptx",
        _deck(_external_links),
        "'http://evil.example/t.png' (image)",
    ),
    "deck lacks layouts": (
        "deck.pptx",
        _deck(_drop_layouts),
        "no layout named 'Title Slide', 'Title Only' (it has: 'Title and Content'",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=str)
def test_a_broken_or_hostile_template_exits_2_naming_it(
    case: str, workbook: Path, tmp_path: Path
) -> None:
    name, content, expect = BROKEN[case]
    mine = tmp_path / "brand"
    mine.mkdir()
    if content is not None:
        (mine / name).write_bytes(content)
    only = "brief" if name == "brief.md.j2" else "deck"
    out = tmp_path / "out"

    proc = _cli(workbook, "--out", out, "--template", mine, "--only", only, cwd=tmp_path)

    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert expect in proc.stderr, proc.stderr
    if content is not None:
        assert f"{mine / name}: " in proc.stderr
    assert not (out / "a").exists()


def test_a_missing_template_folder_exits_2(workbook: Path, tmp_path: Path) -> None:
    proc = _cli(workbook, "--out", tmp_path / "out", "--template", tmp_path / "nope", cwd=tmp_path)
    assert proc.returncode == 2
    assert f"--template {tmp_path / 'nope'}: no such folder" in proc.stderr
    assert "Traceback" not in proc.stderr
