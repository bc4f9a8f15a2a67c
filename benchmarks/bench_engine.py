"""Engine benchmark: 1,000,000 draws × 3 scenarios × 10 years, time, memory and loop speed-up.

The inputs are synthetic (built here, no country data): 10 levers over the five channels (one
productivity lever in level form, one with a cost share, one in force in the base year), every
Baseline parameter but ``shock_sd`` uncertain, yearly shocks on (``shock_sd`` 0.08) and three
rank correlations (Iman–Conover) — model v2 with everything switched on. Time and memory are measured in fresh subprocesses so one
measurement cannot inflate another: wall time of ``engine.run`` (every analysis included)
without tracing; then peak traced allocations (``tracemalloc``, which sees numpy's buffers) and
the process's peak RSS (``resource.getrusage``). The speed-up compares time per draw with a
straightforward per-draw pure-Python loop of the same model (sampling included), timed on
2,000 draws.
"""

from __future__ import annotations

import json
import math
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from policybrief.domain import (
    BASELINE_PARAMETERS,
    Correlation,
    HistoryPoint,
    Inputs,
    Lever,
    Parameter,
    Scenario,
    Settings,
    Target,
)
from policybrief.model import run as engine_run

DRAWS = 1_000_000
SHOCK_SD = 0.08
LOOP_DRAWS = 2_000
REPEATS = 3
GIB = 1024**3


def inputs():
    """Synthetic workbook-like inputs: 3 scenarios, 10 years, 10 levers, 11 uncertain params."""
    central = {
        "exports_base": 1000.0, "workforce_base": 50_000.0, "realization_base": 0.7,
        "realization_max": 0.9, "productivity_growth": 0.03, "graduates_base": 10_000.0,
        "graduates_growth": 0.02, "absorption_rate": 0.4, "other_entry_rate": 0.02,
        "attrition_rate": 0.03, "emigration_rate": 0.05, "shock_sd": SHOCK_SD,
    }  # fmt: skip
    params = tuple(
        Parameter(n, central[n], central[n] * 0.9, central[n] * 1.1) for n in BASELINE_PARAMETERS
    )
    size = {"productivity": 0.01, "emigration": 0.1, "absorption": 0.05, "inflow": 500.0,
            "realization": 0.02}  # fmt: skip
    levers = [
        Lever(f"l{i}", f"Lever {i}", ch, size[ch], 0.5 * size[ch], 1.5 * size[ch],
              lag=i % 2, ramp=1 + i % 3, saturation=2.0 if i % 2 else None,
              cost_per_unit=5.0 + i, max_intensity=5.0)
        for i, ch in enumerate(list(size) * 2)
    ]  # fmt: skip
    # v2 terms: a level-form productivity lever in force since before the base year, and a
    # productivity lever whose cost is a share of exports.
    levers[5] = Lever("l5", "Lever 5", "productivity", 0.03, 0.01, 0.05, form="level",
                      start_year=2024, cost_per_unit=0.0, max_intensity=5.0)  # fmt: skip
    levers[0] = Lever("l0", "Lever 0", "productivity", 0.01, 0.005, 0.015, cost_share=0.01,
                      max_intensity=5.0)  # fmt: skip
    scenarios = tuple(
        Scenario(name, {lv.id: scale * (1 + j % 3) / 2 for j, lv in enumerate(levers)})
        for name, scale in (("Current policy", 0.2), ("Reform", 1.0), ("Stretch", 2.0))
    )
    return Inputs(
        settings=Settings("Benchmark", "Bench", 2025, 10, "Current policy", "Reform", DRAWS, 11),
        parameters=params,
        levers=tuple(levers),
        scenarios=scenarios,
        targets=(Target("Mid", 1600.0, 2030), Target("End", 2500.0, 2035)),
        history=(HistoryPoint(2020, 700.0), HistoryPoint(2025, 1000.0)),
        correlations=(
            Correlation("workforce_base", "other_entry_rate", 0.5),
            Correlation("productivity_growth", "realization_base", -0.3),
            Correlation("l1", "l6", 0.6),
        ),
    )


def _pert(rng: random.Random, low: float, mode: float, high: float) -> float:
    if high <= low:
        return mode
    a = 1 + 4 * (mode - low) / (high - low)
    b = 1 + 4 * (high - mode) / (high - low)
    return low + (high - low) * rng.betavariate(a, b)


