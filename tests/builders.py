"""Build small, valid scenario workbooks in code (plain cells, no styling) for tests.

Valid by default; change one thing per test::

    b = valid_builder()
    b.baseline[4]["Central"] = 4          # a rate typed as 4 meaning 4%
    b.set_cell("Levers", "C2", "wages")   # or a raw cell edit after layout
    path = b.save(tmp_path / "book.xlsx")

Every sheet has its header in row 1 and its columns named exactly as WORKBOOK.md lists them, in
that order, so ``Baseline`` column E is ``Central`` and data row ``i`` (0-based) is row ``i + 2``.
``ref(sheet, key, column)`` computes such a reference from a row's key and a column name.

``builder_from_inputs(inputs)`` lays out any valid ``domain.Inputs`` as the workbook that reads
back as them; ``canonical_builder()`` is the canonical dataset (``factories.make_inputs()``)
laid out so, and ``tests/workbook/test_roundtrip.py`` proves the reader reads it back.

The default layout leaves out the optional version-2 columns (Levers ``Form`` and ``Cost
share``, History ``Workforce``) and the optional ``Correlations`` sheet, so the letters above
never move. A test that needs them adds them::

    b.insert_column("Levers", "Form", after="Channel")   # Levers!D, later columns shift right
    b.levers[0]["Form"] = "level"
    b.correlations.append(correlation_row("productivity_growth", "absorption_rate", 0.5))
"""

from __future__ import annotations

import copy
import math
import re
import zipfile
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from io import BytesIO
from typing import TYPE_CHECKING, Any, Literal
from xml.sax.saxutils import escape, quoteattr

import openpyxl
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_from_string,
    get_column_letter,
)
from openpyxl.utils.datetime import to_excel
from tests.factories import make_inputs

from policybrief.domain import (
    OPTIONAL_PARAMETERS,
    HistoryPoint,
    Inputs,
    Lever,
    Parameter,
    Scenario,
    Settings,
    Target,
)
from policybrief.fiscal import MONTHS, is_calendar
from policybrief.workbook.examples import load_example
from policybrief.workbook.schema import EFFECT_UNITS, headers

if TYPE_CHECKING:
    from pathlib import Path

#: Columns the builders lay out by default: the schema's, without the optional v2 columns
#: (tests add them with ``insert_column`` where ``init`` puts them).
V2_OPTIONAL = {
    "Levers": ("Short name", "Form", "Effect unit", "Cost share"),
    "History": ("Workforce",),
}


def _schema_columns(sheet: str) -> list[str]:
    return [h for h in headers(sheet) if h not in V2_OPTIONAL.get(sheet, ())]


SETTINGS_COLUMNS = _schema_columns("Settings")
BASELINE_COLUMNS = _schema_columns("Baseline")
LEVER_COLUMNS = _schema_columns("Levers")
TARGET_COLUMNS = _schema_columns("Targets")
HISTORY_COLUMNS = _schema_columns("History")
NOTES_COLUMNS = _schema_columns("Scenario notes")
CORRELATION_COLUMNS = _schema_columns("Correlations")

#: Sheet order in the built workbook (``Scenario notes`` and ``Correlations`` only when they
#: have rows).
SHEETS = (
    "Settings",
    "Baseline",
    "Levers",
    "Scenarios",
    "Targets",
    "History",
    "Scenario notes",
    "Correlations",
)


def _default_columns() -> dict[str, list[str]]:
    return {
        "Settings": list(SETTINGS_COLUMNS),
        "Baseline": list(BASELINE_COLUMNS),
        "Levers": list(LEVER_COLUMNS),
        "Targets": list(TARGET_COLUMNS),
        "History": list(HISTORY_COLUMNS),
        "Scenario notes": list(NOTES_COLUMNS),
        "Correlations": list(CORRELATION_COLUMNS),
    }


