"""The glossary names every method term the deck uses, and follows the configured band."""

from __future__ import annotations

from tests.factories import fake_results, make_inputs

from policybrief.report.story.glossary import terms


def test_every_method_term_is_explained_and_the_band_follows_the_settings() -> None:
    names = [t for t, _ in terms(fake_results(make_inputs()))]
    for term in ("CAGR", "Shapley contribution", "Sobol index", "Present value", "Realization"):
        assert term in names
    assert names[1] == "P10–P90 band; median (P50)"
    wide = dict(terms(fake_results(make_inputs(percentiles=(5, 50, 95)))))
    assert wide["P5–P95 band; median (P50)"].startswith(
        "the range between the P5 and the P95 of the simulated outcomes"
    )
