"""Round trip: a dataset laid out as a workbook (``builder_from_inputs``) reads back as itself.

The canonical dataset (``factories.make_inputs()``), variants of it and Hypothesis-drawn
variations are written as workbooks and read with the real reader; the ``Inputs`` read must
equal the ``Inputs`` written, field by field, floats exactly (``WorkbookBuilder.to_fast_bytes``
writes a float's shortest repr; ``save`` goes through openpyxl, which writes 16 significant
digits: see the last test). Fields declared ``compare=False`` (``Scenario.cell``,
``Inputs.warnings``) are left out; a valid dataset must read without warnings.

What the reader normalises, so the datasets here are written in the form it returns:

- text is stripped; Confidence is ``High``/``Medium``/``Low``; a blank lever Name reads as
  the lever id; a blank Low or High (parameter or effect) reads as the Central;
- parameters come in ``BASELINE_PARAMETERS`` order and history sorted by year; a missing
  ``shock_sd`` row reads as ``Parameter("shock_sd", 0, 0, 0, description="(not given)")``
  without a cell;
- every scenario has an intensity for every lever (a blank one reads as 0);
- ``Parameter.cell`` and ``Correlation.cell`` say where the value was read
  (``Baseline!E6``, ``Correlations!C2``) and take part in equality, so datasets carry them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.builders import (
    builder_from_inputs,
    canonical_builder,
    valid_builder,
    valid_builder_inputs,
)
from tests.factories import (
    default_history,
    default_levers,
    default_scenarios,
    default_targets,
    make_inputs,
    replace_lever,
    replace_parameter,
    replace_settings,
)

from policybrief.domain import Correlation, Inputs
from policybrief.workbook.reader import read_workbook, read_workbook_bytes

if TYPE_CHECKING:
    from pathlib import Path

    from tests.builders import YearStyle


def differences(read: object, wrote: object, path: str = "inputs") -> list[str]:
    """Every field where ``read`` differs from ``wrote``: ``inputs.levers[skills].form: read
    'growth', wrote 'level'`` (tuple items named by their id, name, label or year)."""
    if dataclasses.is_dataclass(wrote) and type(read) is type(wrote):
        return [
            found
            for f in dataclasses.fields(wrote)
            if f.compare
            for found in differences(
                getattr(read, f.name), getattr(wrote, f.name), f"{path}.{f.name}"
            )
        ]
    if isinstance(wrote, tuple) and isinstance(read, tuple):
        if len(read) != len(wrote):
            return [f"{path}: read {len(read)} items, wrote {len(wrote)}: read {read!r}"]
        return [
            found
            for i, (r, w) in enumerate(zip(read, wrote, strict=True))
            for found in differences(r, w, f"{path}[{_name(w, i)}]")
        ]
    if isinstance(wrote, Mapping) and isinstance(read, Mapping):
        if read.keys() != wrote.keys():
            return [f"{path}: read keys {list(read)}, wrote {list(wrote)}"]
        return [found for k in wrote for found in differences(read[k], wrote[k], f"{path}[{k}]")]
    if read == wrote:
        return []
    return [f"{path}: read {read!r}, wrote {wrote!r}"]


def _name(item: object, index: int) -> object:
    for attr in ("id", "name", "label", "year"):
        if hasattr(item, attr):
            return getattr(item, attr)
    return index


def assert_reads_back(read: Inputs, wrote: Inputs) -> None:
    """``read`` equals ``wrote`` field by field, and the workbook gave no warnings."""
    found = differences(read, wrote)
    assert not found, "the workbook did not read back as written:\n" + "\n".join(found)
    assert read.warnings == (), [p.format() for p in read.warnings]
    assert read == wrote  # the dataclasses' own equality agrees


def round_trip(inputs: Inputs, *, years: YearStyle = "label", all_columns: bool = False) -> Inputs:
    """``inputs`` laid out by ``builder_from_inputs`` and read back (floats written exactly)."""
    builder = builder_from_inputs(inputs, years=years, all_columns=all_columns)
    return read_workbook_bytes(builder.to_fast_bytes(), source="roundtrip.xlsx")


# --- the canonical dataset and valid_builder ---------------------------------------------------


def test_the_canonical_workbook_reads_back_as_the_canonical_dataset(tmp_path: Path) -> None:
    path = canonical_builder().save(tmp_path / "canonical.xlsx")
    assert_reads_back(read_workbook(path), make_inputs())


@pytest.mark.parametrize("years", ["label", "span", "number"])
@pytest.mark.parametrize("all_columns", [False, True], ids=["used-columns", "all-columns"])
def test_every_year_style_and_layout_reads_back(years: YearStyle, all_columns: bool) -> None:
    b = canonical_builder(years=years, all_columns=all_columns)
    assert_reads_back(read_workbook_bytes(b.to_fast_bytes()), make_inputs())


def test_the_canonical_workbook_types_years_as_labels_and_leaves_v2_out() -> None:
    b = canonical_builder()
    assert b.settings["base_year"] == "FY2025"
    assert "fiscal_year_start" not in b.settings  # July, the default
    assert [t["Fiscal year"] for t in b.targets] == ["FY2028", "FY2030"]
    assert "Form" not in b.columns["Levers"]
    assert "Workforce" not in b.columns["History"]
    assert not b.correlations


def test_valid_builder_reads_back_as_its_inputs() -> None:
    # Its second target is typed FY2030 (text), the others as numbers; no shock_sd row.
    assert_reads_back(read_workbook_bytes(valid_builder().to_fast_bytes()), valid_builder_inputs())


# --- variants ----------------------------------------------------------------------------------

BASE = make_inputs()
CORRELATIONS = (
    Correlation("productivity_growth", "absorption_rate", 0.5, "Correlations!C2", "test"),
    Correlation("skills", "retention", -0.25, "Correlations!C3"),
)
V2_LEVERS = replace_lever(
    replace_lever(BASE, "skills", form="level", short_name="Skills", cost_share=0.015),
    "visas",
    short_name="Talent visas",
    cost_share=0.002,
    start_year=2027,
    end_year=2029,
)
VARIANTS = {
    "calendar years": replace_settings(BASE, fiscal_year_start=1),
    "April start": replace_settings(BASE, fiscal_year_start=4),
    "correlations": make_inputs(correlations=CORRELATIONS),
    "levers with Form, Cost share, Short name and years": V2_LEVERS,
    "history with workforce": make_inputs(
        history=[
            dataclasses.replace(h, workforce=90_000.0 + 2_500.5 * i)
            for i, h in enumerate(default_history())
        ]
    ),
    "no targets": make_inputs(targets=()),
    "every setting": make_inputs(
        subtitle="Sous-titre — ünïcode",
        author="A. Analyst",
        percentiles=(5, 25, 50, 75, 95),
        target_probability=0.8,
        goal_seek_max_scale=4.5,
        currency_label="EUR thousand",
        discount_rate=0.035,
    ),
    "a shock and notes": replace_parameter(
        replace_parameter(BASE, "shock_sd", value=0.05),
        "absorption_rate",
        notes="From the skills survey",
        confidence="Low",
    ),
    "no scenario descriptions": make_inputs(
        scenarios=[dataclasses.replace(s, description="") for s in default_scenarios()]
    ),
    "everything at once": make_inputs(
        fiscal_year_start=1,
        discount_rate=0.05,
        levers=V2_LEVERS.levers,
        correlations=CORRELATIONS,
        targets=default_targets()[1:],
        history=[dataclasses.replace(h, workforce=100_000.0) for h in default_history()],
    ),
}


@pytest.mark.parametrize("years", ["label", "span"])
@pytest.mark.parametrize("name", list(VARIANTS))
def test_a_variant_reads_back(name: str, years: YearStyle) -> None:
    assert_reads_back(round_trip(VARIANTS[name], years=years), VARIANTS[name])


def test_the_v2_layout_appears_only_where_used() -> None:
    b = builder_from_inputs(VARIANTS["everything at once"])
    assert b.columns["Levers"][:5] == ["Lever", "Name", "Short name", "Channel", "Form"]
    assert "Cost share" in b.columns["Levers"]
    assert "Effect unit" not in b.columns["Levers"]  # read by no one: all_columns only
    assert "Workforce" in b.columns["History"]
    assert b.settings["fiscal_year_start"] == "January"
    assert b.settings["base_year"] == 2025  # calendar years are typed as plain numbers
    assert len(b.correlations) == 2


def test_a_missing_shock_sd_row_is_left_out_again() -> None:
    read = round_trip(BASE)
    without = read_workbook_bytes(valid_builder().to_fast_bytes())
    assert read.parameter("shock_sd").cell == "Baseline!E13"
    assert without.parameter("shock_sd").cell == ""
    assert "shock_sd" not in [row["Parameter"] for row in builder_from_inputs(without).baseline]


# --- Hypothesis: variations of the canonical dataset -------------------------------------------

UNCERTAIN = ("productivity_growth", "absorption_rate", "emigration_rate", "skills", "retention")


@st.composite
def datasets(draw: st.DrawFn) -> Inputs:
    """The canonical dataset with its calendar, years, v2 fields, targets, history, scenario
    intensities, correlations and some exact floats varied."""
    start = draw(st.sampled_from([1, 4, 7]))
    base = draw(st.sampled_from([2000, 2025, 2099]))
    shift = base - 2025
    targets = [
        dataclasses.replace(t, year=t.year + shift)
        for t in default_targets()
        if draw(st.booleans())
    ]
    workforce = st.sampled_from([None, 100_000.0, 87_654.25])
    history = [
        dataclasses.replace(h, year=h.year + shift, workforce=draw(workforce))
        for h in default_history()
    ]
    levers = []
    for lever in default_levers():
        first = draw(st.sampled_from([None, base + 1, base + 3]))
        last = draw(st.sampled_from([None, base + 4]))  # never before ``first``
        levers.append(
            dataclasses.replace(
                lever,
                short_name=draw(st.sampled_from(["", lever.id.capitalize()])),
                cost_share=draw(st.sampled_from([0.0, 0.015]) | st.floats(0.001, 1.0)),
                form=draw(st.sampled_from(["growth", "level"]))
                if lever.channel == "productivity"
                else "growth",
                start_year=first,
                end_year=last,
            )
        )
    levers[0] = dataclasses.replace(levers[0], effect_central=draw(st.floats(0.005, 0.015)))
    # the reader refuses numbers between 0 and 1e-9 in size
    reform = draw(st.floats(0.0, 5.0).filter(lambda x: x == 0 or x >= 1e-6))
    scenarios = list(default_scenarios())
    scenarios[1] = dataclasses.replace(
        scenarios[1], intensities={**scenarios[1].intensities, "skills": reform}
    )
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(UNCERTAIN), st.sampled_from(UNCERTAIN)).filter(
                lambda p: p[0] != p[1]
            ),
            max_size=3,
            unique_by=frozenset,
        )
    )
    correlations = [
        Correlation(
            a,
            b,
            draw(st.floats(-0.9, 0.9).filter(lambda r: r == 0 or abs(r) >= 1e-6)),
            f"Correlations!C{i + 2}",
        )
        for i, (a, b) in enumerate(pairs)
    ]
    inputs = make_inputs(
        base_year=base,
        fiscal_year_start=start,
        discount_rate=draw(st.sampled_from([0.0, 0.05])),
        subtitle=draw(st.sampled_from(["", "Ünïcode — a subtitle"])),
        levers=levers,
        scenarios=scenarios,
        targets=targets,
        history=history,
        correlations=correlations,
    )
    growth = draw(st.floats(0.01, 0.05))
    return replace_parameter(inputs, "productivity_growth", central=growth)


@settings(max_examples=30, deadline=None)
@given(
    inputs=datasets(),
    years=st.sampled_from(["label", "span", "number"]),
    all_columns=st.booleans(),
)
def test_any_variation_of_the_canonical_dataset_reads_back(
    inputs: Inputs, years: YearStyle, all_columns: bool
) -> None:
    assert_reads_back(round_trip(inputs, years=years, all_columns=all_columns), inputs)


# --- what openpyxl's writer does to a float --------------------------------------------------


def test_save_through_openpyxl_rounds_a_float_to_16_significant_digits() -> None:
    """openpyxl writes numbers as ``"%.16g"``, so a float that needs 17 significant digits
    (most floats that are not short decimals) is rounded; ``to_fast_bytes`` writes its repr and
    the reader reads that exactly. The reader is exact either way: it reads what was written."""
    growth = 0.016105841276271245  # repr needs 17 digits
    assert float(f"{growth:.16g}") != growth
    inputs = replace_parameter(BASE, "productivity_growth", central=growth)
    b = builder_from_inputs(inputs)
    exact = read_workbook_bytes(b.to_fast_bytes()).parameter("productivity_growth").central
    rounded = read_workbook_bytes(b.to_bytes()).parameter("productivity_growth").central
    assert exact == growth
    assert rounded == float(f"{growth:.16g}") != growth
