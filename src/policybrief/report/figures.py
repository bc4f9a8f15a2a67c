"""PNG charts for the Markdown brief (the deck draws native, editable charts instead).

Charts are drawn with matplotlib's object-oriented API (``Figure`` + ``FigureCanvasAgg``), so
no global pyplot state or interactive backend is involved. Bytes are reproducible: a fixed size
and dpi, the bundled DejaVu font, and no ``Software``/timestamp entries in the PNG metadata.

matplotlib is imported inside the drawing functions, not at module level: the brief needs
``chart_specs`` (titles and alt texts) without paying for matplotlib, and the build draws the
charts in a worker process (``report/offload.py``; ``warm_up`` loads matplotlib there while
the engine runs).
"""

from __future__ import annotations

import io
import textwrap
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policybrief.report.formatting import fy_label, money, number
from policybrief.report.labels import change_label, quantity_label

if TYPE_CHECKING:
    from collections.abc import Mapping
    from concurrent.futures import Future
    from pathlib import Path

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from policybrief.model.results import Results

__all__ = [
    "CHART_NAMES",
    "ChartSpec",
    "chart_specs",
    "render_charts",
    "save_charts",
    "warm_up",
    "write_charts",
]

#: The brief's charts, in the order the brief shows them.
CHART_NAMES: tuple[str, ...] = (
    "outlook",
    "fan",
    "waterfall",
    "frontier",
    "sobol",
    "backtest",
    "tornado",
    "workforce",
)

_DPI = 100
_SIZE = (8.0, 4.5)
_PALETTE = ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2e75b6", "#7f7f7f")
_GOOD, _BAD, _TOTAL = "#548235", "#c00000", "#1f4e79"
_RC: dict[Any, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "policybrief",
}
_TORNADO_BARS = 10


@dataclass(frozen=True)
class ChartSpec:
    """A chart of the brief: file name (``charts/<name>.png``), title and alt text.

    The alt text states the chart's key number, so the brief reads correctly without images.
    """

    name: str
    title: str
    alt: str

    @property
    def filename(self) -> str:
        """Path relative to the output folder, e.g. ``charts/outlook.png``."""
        return f"charts/{self.name}.png"


def _headline_attribution(results: Results) -> tuple[tuple[str, float], ...]:
    for a in results.attribution:
        if a.scenario == results.headline.name:
            return a.contributions
    return ()


def chart_specs(results: Results) -> tuple[ChartSpec, ...]:
    """Titles and alt texts of every chart, in ``CHART_NAMES`` order.

    Parameters
    ----------
    results
        The engine's results.

    Returns
    -------
    tuple of ChartSpec
        One spec per chart.
    """
    s = results.inputs.settings
    unit = s.currency_label
    final = fy_label(s.final_year)
    head, base = results.headline, results.baseline
    lo, hi = s.band
    e_head = float(head.central["exports"][-1])
    e_base = float(base.central["exports"][-1])
    band_lo = float(head.percentiles[lo]["exports"][-1])
    band_hi = float(head.percentiles[hi]["exports"][-1])
    contribs = _headline_attribution(results)
    if contribs:
        top_id, top_val = max(contribs, key=lambda c: abs(c[1]))
        top_name = change_label(results, head.name, top_id)
        waterfall = (
            f"Waterfall from {base.name} ({money(e_base, unit)}) to {head.name} "
            f"({money(e_head, unit)}) in {final}; the largest contribution is {top_name} "
            f"({money(top_val, unit)})."
        )
    else:
        waterfall = f"{head.name} uses the same levers as {base.name}: no gain to attribute."
    if results.sensitivity:
        top = results.sensitivity[0]
        tornado = (
            f"Tornado of {head.name}'s {final} exports: {quantity_label(results, top.parameter)} "
            "matters most, "
            f"moving exports from {money(top.exports_at_low, unit)} to "
            f"{money(top.exports_at_high, unit)}."
        )
    else:
        tornado = "No uncertain quantities: every input is fixed, so there is no tornado."
    w_head = float(head.central["workforce"][-1])
    w_base = float(base.central["workforce"][-1])
    return (
        ChartSpec(
            "outlook",
            "Export outlook",
            f"Exports by scenario to {final}: {head.name} reaches {money(e_head, unit)} "
            f"against {money(e_base, unit)} under {base.name}.",
        ),
        ChartSpec(
            "fan",
            f"Uncertainty: {head.name}",
            f"Fan chart of {head.name}: {final} exports {money(e_head, unit)} central, "
            f"P{lo}–P{hi} {money(band_lo, unit)}–{money(band_hi, unit)}.",
        ),
        ChartSpec("waterfall", "Where the gain comes from", waterfall),
        ChartSpec("frontier", "Cheapest way to the targets", _frontier_alt(results)),
        ChartSpec("sobol", "What the decision depends on", _sobol_alt(results)),
        ChartSpec("backtest", "Does the model reproduce history?", _backtest_alt(results)),
        ChartSpec("tornado", "What matters most", tornado),
        ChartSpec(
            "workforce",
            "Talent pipeline",
            f"Export IT workforce by scenario: {number(w_head)} in {final} under {head.name} "
            f"against {number(w_base)} under {base.name}; "
            f"{number(head.emigrants_averted)} emigrants averted.",
        ),
    )


