"""openpyxl, reading only what policybrief uses: sheet names and places, texts, cell values.

``openpyxl.load_workbook(read_only=True)`` also reads the document properties, the custom
properties and the theme, assigns every defined name to its sheet, and sizes every sheet when it
opens it: a sheet without a ``<dimension>`` (or with one deleted by an attacker) is parsed
whole just to be sized, and then once more to be read. Here openpyxl's own reader does only
the steps the values need: the content types, the shared strings, the workbook part (sheet
names, states and where each sheet is stored, following the workbook's relationships), and
the styles (which number formats are dates). Each read sheet is then parsed once by openpyxl's
read-only sheet parser, without the padding its rows get in ``iter_rows`` (a stray cell in
column XFD would cost 16,384 values a row).

Every part read here has passed the pre-parse budget first (``budget.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.worksheet._reader import WorkSheetParser

if TYPE_CHECKING:
    import zipfile
    from collections.abc import Iterator


@dataclass(frozen=True)
class Sheet:
    """One sheet as the workbook part lists it."""

    name: str
    state: str  #: ``visible``, ``hidden`` or ``veryHidden``
    path: str  #: the sheet's part in the zip, wherever the relationships put it
    chart: bool  #: a chart sheet (no cells)


class _Reader(ExcelReader):  # type: ignore[misc]  # openpyxl has no type hints
    def read(self) -> None:
        self.read_manifest()
        self.read_strings()
        self.read_workbook()
        apply_stylesheet(self.archive, self.wb)


class Package:
    """An ``.xlsx`` opened by openpyxl for reading cell values (``data_only``: cached values).

    Parameters
    ----------
    data
        The file's bytes (already checked by ``safety.check_package``).
    """

    def __init__(self, data: bytes) -> None:
        self._reader: Any = _Reader(BytesIO(data), read_only=True, data_only=True, keep_links=False)
        self._reader.read()
        self.archive: zipfile.ZipFile = self._reader.archive
        self.sheets: tuple[Sheet, ...] = tuple(
            Sheet(
                str(sheet.name), str(sheet.state or "visible"), rel.target, "chartsheet" in rel.Type
            )
            for sheet, rel in self._reader.parser.find_sheets()
            if rel.target in self._reader.valid_files
        )

    @property
    def shared_strings(self) -> int:
        """How many shared texts the file holds."""
        return len(self._reader.shared_strings)

    def values(self, sheet: Sheet) -> Iterator[tuple[int, int, object]]:
        """Row, column and value of each cell the sheet's XML holds, in order.

        Raises what openpyxl raises for a value it cannot read (``<v>NaN</v>`` in a number
        cell: ``ValueError``); ``sheetxml.unreadable_cells`` then names the cells.
        """
        wb = self._reader.wb
        with self.archive.open(sheet.path) as source:
            parser = WorkSheetParser(
                source,
                self._reader.shared_strings,
                data_only=True,
                epoch=wb.epoch,
                date_formats=wb._date_formats,
                timedelta_formats=wb._timedelta_formats,
            )
            for r, row in parser.parse():
                for cell in row:
                    yield r, cell["column"], cell["value"]

    def close(self) -> None:
        """Close the zip."""
        self.archive.close()
