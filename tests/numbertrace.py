"""The number-trace guard's machinery: every number in the deck's and the brief's text must be a
value of the results workbook at its displayed rounding.

``numbers_in(text)`` finds the numbers a reader sees, each with its kind (money, percentage,
ratio, head count in millions, percentage points, plain number) and its displayed decimals;
``WorkbookValues`` holds every numeric cell of ``<stem>-results.xlsx`` and answers whether a
shown number is one of them rounded as shown; ``untraced(...)`` lists what does not trace.

Before numbers are looked for, the documented exceptions are blanked out of the text (see
``tests/report/test_number_trace.py`` for the list and why each is there): text the workbook
itself holds (names, notes, sources, the sha256), fiscal years and dates, percentile names,
"(2 of 2)" slide counters, the draws and the seed, the 95% confidence of the bounds and the
Sobol intervals, the bound "below 0.6%" of a zero-draw chance, and the probability scale.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import openpyxl
from pptx import Presentation

from policybrief.report.story.wording import scale_sentence

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping
    from pathlib import Path

#: A number as the outputs write it: ``1,234,567.8``, ``0.083``, ``42``.
NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALES = {"bn": 1e9, "m": 1e6, "k": 1e3, "": 1.0}
#: Relative nudge that decides a rounding tie either way (far above 16-digit storage error).
_TIE = 1e-12


@dataclass(frozen=True)
class Shown:
    """One number as displayed: its kind, value and decimals, and where it sits."""

    kind: str  #: money, pct, ratio, million, pp, plain
    text: str  #: as displayed, e.g. ``$4.1bn``
    value: float  #: the displayed value (money in whole currency units)
    decimals: int
    context: str  #: some text around it, for the failure message


def _decimals(num: str) -> int:
    return len(num.split(".", 1)[1]) if "." in num else 0


def _value(num: str) -> float:
    return float(num.replace(",", ""))


def _patterns(symbol: str) -> list[tuple[str, re.Pattern[str]]]:
    sym = re.escape(symbol)
    return [
        ("money", re.compile(rf"{sym}(?P<num>{NUM})(?P<unit>bn|m|k)?(?![\w])")),
        ("pct", re.compile(rf"(?P<num>{NUM})\s?%")),
        ("ratio", re.compile(rf"(?P<num>{NUM})×")),
        ("million", re.compile(rf"(?P<num>{NUM}) million")),
        ("pp", re.compile(rf"(?P<num>{NUM}) (?:pp|percentage points)")),
        ("plain", re.compile(rf"(?<![\w.])(?P<num>{NUM})(?![\w])")),
    ]


def numbers_in(text: str, symbol: str = "$") -> list[Shown]:
    """Every number a reader sees in ``text`` (after the exceptions were blanked out)."""
    found: list[Shown] = []
    masked = text
    for kind, pattern in _patterns(symbol):
        for m in pattern.finditer(masked):
            num = m.group("num")
            value = _value(num)
            if kind == "money":
                value *= _SCALES[m.group("unit") or ""]
            context = text[max(0, m.start() - 60) : m.end() + 20].replace("\n", " ")
            found.append(Shown(kind, m.group(), value, _decimals(num), context))
        masked = pattern.sub(lambda m: " " * len(m.group()), masked)
    return found


#: Columns whose numbers are money in the workbook's currency unit, or shares (0.37 = 37%):
#: a "$" number traces only to money (or an unclassified cell, such as an Inputs value), a
#: "%" number only to a share or an unclassified cell. ``Paths`` goes by its ``metric``.
MONEY = {
    "Targets.value", "Attribution.contribution", "Sensitivity.exports_at_low",
    "Sensitivity.exports_at_high", "Sensitivity.swing", "GoalSeek.annual_cost",
    "Cheapest.pv_cost", "Frontier.budget", "Frontier.pv_cost", "Frontier.exports_central",
    "Dominance.pv_cost", "Dominance.exports_central", "Backtest.recorded", "Backtest.central",
    "Backtest.p10", "Backtest.p50", "Backtest.p90",
    "Paths.exports", "Paths.earnings", "Paths.fiscal_cost", "LeverCosts.annual_cost",
    "FrontierScenarios.pv_cost", "FrontierScenarios.exports_central",
    "FrontierScenarios.best_exports", "FrontierScenarios.least_cost",
}  # fmt: skip
SHARE = {
    "Targets.probability", "Targets.std_error", "Sobol.first_order", "Sobol.total",
    "Sobol.total_ci_low", "Sobol.total_ci_high", "Discovery.coverage", "Discovery.density",
    "Cheapest.probability", "GoalSeek.probability", "BacktestFit.coverage", "BacktestFit.suggested_productivity_growth",
    "Paths.realization", "Paths.emigration_rate", "Targets.required_growth", "History.value",
    "LeverCosts.cost_share_of_exports",
}  # fmt: skip
#: Counts, years and per-worker figures: never shown as money or as a percentage.
COUNT = {
    "Paths.workforce", "Paths.entrants", "Paths.emigrants", "Paths.productivity",
    "Paths.fiscal_year", "Targets.fiscal_year", "Targets.draws_meeting", "Targets.year_p10",
    "Targets.year_p50", "Targets.year_p90", "Targets.year_central", "Backtest.start_year",
    "Backtest.fiscal_year", "BacktestFit.start_year", "BacktestFit.workforce_start",
    "BacktestFit.draws_excluded", "History.from_year", "History.to_year",
}  # fmt: skip
#: ``ratio``: a ratio or a count, shown plain or with "×" (never as money or a percentage).
KINDS = ("money", "share", "count", "ratio", "other")
#: The kind of a ``Summary`` column (``summary_sheet.Column.kind``) as the guard reads it.
_SUMMARY_KIND = {"money": "money", "share": "share", "count": "count", "year": "count"}


def _kind(column: str, extra: Mapping[str, str]) -> str:
    if column in extra:  # a registered chart's own figures, by the kind it declares
        kind = extra[column]
        return kind if kind in KINDS else "other"
    if column in MONEY:
        return "money"
    return "share" if column in SHARE else "count" if column in COUNT else "other"


def _summary_kind(kinds: Mapping[str, str], header: str, *, in_table: bool) -> str:
    if not in_table:
        return "money"  # the charts' data: exports by year
    kind = kinds.get(header, "other")
    return _SUMMARY_KIND.get(kind, "ratio" if kind == "ratio" else "other")


@dataclass(frozen=True)
class _Cell:
    kind: str
    value: float
    scenario: str | None  #: the scenario of the cell's row, when the row is about one


def _sheet_cells(
    ws: Any, summary: Mapping[str, str], texts: list[str], extra: Mapping[str, str]
) -> Iterator[_Cell]:
    """The numeric cells of one sheet, each with its kind and its row's scenario; every text
    cell is appended to ``texts``."""
    rows = ws.iter_rows(values_only=True)
    header = [str(h) for h in next(rows, ())]
    where = {"Summary": "Scenario", "Inputs": "item"}.get(ws.title, "scenario")
    at = header.index(where) if where in header else None
    in_table = True
    for row in rows:
        metric = row[header.index("metric")] if ws.title == "Paths" else None
        in_table = in_table and bool(row) and row[0] is not None
        scenario = row[at] if at is not None and at < len(row) else None
        if (ws.title == "Summary" and not in_table) or (
            ws.title == "Inputs" and row and row[0] != "scenarios"
        ):
            scenario = None
        for name, cell in zip(header, row, strict=False):
            if isinstance(cell, bool) or cell is None:
                continue
            if isinstance(cell, (int, float)) and math.isfinite(cell):
                if ws.title == "Summary":
                    kind = _summary_kind(summary, name, in_table=in_table)
                else:
                    column = (
                        f"Paths.{metric}" if metric and name == "value" else f"{ws.title}.{name}"
                    )
                    kind = _kind(column, extra)
                yield _Cell(kind, float(cell), scenario if isinstance(scenario, str) else None)
            elif isinstance(cell, str) and cell.strip():
                texts.append(cell)


@dataclass
class WorkbookValues:
    """Every numeric cell of a results workbook, by kind, and every text cell (names, notes);
    also, per scenario, the cells of the rows about that scenario (``scenario`` column)."""

    texts: list[str]
    currency_scale: float  #: currency units per workbook unit (1e6 for ``USD million``)
    _keys: set[str] = field(default_factory=set, repr=False)
    _by_scenario: dict[str, set[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def read(
        cls,
        path: Path,
        currency_scale: float,
        summary: Mapping[str, str] | None = None,
        columns: Mapping[str, str] | None = None,
    ) -> WorkbookValues:
        """Read ``path``; ``summary`` gives the kind of each ``Summary`` column by its header
        (``summary_sheet.Column.kind``). The chart data under the Summary's table is exports.
        ``columns`` gives the kind of other columns as ``"Sheet.column"`` (a registered
        chart's own figures, ``chart_kinds``)."""
        texts: list[str] = []
        values = cls(texts, currency_scale)
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for ws in wb.worksheets:
                for cell in _sheet_cells(ws, summary or {}, texts, columns or {}):
                    keys = set(values._keys_of([cell.value], cell.kind))
                    values._keys |= keys
                    if cell.scenario is not None:
                        values._by_scenario.setdefault(cell.scenario, set()).update(keys)
        finally:
            wb.close()
        return values

    def add(self, numbers: Iterable[float], kind: str = "other") -> None:
        """Let ``numbers`` of ``kind`` (``KINDS``) trace too, as cells of no one scenario."""
        self._keys.update(self._keys_of([float(x) for x in numbers if math.isfinite(x)], kind))

    @property
    def scenarios(self) -> set[str]:
        """The scenarios some row of the workbook is about."""
        return set(self._by_scenario)

    def _keys_of(self, numbers: Iterable[float], kind: str) -> Iterator[str]:
        for w in numbers:
            # A value at a rounding tie (110.5 as "$110m" or "$111m") counts both ways: the
            # workbook holds 16 significant digits, the output was rounded from the float.
            for a in {abs(w), abs(w) * (1 + _TIE), abs(w) * (1 - _TIE)}:
                yield from self._keys_of_one(a, kind)

    def _keys_of_one(self, a: float, kind: str) -> Iterator[str]:
        money = a * self.currency_scale
        for d in range(4):
            yield f"plain:{a:,.{d}f}"
            yield f"ratio:{a:,.{d}f}"
            yield f"million:{a / 1e6:,.{d}f}"
            if kind in ("share", "other"):
                yield f"pct:{100 * a:,.{d}f}"  # a share shown as a percentage
                yield f"pp:{100 * a:,.{d}f}"
            if kind == "other":
                yield f"pct:{a:,.{d}f}"  # a value the workbook already holds in percent
            if kind in ("money", "other"):
                for unit, scale in _SCALES.items():
                    yield f"money{unit}:{money / scale:,.{d}f}"
        # a head count to three significant figures (``612,000``)
        if a >= 1000:
            yield f"plain:{float(f'{a:.3g}'):,.0f}"

    def traces(self, shown: Shown, scenario: str | None = None) -> bool:
        """True when some workbook value rounds to ``shown`` as displayed; with ``scenario``,
        some value of a row about that scenario."""
        keys = self._keys if scenario is None else self._by_scenario.get(scenario, set())
        d = shown.decimals
        if shown.kind == "money":
            unit = next(u for u in ("bn", "m", "k", "") if shown.text.endswith(u))
            return f"money{unit}:{shown.value / _SCALES[unit]:,.{d}f}" in keys
        if shown.kind == "million":
            return f"million:{shown.value:,.{d}f}" in keys
        return f"{shown.kind}:{shown.value:,.{d}f}" in keys


@dataclass(frozen=True)
class Exceptions:
    """What the guard does not trace (see the test module's docstring for why)."""

    draws: tuple[int, ...]
    seed: int
    extra: tuple[str, ...] = ()  #: further literal strings (e.g. text the workbook holds)

    def patterns(self) -> list[re.Pattern[str]]:
        counts = "|".join(re.escape(f"{n:,}") for n in sorted(set(self.draws), reverse=True))
        return [
            re.compile(re.escape(scale_sentence())),
            re.compile(r"\bFY\d{2}(?:\d{2})?\b"),  # fiscal years
            re.compile(r"\b(?:19|20)\d{2}\b(?:-\d{2}(?:-\d{2})?)?"),  # years and dates
            re.compile(r"T\d{2}:\d{2}:\d{2}(?:[+-]\d{2}:\d{2})?"),  # the build time
            re.compile(r"\bP\d{1,2}\b"),  # percentile names
            re.compile(r"\(\d+ of \d+\)"),  # slide counters: "Levers (2 of 2)"
            re.compile(rf"(?:{counts}) (?:Monte Carlo )?draws|draws? of (?:{counts})"),
            re.compile(rf"first (?:{counts}) draws|\| (?:{counts}) \|"),
            re.compile(rf"\bseed {self.seed}\b|\| {self.seed} \|"),
            re.compile(r"\b[0-9a-f]{12,64}\b"),  # sha256 (full or short)
            # the footer's 8-digit short sha256, which can be all digits ("sha256 22870737")
            re.compile(r"\bsha256 [0-9a-f]{8}\b"),
            re.compile(r"\b\d+\.\d+\.\d+\b"),  # the package version
            re.compile(r"95% (?:confidence|interval)"),
            re.compile(r"(?:below|above) \d+(?:\.\d+)?%|[<>]\d+(?:\.\d+)?%"),  # draw bounds
            re.compile(r"\b\d+ of \d+\b"),  # counts: years in the band, rates inside it
            re.compile(
                r"\b\d+ more\b|\bthe \d+ most influential|\bof \d+ assumptions|"
                r"\beach of \d+ budgets|\b\d+ pairs? of inputs|\blast \d+ years|\(top \d+\)"
            ),
            re.compile(  # the assurance checklist's counts of the workbook's rows
                r"\b\d+ (?:scenarios?|targets?|assumptions? logged|start years?|"
                r"(?:correlation )?warnings?)\b|\b\d+ without a |\b\d+ of high impact"
            ),
            re.compile(r"^\| \d+ \|"),  # the rank column of a ranked table (the brief)
            re.compile(r"\| (?:Low|Medium|High) \| \d+ \|"),  # the assumptions log's rank
        ]


#: A table cell or phrase the deck clipped: the text before an ellipsis, back to a separator.
_CLIPPED = re.compile(r"[^|•\n]*?…")


def blank(text: str, exceptions: Exceptions, workbook_texts: Iterable[str]) -> str:
    """``text`` with the exceptions and every workbook string (names, notes) blanked out."""
    texts = [t for t in {*workbook_texts, *exceptions.extra} if any(c.isdigit() for c in t)]
    for literal in sorted(texts, key=len, reverse=True):
        if len(literal) > 1 and literal in text:
            text = text.replace(literal, " " * len(literal))

    def clipped(m: re.Match[str]) -> str:
        head = m.group().strip().rstrip("…").rstrip()
        if len(head) > 3 and any(head in t and t.index(head) == 0 for t in texts):
            return " " * len(m.group())
        if len(head) > 3 and any(f" {head}" in f" {t}" for t in texts):
            return " " * len(m.group())
        return m.group()

    text = _CLIPPED.sub(clipped, text)
    for pattern in exceptions.patterns():
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def deck_texts(path: Path) -> list[tuple[str, str]]:
    """(where, text) for every text frame, table cell and speaker note of the deck."""
    prs = Presentation(str(path))
    out: list[tuple[str, str]] = []

    def walk(shapes: Iterable[object], where: str) -> None:
        for shape in shapes:
            if getattr(shape, "has_text_frame", False) and shape.has_text_frame:  # type: ignore[attr-defined]
                out.append((where, shape.text_frame.text))  # type: ignore[attr-defined]
            if getattr(shape, "has_table", False) and shape.has_table:  # type: ignore[attr-defined]
                for row in shape.table.rows:  # type: ignore[attr-defined]
                    out.append((f"{where} table", " | ".join(c.text for c in row.cells)))
            if hasattr(shape, "shapes"):
                walk(shape.shapes, where)  # type: ignore[attr-defined]

    for i, slide in enumerate(prs.slides, start=1):
        walk(slide.shapes, f"slide {i}")
        if slide.has_notes_slide:
            out.append((f"slide {i} notes", slide.notes_slide.notes_text_frame.text))
    return out


def brief_texts(path: Path) -> list[tuple[str, str]]:
    """(where, text) for every line of the brief; image file names are dropped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        (f"brief line {i}", re.sub(r"\]\([^)]*\.png\)", "]", line))
        for i, line in enumerate(lines, start=1)
    ]


def row_scenario(where: str, text: str, scenarios: Iterable[str]) -> str | None:
    """The scenario a table row is about: its first cell, when that is a scenario's name (a
    deck table row, ``… table``, or a Markdown table line of the brief). A name the table
    clipped ("Reform pack…") is not recognised: that row traces against the whole workbook."""
    if not (where.endswith(" table") or text.startswith("|")):
        return None
    first = text.strip().strip("|").split("|", 1)[0].strip()
    # The name alone, or with a note such as "Reform (headline)".
    named = [n for n in scenarios if first == n or first.startswith(f"{n} (")]
    return max(named, key=len) if named else None


def untraced(
    texts: Iterable[tuple[str, str]],
    values: WorkbookValues,
    exceptions: Exceptions,
    symbol: str = "$",
) -> list[str]:
    """Each shown number that no workbook value explains: ``where: $4.1bn in '…context…'``.

    In a table row about one scenario (``row_scenario``) a number must be a value of a
    workbook row about that scenario, not of any row.
    """
    problems = []
    for where, text in texts:
        scenario = row_scenario(where, text, values.scenarios)
        for shown in numbers_in(blank(text, exceptions, values.texts), symbol):
            if not values.traces(shown, scenario):
                problems.append(f"{where}: {shown.text!r} in {shown.context!r}")
    return problems


def chart_kinds(results: Any) -> dict[str, str]:
    """The kind of each column of the registered charts' own sheets (``report.charts``), as
    ``"Chart <name>.<column>"``."""
    from policybrief.report import charts

    return {
        f"{sheet}.{column.name}": column.kind
        for sheet, figures in charts.figure_sheets(results)
        for column in figures.columns
    }
