"""Command line: ``policybrief build | watch | diff | validate | init``; a thin adapter.

Exit codes: 0 success, 2 input errors (messages, never a traceback), 1 unexpected error.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from policybrief import __version__
from policybrief.errors import InputError, PolicyBriefError, inert
from policybrief.report.outputs import OUTPUTS
from policybrief.workbook.limits import MAX_DRAWS, MIN_DRAWS  # --draws: the Settings' range

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from policybrief.domain import Inputs

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INPUT = 2


class Progress:
    """A one-line progress bar on a terminal; silent in CI and when output is not a TTY."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.label = label
        self.enabled = self.stream.isatty() and not os.environ.get("CI")

    def __call__(self, done: float, total: float, what: str = "") -> None:
        """Report ``done`` out of ``total`` units of work."""
        if not self.enabled or total <= 0:
            return
        width = 30
        filled = round(width * min(done / total, 1.0))
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {100 * done / total:5.1f}% {what:<24.24}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policybrief",
        description="Project IT export revenue under policy scenarios from an Excel workbook, "
        "and write a deck, a brief and a results workbook.",
    )
    parser.add_argument("--version", action="version", version=f"policybrief {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="validate, project and render one folder per workbook")
    b.add_argument(
        "workbooks",
        nargs="+",
        type=Path,
        metavar="WORKBOOK",
        help="workbooks, or folders whose .xlsx workbooks are all built",
    )
    _build_options(b)

    w = sub.add_parser("watch", help="rebuild a workbook each time it is saved")
    w.add_argument(
        "workbooks",
        nargs="*",
        type=Path,
        default=[Path("workbooks")],
        metavar="WORKBOOK",
        help="workbooks, or folders whose workbooks are all watched (default: workbooks/)",
    )
    _build_options(w)

    d = sub.add_parser(
        "diff", help="what changed between two workbooks or two builds, and why the headline moved"
    )
    d.add_argument("old", type=Path, metavar="OLD", help="a workbook, or a build folder")
    d.add_argument("new", type=Path, metavar="NEW", help="a workbook, or a build folder")

    v = sub.add_parser("validate", help="report every problem with its sheet and cell")
    v.add_argument("workbooks", nargs="+", type=Path, metavar="WORKBOOK")

    i = sub.add_parser("init", help="write a new, well-formatted workbook")
    i.add_argument("path", type=Path, metavar="PATH")
    i.add_argument("--example", choices=("pakistan", "blank"), default="blank")
    i.add_argument("--force", action="store_true", help="overwrite an existing file")
    return parser


def _build_options(command: argparse.ArgumentParser) -> None:
    """The options ``build`` and ``watch`` share."""
    command.add_argument("--out", type=Path, default=Path("output"), help="output folder (output/)")
    command.add_argument(
        "--draws", type=_draws, help="Monte Carlo draws, 100 to 10,000,000 (overrides Settings)"
    )
    command.add_argument(
        "--seed", type=_seed, help="random seed, a whole number ≥ 0 (overrides Settings)"
    )
    command.add_argument(
        "--only",
        type=_only,
        help="comma-separated subset of deck,brief,results (default: all)",
    )
    command.add_argument(
        "--template",
        type=Path,
        metavar="DIR",
        help="folder with deck.pptx and brief.md.j2 (default: templates/ beside workbooks/, "
        "else the shipped ones)",
    )


def _whole(text: str, what: str, low: int, high: int) -> int:
    try:
        value = int(text.strip().replace("_", ""))
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        msg = f"{what} takes a whole number from {low:,} to {high:,}, not {inert(text)!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _draws(text: str) -> int:
    return _whole(text, "--draws", MIN_DRAWS, MAX_DRAWS)


def _seed(text: str) -> int:
    return _whole(text, "--seed", 0, 2**63 - 1)


def _only(text: str) -> frozenset[str]:
    kinds = frozenset(k.strip() for k in text.split(",") if k.strip())
    names = [o.kind for o in reversed(OUTPUTS)]  # deck, brief, results
    unknown = sorted(kinds - set(names))
    if unknown or not kinds:
        msg = f"--only takes a comma-separated subset of {','.join(names)}"
        raise argparse.ArgumentTypeError(msg)
    return kinds


def _report_problems(err: InputError, source: str, *, writes: bool = True) -> None:
    for problem in err.problems:
        print(problem.format(source), file=sys.stderr)
    n = err.error_count
    tail = "; nothing was written" if writes else ""
    print(f"{source}: {n} problem{'s' if n != 1 else ''}{tail}", file=sys.stderr)


def _validate(paths: Sequence[Path]) -> int:
    from policybrief.workbook import read_workbook

    found = _expand(paths)
    if found is None:
        return EXIT_INPUT
    status = EXIT_OK
    for path in found:
        try:
            inputs = read_workbook(path)
        except InputError as err:
            _report_problems(err, inert(str(path)), writes=False)
            status = EXIT_INPUT
            continue
        from policybrief.model.wellposed import problems as model_problems

        if refused := model_problems(inputs):  # what the engine refuses, as build would
            _report_problems(
                InputError([*inputs.warnings, *refused]), inert(str(path)), writes=False
            )
            status = EXIT_INPUT
            continue
        for warning in inputs.warnings:
            print(warning.format(inert(str(path))), file=sys.stderr)
        print(
            f"{inert(str(path))}: ok ({len(inputs.levers)} levers, {len(inputs.scenarios)} scenarios, "
            f"{len(inputs.targets)} targets)"
        )
    return status


def _init(path: Path, example: str, *, force: bool) -> int:
    from policybrief.workbook import write_workbook

    write_workbook(path, example=example, force=force)
    print(
        f"{inert(str(path))}: written ({example} example); edit it, then check it with "
        f"`nox -s validate -- {inert(str(path))}` and build it with `nox -s brief`"
    )
    return EXIT_OK


def _same_folder(paths: Sequence[Path], out: Path) -> str:
    """A message when two workbooks would be built into one output folder, else ``""``.

    Compared without case: on Windows and macOS ``A.xlsx`` and ``a.xlsx`` share a folder.
    """
    seen: dict[str, Path] = {}
    for path in paths:
        first = seen.setdefault(path.stem.casefold(), path)
        if first is not path and first != path:
            return (
                f"{inert(str(first))} and {inert(str(path))} would both be built into "
                f"{inert(str(out / path.stem))}; rename one, or build them with different --out"
            )
    return ""


def _notice(text: str) -> None:
    print(f"policybrief: {text}", file=sys.stderr, flush=True)


def _expand(paths: Sequence[Path]) -> list[Path] | None:
    """Folders replaced by the workbooks in them (skipped files named); None when a folder
    holds none."""
    from policybrief.workbook.files import BUILT, find_workbooks

    found: list[Path] = []
    for path in paths:
        if not path.is_dir() or path.suffix.lower() in BUILT:  # "x.xlsx" means a workbook
            found.append(path)
            continue
        workbooks, notes = find_workbooks(path)
        for note in notes:
            print(f"policybrief: {inert(note)}", file=sys.stderr)
        if not workbooks:
            print(
                f"policybrief: error: no .xlsx workbook in {inert(str(path))}; start one with "
                f"`nox -s init -- {inert(str(path / 'my.xlsx'))}`",
                file=sys.stderr,
            )
            return None
        found += workbooks
    return found


def _build(args: argparse.Namespace) -> int:
    workbooks = _expand(args.workbooks)
    if workbooks is None:
        return EXIT_INPUT
    args.workbooks = workbooks
    clash = _same_folder(args.workbooks, args.out)
    if clash:
        print(f"policybrief: error: {clash}; nothing was built", file=sys.stderr)
        return EXIT_INPUT
    status = EXIT_OK
    for path in dict.fromkeys(args.workbooks):  # the same file named twice is built once
        status = max(status, _build_one(path, args))
    return status


def _build_one(path: Path, args: argparse.Namespace, *, keep_previous: bool = False) -> int:
    """Build one workbook and print its warnings, headline and files (or its problems)."""
    from policybrief.build import build
    from policybrief.workbook.files import open_in_editor

    if (editing := open_in_editor(path)) is not None:
        print(f"{inert(str(path))}: warning: {editing}", file=sys.stderr)
    try:
        result = build(
            path,
            args.out,
            draws=args.draws,
            seed=args.seed,
            only=args.only,
            progress=Progress(path.name),
            notice=_notice,
            template_dir=args.template,
            keep_previous=keep_previous,
            validated=_print_central(path) if keep_previous else None,
        )
    except InputError as err:
        _report_problems(err, inert(str(path)))
        return EXIT_INPUT
    except PolicyBriefError as err:  # this workbook's output folder, template or disk
        print(f"{inert(str(path))}: error: {inert(str(err), limit=2000)}", file=sys.stderr)
        return EXIT_INPUT
    for warning in result.warnings:
        print(warning.format(inert(str(path))), file=sys.stderr)
    for line in result.templates:
        print(f"{inert(str(path))}: {inert(line)}")
    print(f"{inert(str(path))}: {inert(result.headline, limit=1000)}", flush=True)
    for file in result.files:
        if file.relative_to(result.out_dir).parts[0] in ("previous", "snapshot"):
            continue  # kept for "what changed"; not an output to open
        note = " (kept from the previous build)" if file in result.kept else ""
        print(f"  {inert(str(file))}{note}")
    print(f"{inert(str(path))}: built {inert(str(result.out_dir))}", flush=True)
    return EXIT_OK


def _print_central(path: Path) -> Callable[[Inputs], None]:
    """``watch``: the central headline as soon as the workbook validates (the deck follows)."""

    def show(inputs: Inputs) -> None:
        from policybrief.model.whatchanged import headline_value
        from policybrief.report.story.changes import central_headline

        line = central_headline(inputs, headline_value(inputs))
        print(f"{inert(str(path))}: {inert(line, limit=1000)}", flush=True)

    return show


def _watch(args: argparse.Namespace) -> int:
    from policybrief.watch import watch

    workbooks = _expand(args.workbooks)
    if workbooks is None:
        return EXIT_INPUT
    for path in workbooks:  # the output is current before the first save
        _build_one(path, args, keep_previous=True)
    try:
        watch(args.workbooks, lambda path: _build_one(path, args, keep_previous=True))
    except KeyboardInterrupt:
        print("policybrief: stopped watching", file=sys.stderr)
    return EXIT_OK


def _diff(old: Path, new: Path) -> int:
    from policybrief.changes import compare, read_side
    from policybrief.report.story.changes import diff_text

    before, after = read_side(old), read_side(new)
    print(diff_text(compare(before, after), after.inputs))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args.workbooks)
        if args.command == "init":
            return _init(args.path, args.example, force=args.force)
        if args.command == "diff":
            return _diff(args.old, args.new)
        if args.command == "watch":
            return _watch(args)
        return _build(args)
    except InputError as err:
        _report_problems(err, inert(err.source))
        return EXIT_INPUT
    except PolicyBriefError as err:
        print(f"policybrief: error: {inert(str(err), limit=2000)}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("policybrief: interrupted", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - last-resort guard: say it is our bug, keep the trace
        print("policybrief: internal error (please report it):", file=sys.stderr)
        traceback.print_exc()
        return EXIT_INTERNAL
