"""The real labeled set: its size, its languages and its split, and that every case resolves."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import SHARED
from tests.ingest.normalize.real_cases import (
    corpus_present,
    expected_body,
    is_held_out,
    load_cases,
    read_case,
)

CASES = load_cases()


def test_the_set_is_large_split_and_covers_the_languages() -> None:
    assert len(CASES) >= 600
    assert len({c.id for c in CASES}) == len(CASES)
    languages = Counter(c.language for c in CASES)
    assert {"en", "de", "fr", "es"} <= set(languages)
    held = sum(c.held_out for c in CASES)
    assert 0.25 < held / len(CASES) < 0.42  # about a third, by the id's hash
    assert is_held_out("ap89:AP890101-0009") == is_held_out("ap89:AP890101-0009")


@pytest.mark.parametrize("case", CASES[::7], ids=[c.id for c in CASES[::7]])
def test_case_resolves(case) -> None:  # type: ignore[no-untyped-def]
    if not corpus_present(case.id, SHARED):
        pytest.skip(f"{case.id}: the copy it points at is absent from {SHARED}")
    item = read_case(case.id, SHARED)
    # Every marker the labels remove is in the text, so the expected body can be derived.
    assert expected_body(case, item)
