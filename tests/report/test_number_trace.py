"""The number-trace guard: every number in the brief's text and in the deck's text frames,
tables and speaker notes is a value of ``<stem>-results.xlsx`` at its displayed rounding.

"$4.12bn" traces when some numeric cell v (in the workbook's currency unit) has
``f"{v * unit / 1e9:.2f}" == "4.12"``; "37%" when some cell is 0.37 (a share) or 37 (a value
already in percent); "7.1×", "1.38 million", "612,000" likewise (``tests/numbertrace.py``).
Signs are not compared ("loses $2.4bn" shows the size of a negative gain). A value at a
rounding tie traces rounded either way (the workbook keeps 16 significant digits, so 110.5
may have been 110.50000000000001 when the deck showed "$111m").

Run on the Pakistan example and on generated workbooks: Testland (another country, a
baseline called "Status quo", a worse headline) and a wide one (12 scenarios, 25 levers, 30
years, calendar years: ``2035``, not ``FY35``).

Documented exceptions, blanked out before numbers are looked for:

- text the results workbook holds (names, notes, sources, the sha256), also when a table
  clips it with "…";
- fiscal years (FY31, FY2035), calendar years, the build date and time;
- percentile names (P10, P90) and slide counters such as "(2 of 2)";
- counts: of draws and the seed (Manifest), "N of M" (years in the band, growth rates inside
  it), "N more", "the N most influential", "of N assumptions", "each of N budgets", ranks in
  a ranked table;
- "95% confidence" / "95% interval", and the bound of a zero-draw chance ("below 0.6%",
  "<0.6%", ">99.97%": 3/n of the draws, MODEL.md);
- the assurance checklist's counts of the workbook's rows ("5 scenarios", "3 targets",
  "37 assumptions logged", "3 start years", "1 warning", "2 without a source");
- the probability scale's sentence on the method slide (``wording.LIKELIHOOD_SCALE``).

Every figure traces to the workbook itself: per-scenario figures to the ``Summary`` sheet's
columns (gain over the baseline, PV cost and gain, returns, the gain's make-up, emigrants, the
annual cost at full ramp), each lever's cost to ``LeverCosts``, the growth a target needs to
``Targets.required_growth``, recorded growth and the validation's band to ``History``, and the
frontier's least-cost package to ``FrontierScenarios``.

Kinds: a "$" number traces only to money (or an unclassified cell), a "%" number only to a
share (or an unclassified cell), never to a count or a year (``numbertrace.MONEY``, ``SHARE``,
``COUNT``; the ``Summary``'s columns by their ``summary_sheet.Column.kind``).

In a table row about one scenario (its first cell is the scenario's name, also as
"Reform (headline)"), every number must be a value of a workbook row about that scenario
(``numbertrace.row_scenario``): a value from another scenario's row is reported.

What the guard cannot see (measured on the Pakistan example with 300 draws): a number traces
when ANY value of its kind rounds to it, and the workbook holds ~2,200 money cells (every
scenario × year × statistic of ``Paths``, the analyses). Changed by 1–3 in its last displayed
digit, a money figure in prose still traces ~70% of the time ("$4.1bn" → "$4.2bn" passes
when any cell is 4.15–4.25bn); in a scenario's table row ~25% (67% without the per-scenario
rule). So the guard catches invented figures, figures from a wrong run or unit, wrong
rounding and values swapped between scenarios' rows, but not a small slip in a prose figure
that lands on another value the workbook holds (``test_messages.py`` and ``test_brief.py``
check some key sentences' figures against ``Results`` exactly). Restricting prose money to the
final year's values when a sentence names that year was not done: it would tie the guard to
the year labels (``FY35`` or ``2035``, being changed) and to the sentence wording.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pptx import Presentation
from tests.builders import _lever, other_country_builder, valid_builder
from tests.layout_cases import CHANNELS
from tests.numbertrace import (
    Exceptions,
    WorkbookValues,
    brief_texts,
    chart_kinds,
    deck_texts,
    numbers_in,
    row_scenario,
    untraced,
)

import policybrief.model
from policybrief.build import build
from policybrief.model.goalseek import GOAL_SEEK_DRAWS
from policybrief.report.story.formatting import unit_symbol
from policybrief.report.workbook.summary import summary_columns

if TYPE_CHECKING:
    from policybrief.model.results import Results

ROOT = Path(__file__).resolve().parents[2]
DRAWS = 300


@dataclasses.dataclass
class Built:
    folder: Path
    results: Results

    @property
    def stem(self) -> str:
        return self.folder.name

    def values(self) -> WorkbookValues:
        scale = unit_symbol(self.results.inputs.settings.currency_label)[1]
        kinds = {c.header: c.kind for c in summary_columns(self.results)}
        path = self.folder / f"{self.stem}-results.xlsx"
        return WorkbookValues.read(path, scale, kinds, chart_kinds(self.results))

    def exceptions(self) -> Exceptions:
        r = self.results
        draws = (r.draws, min(r.draws, GOAL_SEEK_DRAWS), *(c.draws_search for c in r.cheapest))
        return Exceptions(draws=draws, seed=r.seed)

    @property
    def symbol(self) -> str:
        return unit_symbol(self.results.inputs.settings.currency_label)[0]

    def problems(self, deck: Path | None = None, brief: Path | None = None) -> list[str]:
        deck = deck or self.folder / f"{self.stem}.pptx"
        brief = brief or self.folder / f"{self.stem}.md"
        texts = [*deck_texts(deck), *brief_texts(brief)]
        return untraced(texts, self.values(), self.exceptions(), self.symbol)


def _build(workbook: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> Built:
    """Build ``workbook`` with few draws, keeping the engine's ``Results`` (the Summary's
    column kinds, the exceptions' draw counts)."""
    seen: list[Results] = []
    run = policybrief.model.run

    def keep(*args: object, **kwargs: object) -> Results:
        results = run(*args, **kwargs)  # type: ignore[arg-type]
        seen.append(results)
        return results

    with monkeypatch.context() as m:
        m.setattr(policybrief.model, "run", keep)
        result = build(workbook, out, draws=DRAWS)
    return Built(result.out_dir, seen[-1])


