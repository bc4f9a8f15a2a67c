"""The results workbook's people-facing sheets (``Summary`` with charts, ``Assumptions``) and
how the whole file opens: openpyxl read-only, pandas, LibreOffice; bytes and inert text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import pandas as pd
import pdfplumber
import pytest
from numpy.testing import assert_allclose
from tests.factories import fake_results, make_inputs, replace_lever
from tests.libreoffice import convert, needs_soffice

from policybrief.domain import Scenario
from policybrief.report.charts import figure_sheets
from policybrief.report.reproducible import normalise_zip_bytes
from policybrief.report.story.assumptions import assumption_log
from policybrief.report.story.labels import final_exports
from policybrief.report.story.tables import assumptions_table
from policybrief.report.workbook.book import (
    SHEET_NAMES,
    SHEETS,
    results_workbook_bytes,
    write_results_workbook,
)
from policybrief.report.workbook.summary import OUT_OF_REACH

if TYPE_CHECKING:
    from policybrief.model.results import Results

HOSTILE = ('=HYPERLINK("http://x","click")', "+1", "http://x", "-2+3", "1e3")


def _seven_scenarios():
    inputs = make_inputs()
    extra = tuple(
        Scenario(f"Variant {i}", {"skills": 0.2 * i, "retention": 0.1 * i, "visas": 0.0})
        for i in range(1, 5)
    )
    return dataclasses.replace(inputs, scenarios=(*inputs.scenarios, *extra))


def _open(results: Results, tmp_path: Path) -> openpyxl.Workbook:
    path = write_results_workbook(results, tmp_path / "r.xlsx", manifest={"seed": 1})
    return openpyxl.load_workbook(path)


def _table(ws) -> tuple[list[str], list[tuple]]:
    """The scenario table: the header (up to its last cell) and the rows down to a blank."""
    rows = list(ws.iter_rows(values_only=True))
    header = [h for h in rows[0] if h is not None]
    body = []
    for row in rows[1:]:
        if row[0] is None:
            break
        body.append(row[: len(header)])
    return header, body


def test_summary_comes_first_with_one_row_per_scenario_and_the_engine_numbers(
    tmp_path: Path,
) -> None:
    results = fake_results(_seven_scenarios())
    header, rows = _table(_open(results, tmp_path)["Summary"])
    assert [r[0] for r in rows] == [sc.name for sc in results.scenarios]
    col = {name: i for i, name in enumerate(header)}
    assert len(header) == 8 + 2 * len(results.targets) + 11
    for row, sc in zip(rows, results.scenarios, strict=True):
        central, lo, hi = final_exports(results, sc)
        assert_allclose(row[2:6], [central, lo, hi, sc.cagr])
        for t in results.targets:
            assert_allclose(row[col[f"Chance: {t.label}"]], sc.outcomes[t.label].probability)
        assert_allclose(row[col["Fiscal cost, cumulative (USD million)"]], sc.pv_cost)
        ratio = row[col["Exports per extra fiscal dollar"]]
        if sc.name == results.inputs.settings.baseline_scenario:
            assert ratio is None
        else:
            assert_allclose(ratio, sc.gain_per_fiscal_dollar)
    roles = {r[0]: r[1] for r in rows}
    assert roles["Reform"] == "headline"
    assert roles["Current policy"] == "baseline"
    assert header[2] == "FY30 exports, central (USD million)"
    assert header[6:8] == [
        "FY30 gain over Current policy (USD million)",
        "FY30 gain over Current policy, share of its exports",
    ]
    assert header[3:5] == ["FY30 exports, P10 (USD million)", "FY30 exports, P90 (USD million)"]


def test_summary_carries_the_gain_cost_return_make_up_and_emigration_of_each_scenario(
    tmp_path: Path,
) -> None:
    """The per-scenario figures the deck and the brief show (the number-trace guard reads them
    here); what is measured against the baseline is blank on the baseline's row."""
    inputs = _seven_scenarios()
    results = fake_results(inputs)
    base = results.baseline
    scenarios = tuple(
        sc
        if sc is base
        else dataclasses.replace(
            sc,
            pv_extra_cost=11.0 + i,
            pv_gain=22.0 + i,
            return_on_earnings=1.5 + i,
            gain_new_earnings=16.0 + i,
            gain_reclassification=6.0,
            costless_share=0.25,
            emigrants_averted=300.0 + i,
        )
        for i, sc in enumerate(results.scenarios)
    )
    results = dataclasses.replace(results, scenarios=scenarios)
    header, rows = _table(_open(results, tmp_path)["Summary"])
    col = {name: i for i, name in enumerate(header)}
    base_final = float(base.central["exports"][-1])
    pv = ", cumulative (USD million)"
    for row, sc in zip(rows, results.scenarios, strict=True):
        cost = sum(
            lv.cost_per_unit * inputs.scenario(sc.name).intensity(lv.id) for lv in inputs.levers
        )
        assert_allclose(
            row[
                col[
                    "Fixed fiscal cost a year at full ramp (USD million; costs as a share of exports on top)"
                ]
            ],
            cost,
        )
        emigrants = float(sc.central["emigrants"][1:].sum())
        assert_allclose(row[col["Emigrants, FY26–FY30"]], emigrants)
        against = [
            row[col["FY30 gain over Current policy (USD million)"]],
            row[col["FY30 gain over Current policy, share of its exports"]],
            row[col[f"Extra fiscal cost over Current policy{pv}"]],
            row[col[f"Gain over Current policy{pv}"]],
            row[col["Export earnings per extra fiscal dollar"]],
            row[col[f"Gain from new earnings{pv}"]],
            row[col[f"Gain from existing earnings now recorded{pv}"]],
            row[col["Share of the FY30 gain from levers that cost nothing"]],
            row[col["Emigrants averted against Current policy, FY26–FY30"]],
        ]
        if sc is base:
            assert against == [None] * len(against)
            continue
        gain = float(sc.central["exports"][-1]) - base_final
        expected = [
            gain,
            gain / base_final,
            sc.pv_extra_cost,
            sc.pv_gain,
            sc.return_on_earnings,
            sc.gain_new_earnings,
            sc.gain_reclassification,
            sc.costless_share,
            sc.emigrants_averted,
        ]
        assert_allclose(against, expected)
    assert any(
        cost
        for cost in (
            r[
                col[
                    "Fixed fiscal cost a year at full ramp (USD million; costs as a share of exports on top)"
                ]
            ]
            for r in rows
        )
    )


