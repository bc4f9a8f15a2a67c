"""Adversarial and wrong files: each is refused quickly, with exit 2 and a clear message."""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING

import pytest
from tests.builders import valid_builder
from tests.corpus import BILLION_LAUGHS, rewrite, zip_of

from policybrief.cli import main
from policybrief.errors import InputError
from policybrief.workbook import reader, safety
from policybrief.workbook.reader import read_workbook_bytes

if TYPE_CHECKING:
    from pathlib import Path


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


def test_directory_is_refused(tmp_path, capsys):
    assert "is a folder, not a workbook file" in refused_file(tmp_path, capsys)


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


def test_a_million_real_rows_without_a_dimension_are_refused_before_parsing(tmp_path, capsys):
    # No <dimension>: openpyxl would parse all 80 MB of XML just to size the sheet.
    data = valid_builder().to_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(50, 1_000_050))
    body = re.sub(r"<dimension[^>]*/>", "", sheet).replace("</sheetData>", rows + "</sheetData>")
    err = refused_bytes(
        rewrite(data, {"xl/worksheets/sheet2.xml": body.encode()}), tmp_path, capsys
    )
    assert "holds more than 100,000 rows" in err
    assert err.count("\n") <= 3  # one clear message, not one per row


def test_row_counting_sees_tags_split_across_read_chunks(monkeypatch):
    monkeypatch.setattr(safety, "MAX_SHEET_ROWS", 10**9)
    body = b"<sheetData>" + b"".join(b'<row r="%d"/>' % i for i in range(300_000)) + b"</sheetData>"
    data = zip_of({"xl/worksheets/sheet1.xml": body})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        assert safety._count_rows(archive, info) == 300_000