@pytest.fixture(scope="module")
def pakistan(tmp_path_factory: pytest.TempPathFactory) -> Built:
    with pytest.MonkeyPatch.context() as mp:
        return _build(
            ROOT / "workbooks" / "pakistan_it_exports.xlsx", tmp_path_factory.mktemp("pk"), mp
        )


@pytest.fixture(scope="module")
def testland(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A generated workbook: another country, a baseline called "Status quo", a headline worse
    than the baseline, a harmful lever, 5 percentiles (P5–P95)."""
    folder = tmp_path_factory.mktemp("tl")
    path = other_country_builder().save(folder / "testland.xlsx")
    with pytest.MonkeyPatch.context() as mp:
        return _build(path, folder / "out", mp)


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A generated workbook at the wide end: 12 scenarios, 25 levers, 30 years, calendar-year
    labels (``fiscal_year_start`` 1), lever costs in half-millions (so that some annual costs sit at a rounding tie: $110.5m shown "$111m")."""
    b = valid_builder()
    b.settings.update(horizon=30, draws=DRAWS, fiscal_year_start=1)
    b.levers = [
        _lever(
            f"lever_{i + 1:02d}_{ch}", ch, effects, **{"Cost per unit": cost, "Max intensity": 40}
        )
        for i, (ch, effects, cost) in enumerate(CHANNELS[i % 5] for i in range(25))
    ]
    names = ["Business as usual", "Reform", *(f"Option {k}" for k in range(3, 13))]
    b.scenarios = {n: dict.fromkeys(b.lever_ids(), 1.0 + 0.3 * k) for k, n in enumerate(names)}
    b.settings.update(baseline_scenario=names[0], headline_scenario=names[1])
    b.scenario_notes = {}
    b.targets = [
        {"Target": "Interim goal", "Value": 3300, "Fiscal year": 2040, "Source": "test"},
        {"Target": "Final goal", "Value": 8100, "Fiscal year": 2055, "Source": "test"},
    ]
    folder = tmp_path_factory.mktemp("wide")
    path = b.save(folder / "wide.xlsx")
    with pytest.MonkeyPatch.context() as mp:
        return _build(path, folder / "out", mp)


def test_every_number_of_a_wide_generated_workbook_traces(wide: Built) -> None:
    assert len(wide.results.scenarios) == 12
    assert len(wide.results.inputs.levers) == 25
    problems = wide.problems()
    assert not problems, "\n".join(problems)


def test_a_value_at_a_rounding_tie_traces_rounded_either_way() -> None:
    """The workbook holds 16 significant digits: 110.50000000000001 is stored as 110.5, and
    the deck, rounding the float, shows "$111m"."""
    values = WorkbookValues([], 1e6)
    values.add([110.5, 0.125], "money")
    traced = [values.traces(s) for s in numbers_in("$110m $111m $0.12m $0.13m $112m $109m")]
    assert traced == [True, True, True, True, False, False]


def test_an_all_digit_short_sha256_is_not_a_number() -> None:
    """A workbook's short sha256 can be eight digits (about one build in 40): the footer's
    ``sha256 22870737`` is provenance, not a figure (it once failed a generated workbook)."""
    texts = [("slide 1", "testland.xlsx · sha256 22870737 · built 2026-12-01")]
    values = WorkbookValues([], 1e6)
    assert untraced(texts, values, Exceptions(draws=(300,), seed=7)) == []


def test_every_number_of_the_pakistan_deck_and_brief_traces(pakistan: Built) -> None:
    problems = pakistan.problems()
    assert not problems, "\n".join(problems)


def test_every_number_of_a_generated_workbook_traces(testland: Built) -> None:
    assert testland.results.inputs.settings.baseline_scenario == "Status quo"
    problems = testland.problems()
    assert not problems, "\n".join(problems)


def _untraced_replacement(values: WorkbookValues, shown_text: str, symbol: str) -> str:
    """A number in the same format as ``shown_text`` that no workbook value explains."""
    (shown,) = numbers_in(shown_text, symbol)
    step = 10.0**-shown.decimals
    num = re.search(r"\d[\d,]*(?:\.\d+)?", shown_text)
    assert num is not None
    for k in range(1, 500):
        candidate = f"{float(num.group().replace(',', '')) + k * step:,.{shown.decimals}f}"
        text = shown_text.replace(num.group(), candidate)
        (other,) = numbers_in(text, symbol)
        if not values.traces(other):
            return text
    raise AssertionError(f"every change of {shown_text} traces")  # pragma: no cover


def test_the_guard_reports_a_number_changed_by_hand_in_the_brief(
    pakistan: Built, tmp_path: Path
) -> None:
    brief = pakistan.folder / f"{pakistan.stem}.md"
    text = brief.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("- Under the Reform package"))
    shown = re.search(r"reach (\$[\d.]+bn) in", line)
    assert shown is not None
    edited = _untraced_replacement(pakistan.values(), shown.group(1), pakistan.symbol)
    changed = tmp_path / "edited.md"
    changed.write_text(text.replace(line, line.replace(shown.group(1), edited, 1)), "utf-8")
    problems = pakistan.problems(brief=changed)
    assert len(problems) == 1
    assert repr(edited) in problems[0]
    assert problems[0].startswith("brief line ")


