"""Anchors: a sample of each story's 5-word shingles, chosen by value, and the index over them.

MinHash LSH proposes a pair with a probability set by its Jaccard similarity: 64 bands of 2
values propose a pair at Jaccard 0.2 with probability 0.93, at 0.05 with 0.15. A rewrite of a
report for the next news cycle keeps whole sentences (the quotes, the background paragraphs)
but shares only 3-15% of its shingles with the earlier take, so LSH rarely proposes it. What
such a pair does have is a number of shared shingles that unrelated copy almost never has.

An *anchor* is a shingle whose value, mixed by a multiply, falls in the first
1/``ANCHOR_EVERY`` of the 32-bit range. Whether a shingle is an anchor depends on the shingle
alone, so two stories that share n shingles share about n/16 anchors, however long they are,
and the same pair is proposed whatever else the window holds: the rule is a property of the
two stories, which keeps matching independent of order and batch size. A pair sharing at
least ``MatchParams.anchor_min_shared`` anchors is a candidate; the match decision verifies
it like any other.

``AnchorIndex`` holds every anchor of the window as (value, row) in two flat sorted arrays:
8 bytes an anchor, and a story of 500 words has about 26 (a million stories: about 0.2 GiB).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dedupe.arrays import run_starts
from dedupe.index import NO_POSTINGS, SortedPostings, in_chunks, split_packed

__all__ = ["ANCHOR_EVERY", "AnchorIndex", "anchor_sets", "anchors_of", "flat_sets"]

#: One shingle in this many is an anchor (stored with the signatures: a file whose anchors were
#: sampled at another rate is not read for anchors).
ANCHOR_EVERY = 16
# An odd 32-bit multiplier (2^32 / golden ratio): the product's high bits depend on every bit
# of the shingle, whose own low bits come from a fold of word hashes.
_MIX = np.uint64(0x9E3779B1)
_LOW32 = np.uint64(0xFFFFFFFF)
#: Queries answered per pass: bounds the memory of a backfill batch of a million stories.
_QUERY_CHUNK = 4096


def _is_anchor(values: np.ndarray, every: int) -> np.ndarray:
    """The one sampling rule: which uint32 shingle values are anchors."""
    return ((values.astype(np.uint64) * _MIX) & _LOW32) < np.uint64((1 << 32) // every)


def anchors_of(shingles: np.ndarray, every: int = ANCHOR_EVERY) -> np.ndarray:
    """The anchors of one sorted unique shingle array (sorted, unique)."""
    values = np.asarray(shingles, dtype=np.uint32)
    out: np.ndarray = values[_is_anchor(values, every)]
    return out


def anchor_sets(shingles: Sequence[np.ndarray], every: int = ANCHOR_EVERY) -> list[np.ndarray]:
    """The anchors of each shingle set, in one numpy pass over the batch."""
    if not len(shingles):
        return []
    lengths = np.fromiter((len(s) for s in shingles), dtype=np.int64, count=len(shingles))
    flat = np.concatenate([np.asarray(s, dtype=np.uint32) for s in shingles])
    keep = _is_anchor(flat, every)
    owner = np.repeat(np.arange(len(shingles)), lengths)
    counts = np.bincount(owner[keep], minlength=len(shingles))
    return np.split(flat[keep], np.cumsum(counts)[:-1])


def flat_sets(sets: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Sets as (values, offsets): set ``i`` is ``values[offsets[i]:offsets[i + 1]]``."""
    lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    values = (
        np.concatenate([np.asarray(s, dtype=np.uint32) for s in sets])
        if len(sets)
        else np.empty(0, dtype=np.uint32)
    )
    return values, offsets


class AnchorIndex(SortedPostings):
    """A static index of anchors: which rows hold a given anchor."""

    def __init__(self, values: np.ndarray, offsets: np.ndarray) -> None:
        if len(offsets) < 1 or offsets[-1] != len(values):
            raise ValueError("offsets must start at 0 and end at the number of values")
        # Value and row in one uint64, sorted in place: cheaper than an argsort and a gather.
        packed = np.asarray(values, dtype=np.uint64) << np.uint64(32)
        packed |= np.repeat(np.arange(len(offsets) - 1, dtype=np.uint64), np.diff(offsets))
        packed.sort()
        keys, rows = split_packed(packed)
        self._keys = keys.astype(np.uint32)
        self._rows = rows.astype(np.int32)
        self.stories = len(offsets) - 1

    @classmethod
    def from_sorted(cls, keys: np.ndarray, rows: np.ndarray, stories: int) -> AnchorIndex:
        """The index whose ``sorted_arrays`` are ``keys`` and ``rows``, over ``stories`` rows
        (a stored index, memory-mapped or read back)."""
        if keys.shape != rows.shape or keys.ndim != 1:
            raise ValueError("keys and rows must be two arrays of one length")
        index = cls.__new__(cls)
        index._keys, index._rows, index.stories = keys, rows, stories
        return index

    @classmethod
    def of(cls, sets: Sequence[np.ndarray]) -> AnchorIndex:
        """An index over the anchor sets of rows 0, 1, ... in order."""
        return cls(*flat_sets(sets))

    def __len__(self) -> int:
        return int(self._keys.size)

    def _answer(self, queries: Any, *args: Any) -> np.ndarray:
        # The rows holding at least ``min_shared`` of each query anchor set.
        (min_shared,) = args
        return in_chunks(self._query_chunk, queries, min_shared, size=_QUERY_CHUNK)

    def _query_chunk(self, sets: Sequence[np.ndarray], min_shared: int) -> np.ndarray:
        if min_shared < 1 or len(self) == 0 or not len(sets):
            return NO_POSTINGS
        values, offsets = flat_sets(sets)
        owner = np.repeat(np.arange(len(sets), dtype=np.uint64), np.diff(offsets))
        left = np.searchsorted(self._keys, values, side="left")
        sizes = np.searchsorted(self._keys, values, side="right") - left
        # Every (query, row) posting of every anchor of the chunk, as one uint64 per posting.
        pairs = np.sort(self._postings(self._rows, left, sizes, owner))
        if not len(pairs):
            return NO_POSTINGS
        first = np.flatnonzero(run_starts(pairs))
        counts = np.diff(np.append(first, len(pairs)))
        found: np.ndarray = pairs[first[counts >= min_shared]]
        return found
