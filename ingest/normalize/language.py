"""Language identification with py3langid, whose model ships inside the package."""

from __future__ import annotations

import py3langid

__all__ = ["detect_language"]

# Enough text to be sure of the language; more only costs time.
_SAMPLE_CHARS = 2000
# Below this many letters any guess is noise.
_MIN_LETTERS = 20


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None when there is too little to tell."""
    sample = text[:_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return None
    language, _score = py3langid.classify(sample)
    return str(language)
