"""Deck templates are checked before python-pptx unpacks them, and refused with clear errors."""

from __future__ import annotations

import io
import zipfile

import pytest
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from policybrief.errors import TemplateError
from policybrief.report.deck.template import LAYOUTS, check_package, open_template

LABEL = "brand/deck.pptx"


def _saved(prs) -> bytes:
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _plus(data: bytes, name: str, body: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(name, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _pictures(count: int) -> bytes:
    """A template with ``count`` pictures of 1 MB (each too small for the ratio check)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_saved(Presentation()))) as src,
        zipfile.ZipFile(out, "w") as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for i in range(count):
            dst.writestr(f"ppt/media/pic{i}.png", bytes(2**20), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_plain_template_opens_without_slides_and_with_every_layout() -> None:
    prs = Presentation()
    prs.slides.add_slide(prs.slide_layouts[0])
    opened, layouts = open_template(_saved(prs), LABEL)
    assert len(opened.slides) == 0
    assert list(layouts) == list(LAYOUTS)


@pytest.mark.parametrize(
    ("data", "expect"),
    [
        (b"", "not a zip-based Office file"),
        (b"PK\x03\x04 truncated", "damaged"),
        (_plus(_saved(Presentation()), "ppt/media/big.bin", bytes(20 * 2**20)), "zip bomb"),
        (_plus(_saved(Presentation()), "ppt/x.xml", b"<!DOCTYPE x><x/>"), "declares XML entities"),
        (_pictures(120), "would unpack to 120 MB"),
    ],
    ids=["empty", "truncated", "bomb", "doctype", "too big"],
)
def test_an_unsafe_package_is_refused_before_python_pptx_opens_it(data: bytes, expect: str) -> None:
    with pytest.raises(TemplateError, match=f"^{LABEL}: .*{expect}"):
        check_package(data, LABEL)


def test_every_missing_layout_is_named_at_once() -> None:
    prs = Presentation()
    for name in ("Title Only", "Title Slide"):
        prs.slide_layouts.remove(next(x for x in prs.slide_layouts if x.name == name))
    with pytest.raises(TemplateError, match="no layout named 'Title Slide', 'Title Only'"):
        open_template(_saved(prs), LABEL)


def test_links_to_outside_files_are_refused_but_those_on_sample_slides_go_with_them() -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.part.relate_to("http://sample.example/", RT.HYPERLINK, is_external=True)
    open_template(_saved(prs), LABEL)  # the sample slide and its link are dropped

    prs.slide_masters[0].part.relate_to(r"\\host\share\logo.png", RT.IMAGE, is_external=True)
    with pytest.raises(TemplateError) as err:
        open_template(_saved(prs), LABEL)
    assert r"ppt/slideMasters/slideMaster1.xml -> '\\\\host\\share\\logo.png' (image)" in str(
        err.value
    )
    assert "sample.example" not in str(err.value)


def test_a_word_document_is_not_a_deck_template() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(TemplateError, match="not a PowerPoint presentation"):
        open_template(out.getvalue(), LABEL)
