"""The shipped Pakistan example: content, calibration and round trips (init, shipped, LibreOffice)."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import pytest
from tests.libreoffice import convert, needs_soffice

from policybrief.model import run
from policybrief.workbook import read_workbook, write_workbook

SHIPPED = Path(__file__).resolve().parents[2] / "workbooks" / "pakistan_it_exports.xlsx"
SCENARIOS = {"Current policy", "Reform package", "Digital push"}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pakistan") / "pakistan.xlsx"
    write_workbook(path, example="pakistan")
    return path


@pytest.fixture(scope="module")
def inputs(fresh: Path):
    return read_workbook(fresh)


def _flatten(value: object, prefix: str = "") -> dict[str, object]:
    """Inputs as ``path -> scalar`` (floats compared approximately by the caller)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, object] = {}
        for f in dataclasses.fields(value):
            if f.compare:
                out.update(_flatten(getattr(value, f.name), f"{prefix}.{f.name}"))
        return out
    if isinstance(value, dict):
        out = {}
        for key in sorted(value):
            out.update(_flatten(value[key], f"{prefix}[{key}]"))
        return out
    if isinstance(value, tuple | list):
        out = {}
        for i, item in enumerate(value):
            out.update(_flatten(item, f"{prefix}[{i}]"))
        return out
    return {prefix: value}


def assert_same_inputs(actual, expected) -> None:
    got, want = _flatten(actual), _flatten(expected)
    assert got.keys() == want.keys()
    for key, value in want.items():
        if isinstance(value, float) and not isinstance(got[key], str):
            assert got[key] == pytest.approx(value, rel=1e-12, abs=1e-12), key
        else:
            assert got[key] == value, key


def test_shipped_workbook_reads_to_the_same_inputs_as_a_fresh_init(inputs):
    assert_same_inputs(read_workbook(SHIPPED), inputs)


def test_example_has_ten_levers_the_required_scenarios_three_targets_and_history(inputs):
    assert len(inputs.levers) >= 10
    assert {s.name for s in inputs.scenarios} >= SCENARIOS
    assert {t.value for t in inputs.targets} == {25000, 10000, 15000}
    assert [p.year for p in inputs.history] == list(range(2016, 2026))
    assert inputs.history[-1].exports == inputs.parameter("exports_base").central == 3810


def test_settings_name_the_base_year_horizon_and_scenarios(inputs):
    s = inputs.settings
    assert (s.base_year, s.horizon, s.draws) == (2025, 10, 10000)
    assert (s.baseline_scenario, s.headline_scenario) == ("Current policy", "Reform package")
    assert s.percentiles == (10, 50, 90)
    assert "illustrative" in s.organisation


def test_every_number_has_a_source_and_a_confidence(inputs):
    for p in inputs.parameters:
        assert p.source, p.name
        assert p.confidence in {"High", "Medium", "Low"}, p.name
    for lever in inputs.levers:
        assert lever.source, lever.id
        assert lever.confidence in {"High", "Medium", "Low"}, lever.id
    for target in inputs.targets:
        assert target.source, target.label
    assert all(point.source for point in inputs.history)


def test_the_harmful_lever_has_a_negative_effect_and_intensities_are_never_negative(inputs):
    shutdowns = inputs.lever("internet_shutdowns")
    assert shutdowns.effect_low <= shutdowns.effect_central <= shutdowns.effect_high < 0
    for scenario in inputs.scenarios:
        assert all(x >= 0 for x in scenario.intensities.values()), scenario.name


def test_every_scenario_has_a_one_sentence_note(inputs):
    for scenario in inputs.scenarios:
        assert scenario.description.endswith("."), scenario.name


def test_current_policy_central_growth_sits_between_the_3_and_5_year_historical_cagrs(inputs):
    history = {p.year: p.exports for p in inputs.history}
    base = inputs.settings.base_year
    cagr_3 = (history[base] / history[base - 3]) ** (1 / 3) - 1
    cagr_5 = (history[base] / history[base - 5]) ** (1 / 5) - 1
    results = run(inputs, draws=200)
    assert results.historical_cagr is not None
    assert cagr_3 < results.baseline_cagr < cagr_5
    # near the middle, not at an edge
    assert abs(results.baseline_cagr - (cagr_3 + cagr_5) / 2) < 0.25 * (cagr_5 - cagr_3)
    assert math.isclose(cagr_3, 0.1330, abs_tol=5e-4)
    assert math.isclose(cagr_5, 0.2148, abs_tol=5e-4)


def test_the_25bn_target_is_not_made_to_look_reachable(inputs):
    results = run(inputs, draws=200)
    pm = next(t for t in results.targets if t.value == 25000)
    assert pm.required_growth > 0.5
    assert results.headline.target_probability[pm.label] < 0.05


@pytest.fixture(scope="module")
def pakistan_results(inputs):
    return run(inputs, draws=4000)


def test_the_base_workforce_no_longer_drives_the_tornado_with_the_wrong_sign(pakistan_results):
    """Model v2: other entrants are a share of the workforce, so a larger measured sector is no
    longer the top input with a lower outcome (v1: $38.7bn at 300,000 against $18.4bn)."""
    top = pakistan_results.sensitivity[0]
    assert top.parameter != "workforce_base"
    assert top.exports_at_high > top.exports_at_low  # a positive sign
    workforce = next(r for r in pakistan_results.sensitivity if r.parameter == "workforce_base")
    v1_swing = 38_700 - 18_400
    assert workforce.swing < v1_swing / 2


def test_a_target_beyond_the_ranges_is_out_of_reach_in_words_never_a_percentage(
    pakistan_results,
):
    from policybrief.report.story import messages

    pm = next(t for t in pakistan_results.targets if t.value == 25000)
    outcome = pakistan_results.headline.outcomes[pm.label]
    assert not outcome.feasible
    assert outcome.corner_exports < pm.value
    text = " ".join(messages.key_messages(pakistan_results))
    assert (
        "PM target: $25bn IT exports (by FY29): out of reach within the workbook's ranges" in text
    )
    for line in messages.key_messages(pakistan_results):
        assert not re.search(r"(?<![\d.])(0|100)%", line), line


@pytest.mark.render
@needs_soffice
def test_a_libreoffice_resave_reads_to_the_same_inputs(fresh: Path, inputs, tmp_path: Path):
    out = tmp_path / "out"
    convert(fresh, "xlsx", out)
    assert_same_inputs(read_workbook(out / fresh.name), inputs)