def python_loop(inp, draws: int) -> float:
    """Seconds for a per-draw pure-Python Monte Carlo of the same v2 model (3 scenarios).

    Shocks included; correlations left out (reordering draws does not change the work per
    draw), so the loop is if anything a little flattering to itself.
    """
    rng = random.Random(1)
    s = inp.settings
    years = range(s.base_year + 1, s.final_year + 1)
    base = inp.baseline
    start = time.perf_counter()
    finals = []

    def load(lv, x: float, y: int) -> float:
        f = x if lv.saturation is None else lv.saturation * (1 - math.exp(-x / lv.saturation))
        a = s.base_year + 1 if lv.start_year is None else lv.start_year
        on = y >= a + lv.lag and (lv.end_year is None or y <= lv.end_year)
        return f * (min(1.0, (y - a - lv.lag + 1) / lv.ramp) if on else 0.0)

    def terms(sc, beta, y: int) -> dict[str, float]:
        lam = dict.fromkeys(("productivity", "level", "emigration", "absorption", "inflow",
                             "realization"), 0.0)  # fmt: skip
        for lv in inp.levers:
            key = "level" if lv.form == "level" else lv.channel
            lam[key] += beta[lv.id] * load(lv, sc.intensity(lv.id), y)
        return lam

    for _ in range(draws):
        p = {q.name: _pert(rng, q.low, q.central, q.high) for q in inp.parameters}
        p["shock_sd"] = SHOCK_SD
        beta = {lv.id: _pert(rng, lv.effect_low, lv.effect_central, lv.effect_high)
                for lv in inp.levers}  # fmt: skip
        shocks = [rng.gauss(0.0, SHOCK_SD) - SHOCK_SD**2 / 2 for _ in years]
        star = terms(base, beta, s.base_year)
        for sc in inp.scenarios:
            w, rz0 = p["workforce_base"], p["realization_base"]
            p0 = p["exports_base"] / (w * rz0)
            g = 1.0
            for t, y in enumerate(years, start=1):
                lam = terms(sc, beta, y)
                d = {k: lam[k] - star[k] for k in lam}
                g *= (1 + p["productivity_growth"] + d["productivity"]) * math.exp(shocks[t - 1])
                prod = p0 * g * (1 + lam["level"]) / (1 + star["level"])
                m = p["emigration_rate"] * max(0.0, 1 - d["emigration"])
                ab = min(1.0, max(0.0, p["absorption_rate"] + d["absorption"]))
                n = (
                    p["graduates_base"] * ab * (1 + p["graduates_growth"]) ** t
                    + p["other_entry_rate"] * w
                    + d["inflow"]
                )
                w = w * (1 - p["attrition_rate"] - m) + n
                rz = min(p["realization_max"], max(0.0, rz0 + d["realization"]))
            finals.append(w * prod * rz)
    finals.sort()
    return time.perf_counter() - start


def _child(mode: str) -> None:
    """Run in a fresh process; print a JSON measurement."""
    inp = inputs()
    if mode == "time":
        engine_run(inp, draws=20_000)  # warm up imports and caches
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            engine_run(inp)
            times.append(time.perf_counter() - start)
        out = {"seconds": sorted(times)[len(times) // 2], "best": min(times)}
    elif mode == "memory":
        tracemalloc.start()
        engine_run(inp)
        out = {"traced": tracemalloc.get_traced_memory()[1]}
        tracemalloc.stop()
        out["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    else:
        out = {"seconds": python_loop(inp, LOOP_DRAWS)}
    print(json.dumps(out))


def _measure(mode: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", mode],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run() -> list[tuple[str, str, str]]:
    """Measure and return ``(measure, value, target/verdict)`` rows."""
    timing, memory, loop = _measure("time"), _measure("memory"), _measure("loop")
    seconds = timing["seconds"]
    per_draw_engine = seconds / DRAWS
    per_draw_loop = loop["seconds"] / LOOP_DRAWS
    speedup = per_draw_loop / per_draw_engine

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    return [
        ((f"run(): {DRAWS:,} draws × 3 scenarios × 10 years, shocks + 3 correlations, wall, "
         f"median of {REPEATS}"),
         f"{seconds:.2f} s", f"< 3 s: {verdict(seconds < 3)} (best {timing['best']:.2f} s)"),
        ("peak traced allocations (tracemalloc)", f"{memory['traced'] / GIB:.3f} GiB",
         f"< 1 GiB: {verdict(memory['traced'] < GIB)}"),
        ("peak RSS of the process (getrusage)", f"{memory['rss'] / GIB:.3f} GiB",
         f"< 1 GiB: {verdict(memory['rss'] < GIB)}"),
        (f"pure-Python per-draw loop, {LOOP_DRAWS:,} draws", f"{loop['seconds']:.2f} s",
         f"{per_draw_loop * 1e6:.0f} µs/draw vs engine {per_draw_engine * 1e6:.2f} µs/draw"),
        ("speed-up over the per-draw loop", f"{speedup:,.0f}×",
         f">= 100×: {verdict(speedup >= 100)}"),
    ]  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
    else:
        for row in run():
            print(" | ".join(row))
