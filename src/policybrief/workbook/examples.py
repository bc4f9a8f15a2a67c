"""The example workbooks ``init`` writes, as data: ``examples/blank.toml`` is the generic
template (Settings keys, Baseline descriptions, README text) and every other example
(``examples/pakistan.toml``) is laid over it. Both ship as package data and are loaded with
``importlib.resources``."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

from policybrief.errors import PolicyBriefError

__all__ = ["available_examples", "load_example"]


def available_examples() -> tuple[str, ...]:
    """Names of the examples shipped with the package (``blank``, ``pakistan``, …)."""
    folder = resources.files("policybrief") / "examples"
    return tuple(
        sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))
    )


def _load(name: str) -> dict[str, Any]:
    text = (resources.files("policybrief") / "examples" / f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


def load_example(example: str) -> dict[str, Any]:
    """The content of an example laid over the blank template, as plain data.

    Parameters
    ----------
    example
        An example name from :func:`available_examples`.

    Returns
    -------
    dict
        Keys ``settings``, ``baseline``, ``levers``, ``scenarios``, ``targets``, ``history``
        (lists of row dicts), ``scenario_names``, and the README text.

    Raises
    ------
    PolicyBriefError
        When ``example`` is not shipped.
    """
    choices = available_examples()
    if example not in choices:
        msg = f"unknown example {example!r}; choose one of: {', '.join(choices)}"
        raise PolicyBriefError(msg)
    data = _load("blank")
    if example == "blank":
        return data
    overlay = _load(example)
    values: dict[str, Any] = overlay.get("settings", {})
    data["settings"] = [{**row, "value": values.get(row["setting"])} for row in data["settings"]]
    by_name = {row["parameter"]: row for row in overlay.get("baseline", [])}
    data["baseline"] = [{**row, **by_name.get(row["parameter"], {})} for row in data["baseline"]]
    scenarios = overlay.get("scenarios", [])
    data["scenarios"] = scenarios
    data["scenario_names"] = [s["name"] for s in scenarios]
    for key in (
        "levers",
        "targets",
        "history",
        "correlations",
        "money_unit",
        "empty_rows",
        "readme_notes",
    ):
        if key in overlay:
            data[key] = overlay[key]
    return data
