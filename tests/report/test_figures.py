from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from tests.factories import fake_results, make_inputs

from policybrief.report.brief.figures import CHART_NAMES, chart_specs, write_charts
from policybrief.report.story.formatting import money

if TYPE_CHECKING:
    from pathlib import Path

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_write_charts_writes_one_png_per_chart_with_reproducible_bytes(tmp_path: Path) -> None:
    results = fake_results(make_inputs())
    first = write_charts(results, tmp_path / "a")
    write_charts(results, tmp_path / "b")
    assert [p.name for p in first] == [f"{n}.png" for n in CHART_NAMES]
    for path in first:
        data = path.read_bytes()
        assert data.startswith(PNG_MAGIC)
        assert b"Software" not in data
        assert b"tIME" not in data  # no PNG timestamp chunk
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")


def test_alt_texts_state_the_key_numbers() -> None:
    results = fake_results(make_inputs())
    specs = {s.name: s for s in chart_specs(results)}
    head = results.headline
    assert money(float(head.central["exports"][-1])) in specs["outlook"].alt
    assert money(float(head.percentiles[90]["exports"][-1])) in specs["fan"].alt
    for spec in specs.values():
        assert re.search(r"\d", spec.alt)
        assert spec.filename == f"charts/{spec.name}.png"


def test_charts_draw_without_targets_sensitivity_or_attribution(tmp_path: Path) -> None:
    import dataclasses

    inputs = make_inputs(targets=())
    results = dataclasses.replace(
        fake_results(inputs, reachable=()), sensitivity=(), attribution=(), goal_seek=()
    )
    paths = write_charts(results, tmp_path)
    assert len(paths) == len(CHART_NAMES)
    specs = {s.name: s for s in chart_specs(results)}
    assert "no gain to attribute" in specs["waterfall"].alt
