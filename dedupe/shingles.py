"""Word shingles as 32-bit values, computed for many stories in a few numpy passes.

Each word (already lower-cased, punctuation dropped: ``record.words``) is hashed once with
xxh32 (in one compiled call for a whole batch, else through a cache of the words a language
repeats); a shingle of k consecutive words
folds their hashes with an odd multiplier, in order, so "a b c" and "c b a" differ. The fold,
the de-duplication and the sort run over a whole batch at once, so the per-story cost is a
regular-expression pass and a little bookkeeping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xxhash

from dedupe._loops import compiled_hash
from dedupe.arrays import group_sets
from record.words import words

__all__ = [
    "StoryWords",
    "WordHasher",
    "Words",
    "hash_words",
    "matching_text",
    "shingle_set",
    "shingle_sets",
    "word_hashes",
]

_FOLD = np.uint32(0x01000193)  # the FNV prime: odd, so the fold loses nothing by itself
# Words kept in the cache: the common vocabulary of several languages fits many times over.
_CACHE_LIMIT = 1 << 20


class WordHasher:
    """xxh32 of words, remembered: news repeats its vocabulary, so most words are cache hits."""

    def __init__(self) -> None:
        self._cache: dict[str, int] = {}

    def __call__(self, tokens: Sequence[str]) -> list[int]:
        cache = self._cache
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        # map() runs the look-ups in C; only the few unseen words take the Python path.
        out: list[int | None] = list(map(cache.get, tokens))
        if None in out:
            for i, value in enumerate(out):
                if value is None:
                    token = tokens[i]
                    value = cache.get(token)
                    if value is None:
                        value = cache[token] = xxhash.xxh32_intdigest(token.encode())
                    out[i] = value
        return out  # type: ignore[return-value]


_cached_hashes = WordHasher()


def hash_words(tokens: Sequence[str]) -> np.ndarray:
    """The xxh32 of each word (none holds a line break), as uint32: in one compiled call over
    the words joined a line each where dedupe's loops are built (``dedupe._loops``), else
    through one ``WordHasher`` for the process (shingles and profiles share it)."""
    hashes = compiled_hash()
    if hashes is None:
        return np.array(_cached_hashes(tokens), dtype=np.uint32)
    data = "\n".join(tokens).encode()
    if tokens and data.count(b"\n") != len(tokens) - 1:
        raise ValueError("a word holds a line break")
    out = np.empty(len(tokens), dtype=np.uint32)
    hashes(data, len(data), len(tokens), out)
    return out


def word_hashes(token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """The xxh32 of every word of the token lists, one after the other, as one array: what
    ``shingle_sets`` folds, made once where shingles of two sizes come from the same words."""
    flat: list[str] = []
    for tokens in token_lists:
        flat.extend(tokens)
    return hash_words(flat)


@dataclass(frozen=True)
class Words:
    """Token lists with the xxh32 of each of their words, one after the other (``word_hashes``):
    made once where shingles of two sizes are folded from the same words."""

    lists: Sequence[Sequence[str]]
    hashes: np.ndarray

    def __post_init__(self) -> None:
        total = sum(map(len, self.lists))
        if len(self.hashes) != total:
            raise ValueError(f"{len(self.hashes)} word hashes for {total} words")

    @classmethod
    def of(cls, lists: Sequence[Sequence[str]]) -> Words:
        """The lists with their words hashed."""
        return cls(lists, word_hashes(lists))

    def __add__(self, other: Words) -> Words:
        return Words([*self.lists, *other.lists], np.concatenate((self.hashes, other.hashes)))


def matching_text(headline: str | None, body: str) -> str:
    """The text that dedupe compares: headline and body, as DESIGN.md prescribes."""
    return f"{headline}\n\n{body}" if headline else body


@dataclass(frozen=True)
class StoryWords:
    """The words of each story's ``matching_text``, its headline's then its body's (the blank
    line between them ends a word, so they are the words of each part one after the other),
    hashed once: what the content hash, the shingles of both sizes and the profile's headline
    set are made of."""

    words: Words
    #: How many of each story's words are its headline's.
    headline_counts: Sequence[int]
    #: How many of each story's words are its lead's (the body's first paragraph), which
    #: follow the headline's.
    lead_counts: Sequence[int]

    @classmethod
    def of(cls, headlines: Sequence[str | None], bodies: Sequence[str]) -> StoryWords:
        """The words of stories given by headline (None: none) and body."""
        heads = [words(h) if h else [] for h in headlines]
        # The blank line after the lead ends a word, and case folding reads one character at a
        # time: the body's words are the lead's, then the rest's.
        parts = [b.split("\n\n", 1) for b in bodies]
        leads = [words(part[0]) for part in parts]
        lists = [
            h + lead + words(part[1]) if len(part) > 1 else h + lead
            for h, lead, part in zip(heads, leads, parts, strict=True)
        ]
        return cls(Words.of(lists), [len(h) for h in heads], [len(lead) for lead in leads])

    def headline(self, story: int) -> Sequence[str]:
        """The words of a story's headline."""
        return self.words.lists[story][: self.headline_counts[story]]

    def body(self, story: int) -> Sequence[str]:
        """The words of a story's body."""
        return self.words.lists[story][self.headline_counts[story] :]

    def leads(self) -> Words:
        """The words of each story's lead, with their hashes (taken from the stories')."""
        heads = np.asarray(self.headline_counts, dtype=np.int64)
        sizes = np.asarray(self.lead_counts, dtype=np.int64)
        lengths = np.fromiter(map(len, self.words.lists), dtype=np.int64, count=len(sizes))
        # Where each lead starts among all the words, less where it starts among the leads':
        # added to each lead word's own place, its place among all the words.
        shift = (np.cumsum(lengths) - lengths + heads) - (np.cumsum(sizes) - sizes)
        places = np.arange(sizes.sum(), dtype=np.int64) + np.repeat(shift, sizes)
        counts = zip(self.words.lists, self.headline_counts, self.lead_counts, strict=True)
        lists = [story[head : head + size] for story, head, size in counts]
        return Words(lists, self.words.hashes[places])