def test_the_guard_reports_a_number_changed_by_hand_in_a_deck_table(
    pakistan: Built, tmp_path: Path
) -> None:
    deck = pakistan.folder / f"{pakistan.stem}.pptx"
    prs = Presentation(str(deck))
    cell = next(
        c
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for c in row.cells
        if re.fullmatch(r"\d+(?:\.\d)?%", c.text)
    )
    edited = _untraced_replacement(pakistan.values(), cell.text, pakistan.symbol)
    cell.text_frame.paragraphs[0].runs[0].text = edited
    changed = tmp_path / "edited.pptx"
    prs.save(str(changed))
    problems = pakistan.problems(deck=changed)
    assert len(problems) == 1
    assert "table" in problems[0]
    assert repr(edited) in problems[0]


def _scenario_cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def test_the_guard_reports_values_swapped_between_two_scenario_rows(
    pakistan: Built, tmp_path: Path
) -> None:
    """A number of another scenario's row traces somewhere in the workbook; in a table row
    about one scenario it must be a value of that scenario (``numbertrace.row_scenario``)."""
    values = pakistan.values()
    brief = pakistan.folder / f"{pakistan.stem}.md"
    lines = brief.read_text(encoding="utf-8").splitlines()
    names = values.scenarios

    def swap() -> tuple[int, int, str, str]:
        for i, (upper, lower) in enumerate(itertools.pairwise(lines)):
            a = row_scenario("brief", upper, names)
            b = row_scenario("brief", lower, names)
            cells_a, cells_b = _scenario_cells(upper), _scenario_cells(lower)
            if not (a and b and a != b and len(cells_a) == len(cells_b)):
                continue
            for x, y in zip(cells_a[1:], cells_b[1:], strict=True):
                shown_x, shown_y = numbers_in(x, pakistan.symbol), numbers_in(y, pakistan.symbol)
                if len(shown_x) != 1 or len(shown_y) != 1 or x == y:
                    continue
                if not values.traces(shown_y[0], a) and not values.traces(shown_x[0], b):
                    return i, i + 1, x, y
        raise AssertionError("no two scenario rows to swap")  # pragma: no cover

    upper, lower, x, y = swap()
    assert all(values.traces(s) for s in numbers_in(f"{x} {y}", pakistan.symbol))
    edited = list(lines)
    edited[upper] = lines[upper].replace(f"| {x} |", f"| {y} |", 1)
    edited[lower] = lines[lower].replace(f"| {y} |", f"| {x} |", 1)
    changed = tmp_path / "swapped.md"
    changed.write_text("\n".join(edited) + "\n", "utf-8")
    problems = pakistan.problems(brief=changed)
    assert len(problems) == 2, problems
    assert problems[0].startswith(f"brief line {upper + 1}: {y!r}")
    assert problems[1].startswith(f"brief line {lower + 1}: {x!r}")


def test_every_number_of_a_rebuild_with_what_changed_traces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The slide and the brief's section "What changed since the last brief" trace to the
    ``Changes`` sheet (old and new headline, each input's effect, the chances)."""
    b = valid_builder()
    book = b.save(tmp_path / "book.xlsx")
    _build(book, tmp_path / "out", monkeypatch)
    next(r for r in b.baseline if r["Parameter"] == "productivity_growth")["Central"] = 0.035
    b.scenarios["Reform"]["digital_skills"] = 7
    b.save(book)
    built = _build(book, tmp_path / "out", monkeypatch)
    assert "What changed since the last brief" in (built.folder / "book.md").read_text("utf-8")
    problems = built.problems()
    assert not problems, "\n".join(problems)
