"""Nothing lost: a build replaces only what a build made, and says clearly what is in the way.

Each case runs the real console script (``policybrief``), as an analyst would, and checks the
exit code, the message, the absence of a traceback, and that every file that was there before
is still there, byte for byte.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock
from tests.builders import valid_builder

import policybrief.outfolder
from policybrief.cli import main
from policybrief.outfolder import _host_id, clean_leftovers

DRAWS = "200"
SCRIPT = Path(sys.executable).with_name("policybrief")


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    argv = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "policybrief"]
    return subprocess.run(
        [*argv, *(str(a) for a in args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=300,
        cwd=cwd,
        env={**os.environ, "CI": "1", "MPLBACKEND": "Agg"},
        check=False,
    )


def _snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` (links by target, files by sha256)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = f"-> {path.readlink()}"
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[rel] = "dir"
    return out


def _refused(proc: subprocess.CompletedProcess[str], phrase: str) -> None:
    text = proc.stdout + proc.stderr
    assert proc.returncode == 2, text
    assert "Traceback" not in text
    assert phrase in text, text


def test_a_build_never_deletes_the_workbook_inside_its_output_folder(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    (proj / "budget").mkdir(parents=True)
    workbook = valid_builder().save(proj / "budget" / "budget.xlsx")
    (proj / "budget" / "notes.txt").write_text("my notes")
    before = _snapshot(proj)
    proc = _run("build", workbook, "--out", proj, "--draws", DRAWS)
    _refused(proc, "is inside the output folder")
    assert _snapshot(proj) == before


def test_a_folder_the_analyst_made_at_the_output_path_is_never_replaced(tmp_path: Path) -> None:
    workbook = valid_builder().save(tmp_path / "a.xlsx")
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a" / "minutes.docx").write_bytes(b"precious")
    before = _snapshot(out)
    proc = _run("build", workbook, "--out", out, "--draws", DRAWS)
    _refused(proc, "holds files policybrief did not write (minutes.docx)")
    assert _snapshot(out) == before


def test_a_note_added_to_a_previous_output_stops_the_next_build(tmp_path: Path) -> None:
    workbook = valid_builder().save(tmp_path / "a.xlsx")
    out = tmp_path / "out"
    assert (
        _run("build", workbook, "--out", out, "--draws", DRAWS, "--only", "results").returncode == 0
    )
    (out / "a" / "charts").mkdir()
    (out / "a" / "charts" / "my-edit.png").write_bytes(b"png")
    before = _snapshot(out)
    proc = _run("build", workbook, "--out", out, "--draws", DRAWS, "--only", "results")
    _refused(proc, "charts/my-edit.png")
    assert _snapshot(out) == before
    # Without the note, the previous build's folder is replaced as usual.
    (out / "a" / "charts" / "my-edit.png").unlink()
    (out / "a" / "charts").rmdir()
    (out / "a" / ".DS_Store").write_bytes(b"litter")
    assert (
        _run("build", workbook, "--out", out, "--draws", DRAWS, "--only", "results").returncode == 0
    )


@pytest.mark.parametrize("kind", ["dangling link", "link to a folder", "file"])
def test_a_link_or_a_file_at_the_output_path_is_left_alone(tmp_path: Path, kind: str) -> None:
    workbook = valid_builder().save(tmp_path / "a.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    if kind == "dangling link":
        (out / "a").symlink_to(tmp_path / "missing")
    elif kind == "link to a folder":
        elsewhere.mkdir()
        (elsewhere / "keep.txt").write_text("keep")
        (out / "a").symlink_to(elsewhere)
    else:
        (out / "a").write_text("not a folder")
    before = {**_snapshot(out), **(_snapshot(elsewhere) if elsewhere.exists() else {})}
    proc = _run("build", workbook, "--out", out, "--draws", DRAWS)
    _refused(proc, "symbolic link" if "link" in kind else "is a file that policybrief did not")
    after = {**_snapshot(out), **(_snapshot(elsewhere) if elsewhere.exists() else {})}
    assert after == before  # no hidden .old copy left behind either


def test_out_naming_a_file_is_refused(tmp_path: Path) -> None:
    workbook = valid_builder().save(tmp_path / "a.xlsx")
    (tmp_path / "out.txt").write_text("x")
    _refused(_run("build", workbook, "--out", tmp_path / "out.txt"), "is a file, not a folder")
    assert (tmp_path / "out.txt").read_text() == "x"


def test_two_workbooks_with_one_stem_are_refused_before_building(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
    first = valid_builder().save(tmp_path / "a" / "wb.xlsx")
    second = valid_builder().save(tmp_path / "b" / "WB.xlsx")
    out = tmp_path / "out"
    proc = _run("build", first, second, "--out", out, "--draws", DRAWS)
    _refused(proc, "would both be built into")
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("..xlsx", "starts or ends with a dot"),
        ("...xlsx", "starts or ends with a dot"),
        ("x" * 200 + ".xlsx", "characters long"),
        ("a\x1b[2Jb.xlsx", "control characters"),
        ("a\nok.xlsx", "control characters"),
        ("CON.xlsx", "Windows cannot store"),
    ],
    ids=["dot-dot", "dot-dot-dot", "long", "escape", "newline", "reserved"],
)
def test_odd_workbook_names_get_a_message_not_a_traceback(
    tmp_path: Path, name: str, phrase: str
) -> None:
    (tmp_path / "in").mkdir()
    workbook = valid_builder().save(tmp_path / "in" / name)
    out = tmp_path / "out"
    proc = _run("build", workbook, "--out", out, "--draws", DRAWS)
    _refused(proc, phrase)
    assert "\x1b" not in proc.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


@pytest.mark.skipif(sys.platform != "linux", reason="file names are bytes only on Linux")
def test_a_workbook_name_that_is_not_utf8_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / os.fsdecode(b"caf\xe9.xlsx")  # a Latin-1 name: not UTF-8
    path.write_bytes(valid_builder().save(tmp_path / "a.xlsx").read_bytes())
    proc = _run("build", path, "--out", tmp_path / "o")
    _refused(proc, "not valid UTF-8")
    assert "caf\\xe9" in proc.stderr


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["--draws", "0"], "--draws takes a whole number from 100 to 10,000,000"),
        (["--draws", "-5"], "--draws takes a whole number"),
        (["--draws", "50"], "--draws takes a whole number"),
        (["--draws", "lots"], "--draws takes a whole number"),
        (["--seed", "-1"], "--seed takes a whole number from 0"),
    ],
)
def test_command_line_overrides_are_validated(tmp_path: Path, args: list[str], phrase: str) -> None:
    workbook = valid_builder().save(tmp_path / "a.xlsx")
    _refused(_run("build", workbook, "--out", tmp_path / "out", *args), phrase)
    assert not (tmp_path / "out").exists()


def test_a_build_on_another_host_keeps_its_temporary_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    other = "0" * 8 if _host_id() != "0" * 8 else "1" * 8
    running_elsewhere = out / f".a.tmp-{other}-12345678"
    abandoned_elsewhere = out / f".a.tmp-{other}-9abcdef0"
    dead_here = out / f".a.tmp-{_host_id()}-00000000"
    alive_here = out / f".a.tmp-{_host_id()}-11111111"
    foreign = out / ".a.tmp-notours"
    for folder in (running_elsewhere, abandoned_elsewhere, dead_here, alive_here, foreign):
        folder.mkdir()
        (folder / "a.pptx").write_bytes(b"partial")
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(abandoned_elsewhere, (day_ago, day_ago))
    with FileLock(out / f"{alive_here.name}.lock"):
        clean_leftovers(out, "a", out / "a")
    left = {p.name for p in out.iterdir() if p.is_dir()}
    assert left == {running_elsewhere.name, alive_here.name, foreign.name}


def test_a_held_lock_is_announced_then_given_up_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = valid_builder().save(tmp_path / "a.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(policybrief.outfolder, "LOCK_PATIENCE", 0.05)
    monkeypatch.setattr(policybrief.outfolder, "LOCK_TIMEOUT", 0.2)
    other = subprocess.Popen(  # another process holds the stem's lock
        [
            sys.executable,
            "-c",
            f"import filelock,time\nwith filelock.FileLock({str(out / '.a.lock')!r}):\n    print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None
        assert other.stdout.readline().strip() == "held"
        assert main(["build", str(workbook), "--out", str(out), "--draws", DRAWS]) == 2
    finally:
        other.kill()
        other.wait()
        if other.stdout is not None:
            other.stdout.close()
    err = capsys.readouterr().err
    assert "waiting for another build" in err
    assert "if no build is running, delete that file" in err
    assert not (out / "a").exists()


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EFBIG])
def test_a_full_or_read_only_disk_is_a_message_and_keeps_the_previous_output(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
) -> None:
    workbook = valid_builder().save(tmp_path / "a.xlsx")
    out = tmp_path / "out"
    assert main(["build", str(workbook), "--out", str(out), "--draws", DRAWS]) == 0
    before = _snapshot(out)
    real = Path.write_bytes

    def failing(self: Path, data: bytes) -> int:
        if self.name == "manifest.json":
            raise OSError(code, os.strerror(code), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    assert main(["build", str(workbook), "--out", str(out), "--draws", DRAWS]) == 2
    err = capsys.readouterr().err
    assert os.strerror(code) in err
    assert "any previous output is untouched" in err
    assert "Traceback" not in err
    assert _snapshot(out) == before


@pytest.mark.skipif(sys.platform == "win32", reason="needs RLIMIT_FSIZE (POSIX)")
def test_a_file_size_limit_is_a_message_not_a_crash(tmp_path: Path) -> None:
    workbook = valid_builder().save(tmp_path / "a.xlsx")
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))\n"
        "from policybrief.cli import main\n"
        f"sys.exit(main(['build', {str(workbook)!r}, '--out', {str(tmp_path / 'out')!r},"
        f" '--draws', '{DRAWS}']))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CI": "1", "MPLBACKEND": "Agg"},
        check=False,
    )
    _refused(proc, "File too large")
    assert not (tmp_path / "out" / "a").exists()


def test_builds_without_fcntl(tmp_path: Path) -> None:
    workbook = valid_builder().save(tmp_path / "a.xlsx")
    out = tmp_path / "out"
    code = (
        "import sys\n"
        "sys.modules['fcntl'] = None  # as on Windows: importing it fails\n"
        "from policybrief.cli import main\n"
        f"sys.exit(main(['build', {str(workbook)!r}, '--out', {str(out)!r}, '--draws', '{DRAWS}']))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CI": "1", "MPLBACKEND": "Agg"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / "a" / "a.pptx").is_file()
    assert sorted(p.name for p in out.iterdir()) in (["a"], [".a.lock", "a"])


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the chart worker starts on 2+ CPUs")
def test_code_planted_beside_the_workbook_never_runs(tmp_path: Path) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    ran = tmp_path / "ran"
    ran.mkdir()
    for name in ("org", "winreg", "sitecustomize"):
        (downloads / f"{name}.py").write_text(f"open({str(ran / name)!r}, 'w').close()\n")
    valid_builder().save(downloads / "budget.xlsx")
    assert _run("build", "budget.xlsx", "--draws", DRAWS, cwd=downloads).returncode == 0
    _refused(_run("build", "missing.xlsx", cwd=downloads), "missing.xlsx")
    assert list(ran.iterdir()) == []


def test_emigration_levers_that_could_empty_the_workforce_are_refused_by_validate_and_build(
    tmp_path: Path,
) -> None:
    b = valid_builder()
    lever = next(row for row in b.levers if row["Lever"] == "retention_incentive")
    lever.update({"Effect low": -0.5, "Effect central": -0.3, "Effect high": -0.1})
    lever["Max intensity"] = None
    b.scenarios["Reform"]["retention_incentive"] = 100  # 0.05 + 0.03 · (1 + 0.5 · 100) > 1
    workbook = b.save(tmp_path / "a.xlsx")
    expected = "in 'Reform', attrition and emigration can reach"
    _refused(_run("validate", workbook), expected)
    _refused(_run("build", workbook, "--out", tmp_path / "out", "--draws", DRAWS), expected)
    assert not (tmp_path / "out" / "a").exists()


def test_a_build_leaves_a_running_build_on_another_host_alone(tmp_path: Path) -> None:
    """Defect 7 through the command line: a temporary folder of a build on another host that
    shares the output folder (fresh, its lock not held here) survives our build."""
    workbook = valid_builder().save(tmp_path / "a.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    other = "0" * 8 if _host_id() != "0" * 8 else "1" * 8
    running = out / f".a.tmp-{other}-12345678"
    running.mkdir()
    (running / "a.pptx").write_bytes(b"being written elsewhere")
    assert (
        _run("build", workbook, "--out", out, "--draws", DRAWS, "--only", "results").returncode == 0
    )
    assert (running / "a.pptx").read_bytes() == b"being written elsewhere"
    assert (out / "a" / "a-results.xlsx").is_file()


def test_lock_files_are_never_taken_for_workbooks_and_the_open_workbook_is_built_with_a_warning(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "workbooks"
    folder.mkdir()
    valid_builder().save(folder / "budget.xlsx")
    (folder / ".~lock.budget.xlsx#").write_text("LibreOffice lock,user,host,01.12.2026;")
    (folder / "~$budget.xlsx").write_bytes(b"\x05Excel owner file")
    (folder / "old.ods").write_bytes(b"PK\x03\x04 not really")
    out = tmp_path / "out"
    proc = _run("build", folder, "--out", out, "--draws", DRAWS, "--only", "results")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "the workbook is open in Excel (~$budget.xlsx): built from its last saved state" in (
        proc.stderr
    )
    assert "old.ods: skipped, policybrief reads .xlsx workbooks: open it in LibreOffice" in (
        proc.stderr
    )
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["budget"]


def test_a_folder_without_workbooks_says_how_to_start_one(tmp_path: Path) -> None:
    (tmp_path / "workbooks").mkdir()
    (tmp_path / "workbooks" / "notes.csv").write_text("a,b\n")
    proc = _run("validate", tmp_path / "workbooks")
    _refused(proc, "no .xlsx workbook in")
    assert "nox -s init --" in proc.stderr
    assert "notes.csv: skipped" in proc.stderr


def test_only_rebuilds_what_it_names_and_keeps_the_rest(tmp_path: Path) -> None:
    workbook = valid_builder().save(tmp_path / "a.xlsx")
    out = tmp_path / "out"
    assert _run("build", workbook, "--out", out, "--draws", DRAWS).returncode == 0
    before = _snapshot(out / "a")
    proc = _run("build", workbook, "--out", out, "--draws", DRAWS, "--only", "deck")
    assert proc.returncode == 0, proc.stderr
    after = _snapshot(out / "a")
    assert set(after) == set(before)  # nothing deleted
    for name in ("a.md", "a-results.xlsx", "charts/outlook.png"):
        assert after[name] == before[name]
    manifest = json.loads((out / "a" / "manifest.json").read_text())
    assert "a.md" in manifest["kept_from_previous_build"]
    files = {name for name, kind in after.items() if kind != "dir"}
    assert set(manifest["outputs"]) == files - {"manifest.json"}
    assert "a.md (kept from the previous build)" in proc.stdout
    # a finished build says what it found and where it put it
    assert "IT exports reach" in proc.stdout
    assert str(out / "a" / "a.pptx") in proc.stdout


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("USD mn", "$3.0bn"),
        ("PKR bn", "Rs 3,000.0bn"),
        ("INR crore", "₹30.0bn"),
        ("EUR", "€3k"),
        ("$ million", "$3.0bn"),
    ],
)
def test_currency_labels_set_the_unit_of_every_amount(
    tmp_path: Path, label: str, shown: str
) -> None:
    b = valid_builder()
    b.settings["currency_label"] = label
    workbook = b.save(tmp_path / "a.xlsx")
    proc = _run("build", workbook, "--out", tmp_path / "out", "--draws", DRAWS, "--only", "brief")
    assert proc.returncode == 0, proc.stderr
    brief = (tmp_path / "out" / "a" / "a.md").read_text(encoding="utf-8")
    assert f"From {shown} in FY25" in brief  # the base year's exports, 3000 in the unit


def test_an_unknown_currency_unit_is_refused_with_the_accepted_forms(tmp_path: Path) -> None:
    b = valid_builder()
    b.settings["currency_label"] = "USD gazillion"
    workbook = b.save(tmp_path / "a.xlsx")
    proc = _run("validate", workbook)
    _refused(proc, "currency_label 'USD gazillion' is not a currency and a unit")
    assert "'USD million', 'PKR bn', 'INR crore', 'EUR'" in proc.stderr
    assert "Settings!B" in proc.stderr


def test_a_blank_workbook_with_settings_and_baseline_filled_gets_the_same_verdict_twice(
    tmp_path: Path,
) -> None:
    """validate runs what build checks first: no "ok" followed by a crash."""
    import openpyxl

    path = tmp_path / "b.xlsx"
    assert _run("init", path).returncode == 0
    wb = openpyxl.load_workbook(path)
    settings = {
        "title": "T",
        "organisation": "O",
        "base_year": 2025,
        "horizon": 5,
        "baseline_scenario": "Current policy",
        "headline_scenario": "Reform",
        "draws": 1000,
        "seed": 1,
    }
    for row in wb["Settings"].iter_rows(min_row=2):
        if row[0].value in settings:
            row[1].value = settings[row[0].value]
    central = {
        "exports_base": 1000,
        "workforce_base": 50_000,
        "realization_base": 0.8,
        "realization_max": 0.95,
        "productivity_growth": 0.05,
        "graduates_base": 5000,
        "graduates_growth": 0.02,
        "absorption_rate": 0.3,
        "other_entry_rate": 0.03,
        "attrition_rate": 0.03,
        "emigration_rate": 0.02,
    }
    for row in wb["Baseline"].iter_rows(min_row=2):
        if row[0].value in central:
            row[4].value = central[row[0].value]
    wb.save(path)
    checked = _run("validate", path)
    built = _run("build", path, "--out", tmp_path / "out", "--draws", DRAWS)
    assert checked.returncode == built.returncode == 0, built.stderr
    assert "Traceback" not in checked.stderr + built.stderr
    assert "ok (0 levers, 2 scenarios, 0 targets)" in checked.stdout