@dataclass
class WorkbookBuilder:
    """Data for one workbook, laid out as plain tables when built.

    Mutate the fields (they are plain dicts and lists), or queue raw cell edits with
    ``set_cell``; edits are applied after the tables are laid out. ``omit_sheets`` drops whole
    sheets, ``columns`` controls which columns (and in which order) each long table has, and
    ``extra_sheets`` adds sheets of raw rows (e.g. a ``README`` or an unknown sheet).
    """

    settings: dict[str, object]
    baseline: list[dict[str, object]]
    levers: list[dict[str, object]]
    scenarios: dict[str, dict[str, object]]
    targets: list[dict[str, object]]
    history: list[dict[str, object]]
    scenario_notes: dict[str, str] = field(default_factory=dict)
    correlations: list[dict[str, object]] = field(default_factory=list)
    overrides: list[tuple[str, str, object]] = field(default_factory=list)
    omit_sheets: set[str] = field(default_factory=set)
    columns: dict[str, list[str]] = field(default_factory=_default_columns)
    extra_sheets: dict[str, list[list[object]]] = field(default_factory=dict)

    def copy(self) -> WorkbookBuilder:
        """A deep copy, so a test can change one thing without touching a shared builder."""
        return copy.deepcopy(self)

    def set_cell(self, sheet: str, ref: str, value: object) -> WorkbookBuilder:
        """Queue a raw edit of cell ``ref`` on ``sheet`` (applied after layout)."""
        self.overrides.append((sheet, ref, value))
        return self

    def insert_column(self, sheet: str, name: str, *, after: str | None = None) -> WorkbookBuilder:
        """Add column ``name`` to ``sheet``'s table right of ``after`` (default: at the end).

        Rows take their values for it from their dicts (blank where absent); columns to its
        right move one letter on, which ``ref`` follows.
        """
        cols = self.columns[sheet]
        cols.insert(len(cols) if after is None else cols.index(after) + 1, name)
        return self

    def lever_ids(self) -> list[str]:
        """Lever ids in Levers order (the Scenarios sheet's column A)."""
        return [str(row["Lever"]) for row in self.levers if row.get("Lever") is not None]

    def ref(self, sheet: str, key: object, column: str) -> str:
        """A1 reference of the cell in ``column`` of the row whose key cell is ``key``.

        For ``Scenarios`` the column is a scenario name and the key a lever id.
        """
        if sheet == "Scenarios":
            col = 2 + list(self.scenarios).index(column)
            row = 2 + self.lever_ids().index(str(key))
            return f"{get_column_letter(col)}{row}"
        rows = self._rows(sheet)
        cols = self.columns[sheet]
        keys = [r[0] for r in rows]
        return f"{get_column_letter(cols.index(column) + 1)}{keys.index(key) + 2}"

    def _rows(self, sheet: str) -> list[list[object]]:
        cols = self.columns.get(sheet, [])
        if sheet == "Settings":
            data = [{"Setting": k, "Value": v} for k, v in self.settings.items()]
        elif sheet == "Scenario notes":
            data = [{"Scenario": k, "Description": v} for k, v in self.scenario_notes.items()]
        else:
            data = {
                "Baseline": self.baseline,
                "Levers": self.levers,
                "Targets": self.targets,
                "History": self.history,
                "Correlations": self.correlations,
            }[sheet]
        return [[row.get(c) for c in cols] for row in data]

    def layout(self) -> dict[str, dict[tuple[int, int], object]]:
        """Every sheet's cells as ``{(row, column): value}`` (1-based), overrides applied."""
        sheets: dict[str, list[list[object]]] = {}
        for name in SHEETS:
            if name in self.omit_sheets:
                continue
            if name == "Scenario notes" and not self.scenario_notes:
                continue
            if name == "Correlations" and not self.correlations:
                continue
            if name == "Scenarios":
                sheets[name] = [["Lever", *self.scenarios]] + [
                    [lever_id, *(s.get(lever_id) for s in self.scenarios.values())]
                    for lever_id in self.lever_ids()
                ]
            else:
                sheets[name] = [list(self.columns[name]), *self._rows(name)]
        sheets.update(self.extra_sheets)
        cells = {
            name: {
                (r, c): value
                for r, row in enumerate(rows, start=1)
                for c, value in enumerate(row, start=1)
                if value is not None
            }
            for name, rows in sheets.items()
        }
        for sheet, ref, value in self.overrides:
            col, row = coordinate_from_string(ref)
            key = (row, column_index_from_string(col))
            if value is None:
                cells[sheet].pop(key, None)
            else:
                cells[sheet][key] = value
        return cells

    def workbook(self) -> openpyxl.Workbook:
        """Lay the data out in a new in-memory workbook."""
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for name, cells in self.layout().items():
            ws = wb.create_sheet(name)
            for (r, c), value in cells.items():
                ws.cell(r, c).value = value
        return wb

    def save(self, path: Path) -> Path:
        """Write the workbook to ``path`` and return ``path``."""
        self.workbook().save(path)
        return path

    def to_bytes(self) -> bytes:
        """The workbook as ``.xlsx`` bytes, without touching disk."""
        buffer = BytesIO()
        self.workbook().save(buffer)
        return buffer.getvalue()

    def to_fast_bytes(self) -> bytes:
        """Minimal ``.xlsx`` bytes written directly (about 10x faster than openpyxl's save).

        For property tests that build hundreds of workbooks. Cells: numbers, text (inline
        strings), booleans, Excel error values (``#DIV/0!``), formulas (``=...``, no cached
        value) and dates (with a date number format). Characters XML cannot hold are dropped.
        """
        return minimal_xlsx(self.layout())


