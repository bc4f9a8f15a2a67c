"""Command line: ``policybrief build | validate | init``; a thin adapter over the facade.

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
from policybrief.errors import InputError, PolicyBriefError

if TYPE_CHECKING:
    from collections.abc import Sequence

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INPUT = 2
OUTPUT_KINDS = ("deck", "brief", "results")


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
    b.add_argument("workbooks", nargs="+", type=Path, metavar="WORKBOOK")
    b.add_argument("--out", type=Path, default=Path("output"), help="output folder (output/)")
    b.add_argument("--draws", type=int, help="Monte Carlo draws (overrides Settings)")
    b.add_argument("--seed", type=int, help="random seed (overrides Settings)")
    b.add_argument(
        "--only",
        type=_only,
        help="comma-separated subset of deck,brief,results (default: all)",
    )

    v = sub.add_parser("validate", help="report every problem with its sheet and cell")
    v.add_argument("workbooks", nargs="+", type=Path, metavar="WORKBOOK")

    i = sub.add_parser("init", help="write a new, well-formatted workbook")
    i.add_argument("path", type=Path, metavar="PATH")
    i.add_argument("--example", choices=("pakistan", "blank"), default="blank")
    i.add_argument("--force", action="store_true", help="overwrite an existing file")
    return parser


def _only(text: str) -> frozenset[str]:
    kinds = frozenset(k.strip() for k in text.split(",") if k.strip())
    unknown = sorted(kinds - set(OUTPUT_KINDS))
    if unknown or not kinds:
        msg = f"--only takes a comma-separated subset of {','.join(OUTPUT_KINDS)}"
        raise argparse.ArgumentTypeError(msg)
    return kinds


def _report_problems(err: InputError, source: str) -> None:
    for problem in err.problems:
        print(problem.format(source), file=sys.stderr)
    n = err.error_count
    print(f"{source}: {n} problem{'s' if n != 1 else ''}; nothing was written", file=sys.stderr)


def _validate(paths: Sequence[Path]) -> int:
    from policybrief.workbook import read_workbook

    status = EXIT_OK
    for path in paths:
        try:
            inputs = read_workbook(path)
        except InputError as err:
            _report_problems(err, str(path))
            status = EXIT_INPUT
            continue
        for warning in inputs.warnings:
            print(warning.format(str(path)), file=sys.stderr)
        print(
            f"{path}: ok ({len(inputs.levers)} levers, {len(inputs.scenarios)} scenarios, "
            f"{len(inputs.targets)} targets)"
        )
    return status


def _init(path: Path, example: str, *, force: bool) -> int:
    from policybrief.workbook import write_workbook

    write_workbook(path, example=example, force=force)
    print(f"{path}: written ({example} example); edit it, then run: policybrief build {path}")
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from policybrief.build import build

    status = EXIT_OK
    for path in args.workbooks:
        try:
            result = build(
                path,
                args.out,
                draws=args.draws,
                seed=args.seed,
                only=args.only,
                progress=Progress(path.name),
            )
        except InputError as err:
            _report_problems(err, str(path))
            status = EXIT_INPUT
            continue
        for warning in result.warnings:
            print(warning.format(str(path)), file=sys.stderr)
        print(f"{path}: built {result.out_dir}")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args.workbooks)
        if args.command == "init":
            return _init(args.path, args.example, force=args.force)
        return _build(args)
    except InputError as err:
        _report_problems(err, err.source)
        return EXIT_INPUT
    except PolicyBriefError as err:
        print(f"policybrief: error: {err}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("policybrief: interrupted", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - last-resort guard: say it is our bug, keep the trace
        print("policybrief: internal error (please report it):", file=sys.stderr)
        traceback.print_exc()
        return EXIT_INTERNAL
