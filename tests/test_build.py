from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.builders import correlation_row, valid_builder

import policybrief.report.deck.slides
from policybrief.build import build, build_time
from policybrief.cli import main
from policybrief.errors import InputError, PolicyBriefError
from policybrief.report.charts import CHARTS

ROOT = Path(__file__).resolve().parents[1]
DRAWS = 200
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def _tree(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``folder``."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return valid_builder().save(tmp_path / "a.xlsx")


@pytest.fixture
def built(workbook: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    build(workbook, out, draws=DRAWS)
    return out


def test_build_writes_deck_brief_results_charts_and_manifest(
    workbook: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = build(workbook, out, draws=DRAWS)
    folder = out / "a"
    assert result.out_dir == folder
    names = set(_tree(folder))
    assert {"a.pptx", "a.md", "a-results.xlsx", "manifest.json"} <= names
    charts = {n for n in names if n.startswith("charts/")}
    assert charts == {f"charts/{c.name}.png" for c in CHARTS}
    assert {p.relative_to(folder).as_posix() for p in result.files} == names
    assert _leftovers(out) == []


def test_manifest_lists_the_input_and_every_other_output(built: Path, workbook: Path) -> None:
    folder = built / "a"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["input"] == {
        "name": "a.xlsx",
        "sha256": hashlib.sha256(workbook.read_bytes()).hexdigest(),
    }
    assert manifest["draws"] == DRAWS
    assert manifest["seed"] == 42
    tree = _tree(folder)
    del tree["manifest.json"]
    assert {k: v["sha256"] for k, v in manifest["outputs"].items()} == tree
    for name, entry in manifest["outputs"].items():
        assert entry["size"] == (folder / name).stat().st_size
    text = (folder / "manifest.json").read_text()
    assert text.endswith("}\n")
    assert text == json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_only_results_writes_the_results_workbook_and_the_manifest(
    workbook: Path, tmp_path: Path
) -> None:
    result = build(workbook, tmp_path / "out", draws=DRAWS, only=frozenset({"results"}))
    assert set(_tree(result.out_dir)) == {"a-results.xlsx", "manifest.json", "snapshot/a.xlsx"}


def test_build_and_the_cli_report_the_models_warnings_with_their_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Correlations that cannot hold together are repaired by the engine, which warns per
    # moved pair (MODEL.md v2); those warnings must reach the analyst like the reader's.
    b = valid_builder()
    b.correlations.extend(
        [
            correlation_row("productivity_growth", "absorption_rate", 0.9),
            correlation_row("productivity_growth", "emigration_rate", 0.9),
            correlation_row("absorption_rate", "emigration_rate", -0.9),
        ]
    )
    path = b.save(tmp_path / "a.xlsx")
    result = build(path, tmp_path / "out", draws=DRAWS, only=frozenset({"results"}))
    assert [w.location for w in result.warnings] == [
        "Correlations!C2",
        "Correlations!C3",
        "Correlations!C4",
    ]
    assert main(["build", str(path), "--out", str(tmp_path / "out2"), "--draws", "200"]) == 0
    err = capsys.readouterr().err
    assert "Correlations!C4: warning: the correlations are not mutually consistent" in err


def test_only_rejects_unknown_outputs(workbook: Path, tmp_path: Path) -> None:
    with pytest.raises(PolicyBriefError):
        build(workbook, tmp_path / "out", only=frozenset({"pdf"}))


def test_cli_builds_one_folder_per_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = valid_builder().save(tmp_path / "a.xlsx")
    b = valid_builder().save(tmp_path / "b.xlsx")
    out = tmp_path / "out"
    assert main(["build", str(a), str(b), "--out", str(out), "--draws", str(DRAWS)]) == 0
    assert (out / "a" / "a.pptx").is_file()
    assert (out / "b" / "b.md").is_file()
    assert "built" in capsys.readouterr().out


def test_two_builds_with_the_same_source_date_epoch_are_byte_identical(
    workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = build(workbook, tmp_path / "one", draws=DRAWS).out_dir
    second = build(workbook, tmp_path / "two", draws=DRAWS).out_dir
    assert _tree(first) == _tree(second)
    assert "a.pptx" in _tree(first)
    assert "2026-01-01" in (first / "a.md").read_text()


def test_build_time_comes_from_source_date_epoch() -> None:
    assert build_time({"SOURCE_DATE_EPOCH": EPOCH}).isoformat() == "2026-01-01T00:00:00+00:00"
    assert build_time({}).tzinfo is not None
    with pytest.raises(PolicyBriefError):
        build_time({"SOURCE_DATE_EPOCH": "yesterday"})


def test_a_bad_workbook_leaves_the_previous_output_intact(built: Path, tmp_path: Path) -> None:
    before = _tree(built / "a")
    (tmp_path / "bad").mkdir()
    bad = valid_builder().set_cell("Baseline", "E2", "lots").save(tmp_path / "bad" / "a.xlsx")
    bad_bytes = bad.read_bytes()
    with pytest.raises(InputError):
        build(bad, built, draws=DRAWS)
    assert _tree(built / "a") == before
    assert _leftovers(built) == []
    assert bad.read_bytes() == bad_bytes


def test_a_failure_mid_render_leaves_the_previous_output_intact(
    built: Path, workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _tree(built / "a")
    data = workbook.read_bytes()

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(policybrief.report.deck.slides, "write_deck", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        build(workbook, built, draws=DRAWS)
    assert _tree(built / "a") == before
    assert _leftovers(built) == []
    assert workbook.read_bytes() == data


def test_the_input_workbook_is_never_written(workbook: Path, tmp_path: Path) -> None:
    data, mtime = workbook.read_bytes(), workbook.stat().st_mtime_ns
    build(workbook, tmp_path / "out", draws=DRAWS)
    assert workbook.read_bytes() == data
    assert workbook.stat().st_mtime_ns == mtime


def _build_script(workbook: Path, out: Path, *, hang: bool = False) -> list[str]:
    code = [
        "import sys, time",
        "from pathlib import Path",
        "import policybrief.report.deck.slides as d",
        "from policybrief.build import build",
    ]
    if hang:
        code += [
            "def hang(results, info, path, **options):",
            "    (path.parent / 'partial.pptx').write_bytes(b'x')",
            "    time.sleep(600)",
            "d.write_deck = hang",
        ]
    code.append(f"build(Path({str(workbook)!r}), Path({str(out)!r}), draws={DRAWS})")
    return [sys.executable, "-c", "\n".join(code)]


@pytest.mark.slow
def test_two_concurrent_builds_both_succeed_and_leave_one_valid_output(
    built: Path, workbook: Path
) -> None:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    procs = [subprocess.Popen(_build_script(workbook, built), cwd=ROOT, env=env) for _ in range(2)]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    folder = built / "a"
    manifest = json.loads((folder / "manifest.json").read_text())
    tree = _tree(folder)
    del tree["manifest.json"]
    assert {k: v["sha256"] for k, v in manifest["outputs"].items()} == tree
    assert _leftovers(built) == []


@pytest.mark.slow
def test_a_killed_build_leaves_the_previous_output_and_the_next_build_cleans_up(
    built: Path, workbook: Path
) -> None:
    before = _tree(built / "a")
    env = {**os.environ, "MPLBACKEND": "Agg"}
    proc = subprocess.Popen(_build_script(workbook, built, hang=True), cwd=ROOT, env=env)
    deadline = time.monotonic() + 240
    while not list(built.glob(".a.tmp-*/partial.pptx")):
        assert proc.poll() is None, "the build ended before it was killed"
        assert time.monotonic() < deadline, "the build never reached the render step"
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert _tree(built / "a") == before
    assert _leftovers(built)  # the killed build's temp folder is still there
    build(workbook, built, draws=DRAWS)
    assert _leftovers(built) == []
    assert (built / "a" / "a.pptx").is_file()


def test_an_output_registered_in_the_registry_is_built_and_kept(
    workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import policybrief.build as build_module
    from policybrief.report.outputs import OUTPUTS, Output, Render

    def write(r: Render) -> None:
        (r.folder / f"{r.stem}.txt").write_text(r.results.inputs.settings.title, "utf-8")

    stub = Output("text", "text", lambda _f, stem: [f"{stem}.txt"], write)
    monkeypatch.setattr(build_module, "OUTPUTS", (*OUTPUTS, stub))
    monkeypatch.setattr(
        build_module, "OUTPUT_KINDS", frozenset({*build_module.OUTPUT_KINDS, "text"})
    )
    out = tmp_path / "out"
    first = build(workbook, out, draws=DRAWS, only=frozenset({"text"}))
    assert (first.out_dir / "a.txt").read_text("utf-8")
    manifest = json.loads((first.out_dir / "manifest.json").read_text("utf-8"))
    assert "a.txt" in json.dumps(manifest)
    second = build(workbook, out, draws=DRAWS, only=frozenset({"results"}))
    assert second.out_dir / "a.txt" in second.kept  # --only keeps the other outputs
