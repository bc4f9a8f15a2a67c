"""The workbook's schema: every data sheet, its key column, its columns, units and formats.

One declaration that the reader (which columns it knows and which it requires), ``init``'s
writer (headers, widths, notes, number formats, input styling), the README sheet and the test
builders all use, so a column is added or renamed in one place. Sheet content rules (what a
value must be) stay with the sheet's reader; this module says only what the sheets look like.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DATA_SHEETS",
    "EFFECT_UNITS",
    "MONEY_UNIT",
    "Column",
    "SheetSpec",
    "headers",
    "required",
]

PERCENT = "0.0%"
EFFECT_PERCENT = "0.00%"
THOUSANDS = "#,##0"
MONEY = "#,##0.0"
YEAR = '"FY"0'
INTENSITY = "0.0#"

#: What an effect of 1 means, per channel (and form), in words (WORKBOOK.md).
EFFECT_UNITS = {
    ("productivity", "growth"): "+1.00 = +100 percentage points of yearly growth in revenue per "
    "worker (0.004 = 0.4 points)",
    ("productivity", "level"): "+1.00 = revenue per worker 100% higher while the lever is active",
    ("emigration", "growth"): "+1.00 = the emigration rate cut by 100% (a relative change)",
    ("absorption", "growth"): "+1.00 = +100 percentage points of graduates absorbed",
    ("inflow", "growth"): "+1 = one more entrant a year",
    ("realization", "growth"): "+1.00 = +100 percentage points of earnings recorded as exports",
}

#: Placeholder for the workbook's money unit in a column's unit (``Value (USD million)``).
MONEY_UNIT = "{money}"


@dataclass(frozen=True)
class Column:
    """One column of a data sheet: its header, how ``init`` writes it, and what it holds.

    ``header`` is what the reader matches (without a ``(unit)`` suffix, which it ignores);
    ``unit`` is shown after it by ``init``, ``{money}`` standing for the workbook's money unit.
    ``fmt`` is a number format, or ``"share"`` / ``"effect"`` / ``"setting"`` for formats
    decided per row (Baseline shares; lever effects by channel; each setting's own).
    """

    header: str
    key: str
    width: float
    meaning: str
    fmt: str | None = None
    is_input: bool = True
    wrap: bool = False
    unit: str = ""

    def title(self, money: str) -> str:
        """The header as ``init`` writes it: ``Cost per unit (USD million/yr)``."""
        if not self.unit:
            return self.header
        return f"{self.header} ({self.unit.replace(MONEY_UNIT, money)})"


@dataclass(frozen=True)
class SheetSpec:
    """One data sheet: its name, key column, Excel Table name, columns and required ones."""

    name: str
    key: str
    table: str
    columns: tuple[Column, ...]
    required: tuple[str, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        """Every column's header, in order."""
        return tuple(c.header for c in self.columns)


_COLUMNS: dict[str, tuple[Column, ...]] = {
    "Settings": (
        Column("Setting", "setting", 22, "Setting key (do not rename)", is_input=False),
        Column("Value", "value", 52, "The setting's value", "setting", wrap=True),
        Column("Notes", "notes", 70, "What the setting means", is_input=False, wrap=True),
    ),
    "Baseline": (
        Column("Parameter", "parameter", 22, "Model parameter (do not rename)", is_input=False),
        Column("Description", "description", 42, "What it is", is_input=False, wrap=True),
        Column("Unit", "unit", 12, "currency, persons, share or per year", is_input=False),
        Column("Low", "low", 12, "Low end of the range (blank = fixed)", "share"),
        Column("Central", "central", 12, "Best estimate (required)", "share"),
        Column("High", "high", 12, "High end of the range (blank = fixed)", "share"),
        Column("Source", "source", 40, "Web address of the source, or 'assumption'", wrap=True),
        Column("Confidence", "confidence", 12, "High, Medium or Low (dropdown)"),
        Column("Notes", "notes", 70, "How the value was derived", wrap=True),
    ),
    "Levers": (
        Column("Lever", "lever", 26, "Lever id, snake_case, unique"),
        Column("Name", "name", 34, "Name shown in the deck", wrap=True),
        Column(
            "Short name",
            "short_name",
            20,
            "At most 24 characters, for chart axes (blank = derived from Name)",
        ),
        Column(
            "Channel",
            "channel",
            14,
            "productivity, emigration, absorption, inflow or realization (dropdown)",
        ),
        Column(
            "Form",
            "form",
            10,
            "productivity only: growth (blank; adds to yearly growth) or level (raises the "
            "level once, while active) (dropdown)",
        ),
        Column("Unit", "unit", 40, "What an intensity of 1 means", wrap=True),
        Column(
            "Effect unit",
            "effect_unit",
            34,
            "What an effect of 1 means for this channel (filled in; for reading only)",
            is_input=False,
            wrap=True,
        ),
        Column("Effect low", "effect_low", 11, "Effect per unit, low", "effect"),
        Column("Effect central", "effect_central", 11, "Effect per unit, central", "effect"),
        Column("Effect high", "effect_high", 11, "Effect per unit, high", "effect"),
        Column("Lag", "lag", 9, "Years before the effect starts (≥ 0)", "0", unit="years"),
        Column("Ramp", "ramp", 9, "Years to full effect (≥ 1)", "0", unit="years"),
        Column("Saturation", "saturation", 11, "Blank = linear; S gives S·(1−exp(−x/S))", "0.0#"),
        Column(
            "Cost per unit",
            "cost_per_unit",
            14,
            "Fiscal cost a year per unit of intensity",
            MONEY,
            unit=MONEY_UNIT + "/yr",
        ),
        Column(
            "Cost share",
            "cost_share",
            10,
            "Fiscal cost per unit as a share of recorded exports, e.g. a tax expenditure "
            "(blank = 0)",
            EFFECT_PERCENT,
        ),
        Column(
            "Max intensity",
            "max_intensity",
            11,
            "Largest allowed intensity (blank = none)",
            INTENSITY,
        ),
        Column(
            "Start year",
            "start_year",
            10,
            "First fiscal year (blank = first projection year)",
            YEAR,
        ),
        Column("End year", "end_year", 10, "Last fiscal year (blank = none)", YEAR),
        Column("Source", "source", 40, "Evidence behind the effect, or 'assumption'", wrap=True),
        Column("Confidence", "confidence", 12, "High, Medium or Low (dropdown)"),
        Column("Notes", "notes", 70, "How the effect and cost were derived", wrap=True),
    ),
    "Scenario notes": (
        Column("Scenario", "scenario", 24, "Scenario name, as on the Scenarios header"),
        Column("Description", "description", 100, "One sentence for the deck", wrap=True),
    ),
    "Targets": (
        Column("Target", "target", 36, "Label of the target"),
        Column("Value", "value", 14, "Exports the target asks for", THOUSANDS, unit=MONEY_UNIT),
        Column("Fiscal year", "fiscal_year", 12, "Year it should be reached", YEAR),
        Column("Source", "source", 60, "Who set it, where", wrap=True),
    ),
    "History": (
        Column("Fiscal year", "fiscal_year", 12, "Fiscal year (≤ base year)", YEAR),
        Column("Exports", "exports", 14, "Recorded exports", MONEY, unit=MONEY_UNIT),
        Column("Workforce", "workforce", 12, "Recorded workforce (optional, persons)", THOUSANDS),
        Column("Definition", "definition", 50, "What the figure covers", wrap=True),
        Column("Source", "source", 60, "Where it was published", wrap=True),
    ),
    "Correlations": (
        Column("Input A", "input_a", 24, "A Baseline parameter name or a lever id"),
        Column("Input B", "input_b", 24, "Another one (a lever id means its effect)"),
        Column("Correlation", "correlation", 12, "Spearman rank correlation, -1 < ρ < 1", "0.00"),
        Column("Source", "source", 40, "Evidence, or 'assumption'", wrap=True),
        Column("Notes", "notes", 60, "Why the two move together", wrap=True),
    ),
}


_KEYS_AND_REQUIRED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "Settings": ("Setting", "tblSettings", ("Setting", "Value")),
    "Baseline": ("Parameter", "tblBaseline", ("Parameter", "Central")),
    "Levers": ("Lever", "tblLevers", ("Lever", "Channel", "Effect central")),
    "Scenarios": ("Lever", "tblScenarios", ("Lever",)),
    "Scenario notes": ("Scenario", "tblScenarioNotes", ("Scenario", "Description")),
    "Targets": ("Target", "tblTargets", ("Target", "Value", "Fiscal year")),
    "History": ("Fiscal year", "tblHistory", ("Fiscal year", "Exports")),
    "Correlations": ("Input A", "tblCorrelations", ("Input A", "Input B", "Correlation")),
}

#: Every data sheet, in the order ``init`` writes them. ``Scenarios`` is the one wide sheet:
#: its key column is ``Lever`` and every other header is a scenario's name.
DATA_SHEETS: dict[str, SheetSpec] = {
    name: SheetSpec(
        name,
        key,
        table,
        _COLUMNS.get(name, (Column(key, "lever", 26, "Lever id, as on the Levers sheet"),)),
        needed,
    )
    for name, (key, table, needed) in _KEYS_AND_REQUIRED.items()
}


def headers(sheet: str) -> tuple[str, ...]:
    """The headers the reader knows on ``sheet``."""
    return DATA_SHEETS[sheet].headers


def required(sheet: str) -> tuple[str, ...]:
    """The headers ``sheet`` must have."""
    return DATA_SHEETS[sheet].required
