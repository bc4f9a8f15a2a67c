"""Building blocks for native PowerPoint charts: colours, axes, series styles and XML tweaks.

python-pptx has no API for a few things the deck needs, done here on the chart XML:

- ``to_line_plot`` moves series of an area chart into a ``c:lineChart`` sharing its axes (a
  combination chart: PowerPoint and LibreOffice both render it);
- ``hide_legend_entries`` adds ``c:legendEntry/c:delete`` for hidden helper series.

Each chart carries its data as an embedded workbook (``ppt/embeddings/*.xlsx``), which
python-pptx writes with XlsxWriter. XlsxWriter's ``write()`` turns text starting with ``=`` into
a formula and ``http://...`` into a hyperlink by default, and series names and categories are
workbook text (scenario and lever names, target labels, descriptions). ``chart_data`` therefore
hands python-pptx a writer that opens its workbook with ``INERT_TEXT``: every such text stays a
plain string cell, as in the results workbook.

python-pptx's own type hints are partial, so chart objects are typed ``Any`` here.
"""

from __future__ import annotations

import contextlib
import copy
import functools
from typing import TYPE_CHECKING, Any

from pptx.chart.data import CategoryChartData, XyChartData
from pptx.chart.xlsx import CategoryWorkbookWriter, XyWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Pt
from xlsxwriter import Workbook

from policybrief.report.palette import AXIS, GRID, INK, WHITE
from policybrief.report.palette import TARGET_MARKERS as TARGET_MARKERS_BY_NAME
from policybrief.report.xlsx import INERT_TEXT

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from pptx.enum.chart import XL_CHART_TYPE


Box = tuple[int, int, int, int]

#: Marker shapes of the targets, in ``palette.TARGET_MARKERS`` order.
TARGET_MARKERS = tuple(getattr(XL_MARKER_STYLE, shape.upper()) for shape in TARGET_MARKERS_BY_NAME)
AXIS_FORMAT = "#,##0"


def rgb(colour: str) -> RGBColor:
    """``RGBColor`` from hex text (python-pptx's ``from_string`` is untyped)."""
    return RGBColor.from_string(colour)  # type: ignore[no-untyped-call,no-any-return]


def emu_box(box: Box) -> tuple[Emu, Emu, Emu, Emu]:
    """A box of plain EMU integers as python-pptx ``Length`` values."""
    left, top, width, height = box
    return Emu(left), Emu(top), Emu(width), Emu(height)


class _InertOpen:
    """Opens a chart's embedded workbook with ``INERT_TEXT``.

    Overrides ``_open_worksheet``, the one place python-pptx creates the ``xlsxwriter.Workbook``
    (``pptx/chart/xlsx.py``); layout and cell references stay python-pptx's own.
    """

    @contextlib.contextmanager
    def _open_worksheet(self, xlsx_file: Any) -> Iterator[tuple[Any, Any]]:
        workbook = Workbook(xlsx_file, INERT_TEXT)
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class _InertWorkbookWriter(_InertOpen, CategoryWorkbookWriter):
    """python-pptx's category-chart workbook writer, with inert text."""


class _InertChartData(CategoryChartData):
    """``CategoryChartData`` whose embedded workbook keeps every text inert."""

    @functools.cached_property
    def _workbook_writer(self) -> _InertWorkbookWriter:
        return _InertWorkbookWriter(self)  # type: ignore[no-untyped-call]


class _InertXyWorkbookWriter(_InertOpen, XyWorkbookWriter):
    """python-pptx's XY-chart workbook writer, with inert text."""


class _InertXyChartData(XyChartData):
    """``XyChartData`` whose embedded workbook keeps every text (series names) inert."""

    @functools.cached_property
    def _workbook_writer(self) -> _InertXyWorkbookWriter:
        return _InertXyWorkbookWriter(self)  # type: ignore[no-untyped-call]


def xy_chart_data() -> Any:
    """A fresh ``XyChartData`` whose embedded workbook keeps text inert (``INERT_TEXT``)."""
    return _InertXyChartData()  # type: ignore[no-untyped-call]


def chart_data(number_format: str) -> Any:
    """A fresh ``CategoryChartData`` whose embedded workbook keeps text inert (``INERT_TEXT``).

    Typed ``Any``: python-pptx leaves it untyped.
    """
    return _InertChartData(number_format=number_format)  # type: ignore[no-untyped-call]


def xml_el(tag: str, val: str | None = None) -> Any:
    """A chart XML element, e.g. ``<c:smooth val="0"/>``."""
    element = OxmlElement(tag)
    if val is not None:
        element.set("val", val)
    return element


def set_alt_text(frame: Any, text: str) -> None:
    """Put ``text`` on the frame's ``p:cNvPr/@descr`` (what screen readers announce)."""
    frame._element.nvGraphicFramePr.cNvPr.set("descr", text)


