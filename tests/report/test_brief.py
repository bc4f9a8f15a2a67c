from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from jinja2.exceptions import SecurityError, UndefinedError
from tests.factories import fake_results, make_inputs, replace_lever

from policybrief.domain import Scenario
from policybrief.errors import TemplateError
from policybrief.report.assets import find_template
from policybrief.report.brief.markdown import md_text, workbook_strings
from policybrief.report.brief.render import md_escape, render_brief, yaml_quote
from policybrief.report.context import BuildInfo
from policybrief.report.story import messages
from policybrief.report.story.formatting import money

ROOT = Path(__file__).resolve().parents[2]
INFO = BuildInfo(
    workbook_name="test.xlsx",
    workbook_sha256="ab" * 32,
    build_time=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
    version="9.9.9",
)
NASTY = "Pay | *bold* # <script>alert(1)</script> [x](y)\nsecond line"


def _nasty_inputs():
    inputs = make_inputs()
    first = inputs.levers[0].id
    inputs = replace_lever(inputs, first, name=NASTY, source="=HYPERLINK(1) | a")
    settings = dataclasses.replace(
        inputs.settings, title='Title: "quoted" # not a comment', organisation="Org | <b>x</b>"
    )
    return dataclasses.replace(inputs, settings=settings)


def _table_rows(text: str, first_cell: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(f"| {first_cell}")]


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_template_copies_are_identical() -> None:
    user = (ROOT / "templates" / "brief.md.j2").read_bytes()
    packaged = (ROOT / "src" / "policybrief" / "templates" / "brief.md.j2").read_bytes()
    assert user == packaged


def test_package_template_is_found_without_a_user_folder(tmp_path: Path) -> None:
    template = find_template("brief.md.j2", tmp_path / "a.xlsx")
    assert template.origin == "shipped"
    assert "{{ title | md }}" in template.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
        ("a | b", r"a \| b"),
        ("*a* _b_ `c` #d [e]", r"\*a\* \_b\_ \`c\` \#d \[e\]"),
        ("back\\slash", "back\\\\slash"),
        ("=SUM(A1)", r"\=SUM(A1)"),
        ("+1", r"\+1"),
        ("- item", r"\- item"),
        ("@mention", r"\@mention"),
        ("1. first", r"1\. first"),
        ("line\nbreak\tand tab", "line break and tab"),
        ("version 1.2", "version 1.2"),
        (None, ""),
    ],
)
def test_md_escape_makes_text_literal(text: str | None, expected: str) -> None:
    assert md_escape(text) == expected


def test_yaml_quote_is_a_safe_double_quoted_scalar() -> None:
    assert yaml_quote('a: "b" # c\nd') == '"a: \\"b\\" # c\\nd"'


def test_brief_has_front_matter_and_every_section() -> None:
    results = fake_results(make_inputs())
    text = render_brief(results, INFO)
    assert text.startswith("---\ntitle: ")
    front = text.split("---\n")[1]
    assert 'date: "2026-01-02"' in front
    assert "organisation: " in front
    for heading in (
        "Key messages",
        "Export outlook",
        "Uncertainty",
        "Scenario comparison",
        "Where the gain comes from",
        "What matters most",
        "Talent pipeline",
        "What it would take",
        "Fiscal return",
        "Levers",
        "Assumptions log",
        "Method and caveats",
        "Provenance",
    ):
        assert f"\n## {heading}\n" in text
    assert "ab" * 32 in text
    assert "9\\.9\\.9" in text or "9.9.9" in text


def test_brief_repeats_the_key_messages_and_numbers() -> None:
    results = fake_results(make_inputs())
    text = render_brief(results, INFO)
    for message in messages.key_messages(results):
        assert f"- {md_text(message, workbook_strings(results.inputs))}" in text
    final = float(results.headline.central["exports"][-1])
    assert money(final) in text


