"""Short labels and phrases the deck, the brief and the charts share: chances, bands, scenario
and target names, input labels, scales. Sentences built from them live in ``messages.py``."""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING

from policybrief.report.story.formatting import money, pct, unit_symbol
from policybrief.report.story.wording import (
    OUT_OF_REACH,
    OUT_OF_REACH_SHORT,
    calibrated,
    share_text,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from policybrief.domain import Lever
    from policybrief.model.results import Results, ScenarioResult, TargetOutcome


__all__ = [
    "axis_label",
    "band_label",
    "chance",
    "change_label",
    "final_exports",
    "join_names",
    "lever_short_name",
    "lever_short_names",
    "package",
    "percentile_path",
    "quantity_label",
    "rate",
    "scale_text",
    "scenario_ref",
    "short_target",
    "target_name",
    "wrap_label",
]

#: Longest short name of a lever (WORKBOOK.md, Levers: "Short name").
SHORT_NAME_LENGTH = 24
#: Longest short name derived from a Name: a little longer than the workbook's limit, since
#: whole words only ("Foreign-currency retention", not "Foreign-currency").
DERIVED_LENGTH = 28
#: Words a derived short name does not end on ("Reliable broadband and" -> "Reliable broadband").
_DANGLING = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "without",
        "via",
        "per",
        "against",
        "across",
        "under",
        "over",
    ]
)
#: Joining words a truncated name is cut back before, so that it never ends mid-phrase
#: ("Connectivity in remote" -> "Connectivity"); "and"/"or" join whole items and stay.
_PREPOSITIONS = _DANGLING - {"a", "an", "and", "or", "the"}


def _label(results: Results) -> str:
    return results.inputs.settings.currency_label


def quantity_label(results: Results, parameter: str, *, width: int = 44) -> str:
    """A reader-friendly name for an uncertain quantity of the sensitivity analysis.

    Baseline parameters show their Description (``workforce_base`` -> "Export-oriented IT
    workforce in the base year"); lever effects show the lever's Name ("Reliable broadband
    (effect)"). Falls back to the id; clipped to ``width`` characters with an ellipsis.
    """
    inputs = results.inputs
    label = parameter
    lever_id = parameter.removesuffix(" effect")
    if lever_id != parameter and any(lever.id == lever_id for lever in inputs.levers):
        label = f"{inputs.lever(lever_id).name or lever_id} (effect)"
    elif any(p.name == parameter for p in inputs.parameters):
        label = inputs.parameter(parameter).description or parameter
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"


def chance(probability: float, draws: int | None = None) -> str:
    """A probability as a number for a table cell: ``35%``, ``<1%``, ``>99%``, ``<0.03%``
    (``wording.share_text``); sentences use ``wording.calibrated`` with the word."""
    return share_text(probability, draws)


def outcome_chance(outcome: TargetOutcome, *, short: bool = False) -> str:
    """A target's chance, or why there is none, in the words of ``report.story.wording``.

    ``out of reach within the workbook's ranges`` when even the most favourable corner of the
    ranges misses the target (with the draws that exceptional years carry past it, if any);
    otherwise the calibrated chance, ``unlikely (18%)``, and for no draw
    ``exceptionally unlikely (no draw of 10,000; below 0.03%)``. ``short`` is for table cells:
    ``out of reach``, ``18%``, ``<0.03%``.
    """
    n, hits = outcome.draws, outcome.draws_meeting
    if not outcome.feasible:
        if short:
            return OUT_OF_REACH_SHORT
        tail = f" except through exceptional years ({hits:,} of {n:,} draws)" if hits > 0 else ""
        return f"{OUT_OF_REACH}{tail}"
    if short:
        return share_text(outcome.probability, n)
    return calibrated(outcome.probability, n)