def add_chart(slide: Any, kind: XL_CHART_TYPE, box: Box, data: Any) -> tuple[Any, Any]:
    frame = slide.shapes.add_chart(kind, *emu_box(box), data)
    chart = frame.chart
    # No automatic title (a one-series chart would show its series name): the slide titles it.
    chart.has_title = False
    chart.font.size = Pt(11)
    chart.font.color.rgb = rgb(INK)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(10)
    return frame, chart


def value_axis(chart: Any, title: str, fmt: str = AXIS_FORMAT) -> None:
    axis = chart.value_axis
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = rgb(GRID)
    axis.format.line.fill.background()
    axis.tick_labels.number_format = fmt
    axis.tick_labels.number_format_is_linked = False
    axis.tick_labels.font.size = Pt(10)
    axis.has_title = True
    axis.axis_title.text_frame.text = title
    axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(10)
    axis.axis_title.text_frame.paragraphs[0].runs[0].font.bold = False


def category_axis(chart: Any) -> None:
    axis = chart.category_axis
    axis.tick_labels.font.size = Pt(10)
    axis.format.line.color.rgb = rgb(AXIS)
    axis.has_major_gridlines = False


def line_style(series: Any, colour: str, width: float, *, dash: bool = False) -> None:
    fmt = series.format
    fmt.line.color.rgb = rgb(colour)
    fmt.line.width = Pt(width)
    if dash:
        fmt.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    series.smooth = False
    series.marker.style = XL_MARKER_STYLE.NONE


def markers_only(series: Any, colour: str, style: int) -> None:
    series.format.line.fill.background()
    series.smooth = False
    marker = series.marker
    marker.style = style
    marker.size = 10
    marker.format.fill.solid()
    marker.format.fill.fore_color.rgb = rgb(colour)
    marker.format.line.color.rgb = rgb(WHITE)


def hide_legend_entries(chart: Any, indexes: Sequence[int]) -> None:
    """Delete the legend entries of helper series (``c:legendEntry/c:delete``)."""
    legend = chart._chartSpace.chart.find(qn("c:legend"))
    anchor = legend.find(qn("c:legendPos"))
    for idx in sorted(indexes, reverse=True):
        entry = OxmlElement("c:legendEntry")
        entry.append(xml_el("c:idx", str(idx)))
        entry.append(xml_el("c:delete", "1"))
        anchor.addnext(entry)  # schema order: legendPos, legendEntry*, layout, overlay


def to_line_plot(chart: Any, first_series: int) -> None:
    """Move series ``first_series..`` of the area plot into a line plot on the same axes."""
    area = chart._chartSpace.find(".//" + qn("c:areaChart"))
    ax_ids = [copy.deepcopy(el) for el in area.findall(qn("c:axId"))]
    line = OxmlElement("c:lineChart")
    line.append(xml_el("c:grouping", "standard"))
    line.append(xml_el("c:varyColors", "0"))
    for ser in area.findall(qn("c:ser"))[first_series:]:
        area.remove(ser)
        sp_pr = ser.find(qn("c:spPr"))
        marker = OxmlElement("c:marker")
        marker.append(xml_el("c:symbol", "none"))
        (sp_pr if sp_pr is not None else ser.find(qn("c:tx"))).addnext(marker)
        ser.append(xml_el("c:smooth", "0"))
        line.append(ser)
    line.append(xml_el("c:marker", "1"))
    line.extend(ax_ids)
    area.addnext(line)


def nice_floor(value: float) -> float:
    """Round down to 1, 2 or 5 times a power of ten (a readable axis minimum)."""
    if value <= 0:
        return 0.0
    power = 10 ** len(str(int(value))) / 10
    for step in (5, 2, 1):
        if value >= step * power:
            return float(int(value // (step * power)) * step * power)
    return 0.0


def crowded_years(chart: Any, count: int) -> None:
    """Keep many year labels legible: every second one (PowerPoint) and turned 45 degrees
    (LibreOffice ignores ``c:tickLblSkip``)."""
    if count <= 12:
        return
    _label_every(chart, 2 if count <= 24 else 5)
    axis = chart.category_axis
    axis.tick_labels.font.size = Pt(9)
    axis._element.txPr.find(qn("a:bodyPr")).set("rot", "-2700000")


def _label_every(chart: Any, step: int) -> None:
    """Show every ``step``-th category label (``c:tickLblSkip``), keeping schema order."""
    axis = chart.category_axis._element
    skip = xml_el("c:tickLblSkip", str(step))
    for tag in ("c:lblOffset", "c:lblAlgn", "c:auto", "c:crosses"):
        anchor = axis.find(qn(tag))
        if anchor is not None:  # lxml elements without children are falsy: compare to None
            anchor.addnext(skip)
            return
    axis.append(skip)
