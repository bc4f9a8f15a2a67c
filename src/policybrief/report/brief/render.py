"""The Markdown brief: ``templates/brief.md.j2`` rendered in a Jinja2 sandbox.

The template is user-editable, so it renders in a ``SandboxedEnvironment`` with
``StrictUndefined`` (a misspelt variable is an error, not a silent blank). Autoescaping is off
because the output is Markdown, not HTML; instead every piece of text that comes from the
workbook goes through the ``md`` filter, which escapes what could break a table or inject
markup; sentences the code writes around workbook text go through ``text``, which escapes the
workbook's strings inside them the same way but keeps the code's own phrases ("<0.6%") as
written (``report.brief.markdown``); the front matter goes through ``yaml``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from jinja2 import StrictUndefined

from policybrief.fiscal import fy_label
from policybrief.report.assets import BRIEF, shipped_template
from policybrief.report.brief import sandbox
from policybrief.report.brief.markdown import md_escape, md_text, workbook_strings
from policybrief.report.story import labels
from policybrief.report.story.formatting import money, number, pct, ratio
from policybrief.report.story.story import Story
from policybrief.report.story.titles import headline_attribution
from policybrief.report.story.wording import a_or_an, people

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from policybrief.model.results import Results
    from policybrief.report.context import BuildInfo
    from policybrief.report.story.tables import Table

__all__ = ["brief_context", "md_escape", "render_brief", "write_brief", "yaml_quote"]

TEMPLATE_NAME = BRIEF


def yaml_quote(value: object) -> str:
    """Quote a value as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps("" if value is None else str(value), ensure_ascii=False)


def _environment(
    currency_label: str,
    workbook: tuple[str, ...] = (),
    year_label: Callable[[int], str] = fy_label,
) -> sandbox.BudgetedSandbox:
    env = sandbox.BudgetedSandbox(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        md=md_escape,
        text=lambda v: md_text(v, workbook),
        yaml=yaml_quote,
        money=lambda v, digits=1: money(float(v), currency_label, digits=digits),
        pct=lambda v, digits=0: pct(float(v), digits=digits),
        fy=lambda y: year_label(int(y)),
        ratio=lambda v, digits=1: ratio(None if v is None else float(v), digits=digits),
        number=lambda v, digits=0: number(float(v), digits=digits),
        people=lambda v: people(float(v)),
        value=_value,
        package=labels.package,
        ref=labels.scenario_ref,
        short=labels.short_target,
        growth=lambda v: labels.rate(float(v)),
        a_or_an=a_or_an,
    )
    return env


def _value(v: object, unit: str = "") -> str:
    """An input value of any magnitude: ``100,000``, ``0.035``, ``-0.2``; shares as ``3.5%``."""
    x = float(v)  # type: ignore[arg-type]
    if unit.strip().lower().startswith("share"):
        return f"{100 * x:.3g}%"
    if abs(x) >= 1000:
        return number(x)
    return f"{x:.4g}"


def _final(path: Any) -> float:
    return float(path[-1])


def brief_context(results: Results, info: BuildInfo, story: Story | None = None) -> dict[str, Any]:
    """Everything the brief template may use: plain values, lists and dicts.

    Workbook text is passed raw; the template escapes it with ``md``. Numbers are raw floats,
    formatted in the template with ``money``, ``pct``, ``fy``, ``ratio`` and ``number``. Every
    sentence, table and flag comes from the build's ``Story`` (made here when not given).
    """
    story = Story(results, info) if story is None else story
    scenarios = _scenarios(story)
    names = [sc.name for sc in results.scenarios]
    return {
        **_front(story),
        **_analyses(story),
        "headline": scenarios[names.index(results.headline.name)],
        "baseline": scenarios[names.index(results.baseline.name)],
        "scenarios": scenarios,
        "attribution": _attribution(results),
        "sensitivity": _sensitivity(results),
        "goal_seek": _goal_seek(story),
        "levers": _levers(results),
        "assumptions": _assumptions(story),
        "charts": {c.name: {"file": c.filename, "alt": c.alt} for c in story.charts},
        "more_charts": [
            {"name": c.name, "title": c.title, "file": c.filename, "alt": c.alt}
            for c in story.more_charts
        ],
        "provenance": {
            "workbook": info.workbook_name,
            "sha256": info.workbook_sha256,
            "version": info.version,
            "seed": results.seed,
            "draws": results.draws,
            "build_time": info.build_time.isoformat(),
        },
    }


