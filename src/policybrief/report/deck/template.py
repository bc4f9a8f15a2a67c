"""Open a deck template safely: checked before python-pptx unpacks it, clear errors after.

A deck template is a user file (an organisation's branded ``deck.pptx``), so it gets the
treatment a workbook gets:

- **before python-pptx opens it** (``check_package``): the zip checks of
  ``workbook.safety.check_zip`` (size, member count, declared uncompressed size, compression
  ratio, encrypted members, ``<!DOCTYPE``/``<!ENTITY``), plus tighter limits for a template:
  ``MAX_TOTAL_BYTES`` unpacked and ``MAX_XML_BYTES`` of XML, which python-pptx parses whole;
- **when it opens** (``open_template``): anything python-pptx cannot read as a presentation
  (a ``.potx``, a ``.docx``, a damaged file) is a ``TemplateError`` naming the file; every
  layout the deck needs is looked up by name and all missing ones are named at once;
- **links to outside the file are refused**: a relationship with ``TargetMode="External"`` left
  in the template once its sample slides are removed (a linked picture, an OLE link, a
  hyperlink in the master) would be copied into every deck and fetched or offered whenever the
  deck is opened. Refusing (rather than deleting the link) keeps the deck exactly as the
  template designer saw it and avoids dangling references PowerPoint would "repair"; the message
  lists each link and where it is, so it can be removed or embedded in PowerPoint.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING, Any

from pptx import Presentation

from policybrief.errors import TemplateError
from policybrief.workbook.safety import check_zip

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PresentationT

__all__ = ["LAYOUTS", "MAX_TOTAL_BYTES", "MAX_XML_BYTES", "check_package", "open_template"]

#: Layout names the deck needs; python-pptx's default template has all of them.
LAYOUTS = ("Title Slide", "Title and Content", "Title Only")
#: Unpacked size of a whole template (pictures included); the shipped one is under 100 kB.
MAX_TOTAL_BYTES = 100 * 2**20
#: XML a template may hold in all: python-pptx parses every XML part into memory.
MAX_XML_BYTES = 20 * 2**20
#: Links listed in the refusal (the count of the rest follows).
_SHOWN_LINKS = 5
_SAVE_AS_PPTX = "open it in PowerPoint or LibreOffice Impress and save it as a .pptx presentation"


def check_package(data: bytes, label: str) -> None:
    """Refuse a template that is not a safe zip to unpack, before python-pptx sees it.

    Raises
    ------
    TemplateError
        Naming ``label`` and what is wrong.
    """
    problems = check_zip(data)
    if problems:
        msg = f"{label}: {problems[0].message} (hint: {_SAVE_AS_PPTX})"
        raise TemplateError(msg)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    xml = sum(i.file_size for i in infos if i.filename.lower().endswith((".xml", ".rels")))
    if total > MAX_TOTAL_BYTES or xml > MAX_XML_BYTES:
        msg = (
            f"{label}: the template would unpack to {total / 2**20:,.0f} MB with "
            f"{xml / 2**20:,.0f} MB of XML (limits {MAX_TOTAL_BYTES // 2**20} MB and "
            f"{MAX_XML_BYTES // 2**20} MB) (hint: remove unused pictures, layouts and masters)"
        )
        raise TemplateError(msg)


def open_template(data: bytes, label: str) -> tuple[PresentationT, dict[str, Any]]:
    """Open a checked template, drop its sample slides and find the deck's layouts.

    Parameters
    ----------
    data
        The template's bytes (already through ``check_package``).
    label
        How messages name the template file.

    Returns
    -------
    tuple
        The presentation, without slides, and ``{layout name: layout}`` for ``LAYOUTS``.

    Raises
    ------
    TemplateError
        The file is not a presentation, lacks layouts, or links to outside files.
    """
    check_package(data, label)
    try:
        prs = Presentation(io.BytesIO(data))
    except Exception as exc:
        msg = f"{label}: not a PowerPoint presentation python-pptx can open ({exc})"
        raise TemplateError(f"{msg} (hint: {_SAVE_AS_PPTX})") from exc
    layouts = find_layouts(prs, label)
    _remove_slides(prs)
    _refuse_external_links(prs, label)
    return prs, layouts


def find_layouts(prs: PresentationT, label: str = "deck template") -> dict[str, Any]:
    """Every layout in ``LAYOUTS`` by name, or one ``TemplateError`` naming all missing ones."""
    found: dict[str, Any] = {}
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            found.setdefault(layout.name, layout)
    missing = [name for name in LAYOUTS if name not in found]
    if missing:
        have = ", ".join(repr(n) for n in found) or "none"
        names = ", ".join(repr(n) for n in missing)
        msg = (
            f"{label}: no layout named {names} (it has: {have}) (hint: rename or add layouts "
            "in the slide master so these names exist)"
        )
        raise TemplateError(msg)
    return {name: found[name] for name in LAYOUTS}


def _remove_slides(prs: PresentationT) -> None:
    """Drop every slide the template carries: relationship first, then its ``sldId``."""
    sld_ids = prs.slides._sldIdLst
    for sld_id in list(sld_ids):
        prs.part.drop_rel(sld_id.rId)
        sld_ids.remove(sld_id)


def _refuse_external_links(prs: PresentationT, label: str) -> None:
    """``TemplateError`` listing every link to outside the file that the deck would keep."""
    package = prs.part.package
    # iter_rels walks every relationship the saved deck keeps (the package's own included);
    # the parts' own lists say where each one sits.
    where = {
        id(rel): str(part.partname) for part in package.iter_parts() for rel in part.rels.values()
    }
    links = [
        f"{where.get(id(rel), '/_rels/.rels').lstrip('/')} -> {rel.target_ref[:120]!r} "
        f"({rel.reltype.rsplit('/', 1)[-1]})"
        for rel in package.iter_rels()
        if rel.is_external
    ]
    if links:
        more = len(links) - _SHOWN_LINKS
        shown = "; ".join(links[:_SHOWN_LINKS]) + (f"; and {more} more" if more > 0 else "")
        msg = (
            f"{label}: links to files or web addresses outside the template, which would be "
            f"copied into every deck: {shown} (hint: embed the pictures and remove the links "
            "in PowerPoint, then save the template again)"
        )
        raise TemplateError(msg)
