"""Which files in a folder are workbooks to build, and which workbooks are open in an editor.

``nox -s brief`` builds every workbook in ``workbooks/`` (``policybrief build workbooks``):

- ``.xlsx`` and ``.xlsm`` files are built;
- lock files that Excel (``~$name.xlsx``) and LibreOffice (``.~lock.name.xlsx#``) keep beside an
  open workbook are never taken for workbooks; the workbook they belong to is built from its
  last saved state, with a warning that unsaved changes are not included;
- other spreadsheet files (``.ods``, ``.xls``, ``.xlsb``, ``.csv``, ``.numbers``) are named as
  skipped, with how to convert them, instead of being silently left out while an older
  ``.xlsx`` is rebuilt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["BUILT", "find_workbooks", "open_in_editor"]

#: Suffixes built as workbooks.
BUILT = (".xlsx", ".xlsm")
#: Other spreadsheet formats, with how to turn each into a workbook policybrief reads.
CONVERT = {
    ".ods": "open it in LibreOffice and save it as Excel 2007-365 (.xlsx)",
    ".xls": "open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx)",
    ".xlsb": "open it in Excel and save it as Excel Workbook (.xlsx)",
    ".csv": "start from `nox -s init -- workbooks/new.xlsx` and paste the values into its sheets",
    ".numbers": "export it from Numbers as Excel (.xlsx)",
}


def _is_lock(name: str) -> bool:
    return name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


def find_workbooks(folder: Path) -> tuple[list[Path], list[str]]:
    """The workbooks in ``folder`` (sorted) and a note for each other spreadsheet file.

    Parameters
    ----------
    folder
        Typically ``workbooks/``.

    Returns
    -------
    (workbooks, notes)
        Paths to build; one sentence per skipped spreadsheet file, naming it and how to
        convert it.
    """
    workbooks, notes = [], []
    for path in sorted(folder.iterdir()):
        name = path.name
        if _is_lock(name) or name.startswith(".") or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix in BUILT:
            workbooks.append(path)
        elif suffix in CONVERT:
            notes.append(f"{path}: skipped, policybrief reads .xlsx workbooks: {CONVERT[suffix]}")
    return workbooks, notes


def open_in_editor(workbook: Path) -> str | None:
    """A warning when Excel or LibreOffice has ``workbook`` open (its lock file exists)."""
    name = workbook.name
    excel = [f"~${name}", f"~${name[2:]}"]  # Excel shortens long names by two characters
    for lock in (*excel, f".~lock.{name}#"):
        if (workbook.parent / lock).exists():
            editor = "LibreOffice" if lock.startswith(".~lock") else "Excel"
            return (
                f"the workbook is open in {editor} ({lock}): built from its last saved state; "
                "unsaved changes are not included (save it and build again to include them)"
            )
    return None