def _frontier_alt(results: Results) -> str:
    unit = results.inputs.settings.currency_label
    final = fy_label(results.inputs.settings.final_year)
    fr = results.frontier
    if fr is None or not fr.points:
        return f"No frontier: the workbook has no lever with a cost and a maximum ({final})."
    top = fr.points[-1]
    return (
        f"{final} exports against fiscal cost (present value): the best package for each of "
        f"{len(fr.points)} budgets, up to {money(top.exports, unit)} for "
        f"{money(top.pv_cost, unit)}, with every scenario as a point."
    )


def _frontier(results: Results, ax: Axes) -> None:
    fr = results.frontier
    unit = results.inputs.settings.currency_label
    if fr is None or not fr.points:
        ax.text(0.5, 0.5, "No frontier", ha="center", transform=ax.transAxes)
        return
    ax.plot([p.pv_cost for p in fr.points], [p.exports for p in fr.points], color="#6b7280",
            linewidth=2, label="Best package for each budget")  # fmt: skip
    right = max([p.pv_cost for p in fr.points] + [sc.pv_cost for sc in results.scenarios])
    for i, sc in enumerate(results.scenarios):
        x, y = sc.pv_cost, float(sc.central["exports"][-1])
        ax.scatter([x], [y], color=_PALETTE[i % len(_PALETTE)], zorder=5, s=30)
        late = x > 0.6 * right  # labels of points on the right run leftwards, inside the axes
        ax.annotate(_wrap(sc.name, 18), (x, y), textcoords="offset points",
                    xytext=(-5 if late else 5, -12), ha="right" if late else "left",
                    fontsize=7)  # fmt: skip
    _money_axis(ax, unit)
    _money_axis(ax, unit, axis="x")
    ax.set_xlabel("Fiscal cost, present value")
    ax.legend(loc="lower right", frameon=False)


def _sobol_rows(results: Results) -> list[Any]:
    gain = [r for r in results.sobol if r.output == "gain"]
    rows = (
        gain
        if any(r.total > 0 for r in gain)
        else [r for r in results.sobol if r.output == "exports"]
    )
    return sorted(rows, key=lambda r: -r.total)[:_TORNADO_BARS]


def _sobol_alt(results: Results) -> str:
    rows = _sobol_rows(results)
    if not rows or rows[0].total <= 0:
        return "No uncertain input: no variance to attribute (0 inputs)."
    top = rows[0]
    return (
        f"Total Sobol indices of the headline's {top.output} in "
        f"{fy_label(results.inputs.settings.final_year)}: {quantity_label(results, top.parameter)} "
        f"has the largest, {top.total:.0%}."
    )