def test_brief_embeds_every_chart_with_alt_text_stating_a_number() -> None:
    text = render_brief(fake_results(make_inputs()), INFO)
    images = re.findall(r"!\[([^\]]*(?:\\\][^\]]*)*)\]\((charts/[a-z]+\.png)\)", text)
    names = [path for _, path in images]
    assert names == [
        "charts/outlook.png",
        "charts/fan.png",
        "charts/waterfall.png",
        "charts/frontier.png",
        "charts/sobol.png",
        "charts/backtest.png",
        "charts/tornado.png",
        "charts/workforce.png",
    ]
    for alt, _ in images:
        assert re.search(r"\d", alt), alt


def test_workbook_text_cannot_break_tables_or_inject_html() -> None:
    results = fake_results(_nasty_inputs())
    text = render_brief(results, INFO)
    body = text.split("---\n", 2)[2]  # the front matter is YAML, quoted separately
    assert "<script>" not in body
    assert "&lt;script&gt;" in body
    assert "<b>" not in body
    lever_header = _table_rows(text, "Lever | Channel")[0]
    lever_rows = _table_rows(text, "Pay")
    assert lever_rows, "the lever table has the nasty lever's row"
    for row in lever_rows:
        assert "\n" not in row
    levers_section = text.split("## Levers")[1].split("## ")[0]
    nasty_row = next(r for r in levers_section.splitlines() if r.startswith("| Pay"))
    assert _unescaped_pipes(nasty_row) == _unescaped_pipes(lever_header)


def test_front_matter_quotes_workbook_text() -> None:
    text = render_brief(fake_results(_nasty_inputs()), INFO)
    assert 'title: "Title: \\"quoted\\" # not a comment"' in text


def test_harmful_headline_and_no_targets_still_render() -> None:
    inputs = make_inputs(targets=())
    results = fake_results(
        inputs, growth={"Current policy": 0.08, "Reform": 0.02, "Stretch": 0.1}, reachable=()
    )
    text = render_brief(results, INFO)
    assert "The workbook sets no targets." in text


def test_template_is_sandboxed_and_strict() -> None:
    results = fake_results(make_inputs())
    with pytest.raises(TemplateError, match="line 1: 'no_such_variable' is undefined") as err:
        render_brief(results, INFO, template="{{ no_such_variable }}")
    assert isinstance(err.value.__cause__, UndefinedError)
    with pytest.raises(TemplateError, match=r"brief\.md\.j2: line 1: .*unsafe") as err:
        render_brief(results, INFO, template="{{ title.__class__.__mro__ }}")
    assert isinstance(err.value.__cause__, SecurityError)


def test_levers_table_lists_every_scenario_column() -> None:
    inputs = make_inputs()
    extra = Scenario("Another", {lv.id: 1.0 for lv in inputs.levers}, "added")
    inputs = dataclasses.replace(inputs, scenarios=(*inputs.scenarios, extra))
    text = render_brief(fake_results(inputs), INFO)
    header = _table_rows(text, "Lever | Channel")[0]
    assert "Another" in header
    assert _unescaped_pipes(header) == 3 + len(inputs.scenarios) + 1


def test_md_escape_keeps_ampersands_readable_but_defuses_entities() -> None:
    from policybrief.report.brief.render import md_escape

    assert md_escape("IT & ITeS") == "IT & ITeS"
    assert md_escape("&lt;b&gt;") == "&amp;lt;b&amp;gt;"


def test_headline_named_package_is_not_called_package_package() -> None:
    inputs = make_inputs(headline="Reform")
    renamed = tuple(
        dataclasses.replace(s, name="Reform package") if s.name == "Reform" else s
        for s in inputs.scenarios
    )
    settings = dataclasses.replace(inputs.settings, headline_scenario="Reform package")
    text = render_brief(
        fake_results(dataclasses.replace(inputs, scenarios=renamed, settings=settings)), INFO
    )
    assert "Reform package" in text
    assert "package package" not in text


def test_assumptions_log_shows_shares_as_percentages() -> None:
    results = fake_results(make_inputs())
    text = render_brief(results, INFO)
    share = next(p for p in results.inputs.parameters if p.unit.startswith("share"))
    row = next(
        line for line in text.splitlines() if line.startswith(f"| {md_escape(share.name)} |")
    )
    assert f"{100 * share.central:.3g}%" in row
