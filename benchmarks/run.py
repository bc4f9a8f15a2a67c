"""Run every ``benchmarks/bench_*.py`` module's ``run()`` and print one table.

Each module's ``run() -> list[tuple[str, str, str]]`` returns rows of
``(measure, value, target/verdict)``. Usage: ``python benchmarks/run.py [name ...]`` where a
name filters modules (``engine`` runs ``bench_engine.py``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    """Discover, run and tabulate the benchmarks; return the exit status."""
    rows: list[tuple[str, str, str]] = []
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if argv and name not in argv:
            continue
        print(f"running {path.name} ...", file=sys.stderr, flush=True)
        rows += [(f"[{name}] {m}", v, t) for m, v, t in _load(path).run()]
    if not rows:
        print("no benchmarks matched", file=sys.stderr)
        return 1
    header = ("measure", "value", "target / verdict")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    line = "  ".join("-" * w for w in widths)
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
