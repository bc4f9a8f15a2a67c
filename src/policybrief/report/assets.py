"""Find templates: the analyst's ``templates/`` folder first, then the copies shipped inside
the package (loaded with ``importlib.resources``, never by ``__file__`` arithmetic)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

#: The project's user-editable template folder, relative to the working directory.
USER_TEMPLATE_DIR = Path("templates")


def template_bytes(name: str, template_dir: Path | None = None) -> bytes:
    """Return the bytes of template ``name`` (e.g. ``deck.pptx`` or ``brief.md.j2``).

    Parameters
    ----------
    name
        File name of the template.
    template_dir
        Folder to look in first; defaults to ``templates/`` under the working directory.
        When the file is not there, the copy shipped with the package is used.

    Returns
    -------
    bytes
        The template file's content.
    """
    folder = USER_TEMPLATE_DIR if template_dir is None else template_dir
    candidate = folder / name
    if candidate.is_file():
        return candidate.read_bytes()
    return resources.files("policybrief").joinpath("templates", name).read_bytes()


def template_source(name: str, template_dir: Path | None = None) -> str:
    """Like ``template_bytes`` but decoded as UTF-8 text (for Jinja2 templates)."""
    return template_bytes(name, template_dir).decode("utf-8")