def _front(story: Story) -> dict[str, Any]:
    """The title page, the settings the template formats with, and the main story's words."""
    results, s = story.results, story.results.inputs.settings
    lo, hi = s.band
    return {
        "title": s.title,
        "subtitle": s.subtitle,
        "organisation": s.organisation,
        "author": s.author,
        "date": story.info.build_date,
        "currency": s.currency_label,
        "base_year": s.base_year,
        "final_year": s.final_year,
        "first_year": s.base_year + 1,
        "valued": story.valued,
        "gain_detail": story.gain_detail,
        "band": labels.band_label(results),
        "band_low": lo,
        "band_high": hi,
        "shown_years": _front_years(results),
        "key_messages": story.key_messages,
        "outlook_sentence": story.outlook,
        "talent_sentence": story.talent,
        "emigration_note": story.emigration_note,
        "historical_cagr": results.historical_cagr,
        "baseline_cagr": results.baseline_cagr,
        "targets": [
            {"label": t.label, "value": t.value, "year": t.year, "growth": t.required_growth}
            for t in results.targets
        ],
        "target_probability": labels.chance(s.target_probability),
        "high_impact_rank": labels.HIGH_IMPACT_RANK,
        "method": story.method,
        "caveats": story.caveats,
        "terms": story.terms,
        "assurance": story.assurance,
        "changes": _changes(story),
    }


def _analyses(story: Story) -> dict[str, Any]:
    """The v2 analyses: the test against history, what the decision depends on, the cheapest
    way to the targets."""
    results = story.results
    return {
        "validation_caveat": story.caveat,
        "depends": story.depends,
        "cheapest": {
            "sentences": story.cheapest,
            "rows": _rows(story.cheapest_table),
            "search_draws": max((c.draws_search for c in results.cheapest), default=0),
        },
        "discovery": story.discovery,
        "sobol": [
            {
                "label": labels.quantity_label(results, r.parameter, width=60),
                "total": r.total,
                "low": r.total_ci_low,
                "high": r.total_ci_high,
                "first": r.first_order,
            }
            for r in story.sobol
        ],
        "sobol_output": story.sobol_subject.removeprefix("the "),
        "correlated": bool(results.correlations),
        "validation": {"sentences": story.validation, "rows": _rows(story.backtest_table)},
    }


def _rows(table: Table | None) -> list[list[str]]:
    return [list(r) for r in table.rows] if table is not None else []


def _scenarios(story: Story) -> list[dict[str, Any]]:
    """One dict per scenario: the figures of the comparison, in workbook order."""
    results = story.results
    inputs, (lo, hi) = results.inputs, results.inputs.settings.band
    idx = {y: i for i, y in enumerate(results.years)}
    shown = _front_years(results)
    return [
        {
            "name": sc.name,
            "description": sc.description,
            "is_baseline": sc.name == results.baseline.name,
            "is_headline": sc.name == results.headline.name,
            "exports": [float(sc.central["exports"][idx[y]]) for y in shown],
            "final": _final(sc.central["exports"]),
            "low": _final(labels.percentile_path(sc, lo)),
            "high": _final(labels.percentile_path(sc, hi)),
            "cagr": sc.cagr,
            "chances": [
                labels.outcome_chance(sc.outcomes[t.label], short=True) for t in results.targets
            ],
            "reach": [labels.outcome_chance(sc.outcomes[t.label]) for t in results.targets],
            "cumulative_cost": sc.pv_cost,
            "export_gain": sc.pv_gain,
            "per_dollar": sc.gain_per_fiscal_dollar,
            "per_dollar_earnings": sc.return_on_earnings,
            "extra_cost": sc.pv_extra_cost,
            "workforce": _final(sc.central["workforce"]),
            "emigrants": float(sc.central["emigrants"][1:].sum()),
            "emigrants_averted": sc.emigrants_averted,
            "annual_cost": inputs.annual_cost(sc.name)[0],
        }
        for sc in results.scenarios
    ]


