"""What the match decision reads of a story besides its 5-word shingles: a profile.

A profile holds the story's word 2-shingles (a finer granularity than the signature's), those
of its lead (the first paragraph of the body), the numbers it gives, the names it cites, the
words of its headline and its dateline, each as a set of 32-bit hashes. Two versions of one
report keep most of their numbers and names, and a rewrite for the next news cycle still tells
the news of its lead somewhere in the other's text, from the same dateline; two recurring
reports written from one template (a market close, a dividend notice, a weather table) share
their phrasing but not their figures, names or dates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import filterfalse

import numpy as np

from dedupe.arrays import group_sets
from dedupe.shingles import StoryWords, hash_words, matching_text, shingle_sets
from record.patterns import TextPattern
from record.words import words

__all__ = ["Profile", "profile", "profiles"]

#: The finer shingle size of a profile (the signature's is ``MinHashParams.shingle_size``).
FINE_SHINGLE_SIZE = 2

_NUMBER = TextPattern(r"\d+(?:[.,'’]\d+)*")
# A name: a capitalized word (any script's upper case) that is not the first word of a
# sentence; all-capital words (datelines, acronyms) count too.
# The capital comes first in the pattern, so the engine scans for it and runs the look-behinds
# (each one character longer, as they look back from after it) only where one stands: not
# after a word character, not after a sentence's end and a space, not at a line's start.
_NAME = TextPattern(
    r"[^\W\d_a-z](?<!\w\w)(?<![.!?:\"“«][\s\x1c-\x1f].)(?<!^.)[\w’'-]+", re.MULTILINE
)
_EMPTY = np.empty(0, dtype=np.uint32)


@dataclass(frozen=True)
class Profile:
    """The sets the match decision compares, each sorted unique uint32 hashes."""

    fine: np.ndarray
    numbers: np.ndarray
    names: np.ndarray
    headline: np.ndarray
    #: The 2-shingles of the body's first paragraph.
    lead: np.ndarray = field(default_factory=lambda: _EMPTY)
    #: The hash of the dateline's words (one value; none where the story has no dateline).
    dateline: np.ndarray = field(default_factory=lambda: _EMPTY)


def profiles(
    headlines: Sequence[str | None],
    bodies: Sequence[str],
    datelines: Sequence[str | None] | None = None,
    made: StoryWords | None = None,
) -> list[Profile]:
    """The profile of each story (headline, body and dateline as normalization left them;
    ``made``: the words of each story's headline and body, where the caller has them
    already)."""
    texts = [matching_text(h, b) for h, b in zip(headlines, bodies, strict=True)]
    if made is None:
        made = StoryWords.of(headlines, bodies)
    # The texts and the leads in one pass of the shingler.
    both = shingle_sets(made.words + made.leads(), FINE_SHINGLE_SIZE)
    fine, lead_sets = both[: len(texts)], both[len(texts) :]
    places = datelines if datelines is not None else [None] * len(bodies)
    # Each story's numbers, names, headline words and dateline, hashed and made sets in one
    # pass over the batch.
    groups: list[Sequence[str]] = []
    for i, text in enumerate(texts):
        place = words(places[i] or "")
        # The separators dropped from all of a story's numbers at once (none holds a "\n").
        found = "\n".join(_NUMBER.findall(text))
        numbers = (
            found.replace(",", "").replace("'", "").replace("’", "").split("\n") if found else []
        )
        # Lower-cased all at once: a name holds no line break, which ends a word for the final
        # sigma's rule as the end of the string does. A name made of digits only ("²³": no
        # decimal digit, so it passes the pattern's first class) is none.
        cited = "\n".join(_NAME.findall(text))
        names = list(filterfalse(str.isdigit, cited.lower().split("\n"))) if cited else []
        groups += (numbers, names, made.headline(i), [" ".join(place)] if place else [])
    flat = [token for group in groups for token in group]
    sizes = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    sets = group_sets(hash_words(flat), sizes)
    return [
        Profile(
            fine=fine[i],
            numbers=sets[4 * i],
            names=sets[4 * i + 1],
            headline=sets[4 * i + 2],
            lead=lead_sets[i],
            dateline=sets[4 * i + 3],
        )
        for i in range(len(texts))
    ]


def profile(headline: str | None, body: str, dateline: str | None = None) -> Profile:
    """The profile of one story."""
    return profiles([headline], [body], [dateline])[0]
