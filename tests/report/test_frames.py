"""The results workbook read back with pandas, as another tool would."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from pandas.testing import assert_frame_equal
from tests.factories import make_inputs

from policybrief.model import run
from policybrief.report.frames import paths_frame, read_results
from policybrief.report.workbook.book import SHEETS, write_results_workbook

if TYPE_CHECKING:
    from pathlib import Path


def test_pandas_reads_every_contract_sheet_with_its_columns(tmp_path: Path) -> None:
    results = run(make_inputs(), draws=300)
    path = write_results_workbook(results, tmp_path / "r.xlsx")

    frames = read_results(path)

    assert list(frames) == list(SHEETS)
    for name, columns in SHEETS.items():
        assert tuple(frames[name].columns) == columns, name
    assert_frame_equal(frames["Paths"], paths_frame(results))


def test_paths_frame_answers_the_analysts_first_question() -> None:
    results = run(make_inputs(), draws=300)
    paths = paths_frame(results)
    final = results.inputs.settings.final_year
    pick = (
        (paths["metric"] == "exports")
        & (paths["statistic"] == "central")
        & (paths["fiscal_year"] == final)
    )
    row = paths[pick].set_index("scenario")["value"]
    expected = pd.Series(
        {s.name: float(s.central["exports"][-1]) for s in results.scenarios}, name="value"
    )
    assert_frame_equal(row.to_frame(), expected.rename_axis("scenario").to_frame())
