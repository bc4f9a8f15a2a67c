"""The results as pandas DataFrames, for analysts who continue in Python.

``read_results`` loads a ``<stem>-results.xlsx`` written by a build (the contract of PRODUCT.md,
"Results workbook") into one DataFrame per sheet; ``paths_frame`` gives the ``Paths`` table
straight from in-memory ``Results`` (e.g. in a notebook, without writing files)::

    from policybrief.report.frames import read_results
    paths = read_results("output/pakistan_it_exports/pakistan_it_exports-results.xlsx")["Paths"]
    paths.query("metric == 'exports' and statistic == 'p50'")

pandas is imported lazily: a build never needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from policybrief.report.workbook.book import SHEETS, path_rows

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from policybrief.model.results import Results

#: Columns holding whole numbers in the contract.
_INT_COLUMNS = ("fiscal_year",)


def paths_frame(results: Results) -> pd.DataFrame:
    """The ``Paths`` table (scenario, fiscal_year, metric, statistic, value) of ``results``."""
    import pandas as pd  # noqa: PLC0415 - see the module docstring

    frame = pd.DataFrame(path_rows(results), columns=list(SHEETS["Paths"]))
    return frame.astype({"fiscal_year": "int64", "value": "float64"})


def read_results(path: Path | str) -> dict[str, pd.DataFrame]:
    """Read a results workbook into ``{sheet name: DataFrame}`` for every contract sheet.

    Parameters
    ----------
    path
        A ``<stem>-results.xlsx`` written by ``policybrief build``.

    Returns
    -------
    dict
        One DataFrame per sheet of ``SHEETS``, with the contract's columns; ``fiscal_year``
        columns as integers and text as text (never evaluated).
    """
    import pandas as pd  # noqa: PLC0415 - see the module docstring

    frames = pd.read_excel(path, sheet_name=list(SHEETS), engine="openpyxl")
    for frame in frames.values():
        for column in _INT_COLUMNS:
            if column in frame.columns and not frame[column].isna().any():
                frame[column] = frame[column].astype("int64")
    return frames
