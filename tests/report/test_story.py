"""The build's ``Story``: what every output says, worded once and read by every renderer."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from tests.factories import fake_results, make_inputs

from policybrief.report.brief.render import render_brief
from policybrief.report.context import BuildInfo
from policybrief.report.deck.slides import write_deck
from policybrief.report.story import messages
from policybrief.report.story.story import Story

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

INFO = BuildInfo("test.xlsx", "ab" * 32, dt.datetime(2026, 12, 1, tzinfo=dt.UTC), "0.1.0")


def test_the_deck_and_the_brief_share_one_wording_of_the_key_messages(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[int] = []
    word = messages.key_messages

    def counted(results: object) -> list[str]:
        calls.append(1)
        return word(results)  # type: ignore[arg-type]

    monkeypatch.setattr(messages, "key_messages", counted)
    results = fake_results(make_inputs())
    story = Story(results, INFO)
    write_deck(results, INFO, tmp_path / "deck.pptx", story=story)
    brief = render_brief(results, INFO, story=story)
    assert len(calls) == 1
    assert story.key_messages[0] in brief


def test_a_story_words_nothing_until_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object) -> list[str]:
        raise AssertionError("worded before it was read")

    monkeypatch.setattr(messages, "key_messages", fail)
    story = Story(fake_results(make_inputs()), INFO)
    assert story.outlook  # another part is worded without the key messages
