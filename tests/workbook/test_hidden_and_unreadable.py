"""What openpyxl's values do not say: hidden data, unreadable cells, sheets nobody reads."""

from __future__ import annotations

import pytest
from tests import hostile
from tests.builders import valid_builder

from policybrief.errors import InputError
from policybrief.workbook.reader import read_workbook_bytes

BASELINE = "xl/worksheets/sheet2.xml"


def errors_of(data: bytes) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_workbook_bytes(data)
    return [p.format() for p in caught.value.errors]


@pytest.mark.parametrize(
    "text", [b"NaN", b"nan", b"inf", b"-Infinity", b"1,5", b"0x10", b"1" * 5000]
)
def test_text_in_a_number_cell_is_refused_at_its_cell(text):
    shown = text.decode()[:37]
    [message] = errors_of(hostile.value_in_number_cell(text))
    assert message.startswith(f"Baseline!E2: the cell holds '{shown}")
    assert "which is not a number as Excel writes it" in message


def test_an_unreadable_boolean_or_shared_text_is_refused_at_its_cell():
    data = hostile.edit(
        valid_builder().to_bytes(),
        BASELINE,
        b'<c r="E2" t="n"><v>3000</v></c>',
        b'<c r="E2" t="b"><v>yes</v></c>',
    )
    assert errors_of(data) == [
        (
            "Baseline!E2: the cell holds 'yes', which is not TRUE or FALSE as Excel writes it "
            "(hint: type the value again in Excel or LibreOffice (or clear the cell) and save)"
        )
    ]
    data = hostile.edit(
        valid_builder().to_bytes(),
        BASELINE,
        b'<c r="E2" t="n"><v>3000</v></c>',
        b'<c r="E2" t="s"><v>7</v></c>',
    )
    assert "Baseline!E2: the cell refers to shared text number 7" in errors_of(data)[0]


def test_other_sheets_are_still_read_when_one_holds_an_unreadable_cell():
    data = hostile.value_in_number_cell()
    b = valid_builder()
    b.levers[0]["Channel"] = "wages"
    data = hostile.rewrite(
        data, {"xl/worksheets/sheet3.xml": hostile.member(b.to_bytes(), "xl/worksheets/sheet3.xml")}
    )
    messages = errors_of(data)
    assert any(m.startswith("Baseline!E2: the cell holds 'NaN'") for m in messages)
    assert any(m.startswith("Levers!C2: unknown channel 'wages'") for m in messages)


def test_hidden_rows_and_columns_holding_data_are_read_with_a_warning():
    inputs = read_workbook_bytes(hostile.hidden_rows())
    assert inputs.parameter("workforce_base").central == 100_000
    assert [w.format() for w in inputs.warnings] == [
        (
            "Baseline: warning: hidden row 3 holds data, which is read like any other "
            "(hint: unhide it to check what the model uses; delete the row to leave it out)"
        ),
        (
            "Baseline: warning: hidden column E holds data, which is read like any other "
            "(hint: unhide it to check what the model uses; delete the column to leave it out)"
        ),
    ]


def test_hidden_empty_rows_and_zero_height_rows_are_told_apart():
    data = hostile.edit(
        valid_builder().to_bytes(),
        BASELINE,
        b"</sheetData>",
        b'<row r="40" hidden="1"/></sheetData>',
    )
    assert read_workbook_bytes(data).warnings == ()
    for attrs in (b'ht="0" customHeight="1"', b'hidden="true"'):
        data = valid_builder().to_bytes()
        for r in (4, 5, 6, 9):
            data = hostile.edit(
                data, BASELINE, b'<row r="%d">' % r, b'<row r="%d" %s>' % (r, attrs)
            )
        [warning] = read_workbook_bytes(data).warnings
        assert warning.message.startswith("hidden rows 4-6, 9 hold data")


@pytest.mark.parametrize(("state", "how"), [("hidden", "hidden"), ("veryHidden", "very hidden")])
def test_hidden_sheets_are_read_with_a_warning(state, how):
    data = hostile.edit(
        valid_builder().to_bytes(),
        "xl/workbook.xml",
        b'name="Levers" sheetId="3" state="visible"',
        b'name="Levers" sheetId="3" state="%s"' % state.encode(),
    )
    inputs = read_workbook_bytes(data)
    assert len(inputs.levers) == 3
    [warning] = inputs.warnings
    assert warning.format().startswith(f"Levers: warning: sheet 'Levers' is {how}")


def test_unknown_sheets_give_one_warning_however_many_there_are():
    inputs = read_workbook_bytes(hostile.many_sheets(900))
    [warning] = inputs.warnings
    assert warning.message.startswith("900 sheets are not ones policybrief reads and are ignored: ")
    assert warning.message.endswith("Extra 9, … (900 in all)")
    assert warning.count == 900


def test_a_stray_cell_far_to_the_right_costs_nothing():
    # openpyxl pads a row up to its last cell; XFD is column 16,384.
    rows = b"".join(
        b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (r, r) for r in range(20, 20_020)
    )
    data = hostile.edit(
        valid_builder().to_bytes(), BASELINE, b"</sheetData>", rows + b"</sheetData>"
    )
    assert read_workbook_bytes(data).parameter("exports_base").central == 3000


def test_twenty_thousand_bad_rows_give_a_few_lines_and_the_full_count():
    with pytest.raises(InputError) as caught:
        read_workbook_bytes(hostile.many_problems())
    err = caught.value
    assert len(err.problems) == 6
    assert err.error_count == 20_000
    assert err.problems[-1].message.startswith("and 19,995 more like this (at A15, A16")