def _front_years(results: Results) -> list[int]:
    """The years the brief's outlook table shows: first, each target's, last."""
    years = list(results.years)
    return sorted({years[0], *(t.year for t in results.targets), years[-1]})


def _attribution(results: Results) -> dict[str, Any] | None:
    head = results.headline.name
    a = headline_attribution(results)
    if a is None:
        return None
    return {
        "baseline_value": a.baseline_value,
        "scenario_value": a.scenario_value,
        "method": a.method,
        "rows": [
            {"lever": labels.change_label(results, head, lever_id), "id": lever_id, "value": v}
            for lever_id, v in a.contributions
        ],
    }


def _sensitivity(results: Results) -> list[dict[str, Any]]:
    return [
        {
            "parameter": r.parameter,
            "label": labels.quantity_label(results, r.parameter, width=80),
            "low": r.low,
            "high": r.high,
            "at_low": r.exports_at_low,
            "at_high": r.exports_at_high,
            "swing": r.swing,
        }
        for r in results.sensitivity[:10]
    ]


def _goal_seek(story: Story) -> list[dict[str, Any]]:
    return [
        {
            "target": g.target,
            "year": g.year,
            "value": g.value,
            "reachable": g.reachable,
            "scale": g.scale,
            "annual_cost": g.annual_cost,
            "chance": labels.chance(g.probability, story.goal_seek_draws),
            "sentence": sentence,
        }
        for g, sentence in zip(story.results.goal_seek, story.goal_seek, strict=True)
    ]


def _levers(results: Results) -> list[dict[str, Any]]:
    inputs = results.inputs
    return [
        {
            "id": lv.id,
            "name": lv.name,
            "channel": lv.channel,
            "unit": lv.unit,
            "cost_per_unit": lv.cost_per_unit,
            "intensities": [sc.intensity(lv.id) for sc in inputs.scenarios],
        }
        for lv in inputs.levers
    ]


def _assumptions(story: Story) -> list[dict[str, Any]]:
    """Every parameter and lever effect in workbook order, with its rank and the story's flag."""
    return [
        {
            "name": a.name,
            "description": a.description,
            "unit": a.unit,
            "low": a.low,
            "central": a.central,
            "high": a.high,
            "source": a.source,
            "confidence": a.confidence,
            "rank": a.rank,
            "flag": a.flagged,
        }
        for a in story.inputs_log
    ]


def _changes(story: Story) -> dict[str, Any] | None:
    """The section "What changed since the last brief", or None without a previous build."""
    c = story.changed
    if c is None:
        return None
    return {"headline": c.headline, "rows": c.rows, "chances": c.chances}


def render_brief(
    results: Results,
    info: BuildInfo,
    *,
    template: str | None = None,
    template_name: str = TEMPLATE_NAME,
    story: Story | None = None,
) -> str:
    """Render the brief as Markdown text.

    Parameters
    ----------
    results
        The engine's results.
    info
        Build provenance (workbook name and hash, date, version).
    template
        Jinja2 source (``report.assets.find_template`` finds the one to use); defaults to the
        copy shipped in the package.
    template_name
        How messages name the template file.
    story
        The build's story (``report.story.story``), shared with the deck; made from
        ``results`` and ``info`` when not given.

    Returns
    -------
    str
        GitHub-flavoured Markdown with YAML front matter, ending in a newline.

    Raises
    ------
    TemplateError
        ``<template>: line N: ...`` for a syntax error, an undefined variable, an error in an
        expression, or a template that exceeds the sandbox's budgets (``report.brief.sandbox``).
    """
    source = shipped_template(TEMPLATE_NAME).decode("utf-8") if template is None else template
    inputs = results.inputs
    env = _environment(
        inputs.settings.currency_label, workbook_strings(inputs), inputs.settings.year_label
    )
    text = sandbox.render(env, source, template_name, brief_context(results, info, story))
    return text if text.endswith("\n") else text + "\n"


def write_brief(
    results: Results,
    info: BuildInfo,
    path: Path,
    *,
    template: str | None = None,
    template_name: str = TEMPLATE_NAME,
    story: Story | None = None,
) -> Path:
    """Render the brief and write it to ``path`` (UTF-8, ``\\n`` line endings)."""
    text = render_brief(results, info, template=template, template_name=template_name, story=story)
    path.write_bytes(text.encode("utf-8"))
    return path