def _param(
    name: str,
    central: object,
    low: object = None,
    high: object = None,
    unit: str = "",
    confidence: str = "Medium",
) -> dict[str, object]:
    return {
        "Parameter": name,
        "Description": f"test value for {name}",
        "Unit": unit,
        "Low": low,
        "Central": central,
        "High": high,
        "Source": "test",
        "Confidence": confidence,
        "Notes": None,
    }


def _lever(
    lever_id: str, channel: str, effects: tuple[float, float, float], **extra: object
) -> dict[str, object]:
    row: dict[str, object] = {
        "Lever": lever_id,
        "Name": lever_id.replace("_", " ").capitalize(),
        "Channel": channel,
        "Unit": "units",
        "Effect low": effects[0],
        "Effect central": effects[1],
        "Effect high": effects[2],
        "Lag": 0,
        "Ramp": 1,
        "Saturation": None,
        "Cost per unit": 0,
        "Max intensity": None,
        "Start year": None,
        "End year": None,
        "Source": "test",
        "Confidence": "Medium",
        "Notes": None,
    }
    row.update(extra)
    return row


def correlation_row(input_a: str, input_b: str, rho: object) -> dict[str, object]:
    """A row of the Correlations sheet."""
    return {"Input A": input_a, "Input B": input_b, "Correlation": rho, "Source": "test"}


# --- any valid Inputs, laid out as the workbook that reads back as them ----------------------

#: Settings rows in the order ``init`` writes them (``examples/blank.toml``).
SETTING_ORDER = tuple(str(row["setting"]) for row in load_example("blank")["settings"])
#: Version-2 settings: written only when they differ from their default, as the v2 columns
#: are laid out only when used (a version-1 workbook has no such rows).
V2_SETTINGS = ("fiscal_year_start", "discount_rate")
_SETTING_DEFAULTS = {f.name: f.default for f in fields(Settings)}

#: How year cells are typed: ``label`` is ``FY2026`` (plain 2026 when fiscal years are
#: calendar years), ``span`` is ``2025-26`` (plain 2026 for calendar years, where a span names
#: no year), ``number`` is 2026.
YearStyle = Literal["label", "span", "number"]


def year_cell(year: int, fiscal_year_start: int, style: YearStyle = "label") -> object:
    """The cell an analyst types for fiscal ``year``: ``FY2026``, ``2025-26`` or 2026."""
    if style == "number" or is_calendar(fiscal_year_start):
        return year
    if style == "span":
        return f"{year - 1}-{year % 100:02d}"
    return f"FY{year}"


def _number(value: float) -> float:
    """A number as typed: 3000, not 3000.0 (the reader reads either as the float 3000.0)."""
    return int(value) if float(value).is_integer() else value


def _optional(value: float | None) -> float | None:
    return None if value is None else _number(value)


def _text(value: str) -> str | None:
    return value or None


