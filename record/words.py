"""The word rule: what a story's text is made of when two texts are compared.

One tokenizer for the content hash (ingest) and for the shingles (dedupe), so two copies that
hash alike also shingle alike.
"""

from __future__ import annotations

from record.patterns import TextPattern

__all__ = ["words"]

_WORD = TextPattern(r"\w+")


def words(text: str) -> list[str]:
    """Lower-cased word tokens, accents kept, punctuation dropped: what matching compares.

    Typography cannot tell two versions apart here: quotes, apostrophes and dashes of every
    kind are punctuation, and no-break spaces were made plain by ``clean_text``.
    """
    return _WORD.findall(text.casefold())