def test_summary_words_an_out_of_reach_target_and_a_year_after_the_horizon(
    tmp_path: Path,
) -> None:
    results = fake_results(make_inputs())
    head = results.headline
    first, second = results.targets
    outcomes = dict(head.outcomes)
    outcomes[first.label] = dataclasses.replace(outcomes[first.label], feasible=False)
    outcomes[second.label] = dataclasses.replace(outcomes[second.label], year_p50=2029)
    scenarios = tuple(
        dataclasses.replace(sc, outcomes=outcomes) if sc is head else sc for sc in results.scenarios
    )
    results = dataclasses.replace(results, scenarios=scenarios)
    ws = _open(results, tmp_path)["Summary"]
    header, rows = _table(ws)
    row = rows[[sc.name for sc in results.scenarios].index(head.name)]
    col = {name: i for i, name in enumerate(header)}
    assert row[col[f"Chance: {first.label}"]] == OUT_OF_REACH
    assert row[col[f"Year reached in half the draws: {first.label}"]] == "not by FY30"
    assert row[col[f"Year reached in half the draws: {second.label}"]] == 2029
    chance = ws.cell(row=2, column=col[f"Chance: {second.label}"] + 1)
    assert chance.number_format == '[<0.005]"<1%";[>0.995]">99%";0%'
    assert ws.freeze_panes == "B2"


def _chart_parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {
            name: z.read(name).decode()
            for name in sorted(z.namelist())
            if re.fullmatch(r"xl/charts/chart\d+\.xml", name)
        }


def _cells(wb: openpyxl.Workbook, ref: str) -> list[float | None]:
    """Values of a chart reference such as ``Summary!$C$30:$C$40``."""
    sheet, cells = ref.split("!")
    return [c.value for row in wb[sheet.strip("'")][cells.replace("$", "")] for c in row]


