"""Reuters' codes of related stories in the text, on stories composed for these tests."""

from __future__ import annotations

import pytest

from ingest.normalize import normalize_body
from ingest.normalize.references import strip_story_codes

TEXT = "The council approved the plan on Monday."
MORE = "Work starts in the spring, the mayor said."


@pytest.mark.parametrize(
    "coded",
    [
        f"{TEXT} [nL8N2AB123]",
        f"{TEXT} [ID:nL1N2CD45X]",
        f"{TEXT} [nL8N2AB123] [nL1N2CD45X]",
        f"{TEXT} [nL8N2AB123, nL1N2CD45X]",
    ],
)
def test_story_codes_after_a_sentence_come_off(coded: str) -> None:
    assert strip_story_codes([coded, MORE]) == [TEXT, MORE]


def test_a_story_code_inside_a_sentence_and_a_paragraph_of_codes() -> None:
    assert strip_story_codes(["Sales rose [nL8N2AB123] in May.", "[nL1N2CD45X]", MORE]) == [
        "Sales rose in May.",
        MORE,
    ]


@pytest.mark.parametrize("text", ["He read [the letter] aloud.", "Code [nL8] is short.", "[n]"])
def test_brackets_that_hold_no_story_code_stay(text: str) -> None:
    assert strip_story_codes([text]) == [text]


def test_codes_come_off_before_the_reuters_credit_is_read() -> None:
    result = normalize_body(
        f"LONDON (Reuters) - {TEXT} [nL8N2AB123]\n\n{MORE}\n\n"
        "(Reporting by Jane Roe and John Doe, additional reporting by Ann Poe; "
        "Editing by Max Muster)"
    )
    assert result.body == f"{TEXT}\n\n{MORE}"
    assert result.editors == ("Jane Roe", "John Doe", "Ann Poe", "Max Muster")
