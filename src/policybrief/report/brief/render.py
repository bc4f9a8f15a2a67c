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
from policybrief.report.brief.figures import chart_specs
from policybrief.report.brief.markdown import md_escape, md_text, workbook_strings
from policybrief.report.story import changes, findings, labels, messages, tables
from policybrief.report.story.assurance import assurance_items
from policybrief.report.story.formatting import money, number, pct, ratio
from policybrief.report.story.glossary import terms
from policybrief.report.story.wording import a_or_an, people

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from policybrief.model.results import Results
    from policybrief.report.context import BuildInfo

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


def _chance(probability: float) -> str:
    return labels.chance(probability)


def _final(path: Any) -> float:
    return float(path[-1])


def _sobol_rows(results: Results) -> list[dict[str, Any]]:
    """The ten largest total indices of the output the decision is judged on."""
    gain = [r for r in results.sobol if r.output == "gain"]
    rows = (
        gain
        if any(r.total > 0 for r in gain)
        else [r for r in results.sobol if r.output == "exports"]
    )
    return [
        {
            "label": labels.quantity_label(results, r.parameter, width=60),
            "total": r.total,
            "low": r.total_ci_low,
            "high": r.total_ci_high,
            "first": r.first_order,
        }
        for r in sorted(rows, key=lambda r: -r.total)[:10]
    ]


