"""Settings ``fiscal_year_start``: other calendars (April for India, January for calendar years)."""

from __future__ import annotations

import pytest
from tests.builders import WorkbookBuilder, valid_builder

from policybrief.errors import InputError
from policybrief.fiscal import fy_label, parse_fiscal_year, parse_month
from policybrief.workbook.reader import read_workbook_bytes


def _read(b: WorkbookBuilder):
    return read_workbook_bytes(b.to_fast_bytes(), source="book.xlsx")


def _errors(b: WorkbookBuilder) -> list[str]:
    with pytest.raises(InputError) as info:
        _read(b)
    return [p.format() for p in info.value.errors]


@pytest.mark.parametrize(
    ("value", "month"),
    [
        ("July", 7),
        ("jul", 7),
        ("Jul.", 7),
        ("APRIL", 4),
        ("January", 1),
        (1, 1),
        (4.0, 4),
        ("12", 12),
    ],
)
def test_month_names_and_numbers_are_read(value: object, month: int) -> None:
    assert parse_month(value) == month


@pytest.mark.parametrize("value", ["Ju", "Juneteenth", 0, 13, 4.5, True, "", "FY26"])
def test_what_is_not_a_month_is_refused(value: object) -> None:
    assert parse_month(value) is None


def test_calendar_years_are_labelled_by_the_year_and_spans_name_none() -> None:
    assert fy_label(2026, 1) == "2026"
    assert fy_label(2026, 4) == "FY26"
    assert fy_label(2026) == "FY26"
    assert parse_fiscal_year("2025-26", 1) is None
    assert parse_fiscal_year("2025-26", 4) == 2026
    assert parse_fiscal_year("2026", 1) == 2026


def test_default_is_july_and_labels_are_fy() -> None:
    inputs = _read(valid_builder())
    assert inputs.settings.fiscal_year_start == 7
    assert inputs.settings.year_label(2030) == "FY30"


@pytest.mark.parametrize(("value", "month"), [("April", 4), ("January", 1), (1, 1)])
def test_the_setting_is_read(value: object, month: int) -> None:
    b = valid_builder()
    b.settings["fiscal_year_start"] = value
    settings = _read(b).settings
    assert settings.fiscal_year_start == month
    assert settings.year_label(2030) == ("2030" if month == 1 else "FY30")


def test_a_calendar_year_workbook_refuses_a_span_in_every_year_cell() -> None:
    b = valid_builder()
    b.settings["fiscal_year_start"] = "January"
    b.settings["base_year"] = "2024-25"
    b.targets[0]["Fiscal year"] = "2027-28"
    b.history[0]["Fiscal year"] = "2020-21"
    b.levers[0]["Start year"] = "2025-26"
    found = _errors(b)
    hint = "write the year as 2026 (fiscal_year_start is January: years are calendar years)"
    for where, value in [
        ("Settings", "2024-25"),
        ("Targets", "2027-28"),
        ("History", "2020-21"),
        ("Levers", "2025-26"),
    ]:
        assert any(
            e.startswith(f"{where}!") and f"'{value}' is not a fiscal year" in e and hint in e
            for e in found
        ), (where, found)


def test_the_same_spans_read_in_a_july_workbook() -> None:
    b = valid_builder()
    b.settings["base_year"] = "2024-25"
    b.levers[0]["Start year"] = "2025-26"
    inputs = _read(b)
    assert inputs.settings.base_year == 2025
    assert inputs.levers[0].start_year == 2026


def test_a_month_that_is_not_one_is_refused_with_its_cell() -> None:
    b = valid_builder()
    b.settings["fiscal_year_start"] = "Juli"
    row = list(b.settings).index("fiscal_year_start") + 2
    (message,) = _errors(b)
    assert message.startswith(f"Settings!B{row}: fiscal_year_start: 'Juli' is not a month")
    assert "April (India), January (calendar years)" in message


def test_a_calendar_year_workbook_is_labelled_2026_through_the_console_script(tmp_path) -> None:
    import re
    import subprocess
    import sys
    from pathlib import Path

    from pptx import Presentation

    b = valid_builder()
    b.settings["fiscal_year_start"] = "January"
    book = tmp_path / "cal.xlsx"
    book.write_bytes(b.to_fast_bytes())
    script = Path(sys.executable).with_name("policybrief")
    done = subprocess.run(
        [str(script), "build", str(book), "--out", str(tmp_path / "out"), "--draws", "300"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert " in 2030 on central assumptions" in done.stdout
    folder = tmp_path / "out" / "cal"
    brief = (folder / "cal.md").read_text(encoding="utf-8")
    texts = [brief]
    for slide in Presentation(str(folder / "cal.pptx")).slides:
        texts += [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        texts.append(slide.notes_slide.notes_text_frame.text)
        for shape in slide.shapes:
            if shape.has_chart:
                texts += [str(c) for c in shape.chart.plots[0].categories]
    assert not [t for t in texts if re.search(r"\bFY\d", t)]
    assert "2026–2030" in brief