def _used_columns(inputs: Inputs, *, all_columns: bool) -> dict[str, set[str]]:
    """The optional v2 columns each sheet needs for ``inputs`` (every one if ``all_columns``)."""
    if all_columns:
        return {sheet: set(names) for sheet, names in V2_OPTIONAL.items()}
    levers = inputs.levers
    used = {
        "Short name": any(lv.short_name for lv in levers),
        "Form": any(lv.form != "growth" for lv in levers),
        "Cost share": any(lv.cost_share for lv in levers),
    }
    return {
        "Levers": {name for name, needed in used.items() if needed},
        "History": {"Workforce"} if any(h.workforce is not None for h in inputs.history) else set(),
    }


def _settings_row(s: Settings, style: YearStyle) -> dict[str, object]:
    def value(name: str) -> object:
        raw = getattr(s, name)
        if name == "base_year":
            return year_cell(s.base_year, s.fiscal_year_start, style)
        if name == "fiscal_year_start":
            return MONTHS[s.fiscal_year_start - 1]
        if name == "percentiles":
            return ",".join(str(p) for p in s.percentiles)
        return _text(raw) if isinstance(raw, str) else _number(raw)

    return {
        name: value(name)
        for name in SETTING_ORDER
        if name not in V2_SETTINGS or getattr(s, name) != _SETTING_DEFAULTS[name]
    }


def _baseline_row(p: Parameter) -> dict[str, object]:
    fixed = p.low == p.central == p.high  # Low and High blank: "blank = fixed"
    return {
        "Parameter": p.name,
        "Description": _text(p.description),
        "Unit": _text(p.unit),
        "Low": None if fixed else _number(p.low),
        "Central": _number(p.central),
        "High": None if fixed else _number(p.high),
        "Source": _text(p.source),
        "Confidence": _text(p.confidence),
        "Notes": _text(p.notes),
    }


def _lever_row(lever: Lever, start: int, style: YearStyle) -> dict[str, object]:
    def year(value: int | None) -> object:
        return None if value is None else year_cell(value, start, style)

    return {
        "Lever": lever.id,
        "Name": lever.name,
        "Short name": _text(lever.short_name),
        "Channel": lever.channel,
        "Form": lever.form,
        "Unit": _text(lever.unit),
        "Effect unit": EFFECT_UNITS.get((lever.channel, lever.form)),
        "Effect low": _number(lever.effect_low),
        "Effect central": _number(lever.effect_central),
        "Effect high": _number(lever.effect_high),
        "Lag": lever.lag,
        "Ramp": lever.ramp,
        "Saturation": _optional(lever.saturation),
        "Cost per unit": _number(lever.cost_per_unit),
        "Cost share": _number(lever.cost_share),
        "Max intensity": _optional(lever.max_intensity),
        "Start year": year(lever.start_year),
        "End year": year(lever.end_year),
        "Source": _text(lever.source),
        "Confidence": _text(lever.confidence),
        "Notes": _text(lever.notes),
    }


def _history_row(point: HistoryPoint, start: int, style: YearStyle) -> dict[str, object]:
    return {
        "Fiscal year": year_cell(point.year, start, style),
        "Exports": _number(point.exports),
        "Workforce": _optional(point.workforce),
        "Definition": _text(point.definition),
        "Source": _text(point.source),
    }