def shingle_sets(token_lists: Sequence[Sequence[str]] | Words, size: int) -> list[np.ndarray]:
    """The sorted unique 32-bit hashes of the ``size``-word shingles of each token list (a
    ``Words``, where the words are hashed already).

    A text shorter than ``size`` words is one shingle of all its words; no words, no shingles.
    """
    made = token_lists if isinstance(token_lists, Words) else Words.of(token_lists)
    count, hashes = len(made.lists), made.hashes
    if count == 0:
        return []
    lengths = np.fromiter((len(t) for t in made.lists), dtype=np.int64, count=count)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    # A story of n >= size words has n - size + 1 shingles; a shorter one (n > 0) has one,
    # folded over its n words, which the zero padding below gives for free only at the end of
    # the batch, so short stories are folded on their own.
    short = lengths < size
    per_story = np.where(short, np.minimum(lengths, 1), lengths - size + 1)
    first = np.cumsum(per_story) - per_story
    positions = np.arange(per_story.sum(), dtype=np.int64) + np.repeat(starts - first, per_story)
    full = np.repeat(~short, per_story)
    spots = positions[full]
    window = hashes[spots]
    for offset in range(1, size):
        window *= _FOLD
        window ^= hashes[spots + offset]
    folded = np.empty(len(positions), dtype=np.uint32)
    folded[full] = window
    for story in np.flatnonzero(short & (lengths > 0)):
        words_of = hashes[starts[story] : starts[story] + lengths[story]].tolist()
        value = words_of[0]
        for word in words_of[1:]:
            value = ((value * int(_FOLD)) & 0xFFFFFFFF) ^ word
        folded[first[story]] = value
    return group_sets(folded, per_story)


def shingle_set(tokens: Sequence[str], size: int) -> np.ndarray:
    """The sorted unique 32-bit hashes of the ``size``-word shingles of one token list."""
    return shingle_sets([tokens], size)[0]