def _sobol(results: Results, ax: Axes) -> None:
    rows = _sobol_rows(results)[::-1]
    if not rows or rows[-1].total <= 0:
        ax.text(0.5, 0.5, "No uncertain inputs", ha="center", transform=ax.transAxes)
        return
    y = list(range(len(rows)))
    ax.barh([v + 0.2 for v in y], [r.total for r in rows], height=0.4, color=_PALETTE[0],
            label="Total index")  # fmt: skip
    ax.barh([v - 0.2 for v in y], [r.first_order for r in rows], height=0.4, color="#a9c4e2",
            label="First-order index")  # fmt: skip
    ax.set_yticks(y, [quantity_label(results, r.parameter, width=44) for r in rows], fontsize=7)
    ax.grid(axis="x", color="#d9d9d9", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    from matplotlib.ticker import PercentFormatter  # noqa: PLC0415 - see the module docstring

    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.legend(loc="lower right", frameon=False)


def _backtest_alt(results: Results) -> str:
    v = results.validation
    unit = results.inputs.settings.currency_label
    if v is None or v.skipped or not v.hindcasts:
        hist = sorted((h.year, h.exports) for h in results.inputs.history)
        seen = (
            f"Recorded exports {fy_label(hist[0][0])}–{fy_label(hist[-1][0])} (last "
            f"{money(hist[-1][1], unit)})"
            if hist
            else "No recorded exports"
        )
        why = f": {v.skipped}" if v is not None and v.skipped else ""
        return f"{seen}; the model was not tested against history{why}."
    first = v.hindcasts[0]
    return (
        f"Recorded exports against the model run from {fy_label(first.start_year)} "
        f"(and later start years) with its P10–P90 band: it reaches "
        f"{money(first.central[-1], unit)} in {fy_label(first.years[-1])} against "
        f"{money(first.recorded[-1] or 0.0, unit)} recorded ({first.error_pct:+.0f}%)."
    )


#: Fixed margins (left, bottom, right, top) per chart: a layout engine would triple draw time.
_MARGINS = {
    "tornado": (0.33, 0.09, 0.97, 0.90),
    "sobol": (0.33, 0.09, 0.97, 0.90),
    "frontier": (0.10, 0.13, 0.97, 0.90),
    "waterfall": (0.16, 0.30, 0.98, 0.90),
}
_DEFAULT_MARGINS = (0.10, 0.09, 0.98, 0.90)


def _new_figure(name: str) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure  # noqa: PLC0415 - see the module docstring

    fig = Figure(figsize=_SIZE, dpi=_DPI)
    left, bottom, right, top = _MARGINS.get(name, _DEFAULT_MARGINS)
    fig.subplots_adjust(left=left, bottom=bottom, right=right, top=top)
    ax = fig.add_subplot()
    ax.grid(axis="y", color="#d9d9d9", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def _money_axis(ax: Axes, unit: str, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter  # noqa: PLC0415 - see the module docstring

    fmt = FuncFormatter(lambda v, _pos: money(v, unit))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _year_axis(ax: Axes, years: list[int]) -> None:
    step = max(1, len(years) // 12)
    ticks = years[::step]
    ax.set_xticks(ticks, [fy_label(y) for y in ticks])


def _outlook(results: Results, ax: Axes) -> None:
    s = results.inputs.settings
    years = list(results.years)
    hist = [h for h in results.inputs.history if h.year <= s.base_year]
    if hist:
        ax.plot(
            [h.year for h in hist],
            [h.exports for h in hist],
            color="#404040",
            marker="o",
            markersize=3,
            label="Actual",
        )
    for i, sc in enumerate(results.scenarios):
        ax.plot(
            years,
            sc.central["exports"],
            color=_PALETTE[i % len(_PALETTE)],
            linewidth=2.2 if sc.name == results.headline.name else 1.5,
            linestyle="--" if sc.name == results.baseline.name else "-",
            label=sc.name,
        )
    for t in results.targets:
        ax.scatter([t.year], [t.value], marker="D", color="#000000", zorder=5, s=22)
        ax.annotate(
            t.label, (t.year, t.value), textcoords="offset points", xytext=(4, 4), fontsize=7
        )
    _year_axis(ax, sorted({h.year for h in hist} | set(years)))
    _money_axis(ax, s.currency_label)
    ax.legend(loc="upper left", frameon=False)


def _fan(results: Results, ax: Axes) -> None:
    s = results.inputs.settings
    years = list(results.years)
    head = results.headline
    lo, hi = s.band
    ax.fill_between(
        years,
        head.percentiles[lo]["exports"],
        head.percentiles[hi]["exports"],
        color=_PALETTE[0],
        alpha=0.25,
        linewidth=0,
        label=f"P{lo}–P{hi}",
    )
    if 50 in head.percentiles:
        ax.plot(years, head.percentiles[50]["exports"], color=_PALETTE[0], label="P50")
    ax.plot(years, head.central["exports"], color=_PALETTE[0], linestyle=":", label="Central")
    for t in results.targets:
        ax.axhline(t.value, color="#7f7f7f", linestyle="--", linewidth=0.8)
        ax.annotate(t.label, (years[0], t.value), xytext=(2, 3), textcoords="offset points")
    _year_axis(ax, years)
    _money_axis(ax, s.currency_label)
    # Paths rise left to right, so the lower right is the emptiest corner.
    ax.legend(loc="lower right", frameon=False)


def _waterfall(results: Results, ax: Axes) -> None:
    unit = results.inputs.settings.currency_label
    base = float(results.baseline.central["exports"][-1])
    head = float(results.headline.central["exports"][-1])
    contribs = _headline_attribution(results)
    labels = [results.baseline.name]
    bottoms, heights, colours = [0.0], [base], [_TOTAL]
    level = base
    for lever_id, value in contribs:
        labels.append(change_label(results, results.inputs.settings.headline_scenario, lever_id))
        bottoms.append(level if value >= 0 else level + value)
        heights.append(abs(value))
        colours.append(_GOOD if value >= 0 else _BAD)
        level += value
    labels.append(results.headline.name)
    bottoms.append(0.0)
    heights.append(head)
    colours.append(_TOTAL)
    x = list(range(len(labels)))
    ax.bar(x, heights, bottom=bottoms, color=colours, width=0.6)
    # Slanted, so neighbouring names never run into each other however many levers there are.
    ax.set_xticks(x, [_wrap(label, 28) for label in labels], fontsize=7, rotation=30, ha="right")
    _money_axis(ax, unit)


def _tornado(results: Results, ax: Axes) -> None:
    unit = results.inputs.settings.currency_label
    rows = list(results.sensitivity[:_TORNADO_BARS])[::-1]
    centre = float(results.headline.central["exports"][-1])
    if not rows:
        ax.text(0.5, 0.5, "No uncertain quantities", ha="center", transform=ax.transAxes)
        return
    y = list(range(len(rows)))
    ax.barh(y, [r.exports_at_low - centre for r in rows], left=centre, color=_BAD, label="Low")
    ax.barh(y, [r.exports_at_high - centre for r in rows], left=centre, color=_GOOD, label="High")
    ax.axvline(centre, color="#404040", linewidth=0.8)
    ax.set_yticks(y, [quantity_label(results, r.parameter, width=44) for r in rows], fontsize=7)
    ax.grid(axis="x", color="#d9d9d9", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    _money_axis(ax, unit, axis="x")
    ax.legend(loc="lower right", frameon=False)


def _workforce(results: Results, ax: Axes) -> None:
    from matplotlib.ticker import FuncFormatter  # noqa: PLC0415 - see the module docstring

    years = list(results.years)
    for i, sc in enumerate(results.scenarios):
        ax.plot(
            years,
            sc.central["workforce"],
            color=_PALETTE[i % len(_PALETTE)],
            linestyle="--" if sc.name == results.baseline.name else "-",
            label=sc.name,
        )
    _year_axis(ax, years)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v)))
    ax.legend(loc="upper left", frameon=False)


def _backtest(results: Results, ax: Axes) -> None:
    s = results.inputs.settings
    v = results.validation
    hist = sorted((h.year, h.exports) for h in results.inputs.history if h.year <= s.base_year)
    if hist:
        ax.plot(*zip(*hist, strict=True), color="#404040", marker="o", markersize=3,
                label="Recorded", zorder=5)  # fmt: skip
    if v is None or v.skipped:
        ax.text(0.5, 0.5, "Not tested against history", ha="center", transform=ax.transAxes)
    else:
        for i, h in enumerate(v.hindcasts):
            colour = _PALETTE[(i + 1) % len(_PALETTE)]
            years = list(h.years)
            ax.fill_between(years, h.p10, h.p90, color=colour, alpha=0.12, linewidth=0)
            ax.plot(years, h.central, color=colour, linewidth=1.6,
                    label=f"Model from {fy_label(h.start_year)} (P10–P90 shaded)")  # fmt: skip
    if hist:
        _year_axis(ax, [y for y, _ in hist])
    _money_axis(ax, s.currency_label)
    ax.legend(loc="upper left", frameon=False)


def _wrap(text: str, width: int = 14) -> str:
    return "\n".join(textwrap.wrap(text, width)[:3]) or text


_DRAW = {
    "outlook": _outlook,
    "fan": _fan,
    "waterfall": _waterfall,
    "tornado": _tornado,
    "workforce": _workforce,
    "backtest": _backtest,
    "sobol": _sobol,
    "frontier": _frontier,
}


def _png(rgba: bytes, width: int, height: int) -> bytes:
    """Encode an RGBA buffer as ``savefig`` does (same chunks, no ``Software`` text).

    Fastest zlib level: the same pixels as the default level, files ~5% larger, ~6 ms less
    per chart.
    """
    from PIL import Image  # noqa: PLC0415 - see the module docstring
    from PIL.PngImagePlugin import PngInfo  # noqa: PLC0415

    image = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.save(buffer, format="png", pnginfo=PngInfo(), dpi=(_DPI, _DPI), compress_level=1)
    return buffer.getvalue()


def render_charts(results: Results) -> dict[str, bytes]:
    """Draw every chart of ``CHART_NAMES`` and return the PNG bytes by chart name.

    Nothing is written to disk, so a worker process can draw while its parent owns the
    output folder. Each chart is encoded in a second thread while the next one is drawn:
    Pillow releases the GIL while compressing, so on a free core encoding costs no time.
    """
    import matplotlib as mpl  # noqa: PLC0415 - see the module docstring
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415

    pending: dict[str, Future[bytes]] = {}
    with ThreadPoolExecutor(max_workers=1) as encoder, mpl.rc_context(_RC):
        for spec in chart_specs(results):
            fig, ax = _new_figure(spec.name)
            canvas: Any = FigureCanvasAgg(fig)  # draw, buffer_rgba: untyped in matplotlib
            _DRAW[spec.name](results, ax)
            # An explicit y skips matplotlib's automatic title placement, which lays out every
            # tick label to look for overlaps (~25 ms a chart); nothing is drawn above the axes,
            # so the automatic position is this one and the PNGs are byte-identical.
            ax.set_title(spec.title, loc="left", fontsize=11, fontweight="bold", y=1.0)
            canvas.draw()
            width, height = canvas.get_width_height()
            rgba = bytes(canvas.buffer_rgba())
            pending[spec.name] = encoder.submit(_png, rgba, width, height)
    return {name: future.result() for name, future in pending.items()}


def save_charts(pngs: Mapping[str, bytes], folder: Path) -> tuple[Path, ...]:
    """Write ``render_charts`` output as ``folder/<name>.png`` (folder created if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in pngs.items():
        path = folder / f"{name}.png"
        path.write_bytes(data)
        written.append(path)
    return tuple(written)


def write_charts(results: Results, folder: Path) -> tuple[Path, ...]:
    """Draw every chart of ``CHART_NAMES`` as ``folder/<name>.png``.

    Parameters
    ----------
    results
        The engine's results.
    folder
        Target folder (created if missing), normally ``<output>/charts``.

    Returns
    -------
    tuple of Path
        The files written, in ``CHART_NAMES`` order.
    """
    return save_charts(render_charts(results), folder)


def warm_up() -> None:
    """Load matplotlib and its font so a later ``write_charts`` starts drawing at once.

    Called in the build's worker process (``report/offload.py``) while the parent reads the
    workbook and runs the engine; it draws nothing to disk.
    """
    import matplotlib as mpl  # noqa: PLC0415 - see the module docstring
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415
    from matplotlib.ticker import FuncFormatter  # noqa: PLC0415

    with mpl.rc_context(_RC):
        fig = Figure(figsize=(1.0, 1.0), dpi=_DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v}"))
        ax.set_title("$0.0bn FY26", fontweight="bold")
        fig.canvas.draw()
