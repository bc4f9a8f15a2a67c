from __future__ import annotations

import pytest

from policybrief.report.story.formatting import money, pct, ratio, unit_symbol


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (6412.0, "$6.4bn"),
        (850.4, "$850m"),
        (-1234.0, "-$1.2bn"),
        (0.5, "$500k"),
        (25000, "$25.0bn"),
    ],
)
def test_money_reads_like_a_stakeholder_would_say_it(value: float, text: str) -> None:
    assert money(value) == text


def test_unit_symbol_understands_other_currencies() -> None:
    assert unit_symbol("EUR million") == ("€", 1e6)
    assert unit_symbol("KES billion") == ("KES ", 1e9)
    assert money(2.5, "EUR billion") == "€2.5bn"


def test_pct_and_ratio() -> None:
    assert pct(0.153) == "15%"
    assert ratio(None) == "n/a"
    assert ratio(7.31) == "7.3×"
