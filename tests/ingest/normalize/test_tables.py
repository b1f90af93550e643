"""The tables cached between processes: the same table from the cache as without it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from py3langid import langid

from ingest.normalize import places
from ingest.normalize.language import identifier
from record.cache import CACHE_ENV, cache_dir

SAMPLES = [
    "The council approved the plan on Monday after a long debate.",
    "Der Rat hat den Plan am Montag nach langer Debatte gebilligt.",
    "Le conseil a approuvé le plan lundi après un long débat.",
    "Il consiglio ha approvato il piano lunedì dopo un lungo dibattito.",
    "El consejo aprobó el plan el lunes tras un largo debate.",
    "Raad keurt plan goed na lang debat op maandag.",
    "Совет одобрил план в понедельник после долгих дебатов.",
    "Το συμβούλιο ενέκρινε το σχέδιο τη Δευτέρα.",
    "議会は月曜日に計画を承認した。",
    "Rådet godkände planen på måndagen efter en lång debatt.",
    "",
    "12:30",
]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    places._names.cache_clear()
    yield tmp_path / "cache"
    places._names.cache_clear()


def test_the_folder_is_named_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "/somewhere/else")
    assert cache_dir() == Path("/somewhere/else")
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg")
    assert cache_dir() == Path("/xdg/wiredup")


def test_place_names_are_cached_and_read_back(cache: Path) -> None:
    built = places._names()
    assert built == places.gazetteer_names() and "boston" in built
    (written,) = cache.glob("places-*.txt")
    # What the next process reads is the file: a name put into it is known then.
    written.write_text(written.read_text(encoding="utf-8") + "\nnowhere town", encoding="utf-8")
    places._names.cache_clear()
    assert places.is_known_place("Nowhere Town") and places.is_known_place("BOSTON")


def test_a_folder_that_cannot_be_written_costs_the_cache_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    places._names.cache_clear()
    try:
        assert places._names() == places.gazetteer_names()
    finally:
        places._names.cache_clear()
    model = identifier()
    assert [model.classify(t) for t in SAMPLES[:3]] == [
        langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE).classify(t)
        for t in SAMPLES[:3]
    ]


def test_the_cached_model_identifies_as_the_packaged_one(cache: Path) -> None:
    packaged = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE)
    first = identifier()  # written to the cache, then read from it
    (written,) = cache.glob("py3langid-model-*.npz")
    again = identifier()  # read from the cache
    texts = SAMPLES + [sample[:n] for sample in SAMPLES for n in (5, 20)]
    for text in texts:
        want = packaged.classify(text)
        assert first.classify(text) == want and again.classify(text) == want, text
        assert again.rank(text)[:5] == packaged.rank(text)[:5]
    # A damaged file is written again from the package's, and read as it should be.
    written.write_bytes(b"PK\x03\x04 damaged")
    assert identifier().classify(SAMPLES[1]) == packaged.classify(SAMPLES[1])
    assert written.stat().st_size > 1_000_000
