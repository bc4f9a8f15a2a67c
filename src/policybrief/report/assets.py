"""Find the deck and brief templates a build uses, and read them safely.

Each template (``deck.pptx``, ``brief.md.j2``) comes from the first of:

1. ``--template DIR`` (``template_dir``): the file must be there; a missing folder or file is a
   ``TemplateError``, never a silent fallback;
2. ``templates/`` beside the ``workbooks/`` folder that holds the workbook: when the workbook's
   folder is named ``workbooks`` (any case), ``<that folder's parent>/templates/<name>``, if that
   file exists (the repository layout: ``workbooks/x.xlsx`` uses ``templates/``);
3. the copy shipped inside the package (``importlib.resources``).

Never from the folder the command happens to run in: a ``templates/`` folder in Downloads or in
an unzipped attachment is not picked up unless the workbook sits in a ``workbooks/`` folder next
to it. The build reports which template it used (``Template.describe``, the CLI's output and
``manifest.json``).

A template file is read through the workbook reader's file checks (no folders, devices or
oversized files); the deck template must pass the format-neutral zip checks of
``workbook.safety.check_zip`` and ``report.deck.template`` before python-pptx opens it; the brief
template must be UTF-8 text of at most ``MAX_BRIEF_BYTES``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from policybrief.errors import InputError, TemplateError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "BRIEF",
    "DECK",
    "MAX_BRIEF_BYTES",
    "Template",
    "find_template",
    "find_templates",
    "shipped_template",
    "template_folder",
]

DECK = "deck.pptx"
BRIEF = "brief.md.j2"
#: Which template each output needs.
NEEDS = {"deck": DECK, "brief": BRIEF}
#: A brief template is a page of Markdown and Jinja2: 1 MB is far more than any needs.
MAX_BRIEF_BYTES = 2**20
#: The folder name that marks the repository layout (``workbooks/`` beside ``templates/``).
WORKBOOKS_FOLDER = "workbooks"

_ORIGINS = {
    "option": "--template",
    "workbooks": "beside workbooks/",
    "shipped": "shipped with policybrief",
}


@dataclass(frozen=True)
class Template:
    """One template file as a build uses it."""

    name: str  #: ``deck.pptx`` or ``brief.md.j2``
    data: bytes
    origin: str  #: ``option`` (``--template``), ``workbooks`` or ``shipped``
    path: Path | None = None  #: where it was read; None for the package copy

    @property
    def label(self) -> str:
        """How messages name the file: its path, or ``policybrief's shipped deck.pptx``."""
        return str(self.path) if self.path is not None else f"policybrief's shipped {self.name}"

    @property
    def text(self) -> str:
        """The template decoded as UTF-8 (for ``brief.md.j2``)."""
        return self.data.decode("utf-8")

    def describe(self) -> str:
        """One line for the terminal: ``deck template templates/deck.pptx (beside workbooks/)``."""
        kind = "deck" if self.name == DECK else "brief"
        if self.path is None:
            return f"{kind} template: the copy shipped with policybrief"
        return f"{kind} template: {self.path} ({_ORIGINS[self.origin]})"

    def provenance(self) -> dict[str, str]:
        """For ``manifest.json``: where the template came from and its sha256 (no local path)."""
        return {
            "file": self.name,
            "from": _ORIGINS[self.origin],
            "sha256": hashlib.sha256(self.data).hexdigest(),
        }


def shipped_template(name: str) -> bytes:
    """The bytes of the copy of template ``name`` shipped inside the package."""
    return resources.files("policybrief").joinpath("templates", name).read_bytes()


def template_folder(workbook: Path) -> Path | None:
    """``templates/`` beside the ``workbooks/`` folder holding ``workbook``, or None.

    The workbook's folder is resolved (``.``, ``..`` and links) to find its name, so
    ``policybrief build x.xlsx`` run inside ``workbooks/`` finds the same templates as
    ``policybrief build workbooks/x.xlsx`` run beside it.
    """
    folder = workbook.parent
    if folder.name.casefold() != WORKBOOKS_FOLDER:
        folder = folder.resolve()
        if folder.name.casefold() != WORKBOOKS_FOLDER:
            return None
    return folder.parent / "templates"


def find_template(name: str, workbook: Path, template_dir: Path | None = None) -> Template:
    """Find, read and check template ``name`` for ``workbook`` (see the module docstring).

    Parameters
    ----------
    name
        ``deck.pptx`` or ``brief.md.j2``.
    workbook
        The workbook being built (its folder decides whether ``templates/`` applies).
    template_dir
        The ``--template`` folder, if given: the file must be there.

    Returns
    -------
    Template
        The file's bytes, where they came from, and a label for messages.

    Raises
    ------
    TemplateError
        ``template_dir`` or the file in it is missing, or the file is unreadable, too large,
        not UTF-8 (brief) or fails the zip checks (deck).
    """
    if template_dir is not None:
        if not template_dir.is_dir():
            msg = f"--template {template_dir}: no such folder"
            raise TemplateError(msg)
        path = template_dir / name
        if not path.exists():
            msg = f"--template {template_dir}: there is no {name} in that folder"
            raise TemplateError(msg)
        template = Template(name, _read(path), "option", path)
    elif (folder := template_folder(workbook)) is not None and (folder / name).is_file():
        template = Template(name, _read(folder / name), "workbooks", folder / name)
    else:
        template = Template(name, shipped_template(name), "shipped")
    _check(template)
    return template


def find_templates(
    workbook: Path, template_dir: Path | None, kinds: frozenset[str]
) -> dict[str, Template]:
    """The templates the outputs in ``kinds`` need: ``{"deck": ..., "brief": ...}``.

    A ``template_dir`` that is not a folder is an error even when no output needs a template
    (``--only results``): it is most likely a typing mistake.
    """
    if template_dir is not None and not template_dir.is_dir():
        msg = f"--template {template_dir}: no such folder"
        raise TemplateError(msg)
    return {
        kind: find_template(name, workbook, template_dir)
        for kind, name in NEEDS.items()
        if kind in kinds
    }


def _read(path: Path) -> bytes:
    """A template file's bytes, through the same file checks as a workbook's."""
    from policybrief.workbook.safety import read_file_bytes  # noqa: PLC0415 - light, lazy

    if path.is_dir():
        msg = f"{path}: is a folder, not a template file"
        raise TemplateError(msg)
    try:
        return read_file_bytes(path)
    except InputError as err:
        raise TemplateError(_problems(str(path), err)) from err


def _problems(label: str, err: InputError) -> str:
    return "; ".join(f"{label}: {p.message}" for p in err.problems) or f"{label}: unreadable"


def _check(template: Template) -> None:
    if template.name == BRIEF:
        if len(template.data) > MAX_BRIEF_BYTES:
            msg = f"{template.label}: larger than {MAX_BRIEF_BYTES // 2**20} MB"
            raise TemplateError(msg)
        try:
            template.data.decode("utf-8")
        except UnicodeDecodeError as err:
            msg = (
                f"{template.label}: not UTF-8 text (byte {err.start}) "
                "(hint: save it as UTF-8 in your editor)"
            )
            raise TemplateError(msg) from err
    elif template.name == DECK:
        from policybrief.report.deck.template import check_package  # noqa: PLC0415

        check_package(template.data, template.label)