def change_label(results: Results, scenario: str, lever_id: str, *, short: bool = False) -> str:
    """What a scenario does with a lever, relative to the baseline (MODEL.md v2, attribution).

    A lever the scenario uses less than the baseline is named by the change: ``Ending
    internet shutdowns and platform bans`` (intensity 0) or ``Less …``; otherwise its name. So
    "Ending internet shutdowns adds $679m", never "Internet shutdowns adds $679m". ``short``
    uses the lever's short name (``lever_short_names``), for chart axes.
    """
    inputs = results.inputs
    lever = inputs.lever(lever_id)
    name = lever_short_names(results)[lever_id] if short else (lever.name or lever_id)
    x = inputs.scenario(scenario).intensity(lever_id)
    if x >= inputs.baseline.intensity(lever_id):
        return name
    bare = re.sub(r"\s*\((harmful|negative)\)\s*$", "", name, flags=re.IGNORECASE)
    # keep an acronym's capitals ("IT export tax regime"), lower an ordinary first word
    first, _, rest = bare.partition(" ")
    if not (len(first) > 1 and first[:2].isupper()):
        first = first[:1].lower() + first[1:]
    bare = f"{first} {rest}".strip()
    return f"Ending {bare}" if x == 0 else f"Less {bare}"


#: Inputs ranked this high on the assumptions log and of Low confidence are flagged.
HIGH_IMPACT_RANK = 5


def assumption_rank(results: Results) -> dict[str, int]:
    """Each uncertain input's rank (1 = most influential) for the assumptions log.

    By total Sobol index on the headline's gain over the baseline (what the decision depends
    on, MODEL.md v2) when the gain varies; otherwise by the tornado's swing. The year-to-year
    shocks are not an assumption of the workbook's and are left out.
    """
    known = _quantity_labels(results)
    gain = [r for r in results.sobol if r.output == "gain" and r.parameter in known]
    if gain and any(r.total > 0 for r in gain):
        ordered = [r.parameter for r in sorted(gain, key=lambda r: -r.total)]
    else:
        ordered = [r.parameter for r in results.sensitivity]
    return {name: i + 1 for i, name in enumerate(ordered)}


def _quantity_labels(results: Results) -> set[str]:
    inputs = results.inputs
    return {p.name for p in inputs.parameters} | {f"{lv.id} effect" for lv in inputs.levers}


def short_quantity(results: Results, label: str) -> str:
    """An input's name for a sentence: its description up to the first parenthesis or comma
    (``non-graduate entrants``), lower-cased unless it starts with an acronym."""
    text = quantity_label(results, label, width=200)
    text = re.split(r" \(|, ", text, maxsplit=1)[0].rstrip(" …")
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def input_value(results: Results, label: str, value: float) -> str:
    """An input's value in its own units: shares as ``8.3%``, counts as ``486,000``."""
    inputs = results.inputs
    share = False
    if label.endswith(" effect"):
        lever = inputs.lever(label.removesuffix(" effect"))
        share = lever.channel != "inflow"
    elif any(p.name == label for p in inputs.parameters):
        share = inputs.parameter(label).unit.strip().lower().startswith("share")
    if share:
        return f"{value * 100:.1f}%"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def band_label(results: Results) -> str:
    """The uncertainty band's name, e.g. ``P10–P90`` (from the configured percentiles)."""
    low, high = results.inputs.settings.band
    return f"P{low}–P{high}"


def percentile_path(
    scenario: ScenarioResult, percentile: int, metric: str = "exports"
) -> NDArray[np.float64]:
    """Path of ``metric`` at ``percentile``; the central path when that percentile is absent."""
    table = scenario.percentiles.get(percentile)
    if table is None or metric not in table:
        return scenario.central[metric]
    return table[metric]


def final_exports(results: Results, scenario: ScenarioResult) -> tuple[float, float, float]:
    """Final-year exports of ``scenario``: (central, band low, band high)."""
    low, high = results.inputs.settings.band
    central = float(scenario.central["exports"][-1])
    lo = float(percentile_path(scenario, low)[-1])
    hi = float(percentile_path(scenario, high)[-1])
    return central, lo, hi


def rate(growth: float) -> str:
    """Compound growth in words: ``growth of 19.4% a year`` / ``a decline of 8.8% a year``."""
    if growth < 0:
        return f"a decline of {pct(-growth, digits=1)} a year"
    return f"growth of {pct(growth, digits=1)} a year"