def test_summary_charts_plot_history_every_scenario_and_the_headline_fan(tmp_path: Path) -> None:
    results = fake_results(_seven_scenarios())
    data = results_workbook_bytes(results)
    charts = _chart_parts(data)
    assert list(charts) == ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]
    outlook, fan = charts.values()
    assert "<c:lineChart>" in outlook
    assert outlook.count("<c:ser>") == 1 + len(results.scenarios)
    assert "<c:areaChart>" in fan
    assert "<c:lineChart>" in fan
    assert fan.count("<c:ser>") == 4  # hidden low, band, median, central path
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = z.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    assert "drawing1.xml" in rels  # both charts sit on the first sheet, Summary
    path = tmp_path / "r.xlsx"
    path.write_bytes(data)
    wb = openpyxl.load_workbook(path)
    values = re.findall(r"<c:val><c:numRef><c:f>([^<]+)</c:f>", outlook)
    history = [v for v in _cells(wb, values[0]) if v is not None]
    assert_allclose(history, [h.exports for h in results.inputs.history])
    for ref, sc in zip(values[1:], results.scenarios, strict=True):
        path_values = [v for v in _cells(wb, ref) if v is not None]
        assert_allclose(path_values, sc.central["exports"])
    fan_values = re.findall(r"<c:val><c:numRef><c:f>([^<]+)</c:f>", fan)
    low, width, median, central = (_cells(wb, ref) for ref in fan_values)
    head = results.headline
    assert_allclose(low, head.percentiles[10]["exports"])
    assert_allclose(
        [a + b for a, b in zip(low, width, strict=True)], head.percentiles[90]["exports"]
    )
    assert_allclose(median, head.percentiles[50]["exports"])
    assert_allclose(central, head.central["exports"])


def test_assumptions_sheet_has_every_row_of_the_log_in_the_decks_order(tmp_path: Path) -> None:
    results = fake_results(make_inputs())
    rows = list(_open(results, tmp_path)["Assumptions"].iter_rows(min_row=2, values_only=True))
    inputs = results.inputs
    assert len(rows) == len(inputs.parameters) + len(inputs.levers)
    log = assumption_log(results)
    assert [r[0] for r in rows] == [a.name for a in log]
    names = {p.name for p in inputs.parameters} | {f"{lv.id} effect" for lv in inputs.levers}
    assert {r[0] for r in rows} == names
    by_name = {r[0]: r for r in rows}
    p = inputs.parameters[0]
    assert by_name[p.name][2:9] == (
        p.unit,
        p.central,
        p.low,
        p.high,
        p.uncertain,
        p.source,
        p.confidence,
    )
    lv = inputs.levers[0]
    assert by_name[f"{lv.id} effect"][3] == lv.effect_central
    deck = assumptions_table(results)  # every row, in the same order (continued slides)
    assert [r[0] for r in deck.rows] == [r[1] for r in rows]


def test_a_high_impact_low_confidence_input_is_flagged_in_the_sheet(tmp_path: Path) -> None:
    inputs = make_inputs()
    results = fake_results(inputs)
    top = results.sensitivity[0].parameter
    lever_id = top.removesuffix(" effect")
    if lever_id != top:
        inputs = replace_lever(inputs, lever_id, confidence="Low")
    else:
        params = tuple(
            dataclasses.replace(p, confidence="Low") if p.name == top else p
            for p in inputs.parameters
        )
        inputs = dataclasses.replace(inputs, parameters=params)
    results = dataclasses.replace(results, inputs=inputs)
    rows = list(_open(results, tmp_path)["Assumptions"].iter_rows(min_row=2, values_only=True))
    flags = {r[0]: r[10] for r in rows}
    assert flags[top] == "High impact, low confidence"
    assert all(flag is None for name, flag in flags.items() if name != top)


def test_every_sheet_opens_in_openpyxl_read_only_mode_and_in_pandas(tmp_path: Path) -> None:
    results = fake_results(_seven_scenarios())
    path = write_results_workbook(results, tmp_path / "r.xlsx", manifest={"seed": 1})
    wb = openpyxl.load_workbook(path, read_only=True)
    names = [*SHEET_NAMES, *(name for name, _ in figure_sheets(results))]
    assert wb.sheetnames == names
    for name in names:
        ws = wb[name]
        assert ws.max_row is not None, name  # sized: no "Worksheet is unsized"
        assert ws.max_row == sum(1 for _ in ws.iter_rows()), name
    wb.close()
    frames = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    assert list(frames) == names
    summary = frames["Summary"]
    assert list(summary["Scenario"][: len(results.scenarios)]) == [
        sc.name for sc in results.scenarios
    ]
    for name, columns in SHEETS.items():
        assert list(frames[name].columns) == list(columns), name


def test_two_writes_are_byte_identical_before_and_after_normalising() -> None:
    results = fake_results(_seven_scenarios())
    first = results_workbook_bytes(results, manifest={"seed": 1})
    second = results_workbook_bytes(results, manifest={"seed": 1})
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        # Not the wall clock: the placeholder that normalising replaces with the build time.
        assert "1980-01-01T00:00:00Z" in z.read("docProps/core.xml").decode()
    when = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    assert normalise_zip_bytes(first, when) == normalise_zip_bytes(second, when)
    with zipfile.ZipFile(io.BytesIO(normalise_zip_bytes(first, when))) as z:
        core = z.read("docProps/core.xml").decode()
    assert "2026-03-01T12:00:00Z" in core


