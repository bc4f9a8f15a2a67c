"""Fit a drawn chart inside its figure: nothing the brief draws is clipped.

Each chart starts from fixed margins (``kit.new_figure``). Once drawn, ``fit`` measures what
sticks out of the axes (tick labels, axis titles, the title, annotations) and widens the
margins to hold it, and moves a legend too big for the plot (many entries or long names)
under it, making the figure taller by its height; the axes keep their size. One measurement
of the axes' texts, not a layout engine: a chart that already fits is left as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policybrief.report.brief.figures.kit import wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

__all__ = ["fit"]

#: A legend stays inside the axes with at most this many entries, none longer than this.
INSIDE_ENTRIES = 6
INSIDE_LABEL = 40
#: Legend entries under the axes are wrapped at this many characters.
BELOW_LABEL = 50
#: Pixels kept free between anything drawn and the figure's edge.
PAD = 6.0


def fit(fig: Figure, ax: Axes, renderer: RendererBase) -> None:
    """Widen ``fig``'s margins to what ``ax`` draws outside itself, and move a crowded legend
    under the axes (the figure grows taller; the axes keep their size in pixels)."""
    entries = _crowded_legend(ax)
    width, height = fig.bbox.width, fig.bbox.height
    box = ax.get_window_extent(renderer)
    tight = ax.get_tightbbox(renderer)
    if tight is None:
        return
    left = max(box.x0, box.x0 - tight.x0 + PAD)
    right = max(width - box.x1, tight.x1 - box.x1 + PAD)
    bottom = max(box.y0, box.y0 - tight.y0 + PAD)
    top = max(height - box.y1, tight.y1 - box.y1 + PAD)
    legend, below = None, 0.0
    if entries is not None:
        legend = _legend_below(fig, entries, renderer, width)
        below = legend.get_window_extent(renderer).height + PAD
    if (left, right, bottom, top, below) == (box.x0, width - box.x1, box.y0, height - box.y1, 0):
        return
    total = bottom + below + box.height + top
    fig.set_size_inches(width / fig.dpi, total / fig.dpi)
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        bottom=(bottom + below) / total,
        top=1 - top / total,
    )
    if legend is not None:
        legend.set_bbox_to_anchor((0.5, (below - PAD / 2) / total), transform=fig.transFigure)


def _crowded_legend(ax: Axes) -> tuple[list[Any], list[str]] | None:
    """Remove the axes' legend and return its entries when it is too big to stay inside."""
    legend = ax.get_legend()
    if legend is None:
        return None
    labels = [t.get_text() for t in legend.get_texts()]
    if len(labels) <= INSIDE_ENTRIES and all(len(label) <= INSIDE_LABEL for label in labels):
        return None
    handles = list(legend.legend_handles)
    legend.remove()
    return handles, labels


def _legend_below(
    fig: Figure, entries: tuple[list[Any], list[str]], renderer: RendererBase, width: float
) -> Any:
    """A figure legend of ``entries`` in two columns (one when two do not fit the width)."""
    handles, labels = entries
    wrapped = [wrap(label, BELOW_LABEL) for label in labels]
    for columns in (2, 1):
        legend = fig.legend(handles, wrapped, loc="upper center", ncols=columns,
                            frameon=False, fontsize=8)  # fmt: skip
        if columns == 1 or legend.get_window_extent(renderer).width <= width - 2 * PAD:
            break
        legend.remove()
    return legend
