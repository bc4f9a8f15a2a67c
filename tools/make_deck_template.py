"""Generate ``templates/deck.pptx`` (and its package-data copy) from python-pptx's default.

Run from the repository root::

    python tools/make_deck_template.py

The result is a 16:9 template with the layout names PowerPoint's default template uses
("Title Slide", "Title and Content", "Title Only", ...), a restrained navy/teal theme, Arial
(metric-compatible Liberation Sans under LibreOffice, so renders match PowerPoint), left-aligned
titles over a thin accent rule, and footer placeholders along the bottom edge. The output is
byte-reproducible: zip entries carry a fixed date and order, and core properties are fixed.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Emu, Inches, Pt

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = (
    ROOT / "templates" / "deck.pptx",
    ROOT / "src" / "policybrief" / "templates" / "deck.pptx",
)

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}
WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # exactly 16:9
FONT = "Arial"
NAVY = "1B2A4A"
THEME_COLOURS = {
    "dk2": NAVY,
    "lt2": "EEF1F5",
    "accent1": "1F5A96",  # deep blue: headline series
    "accent2": "E07B24",  # orange: contrast / targets
    "accent3": "2E9C8A",  # teal
    "accent4": "8C6BB1",  # muted purple
    "accent5": "C44E52",  # brick red: negatives
    "accent6": "7F8C8D",  # grey: history, helpers
    "hlink": "1F5A96",
    "folHlink": "5B4E8C",
}
FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

# (left, top, width, height) in inches on a 13.333 x 7.5 in slide.
MASTER_BOXES = {
    "title": (0.5, 0.3, 12.33, 0.85),
    "body": (0.5, 1.4, 12.33, 5.3),
    "dt": (10.9, 7.0, 1.4, 0.3),
    "ftr": (0.5, 7.0, 10.2, 0.3),
    "sldNum": (12.35, 7.0, 0.5, 0.3),
}


def _theme(blob: bytes) -> bytes:
    """Restyle the theme: colour scheme, fonts and name."""
    root = etree.fromstring(blob)
    root.set("name", "policybrief")
    scheme = root.find(".//a:clrScheme", NS)
    assert scheme is not None
    scheme.set("name", "policybrief")
    for name, colour in THEME_COLOURS.items():
        slot = scheme.find(f"a:{name}", NS)
        assert slot is not None
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{{{NS['a']}}}srgbClr", val=colour)
    fonts = root.find(".//a:fontScheme", NS)
    assert fonts is not None
    fonts.set("name", "policybrief")
    for latin in fonts.iterfind("./*/a:latin", NS):
        latin.set("typeface", FONT)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_box(shape: object, box: tuple[float, float, float, float]) -> None:
    left, top, width, height = (Inches(v) for v in box)
    shape.left, shape.top, shape.width, shape.height = left, top, width, height  # type: ignore[attr-defined]


def _scale_x(shape: object) -> None:
    """Stretch a 4:3 layout placeholder horizontally to the 16:9 slide."""
    xfrm = shape._element.find(".//a:xfrm", NS)  # type: ignore[attr-defined]
    if xfrm is None:
        return  # inherits from the master
    factor = WIDTH / Inches(10)
    shape.left = Emu(round(shape.left * factor))  # type: ignore[attr-defined]
    shape.width = Emu(round(shape.width * factor))  # type: ignore[attr-defined]


def _style_master_text(master: object) -> None:
    styles = master._element.find("p:txStyles", NS)  # type: ignore[attr-defined]
    title = styles.find("p:titleStyle/a:lvl1pPr", NS)
    title.set("algn", "l")
    rpr = title.find("a:defRPr", NS)
    rpr.set("sz", "2600")
    rpr.set("b", "1")
    rpr.find("a:solidFill/a:schemeClr", NS).set("val", "tx2")
    body = styles.find("p:bodyStyle", NS)
    for level, size in zip(
        range(1, 10), (2000, 1800, 1600, 1400, 1400, 1400, 1400, 1400, 1400), strict=False
    ):
        ppr = body.find(f"a:lvl{level}pPr", NS)
        if ppr is not None:
            ppr.find("a:defRPr", NS).set("sz", str(size))
    # Small grey footer text on every layout.
    for ph in master.placeholders:  # type: ignore[attr-defined]
        if ph._element.ph.get("type") in {"dt", "ftr", "sldNum"}:
            for p in ph.text_frame.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(10)
                    r.font.color.rgb = RGBColor.from_string("6B7280")


def _accent_rule(prs: Presentation) -> etree._Element:
    """A thin accent rectangle under the title, built on a scratch slide and returned as XML."""
    scratch = prs.slides.add_slide(prs.slide_layouts[6])
    rule = scratch.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, Inches(0.5), Inches(1.17), Inches(12.33), Inches(0.04)
    )
    rule.name = "Accent rule"
    rule.fill.solid()
    rule.fill.fore_color.rgb = RGBColor.from_string(THEME_COLOURS["accent1"])
    rule.line.fill.background()
    element = copy.deepcopy(rule._element)
    # Drop the scratch slide without leaving a dangling part.
    sld_ids = prs.slides._sldIdLst
    last = sld_ids[-1]
    prs.part.drop_rel(last.rId)
    sld_ids.remove(last)
    return element


def build() -> bytes:
    """Return the template's bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    master = prs.slide_master
    for ph in master.placeholders:
        tag = ph._element.ph.get("type")
        if tag in MASTER_BOXES:
            _set_box(ph, MASTER_BOXES[tag])
    for layout in prs.slide_layouts:
        for ph in layout.placeholders:
            tag = ph._element.ph.get("type")
            if tag in MASTER_BOXES and tag != "title":
                _set_box(ph, MASTER_BOXES[tag])
            else:
                _scale_x(ph)
    _style_master_text(master)
    master.shapes._spTree.insert(2, _accent_rule(prs))
    title_slide = next(layout for layout in prs.slide_layouts if layout.name == "Title Slide")
    title_slide._element.set("showMasterSp", "0")
    title_slide.background.fill.solid()
    title_slide.background.fill.fore_color.rgb = RGBColor.from_string(NAVY)
    for ph in title_slide.placeholders:
        kind = ph._element.ph.get("type")
        if kind == "ctrTitle":
            _set_box(ph, (0.8, 2.2, 11.7, 1.6))
            _title_colour(ph, "FFFFFF", 3600, align="l")
        elif kind == "subTitle":
            _set_box(ph, (0.8, 3.9, 11.7, 1.6))
            _title_colour(ph, "D6DEEB", 2000, align="l")
        else:
            _title_colour(ph, "B8C4D6", 1000)
    theme = next(r.target_part for r in master.part.rels.values() if r.reltype.endswith("/theme"))
    theme._blob = _theme(theme.blob)
    props = prs.core_properties
    props.title = "policybrief deck template"
    props.author = "policybrief"
    props.last_modified_by = "policybrief"
    props.revision = 1
    props.created = props.modified = props.last_printed = FIXED_TIME.replace(tzinfo=None)
    buffer = io.BytesIO()
    prs.save(buffer)
    return _normalise_zip(buffer.getvalue())


def _title_colour(ph: object, colour: str, size: int, *, align: str | None = None) -> None:
    """Put a level-1 paragraph style with ``colour`` and ``size`` on a layout placeholder."""
    el = ph._element  # type: ignore[attr-defined]
    body = el.find(".//p:txBody", NS)
    lst = body.find("a:lstStyle", NS)
    for child in list(lst):
        lst.remove(child)
    lvl = etree.SubElement(lst, f"{{{NS['a']}}}lvl1pPr")
    if align:
        lvl.set("algn", align)
    lvl.set("indent", "0")
    lvl.set("marL", "0")
    etree.SubElement(lvl, f"{{{NS['a']}}}buNone")
    rpr = etree.SubElement(lvl, f"{{{NS['a']}}}defRPr", sz=str(size))
    fill = etree.SubElement(rpr, f"{{{NS['a']}}}solidFill")
    etree.SubElement(fill, f"{{{NS['a']}}}srgbClr", val=colour)


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the zip with fixed entry dates and attributes (python-pptx stamps the clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()


def main() -> None:
    """Write the template to both locations."""
    data = build()
    for path in OUTPUTS:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ROOT)} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
