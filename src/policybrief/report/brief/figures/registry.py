"""The drawing of the brief's charts to PNG bytes: every chart of ``report.charts.CHARTS``,
in its order, each by the function its ``png`` names (adding a chart: ``report.charts``).

Charts are drawn with matplotlib's object-oriented API (``Figure`` + ``FigureCanvasAgg``), so
no global pyplot state or interactive backend is involved.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from policybrief.report import charts
from policybrief.report.brief.figures.fit import fit
from policybrief.report.brief.figures.kit import DPI, RC, encode_png, new_figure, wrap

if TYPE_CHECKING:
    from collections.abc import Mapping
    from concurrent.futures import Future
    from pathlib import Path

    from matplotlib.figure import Figure

    from policybrief.model.results import Results

__all__ = [
    "CHART_NAMES",
    "draw_figure",
    "render_charts",
    "save_charts",
    "warm_up",
    "write_charts",
]

#: A title longer than this many characters goes on two lines (or more).
TITLE_WIDTH = 80

#: The brief's charts, in the order the brief shows them.
CHART_NAMES: tuple[str, ...] = tuple(c.name for c in charts.CHARTS)


def draw_figure(results: Results, name: str, title: str) -> tuple[Figure, Any]:
    """Chart ``name`` drawn on a new figure; returns the figure and its Agg canvas.

    Call within ``matplotlib.rc_context(RC)`` so fonts and spines are the brief's.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415

    fig, ax = new_figure(name)
    canvas: Any = FigureCanvasAgg(fig)  # draw, buffer_rgba: untyped in matplotlib
    chart = next(c for c in charts.CHARTS if c.name == name)
    charts.drawing(chart.png)(results, ax)
    # An explicit y skips matplotlib's automatic title placement, which lays out every tick
    # label to look for overlaps (~25 ms a chart); nothing is drawn above the axes, so the
    # automatic position is this one and the PNGs are byte-identical.
    ax.set_title(wrap(title, TITLE_WIDTH), loc="left", fontsize=11, fontweight="bold", y=1.0)
    fit(fig, ax, canvas.get_renderer())
    canvas.draw()
    return fig, canvas


def render_charts(results: Results) -> dict[str, bytes]:
    """Draw every chart of ``CHART_NAMES`` and return the PNG bytes by chart name.

    Nothing is written to disk, so a worker process can draw while its parent owns the
    output folder. Each chart is encoded in a second thread while the next one is drawn:
    Pillow releases the GIL while compressing, so on a free core encoding costs no time.
    """
    import matplotlib as mpl  # noqa: PLC0415 - see the package docstring

    pending: dict[str, Future[bytes]] = {}
    with ThreadPoolExecutor(max_workers=1) as encoder, mpl.rc_context(RC):
        for spec in charts.chart_specs(results):
            _fig, canvas = draw_figure(results, spec.name, spec.title)
            width, height = canvas.get_width_height()
            rgba = bytes(canvas.buffer_rgba())
            pending[spec.name] = encoder.submit(encode_png, rgba, width, height)
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
    import matplotlib as mpl  # noqa: PLC0415 - see the package docstring
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415
    from matplotlib.ticker import FuncFormatter  # noqa: PLC0415

    with mpl.rc_context(RC):
        fig = Figure(figsize=(1.0, 1.0), dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v}"))
        ax.set_title("$0.0bn FY26", fontweight="bold")
        fig.canvas.draw()