def brief_context(results: Results, info: BuildInfo) -> dict[str, Any]:
    """Everything the brief template may use: plain values, lists and dicts.

    Workbook text is passed raw; the template escapes it with ``md``. Numbers are raw floats,
    formatted in the template with ``money``, ``pct``, ``fy``, ``ratio`` and ``number``.
    """
    inputs = results.inputs
    s = inputs.settings
    lo, hi = s.band
    head, base = results.headline, results.baseline
    years = list(results.years)
    shown = sorted({years[0], *(t.year for t in results.targets), years[-1]})
    idx = {y: i for i, y in enumerate(years)}

    scenarios = []
    for sc in results.scenarios:
        scenarios.append(
            {
                "name": sc.name,
                "description": sc.description,
                "is_baseline": sc.name == base.name,
                "is_headline": sc.name == head.name,
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
                "annual_cost": sum(
                    lv.cost_per_unit * inputs.scenario(sc.name).intensity(lv.id)
                    for lv in inputs.levers
                ),
            }
        )

    attribution = next((a for a in results.attribution if a.scenario == head.name), None)
    rank = labels.assumption_rank(results)
    assumptions = [
        {
            "name": p.name,
            "description": p.description,
            "unit": p.unit,
            "low": p.low,
            "central": p.central,
            "high": p.high,
            "source": p.source,
            "confidence": p.confidence,
            "rank": rank.get(p.name),
        }
        for p in inputs.parameters
    ] + [
        {
            "name": f"{lv.id} effect",
            "description": lv.name,
            "unit": lv.unit,
            "low": lv.effect_low,
            "central": lv.effect_central,
            "high": lv.effect_high,
            "source": lv.source,
            "confidence": lv.confidence,
            "rank": rank.get(f"{lv.id} effect"),
        }
        for lv in inputs.levers
    ]
    for row in assumptions:
        r = rank.get(str(row["name"]))
        row["flag"] = r is not None and r <= labels.HIGH_IMPACT_RANK and row["confidence"] == "Low"

    return {
        "title": s.title,
        "subtitle": s.subtitle,
        "organisation": s.organisation,
        "author": s.author,
        "date": info.build_date,
        "currency": s.currency_label,
        "base_year": s.base_year,
        "final_year": s.final_year,
        "first_year": s.base_year + 1,
        "valued": messages.present_value_phrase(results),
        "gain_detail": messages.gain_detail_sentence(results),
        "band": labels.band_label(results),
        "band_low": lo,
        "band_high": hi,
        "shown_years": shown,
        "key_messages": messages.key_messages(results),
        "validation_caveat": findings.validation_caveat(results),
        "depends": findings.depends_sentence(results),
        "cheapest": {
            "sentences": [
                x
                for x in (
                    findings.cheapest_sentence(results),
                    findings.frontier_sentence(results),
                    findings.dominance_sentence(results),
                )
                if x
            ],
            "rows": [list(r) for r in table.rows]
            if (table := tables.cheapest_table(results)) is not None
            else [],
            "search_draws": max((c.draws_search for c in results.cheapest), default=0),
        },
        "discovery": findings.discovery_sentences(results),
        "sobol": _sobol_rows(results),
        "sobol_output": findings.sobol_subject(results).removeprefix("the "),
        "correlated": bool(results.correlations),
        "validation": {
            "sentences": findings.validation_sentences(results),
            "rows": [list(r) for r in table.rows]
            if (table := tables.backtest_table(results)) is not None
            else [],
        },
        "changes": _changes(results, info),
        "assurance": assurance_items(results, info),
        "terms": terms(results),
        "outlook_sentence": messages.outlook_sentence(results),
        "talent_sentence": messages.talent_sentence(results),
        "historical_cagr": results.historical_cagr,
        "baseline_cagr": results.baseline_cagr,
        "headline": scenarios[[sc.name for sc in results.scenarios].index(head.name)],
        "baseline": scenarios[[sc.name for sc in results.scenarios].index(base.name)],
        "scenarios": scenarios,
        "targets": [
            {"label": t.label, "value": t.value, "year": t.year, "growth": t.required_growth}
            for t in results.targets
        ],
        "attribution": None
        if attribution is None
        else {
            "baseline_value": attribution.baseline_value,
            "scenario_value": attribution.scenario_value,
            "method": attribution.method,
            "rows": [
                {
                    "lever": labels.change_label(results, head.name, lever_id),
                    "id": lever_id,
                    "value": value,
                }
                for lever_id, value in attribution.contributions
            ],
        },
        "sensitivity": [
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
        ],
        "goal_seek": [
            {
                "target": g.target,
                "year": g.year,
                "value": g.value,
                "reachable": g.reachable,
                "scale": g.scale,
                "annual_cost": g.annual_cost,
                "chance": labels.chance(g.probability, messages.goal_seek_draws(results)),
                "sentence": messages.goal_seek_sentence(results, g),
            }
            for g in results.goal_seek
        ],
        "target_probability": _chance(s.target_probability),
        "levers": [
            {
                "id": lv.id,
                "name": lv.name,
                "channel": lv.channel,
                "unit": lv.unit,
                "cost_per_unit": lv.cost_per_unit,
                "intensities": [sc.intensity(lv.id) for sc in inputs.scenarios],
            }
            for lv in inputs.levers
        ],
        "assumptions": assumptions,
        "high_impact_rank": labels.HIGH_IMPACT_RANK,
        "method": messages.method_text(results),
        "caveats": messages.caveats(results),
        "charts": {c.name: {"file": c.filename, "alt": c.alt} for c in chart_specs(results)},
        "provenance": {
            "workbook": info.workbook_name,
            "sha256": info.workbook_sha256,
            "version": info.version,
            "seed": results.seed,
            "draws": results.draws,
            "build_time": info.build_time.isoformat(),
        },
    }


def _changes(results: Results, info: BuildInfo) -> dict[str, Any] | None:
    """The section "What changed since the last brief", or None without a previous build."""
    c = info.changes
    if c is None or not c.any:
        return None
    return {
        "headline": changes.headline_move(c, results.inputs.settings),
        "rows": changes.group_rows(c, results.inputs),
        "chances": [*changes.chance_lines(c), *changes.fit_lines(c, results.inputs.settings)],
    }


def render_brief(
    results: Results,
    info: BuildInfo,
    *,
    template: str | None = None,
    template_name: str = TEMPLATE_NAME,
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
    text = sandbox.render(env, source, template_name, brief_context(results, info))
    return text if text.endswith("\n") else text + "\n"


def write_brief(
    results: Results,
    info: BuildInfo,
    path: Path,
    *,
    template: str | None = None,
    template_name: str = TEMPLATE_NAME,
) -> Path:
    """Render the brief and write it to ``path`` (UTF-8, ``\\n`` line endings)."""
    text = render_brief(results, info, template=template, template_name=template_name)
    path.write_bytes(text.encode("utf-8"))
    return path
