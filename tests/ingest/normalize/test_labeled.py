"""The labeled normalization set: every case must be handled exactly."""

from __future__ import annotations

from collections import Counter

import pytest

from ingest.normalize import normalize_body
from tests.conftest import SHARED, shared_path
from tests.ingest.normalize.cases import CASES, Case
from tests.ingest.normalize.labeled import case_input, mismatches


def test_the_set_is_large_and_covers_the_languages() -> None:
    languages = Counter(case.language for case in CASES)
    assert len(CASES) >= 150
    assert len({case.key for case in CASES}) == len(CASES)
    for language in ("fr", "de", "en", "it"):
        assert languages[language] >= 10, languages
    agencies = {case.agency for case in CASES}
    required = {"afp", "ap", "reuters", "dpa", "ats", "sda", "keystone-ats", "ansa", "efe"}
    required |= {"belga", "apa", "aap", "pa", "kyodo", "xinhua", "bloomberg"}
    assert required <= agencies


@pytest.mark.parametrize("case", CASES, ids=[case.key for case in CASES])
def test_labeled_case(case: Case) -> None:
    if case.fixture is not None:
        shared_path(case.fixture)
    text = case_input(case, SHARED)
    result = normalize_body(text)
    assert mismatches(case, result) == []
    # Idempotent on real copy too: the clean body normalizes to itself, with no markers.
    again = normalize_body(result.body)
    assert again.body == result.body
