from __future__ import annotations

import pytest

from policybrief.fiscal import fy_label, parse_fiscal_year


@pytest.mark.parametrize(
    ("value", "year"),
    [
        (2026, 2026),
        (2026.0, 2026),
        ("2026", 2026),
        ("FY2026", 2026),
        ("fy26", 2026),
        ("FY 26", 2026),
        ("2025-26", 2026),
        ("2025/26", 2026),
        ("2025-2026", 2026),
        ("1999-00", 2000),
    ],
)
def test_parse_fiscal_year_accepts_every_documented_form(value: object, year: int) -> None:
    assert parse_fiscal_year(value) == year


@pytest.mark.parametrize("value", [None, "", "next year", 2026.5, True, "2025-27", 12, "FY"])
def test_parse_fiscal_year_rejects_what_is_not_a_year(value: object) -> None:
    assert parse_fiscal_year(value) is None


def test_fy_label_uses_two_digits() -> None:
    assert fy_label(2026) == "FY26"
    assert fy_label(2005) == "FY05"