def scenario_ref(name: str) -> str:
    """``the Reform package`` / ``the Shutdowns scenario``: a scenario name that reads in a
    sentence whatever the analyst called it."""
    words = ("package", "scenario", "plan", "programme", "program", "policy", "strategy")
    return f"the {name}" if name.lower().endswith(words) else f"the {name} scenario"


def package(scenario: str) -> str:
    """``the Reform package`` (no "package package" when the name already says it)."""
    return f"the {scenario}" if scenario.lower().endswith("package") else f"the {scenario} package"


def short_target(label: str) -> str:
    """A target's short name for headers: the part before a colon (``PM target``), if any."""
    head = label.split(":", 1)[0].strip()
    return head or label


def target_name(results: Results, label: str) -> str:
    """A target with its goal and year, without repeating an amount the label already states."""
    target = next((t for t in results.targets if t.label == label), None)
    if target is None:
        return label
    symbol = unit_symbol(_label(results))[0].strip()
    s = results.inputs.settings
    if symbol and symbol in label:
        return f"{label} (by {s.year_label(target.year)})"
    return f"{label} ({money(target.value, _label(results))} by {s.year_label(target.year)})"


def join_names(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def scale_text(scale: float) -> str:
    """A goal-seek scale as ``1.8×``."""
    return f"{scale:,.1f}×"


def lever_short_name(lever: Lever) -> str:
    """A lever's name for chart axes: the workbook's Short name, else one derived from Name.

    Derived: the longest run of whole words from the start of the name (before any
    parenthesis) within ``DERIVED_LENGTH`` characters, not ending on a joining word
    ("Reliable broadband and power for IT parks" -> "Reliable broadband and power"; "Internet
    shutdowns and platform bans" -> "Internet shutdowns"); never a word cut
    with an ellipsis. A first word longer than the limit is kept whole.
    """
    given = lever.short_name.strip()
    if given:
        return given
    name = " ".join((lever.name or lever.id).split())
    if len(name) <= DERIVED_LENGTH:
        return name
    words = re.split(r"\s+", re.split(r"\s*[(:;,]", name, maxsplit=1)[0]) or [name]
    kept = [words[0]]
    for word in words[1:]:
        if len(" ".join([*kept, word])) > DERIVED_LENGTH:
            break
        kept.append(word)
    while len(kept) > 1 and kept[-1].lower() in _DANGLING:
        kept.pop()
    if len(kept) < len(words):  # cut: end before the last preposition, not mid-phrase
        cut = max((i for i, w in enumerate(kept) if i and w.lower() in _PREPOSITIONS), default=0)
        kept = kept[:cut] if cut else kept
    return " ".join(kept)


def lever_short_names(results: Results) -> dict[str, str]:
    """Every lever's short name by id; a lever whose derived short name another lever shares
    keeps its full name (two bars must not carry the same label)."""
    levers = results.inputs.levers
    short = {lever.id: lever_short_name(lever) for lever in levers}
    taken = [short[lever.id] for lever in levers]
    return {
        lever.id: short[lever.id]
        if taken.count(short[lever.id]) == 1
        else " ".join((lever.name or lever.id).split())
        for lever in levers
    }


def axis_label(results: Results, parameter: str) -> str:
    """An uncertain input's label on a chart axis, without an ellipsis.

    A lever effect is the lever's short name with "(effect)"; a baseline parameter its
    description up to the first parenthesis or comma ("Export-oriented IT workforce in the
    base year"), or its id.
    """
    inputs = results.inputs
    lever_id = parameter.removesuffix(" effect")
    if lever_id != parameter and any(lever.id == lever_id for lever in inputs.levers):
        return f"{lever_short_names(results)[lever_id]} (effect)"
    if any(p.name == parameter for p in inputs.parameters):
        text = inputs.parameter(parameter).description or parameter
        return re.split(r" \(|, ", text, maxsplit=1)[0].strip() or parameter
    return parameter


def wrap_label(text: str, width: int = 28) -> str:
    """``text`` broken into lines of at most ``width`` characters at spaces (``\n``), so a
    chart's category label wraps instead of running into its neighbours or being cut."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text
