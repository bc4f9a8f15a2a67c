"""Template lookup: --template, then templates/ beside workbooks/, then the package copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from policybrief.errors import TemplateError
from policybrief.report.assets import (
    MAX_BRIEF_BYTES,
    find_template,
    find_templates,
    shipped_template,
    template_folder,
)


def test_templates_folder_is_beside_a_workbooks_folder_in_any_case(tmp_path: Path) -> None:
    assert template_folder(tmp_path / "Workbooks" / "a.xlsx") == tmp_path / "templates"
    assert template_folder(tmp_path / "workbooks" / "sub" / ".." / "a.xlsx") == (
        tmp_path / "templates"
    )
    assert template_folder(tmp_path / "downloads" / "a.xlsx") is None


def test_templates_folder_for_a_bare_name_run_inside_workbooks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "workbooks").mkdir()
    monkeypatch.chdir(tmp_path / "workbooks")
    assert template_folder(Path("a.xlsx")) == tmp_path / "templates"
    monkeypatch.chdir(tmp_path)
    assert template_folder(Path("a.xlsx")) is None  # the working directory is never used


def test_each_file_falls_back_to_the_package_copy(tmp_path: Path) -> None:
    (tmp_path / "workbooks").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "brief.md.j2").write_text("mine")
    found = find_templates(tmp_path / "workbooks" / "a.xlsx", None, frozenset({"deck", "brief"}))
    assert found["brief"].origin == "workbooks"
    assert found["brief"].text == "mine"
    assert found["deck"].origin == "shipped"
    assert found["deck"].data == shipped_template("deck.pptx")
    assert found["deck"].provenance()["from"] == "shipped with policybrief"


def test_only_the_templates_the_outputs_need_are_looked_up(tmp_path: Path) -> None:
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "brief.md.j2").write_text("only a brief")
    found = find_templates(tmp_path / "a.xlsx", tmp_path / "brand", frozenset({"brief"}))
    assert list(found) == ["brief"]
    assert find_templates(tmp_path / "a.xlsx", tmp_path / "brand", frozenset({"results"})) == {}


@pytest.mark.parametrize(
    ("setup", "expect"),
    [
        (lambda d: (d / "brief.md.j2").mkdir(), "is a folder, not a template file"),
        (lambda d: (d / "brief.md.j2").write_bytes(b"x" * (MAX_BRIEF_BYTES + 1)), "larger than"),
        (lambda d: (d / "brief.md.j2").write_bytes(b"\xff\xfe"), r"not UTF-8 text \(byte 0\)"),
    ],
)
def test_a_bad_brief_file_in_the_template_folder_is_a_template_error(
    tmp_path: Path, setup, expect: str
) -> None:
    setup(tmp_path)
    with pytest.raises(TemplateError, match=expect):
        find_template("brief.md.j2", tmp_path / "a.xlsx", tmp_path)


def test_a_missing_template_folder_is_an_error_even_when_no_template_is_needed(
    tmp_path: Path,
) -> None:
    with pytest.raises(TemplateError, match="no such folder"):
        find_templates(tmp_path / "a.xlsx", tmp_path / "nope", frozenset({"results"}))