def builder_from_inputs(
    inputs: Inputs, *, years: YearStyle = "label", all_columns: bool = False
) -> WorkbookBuilder:
    """The workbook that reads back as ``inputs`` (any valid ``Inputs``), laid out from the
    schema's headers in the places ``init`` puts them.

    Every value is written as an analyst types it: shares as fractions, whole numbers without
    ``.0``, blanks for empty text, for a fixed parameter's Low and High (``blank = fixed``),
    for a zero intensity (``blank = 0``) and for an absent saturation, maximum or year; year
    cells as ``years`` says (``year_cell``), read with ``fiscal_year_start`` (written as a
    month name). The optional v2 layout appears only where ``inputs`` use it (Levers ``Short
    name``, ``Form``, ``Cost share``; History ``Workforce``; the ``Correlations`` sheet; the v2
    settings when not at their default) unless ``all_columns`` asks for every column
    (``Effect unit`` too, which the reader does not read: it is filled in for reading only).
    An optional parameter without a cell (``shock_sd`` as the reader makes it up when its row
    is absent) has no row; a scenario's description goes to ``Scenario notes``.

    Parameters
    ----------
    inputs
        Valid inputs, as ``read_workbook`` returns them.
    years
        How year cells are typed: ``label`` (``FY2026``), ``span`` (``2025-26``) or ``number``.
    all_columns
        Lay out every optional v2 column, used or not.

    Returns
    -------
    WorkbookBuilder
        Its rows hold only the columns laid out, so ``insert_column`` adds blank columns.
    """
    start = inputs.settings.fiscal_year_start
    columns = _default_columns()
    for sheet, used in _used_columns(inputs, all_columns=all_columns).items():
        columns[sheet] = [h for h in headers(sheet) if h not in V2_OPTIONAL[sheet] or h in used]

    def only(sheet: str, row: dict[str, object]) -> dict[str, object]:
        return {name: row[name] for name in columns[sheet]}

    return WorkbookBuilder(
        settings=_settings_row(inputs.settings, years),
        baseline=[
            _baseline_row(p)
            for p in inputs.parameters
            if p.cell or p.name not in OPTIONAL_PARAMETERS
        ],
        levers=[only("Levers", _lever_row(lv, start, years)) for lv in inputs.levers],
        scenarios={
            s.name: {lv.id: _number(s.intensity(lv.id)) or None for lv in inputs.levers}
            for s in inputs.scenarios
        },
        targets=[
            {
                "Target": t.label,
                "Value": _number(t.value),
                "Fiscal year": year_cell(t.year, start, years),
                "Source": _text(t.source),
            }
            for t in inputs.targets
        ],
        history=[only("History", _history_row(h, start, years)) for h in inputs.history],
        scenario_notes={s.name: s.description for s in inputs.scenarios if s.description},
        correlations=[
            {
                "Input A": c.input_a,
                "Input B": c.input_b,
                "Correlation": _number(c.rho),
                "Source": _text(c.source),
            }
            for c in inputs.correlations
        ],
        columns=columns,
    )


def canonical_builder(**options: Any) -> WorkbookBuilder:
    """The canonical dataset (``factories.make_inputs()``) laid out as a workbook.

    ``options`` go to ``builder_from_inputs`` (``years=``, ``all_columns=``).
    """
    return builder_from_inputs(make_inputs(), **options)


