"""Adversarial and wrong files: each is refused quickly, with exit 2 and a clear message."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from tests import hostile
from tests.builders import valid_builder
from tests.corpus import BILLION_LAUGHS, rewrite, zip_of

from policybrief.cli import main
from policybrief.errors import InputError
from policybrief.workbook import budget, reader, safety
from policybrief.workbook.reader import read_workbook_bytes


def refused_file(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["validate", str(path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    return err


def refused_bytes(data: bytes, tmp_path: Path, capsys, name: str = "book.xlsx") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return refused_file(path, capsys)


def test_missing_path_is_refused(tmp_path, capsys):
    assert "file not found" in refused_file(tmp_path / "nope.xlsx", capsys)


def test_a_folder_without_workbooks_is_refused(tmp_path, capsys):
    # a folder on the command line means "every workbook in it" (nox -s brief builds workbooks/)
    assert "no .xlsx workbook in" in refused_file(tmp_path, capsys)


def test_reading_a_folder_as_a_workbook_is_refused(tmp_path):
    from policybrief.errors import InputError
    from policybrief.workbook import read_workbook

    with pytest.raises(InputError, match="is a folder, not a workbook file"):
        read_workbook(tmp_path)


def test_empty_file_is_refused(tmp_path, capsys):
    assert "the file is empty (0 bytes)" in refused_bytes(b"", tmp_path, capsys)


def test_encrypted_or_legacy_xls_asks_to_remove_the_password(tmp_path, capsys):
    ole = safety.OLE2_MAGIC + b"\x00" * 504
    err = refused_bytes(ole, tmp_path, capsys, "book.xls")
    assert "password-protected (encrypted) workbook or a legacy .xls" in err
    assert "remove the password / save as .xlsx" in err


def test_csv_renamed_to_xlsx_is_refused(tmp_path, capsys):
    err = refused_bytes(b"Setting,Value\ntitle,Test\n", tmp_path, capsys)
    assert "a text file (perhaps a .csv renamed to .xlsx)" in err


def test_truncated_zip_is_refused(tmp_path, capsys):
    data = valid_builder().to_bytes()
    err = refused_bytes(data[: len(data) // 2], tmp_path, capsys)
    assert "damaged or truncated" in err


def test_xlsb_asks_to_save_as_xlsx(tmp_path, capsys):
    data = zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x00\x01"})
    err = refused_bytes(data, tmp_path, capsys, "book.xlsb")
    assert "this is an .xlsb (binary) workbook" in err
    assert "save it as Excel Workbook (.xlsx)" in err


def test_ods_asks_to_save_as_xlsx(tmp_path, capsys):
    data = zip_of(
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<a/>"}
    )
    err = refused_bytes(data, tmp_path, capsys, "book.ods")
    assert "OpenDocument (.ods)" in err


def test_zip_without_a_workbook_is_refused(tmp_path, capsys):
    err = refused_bytes(zip_of({"hello.txt": b"hi"}), tmp_path, capsys)
    assert "no xl/workbook.xml" in err


def test_zip_bomb_member_is_refused_by_its_compression_ratio(tmp_path, capsys):
    bomb = b"\x00" * (20 * 2**20)
    data = rewrite(valid_builder().to_bytes(), {"xl/media/bomb.bin": bomb})
    err = refused_bytes(data, tmp_path, capsys)
    assert "xl/media/bomb.bin is compressed" in err
    assert "possible zip bomb" in err


def test_total_declared_size_above_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(safety, "MAX_TOTAL_UNCOMPRESSED", 1000)
    with pytest.raises(InputError, match=r"would unpack to .* possible zip bomb"):
        read_workbook_bytes(valid_builder().to_bytes())


def test_too_many_zip_members_are_refused(monkeypatch):
    monkeypatch.setattr(safety, "MAX_MEMBERS", 5)
    with pytest.raises(InputError, match=r"the zip holds \d+ files \(limit 5\)"):
        read_workbook_bytes(valid_builder().to_bytes())


def test_huge_sheet_dimension_is_refused(tmp_path, capsys):
    data = valid_builder().to_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml")
    huge = sheet.replace(b'<dimension ref="A1:I12"/>', b'<dimension ref="A1:I1048576"/>')
    assert huge != sheet
    err = refused_bytes(rewrite(data, {"xl/worksheets/sheet2.xml": huge}), tmp_path, capsys)
    assert "declares 1,048,576 rows (limit 100,000)" in err


def test_billion_laughs_sheet_is_refused(tmp_path, capsys):
    data = rewrite(valid_builder().to_bytes(), {"xl/worksheets/sheet1.xml": BILLION_LAUGHS})
    err = refused_bytes(data, tmp_path, capsys)
    assert "declares XML entities or a DTD" in err


def test_entity_declaration_after_a_long_comment_is_refused_by_defusedxml(tmp_path, capsys):
    # The prologue scan only looks at the first bytes; past it, defusedxml must refuse.
    padded = BILLION_LAUGHS.replace(
        b'<?xml version="1.0"?>', b'<?xml version="1.0"?><!--' + b"x" * 10_000 + b"-->"
    )
    data = rewrite(valid_builder().to_bytes(), {"xl/worksheets/sheet1.xml": padded})
    err = refused_bytes(data, tmp_path, capsys)
    assert "declares entities (EntitiesForbidden)" in err


def test_external_entity_in_workbook_xml_is_refused(tmp_path, capsys):
    data = valid_builder().to_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook = archive.read("xl/workbook.xml")
    evil = b'<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + workbook
    err = refused_bytes(rewrite(data, {"xl/workbook.xml": evil}), tmp_path, capsys)
    assert "declares XML entities or a DTD" in err


def test_damaged_xml_inside_a_valid_zip_is_a_problem_not_a_traceback(tmp_path, capsys):
    data = rewrite(valid_builder().to_bytes(), {"xl/worksheets/sheet3.xml": b"<worksheet><oops"})
    err = refused_bytes(data, tmp_path, capsys)
    assert "cannot read the file" in err


def test_xlsm_is_read_as_data(tmp_path):
    path = tmp_path / "book.xlsm"
    path.write_bytes(valid_builder().to_bytes())
    assert reader.read_workbook(path).settings.title == "Test brief"


def test_rows_past_the_limit_without_a_dimension_are_refused_before_parsing(tmp_path, capsys):
    # No <dimension>: openpyxl would parse the whole sheet just to size it.
    data = valid_builder().to_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
    rows = "".join(f'<row r="{i}"/>' for i in range(50, 150_050))
    body = re.sub(r"<dimension[^>]*/>", "", sheet).replace("</sheetData>", rows + "</sheetData>")
    err = refused_bytes(
        rewrite(data, {"xl/worksheets/sheet2.xml": body.encode()}), tmp_path, capsys
    )
    assert "holds more than 100,000 rows" in err
    assert err.count("\n") <= 3  # one clear message, not one per row


@pytest.mark.parametrize("chunk", [7, 100, 4096])
def test_element_counting_sees_tags_split_across_read_chunks(monkeypatch, chunk):
    monkeypatch.setattr(budget, "CHUNK_BYTES", chunk)
    body = (
        b"<?xml version='1.0'?><x:sheetData xmlns:x='u'><!-- <c> -->"
        + b"".join(b'<x:row r="%d"><c r="A%d"><v>1</v></c></x:row>' % (i, i) for i in range(3000))
        + b"</x:sheetData>"
    )
    data = zip_of({"xl/elsewhere/sheet.bin": body})
    tally = budget._Tally()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert budget._scan(archive, archive.getinfo("xl/elsewhere/sheet.bin"), tally) is None
    # what looks like a tag inside a comment counts too: the count is an upper bound
    assert tally.by_name == {b"sheetData": 1, b"row": 3000, b"c": 3001, b"v": 3000}
    assert tally.elements == 9002
    assert tally.other == 1


def test_a_device_is_refused_without_reading_it(tmp_path, capsys):
    link = tmp_path / "zero.xlsx"
    link.symlink_to("/dev/zero")
    assert "is a device, not a workbook file" in refused_file(link, capsys)
    assert "is a device" in refused_file(Path("/dev/zero"), capsys)


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path, capsys):
    pipe = tmp_path / "pipe.xlsx"
    os.mkfifo(pipe)
    assert "is a named pipe (FIFO), not a workbook file" in refused_file(pipe, capsys)


def test_a_symbolic_link_to_a_workbook_is_read(tmp_path):
    target = tmp_path / "real.xlsx"
    target.write_bytes(valid_builder().to_bytes())
    link = tmp_path / "link.xlsx"
    link.symlink_to(target)
    assert reader.read_workbook(link).settings.title == "Test brief"


def test_a_file_larger_than_its_stated_size_is_read_only_up_to_the_limit(monkeypatch):
    # Files under /proc state a size of 0; reading stops one byte past the limit regardless.
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 10)
    with pytest.raises(InputError, match="file is larger than"):
        safety.read_file_bytes(Path("/proc/self/status"))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: hostile.styles_bomb(20_001), "holds more than 20,000 cell formats"),
        (lambda: hostile.shared_strings_bomb(50_001), "more than 50,000 shared strings"),
        (lambda: hostile.defined_names_bomb(10_001), "more than 10,000 defined names"),
        (lambda: hostile.many_sheets(1_001), "more than 1,000 sheets"),
        (lambda: hostile.big_sheet(16_667, 3), "sheet4.xml holds more than 50,000 cells"),
        (lambda: hostile.moved_sheet(100_001), "baseline.bin holds more than 100,000 rows"),
    ],
)
def test_the_pre_parse_budget_refuses_each_kind_of_bomb(make, message):
    with pytest.raises(InputError, match=message) as caught:
        read_workbook_bytes(make())
    assert len(caught.value.problems) == 1
    assert "refused before reading it" in str(caught.value)


def test_styles_validation_rules_and_other_elements_share_one_budget():
    rules = b"".join(b'<dataValidation sqref="A%d"/>' % i for i in range(1, 50_002))
    data = hostile.edit(
        valid_builder().to_bytes(),
        "xl/worksheets/sheet6.xml",
        b"</sheetData>",
        b"</sheetData><dataValidations>" + rules + b"</dataValidations>",
    )
    with pytest.raises(InputError, match="more than 50,000 styles, rules, relationships"):
        read_workbook_bytes(data)


def test_every_element_counts_towards_the_total(monkeypatch):
    monkeypatch.setattr(budget, "MAX_ELEMENTS", 500)
    with pytest.raises(InputError, match="XML holds more than 500 elements"):
        read_workbook_bytes(valid_builder().to_bytes())


def test_a_part_over_20_mb_is_refused_from_its_declared_size(capsys, tmp_path):
    err = refused_bytes(hostile.big_part(21), tmp_path, capsys)
    assert "xl/worksheets/sheet6.xml would unpack to 21 MB (limit 20 MB" in err


def test_a_sheet_stored_outside_xl_worksheets_is_read_and_checked_for_formulas():
    assert read_workbook_bytes(hostile.moved_sheet()).parameter("exports_base").central == 3000
    data = hostile.moved_sheet()
    sheet = hostile.member(data, "xl/data/baseline.bin")
    with_formula = sheet.replace(b'<c r="E2" t="n"><v>3000</v></c>', b'<c r="E2"><f>1+1</f></c>')
    assert with_formula != sheet
    with pytest.raises(InputError, match=r"Baseline!E2: formula =1\+1 has no calculated value"):
        read_workbook_bytes(hostile.rewrite(data, {"xl/data/baseline.bin": with_formula}))


def _baseline_xml(rows: int = 0) -> str:
    sheet = hostile.member(valid_builder().to_bytes(), "xl/worksheets/sheet2.xml").decode()
    extra = "".join(f'<row r="{i}"/>' for i in range(100, 100 + rows))
    body = re.sub(r"<dimension[^>]*/>", "", sheet).replace("</sheetData>", extra + "</sheetData>")
    return f'<?xml version="1.0" encoding="UTF-16"?>{body}'


def test_a_utf16_sheet_is_read_and_its_tags_are_counted():
    data = valid_builder().to_bytes()
    small = hostile.rewrite(data, {"xl/worksheets/sheet2.xml": _baseline_xml().encode("utf-16")})
    assert read_workbook_bytes(small).parameter("exports_base").central == 3000
    big = _baseline_xml(100_001).encode("utf-16-le")  # no byte-order mark either
    with pytest.raises(InputError, match=r"sheet2\.xml holds more than 100,000 rows"):
        read_workbook_bytes(hostile.rewrite(data, {"xl/worksheets/sheet2.xml": big}))


@pytest.mark.parametrize("encoding", ["cp037", "utf-7", "utf-32", "no-such-codec"])
def test_an_encoding_that_could_hide_tags_is_refused(encoding):
    body = _baseline_xml().replace("UTF-16", encoding).encode("utf-8")
    data = hostile.rewrite(valid_builder().to_bytes(), {"xl/worksheets/sheet2.xml": body})
    with pytest.raises(InputError, match=f"declares the text encoding {encoding}"):
        read_workbook_bytes(data)


def test_a_latin1_declaration_is_read():
    body = _baseline_xml().replace("UTF-16", "ISO-8859-1").encode("latin-1")
    data = hostile.rewrite(valid_builder().to_bytes(), {"xl/worksheets/sheet2.xml": body})
    assert read_workbook_bytes(data).parameter("exports_base").central == 3000