def test_formula_link_and_number_like_text_stays_text_everywhere(tmp_path: Path) -> None:
    inputs = make_inputs()
    stretch = inputs.scenarios[2]
    renamed = dataclasses.replace(stretch, name=HOSTILE[0])
    inputs = dataclasses.replace(inputs, scenarios=(*inputs.scenarios[:2], renamed))
    for lever, text in zip(inputs.levers, HOSTILE[1:], strict=False):
        inputs = replace_lever(inputs, lever.id, source=text, name=text)
    first = dataclasses.replace(inputs.parameters[0], source=HOSTILE[-1])
    inputs = dataclasses.replace(inputs, parameters=(first, *inputs.parameters[1:]))
    data = results_workbook_bytes(fake_results(inputs))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in xml for xml in parts)  # no formula anywhere
    assert not any("hyperlink" in xml for xml in parts)  # no link, nor its relationship
    path = tmp_path / "r.xlsx"
    path.write_bytes(data)
    wb = openpyxl.load_workbook(path)
    found = {}
    for name in ("Summary", "Assumptions", "Inputs"):
        for row in wb[name].iter_rows():
            for cell in row:
                if cell.value in HOSTILE:
                    found.setdefault(cell.value, set()).add(cell.data_type)
    assert set(found) == set(HOSTILE)
    assert all(kinds == {"s"} for kinds in found.values())
    # The chart names its series by the header cell, never by the text itself.
    assert HOSTILE[0].replace('"', "&quot;") not in "".join(_chart_parts(data).values())


@needs_soffice
@pytest.mark.render
def test_libreoffice_converts_the_workbook_and_draws_the_summary_charts(tmp_path: Path) -> None:
    results = fake_results(_seven_scenarios())
    path = write_results_workbook(results, tmp_path / "r.xlsx", manifest={"seed": 1})
    out = tmp_path / "pdf"
    out.mkdir()
    pdf = convert(path, "pdf", out)
    with pdfplumber.open(pdf) as doc:
        first = doc.pages[0].extract_text()
    assert "IT exports: history and central path of each scenario" in first
    assert "Reform: P10–P90 range and median" in first
    for sc in results.scenarios:
        assert sc.name in first


def test_the_readme_lists_every_sheet_of_the_results_workbook_in_order() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `<stem>-results.xlsx`"))
    listed = [name for name in re.findall(r"`(\w+)`", row) if name != "stem"]
    assert listed == list(SHEET_NAMES)


@pytest.mark.parametrize(
    "overrides",
    [
        {"horizon": 1, "targets": (), "history": ()},
        {"horizon": 30, "percentiles": (5, 95)},
    ],
    ids=["one-year-no-targets-no-history", "thirty-years-no-median"],
)
def test_summary_fits_any_horizon_targets_and_percentiles(tmp_path: Path, overrides) -> None:
    results = fake_results(make_inputs(**overrides))
    header, rows = _table(_open(results, tmp_path)["Summary"])
    assert len(rows) == len(results.scenarios)
    assert len(header) == 8 + 2 * len(results.targets) + 11
    low, high = results.inputs.settings.band
    assert header[3].startswith(f"FY{results.inputs.settings.final_year % 100:02d} exports, P{low}")
    fan = list(_chart_parts(results_workbook_bytes(results)).values())[1]
    assert fan.count("<c:ser>") == 4
    assert_allclose(rows[0][3], results.scenarios[0].percentiles[low]["exports"][-1])
    assert_allclose(rows[0][4], results.scenarios[0].percentiles[high]["exports"][-1])


def test_a_headline_name_that_reads_like_a_reference_stays_text_in_the_charts() -> None:
    inputs = make_inputs()
    name = "Plan!A1 =SUM(B2)"
    scenarios = tuple(
        dataclasses.replace(sc, name=name) if sc.name == "Reform" else sc for sc in inputs.scenarios
    )
    inputs = dataclasses.replace(inputs, scenarios=scenarios)
    inputs = dataclasses.replace(
        inputs, settings=dataclasses.replace(inputs.settings, headline_scenario=name)
    )
    charts = _chart_parts(results_workbook_bytes(fake_results(inputs)))
    references = re.findall(r"<c:f>([^<]+)</c:f>", "".join(charts.values()))
    assert references
    assert all(re.fullmatch(r"Summary!\$[A-Z]+\$\d+(:\$[A-Z]+\$\d+)?", ref) for ref in references)
    # The name is there only as the cached text of a referenced cell.
    assert "Plan!" not in re.sub(r"<c:v>[^<]*</c:v>", "", "".join(charts.values()))