def valid_builder_inputs() -> Inputs:
    """What ``valid_builder()`` reads as: its hand-computable numbers, as ``Inputs``.

    Base year 2025, horizon 5; levers ``digital_skills`` (productivity, saturation 10),
    ``retention_incentive`` (emigration, lag 1, ramp 2) and ``freelancer_onboarding`` (inflow);
    scenarios ``Current policy`` (baseline), ``Reform`` (headline) and ``Stretch``; targets in
    FY2028 and FY2030; history FY2021-FY2025 ending at ``exports_base`` = 3000; no ``shock_sd``
    row (so it is 0). The canonical dataset is ``factories.make_inputs()``; this one stays
    because many reader and report tests compute with its numbers.
    """
    rows = (
        # name, central, low, high, unit, confidence
        ("exports_base", 3000.0, None, None, "USD million", "High"),
        ("workforce_base", 100_000.0, None, None, "persons", "Medium"),
        ("realization_base", 0.6, 0.5, 0.7, "share", "Medium"),
        ("realization_max", 0.9, None, None, "share", "Medium"),
        ("productivity_growth", 0.03, 0.02, 0.04, "share/yr", "Medium"),
        ("graduates_base", 20_000.0, None, None, "persons/yr", "High"),
        ("graduates_growth", 0.02, None, None, "share/yr", "Medium"),
        ("absorption_rate", 0.3, 0.2, 0.4, "share", "Low"),
        ("other_entry_rate", 0.05, None, None, "share/yr", "Medium"),
        ("attrition_rate", 0.05, None, None, "share/yr", "Medium"),
        ("emigration_rate", 0.02, 0.01, 0.03, "share/yr", "Medium"),
    )
    parameters = tuple(
        Parameter(
            name,
            central,
            central if low is None else low,
            central if high is None else high,
            description=f"test value for {name}",
            unit=unit,
            source="test",
            confidence=confidence,
            cell=f"Baseline!E{i + 2}",
        )
        for i, (name, central, low, high, unit, confidence) in enumerate(rows)
    )
    shock_sd = Parameter("shock_sd", 0.0, 0.0, 0.0, description="(not given)")  # no row
    levers = (
        Lever(
            "digital_skills",
            "Digital skills",
            "productivity",
            effect_central=0.004,
            effect_low=0.002,
            effect_high=0.006,
            saturation=10.0,
            cost_per_unit=5.0,
            max_intensity=20.0,
            unit="units",
            source="test",
            confidence="Medium",
        ),
        Lever(
            "retention_incentive",
            "Retention incentive",
            "emigration",
            effect_central=0.05,
            effect_low=0.02,
            effect_high=0.08,
            lag=1,
            ramp=2,
            cost_per_unit=20.0,
            max_intensity=5.0,
            unit="units",
            source="test",
            confidence="Medium",
        ),
        Lever(
            "freelancer_onboarding",
            "Freelancer onboarding",
            "inflow",
            effect_central=1000.0,
            effect_low=500.0,
            effect_high=1500.0,
            cost_per_unit=2.0,
            start_year=2026,
            unit="units",
            source="test",
            confidence="Medium",
        ),
    )

    def intensities(skills: float, retention: float, onboarding: float) -> dict[str, float]:
        return {
            "digital_skills": skills,
            "retention_incentive": retention,
            "freelancer_onboarding": onboarding,
        }

    scenarios = (
        Scenario("Current policy", intensities(1.0, 0.0, 0.0), "Policies already in place."),
        Scenario("Reform", intensities(5.0, 2.0, 3.0), "The reform package."),
        Scenario("Stretch", intensities(10.0, 4.0, 6.0), "Everything, twice as hard."),
    )
    return Inputs(
        settings=Settings(
            title="Test brief",
            subtitle="A workbook built in code",
            organisation="Test Ministry",
            author="Test author",
            base_year=2025,
            horizon=5,
            baseline_scenario="Current policy",
            headline_scenario="Reform",
            draws=1000,
            seed=42,
        ),
        parameters=(*parameters, shock_sd),
        levers=levers,
        scenarios=scenarios,
        targets=(
            Target("Interim goal", 3600.0, 2028, source="test"),
            Target("Final goal", 4500.0, 2030, source="test"),
        ),
        history=tuple(
            HistoryPoint(2021 + i, exports, definition="recorded", source="test")
            for i, exports in enumerate((2100.0, 2400.0, 2600.0, 2800.0, 3000.0))
        ),
    )


def valid_builder() -> WorkbookBuilder:
    """A small, hand-computable valid workbook: ``valid_builder_inputs()`` laid out.

    Years are typed as numbers (2025), except the second target's, typed ``FY2030`` (so every
    test also reads a year written as text). Layout: Settings without the v2 rows, Baseline
    without a ``shock_sd`` row, Levers and History without the optional v2 columns.
    """
    b = builder_from_inputs(valid_builder_inputs(), years="number")
    b.targets[1]["Fiscal year"] = "FY2030"
    return b


