"""The brief's Jinja2 sandbox: step, time and size budgets, and errors naming file and line."""

from __future__ import annotations

import time

import pytest
from tests.factories import fake_results, make_inputs
from tests.report.test_brief import INFO

from policybrief.errors import TemplateError
from policybrief.report.assets import shipped_template
from policybrief.report.brief import sandbox
from policybrief.report.brief.render import _environment, brief_context, render_brief

LABEL = "templates/brief.md.j2"

HOSTILE = {
    "nested loops": "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}"
    "{% endfor %}",
    "loops that write": "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}"
    "{% endfor %}",
    "exponential macro": "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}"
    "{% endmacro %}{{ f(60) }}",
    "endless recursion": "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "text times a big number": "{{ 'x' * 10**10 }}",
    "list times a big number": "{{ [1, 2] * 10**9 }}",
    "huge integer": "{{ 7 ** 100000 }}",
    "doubling with ~": "{% set ns = namespace(s='x') %}{% for i in range(64) %}"
    "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "doubling with +": "{% set ns = namespace(s=[1]) %}{% for i in range(64) %}"
    "{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "wide center filter": "{{ 'x' | center(1000000000) }}",
    "wide format filter": "{{ '%0999999999d' | format(1) }}",
    "wide % format": "{{ '%.999999999f' % 1.5 }}",
    "wide str.format": "{{ '{:>999999999}'.format(1) }}",
    "wide ljust": "{{ 'x'.ljust(10**9) }}",
    "width as a format argument": "{{ '{:{}}'.format('x', 10**9) }}",
    "width in a format map": "{{ '{a:{b}}'.format_map({'a': 'x', 'b': 10**9}) }}",
    # refused before they run (each would ask for a terabyte at once)
    "replace amplifies": "{{ ('x' * 1000000).replace('', 'y' * 1000000) }}",
    "join amplifies": "{{ range(100000) | join('x' * 1000) }}",
    "indent amplifies": "{{ ('\\n' * 1000000) | indent(1000) }}",
    "expandtabs amplifies": "{{ ('\\t' * 1000000).expandtabs(1000000) }}",
    "many allowed values": "{% for i in range(1000) %}{% set y = 'a'.ljust(1999999) %}{% endfor %}",
    "long output": "{% for i in range(100) %}{{ 'a'.ljust(1999999) }}{% endfor %}",
    "filler text": "{{ lipsum(100000) }}",
}


@pytest.fixture(scope="module")
def results():
    return fake_results(make_inputs())


@pytest.mark.parametrize("name", list(HOSTILE), ids=str)
def test_hostile_template_stops_quickly_with_a_template_error(results, name: str) -> None:
    start = time.monotonic()
    with pytest.raises(TemplateError, match=f"^{LABEL}: ") as err:
        render_brief(results, INFO, template=HOSTILE[name], template_name=LABEL)
    assert time.monotonic() - start < sandbox.MAX_SECONDS
    assert "line 1" in str(err.value) or "output of more than" in str(err.value)


def test_the_shipped_template_stays_far_inside_the_budgets(results) -> None:
    env = _environment("USD million")
    source = shipped_template("brief.md.j2").decode()
    text = sandbox.render(env, source, LABEL, brief_context(results, INFO))
    assert text.startswith("---\n")
    assert env.steps < sandbox.MAX_STEPS // 100
    assert env.built < sandbox.MAX_BUILT // 100


def test_ordinary_filters_and_calls_still_work(results) -> None:
    template = (
        "{{ title | truncate(9) }}|{{ 3000000 | number }}|"
        "{{ scenarios | map(attribute='name') | join(', ') }}|{{ '%5.1f' % 2.25 }}|"
        "{{ '{:>6}'.format('a') }}|{{ ('a' ~ 'b') * 2 }}|{{ 2 ** 10 }}|{{ 'x\\ty'.expandtabs(4) }}|"
        "{% set ns = namespace(n=provenance.draws * 10**6) %}{{ ns.n }}"
    )
    text = render_brief(results, INFO, template=template)
    assert text.split("|")[1:] == [
        "3,000,000",
        "Current policy, Reform, Stretch",
        "  2.2",
        "     a",
        "abab",
        "1024",
        "x   y",
        f"{results.draws * 10**6}\n",
    ]


@pytest.mark.parametrize(
    ("template", "expect"),
    [
        ("line one\n{{ title }\n", f"{LABEL}: line 2: unexpected '}}'"),
        ("{% for s in scenarios %}\n\n{{ s.nope.deeper }}{% endfor %}", "line 3: 'dict object'"),
        ("{% if %}", "line 1: Expected an expression"),
        ("{{ title.__class__ }}", "line 1: access to attribute '__class__'"),
        ("{% set xs = [1] %}{{ xs.append(2) }}", "access to attribute 'append'"),
        ("{{ 'a' + 1 }}", "line 1: TypeError"),
        ("\n{% include 'x.j2' %}", "line 2: 'x.j2' not found: a template is one file"),
        ("{% extends '/etc/passwd' %}", "'/etc/passwd' not found"),
    ],
)
def test_template_errors_name_the_file_and_line(results, template: str, expect: str) -> None:
    with pytest.raises(TemplateError) as err:
        render_brief(results, INFO, template=template, template_name=LABEL)
    assert expect in str(err.value)