def other_country_builder() -> WorkbookBuilder:
    """A very different valid workbook: another country, a harmful lever, a worse headline.

    "Republic of Testland": base year FY2023 (written ``FY2023``), horizon 15, exports_base 1000,
    two scenarios where the headline (``Shutdowns``) is worse than the baseline (``Status quo``),
    levers with one harmful (negative-effect) productivity lever, two targets, 8 history rows.
    """
    return WorkbookBuilder(
        settings={
            "title": "Testland digital exports outlook",
            "organisation": "Testland Digital Economy Office",
            "base_year": "FY2023",
            "horizon": 15,
            "baseline_scenario": "Status quo",
            "headline_scenario": "Shutdowns",
            "draws": 500,
            "seed": 7,
            "percentiles": "5,25,50,75,95",
            "target_probability": 0.8,
            "currency_label": "USD million",
        },
        baseline=[
            _param("exports_base", 1000, 1000, 1000, unit="USD million"),
            _param("workforce_base", 40_000, 35_000, 45_000, unit="persons"),
            _param("realization_base", 0.8, unit="share", confidence="high"),
            _param("realization_max", 0.95, unit="share"),
            _param("productivity_growth", 0.01, -0.01, 0.03, unit="share/yr"),
            _param("graduates_base", 8000, unit="persons/yr"),
            _param("graduates_growth", 0.0, unit="share/yr"),
            _param("absorption_rate", 0.1, 0.05, 0.2, unit="share"),
            _param("other_entry_rate", 0, unit="share/yr"),
            _param("attrition_rate", 0.08, unit="share/yr"),
            _param("emigration_rate", 0.06, 0.04, 0.1, unit="share/yr", confidence="Low"),
        ],
        levers=[
            _lever(
                "internet_shutdown",
                "productivity",
                (-0.05, -0.03, -0.01),
                **{"Max intensity": 1, "Start year": "2024-25", "End year": "FY30"},
            ),
            _lever(
                "bootcamps",
                "absorption",
                (0.0, 0.01, 0.02),
                Lag=2,
                Ramp=3,
                Saturation=4,
                **{"Cost per unit": 1.5},
            ),
            _lever("payments_reform", "realization", (0.02, 0.05, 0.1), **{"Cost per unit": 3}),
        ],
        scenarios={
            "Status quo": {"bootcamps": 1, "payments_reform": 1},
            "Shutdowns": {"internet_shutdown": 1, "bootcamps": 1, "payments_reform": 1},
        },
        targets=[
            {"Target": "Vision 2030", "Value": 2000, "Fiscal year": "FY30", "Source": "plan"},
            {"Target": "Long run", "Value": 3000, "Fiscal year": 2038, "Source": "plan"},
        ],
        history=[
            {"Fiscal year": 2016 + i, "Exports": v, "Definition": "BoP", "Source": "central bank"}
            for i, v in enumerate([400, 450, 520, 600, 640, 760, 900, 1000])
        ],
    )


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _cell_xml(ref: str, value: object) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        text = str(value)
        if isinstance(value, float) and math.isinf(value):
            text = "-1E999" if value < 0 else "1E999"  # what openpyxl reads back as infinity
        return f'<c r="{ref}"><v>{text}</v></c>'
    if isinstance(value, (datetime, date, time, timedelta)):
        return f'<c r="{ref}" s="1"><v>{to_excel(value)}</v></c>'
    text = _XML_ILLEGAL.sub("", str(value))
    if text in ERROR_CODES:
        return f'<c r="{ref}" t="e"><v>{escape(text)}</v></c>'
    if text.startswith("=") and len(text) > 1:
        return f'<c r="{ref}"><f>{escape(text[1:])}</f></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _sheet_xml(cells: dict[tuple[int, int], object]) -> str:
    rows: dict[int, list[tuple[int, object]]] = {}
    for (r, c), value in cells.items():
        rows.setdefault(r, []).append((c, value))
    body = "".join(
        f'<row r="{r}">'
        + "".join(_cell_xml(f"{get_column_letter(c)}{r}", v) for c, v in sorted(rows[r]))
        + "</row>"
        for r in sorted(rows)
    )
    last = f"{get_column_letter(max((c for _, c in cells), default=1))}{max(rows, default=1)}"
    return (
        f'<worksheet xmlns="{_MAIN}"><dimension ref="A1:{last}"/>'
        f"<sheetData>{body}</sheetData></worksheet>"
    )


def minimal_xlsx(sheets: dict[str, dict[tuple[int, int], object]]) -> bytes:
    """Write sheets of ``{(row, column): value}`` as a minimal but valid ``.xlsx``."""
    names = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    members = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            + "".join(
                f'<sheet name={quoteattr(_XML_ILLEGAL.sub("", n))} sheetId="{i}" r:id="rId{i}"/>'
                for i, n in enumerate(names, start=1)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PKG_REL}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(names) + 1)
            )
            + f'<Relationship Id="rIdStyles" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            f'<styleSheet xmlns="{_MAIN}"><fonts count="1"><font/></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2">'
            '<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        ),
    }
    for i, name in enumerate(names, start=1):
        members[f"xl/worksheets/sheet{i}.xml"] = _sheet_xml(sheets[name])
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for member, text in members.items():
            archive.writestr(member, text.encode("utf-8"))
    return buffer.getvalue()
