"""Exact similarity of shingle sets: what a candidate must pass to count as a match.

``overlap`` compares two sets; ``SetColumn`` holds the sets of many stories as one flat array
and ``pair_intersections`` counts what many pairs of them share at once, which is how the
matcher verifies a whole batch's candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dedupe._loops import compiled_merge, count_pairs
from dedupe.anchors import flat_sets
from dedupe.index import range_positions

__all__ = ["Overlap", "SetColumn", "overlap", "pair_intersections"]


@dataclass(frozen=True)
class Overlap:
    """How two shingle sets overlap."""

    intersection: int
    size_a: int
    size_b: int

    @property
    def jaccard(self) -> float:
        union = self.size_a + self.size_b - self.intersection
        return self.intersection / union if union else 0.0

    @property
    def containment(self) -> float:
        """The share of the smaller set found in the larger one."""
        smaller = min(self.size_a, self.size_b)
        return self.intersection / smaller if smaller else 0.0

    @property
    def smaller(self) -> int:
        return min(self.size_a, self.size_b)


def overlap(a: np.ndarray, b: np.ndarray) -> Overlap:
    """Overlap of two sorted unique shingle arrays."""
    common = np.intersect1d(a, b, assume_unique=True).size
    return Overlap(intersection=int(common), size_a=int(a.size), size_b=int(b.size))


@dataclass(frozen=True)
class SetColumn:
    """The sets of many stories (sorted unique uint32 each) as one flat array: set ``i`` is
    ``values[offsets[i]:offsets[i + 1]]``."""

    values: np.ndarray
    offsets: np.ndarray

    @classmethod
    def of(cls, sets: Sequence[np.ndarray]) -> SetColumn:
        return cls(*flat_sets(sets))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def sizes(self) -> np.ndarray:
        sizes: np.ndarray = np.diff(self.offsets)
        return sizes


#: Values one pass of the numpy search holds at once (two uint64 keys each).
_SEARCH_CHUNK = 4_000_000


def pair_intersections(
    a: SetColumn, b: SetColumn, left: np.ndarray, right: np.ndarray
) -> np.ndarray:
    """``|a[left[k]] & b[right[k]]|`` for each pair ``k``: counted by the compiled merge
    (``dedupe._loops``) or, where none could be built, by numpy's sorted search."""
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    if not left.size:
        return np.zeros(0, dtype=np.int64)
    sizes_a, sizes_b = a.sizes[left], b.sizes[right]
    merge = compiled_merge()
    if merge is None:
        return _searched(a, b, left, right, sizes_a, sizes_b)
    work = int(sizes_a.sum() + sizes_b.sum())
    return count_pairs(merge, a.values, a.offsets, b.values, b.offsets, left, right, work)


def _searched(
    a: SetColumn,
    b: SetColumn,
    left: np.ndarray,
    right: np.ndarray,
    sizes_a: np.ndarray,
    sizes_b: np.ndarray,
) -> np.ndarray:
    """``intersect_pairs`` by numpy: each pair's sets keyed by the pair's number (the key's high
    half), so that one sorted search over all of them finds every value both sets hold."""
    out = np.zeros(left.size, dtype=np.int64)
    work = np.cumsum(sizes_a + sizes_b)
    start = 0
    while start < left.size:
        # Pairs up to _SEARCH_CHUNK values at a time (at least one pair).
        stop = max(int(np.searchsorted(work, work[start] - (sizes_a[start] + sizes_b[start])
                                       + _SEARCH_CHUNK, side="right")), start + 1)  # fmt: skip
        span = slice(start, stop)
        number = np.arange(stop - start, dtype=np.uint64)
        keys_a = (np.repeat(number, sizes_a[span]) << np.uint64(32)) | a.values[
            range_positions(a.offsets[left[span]], sizes_a[span])
        ].astype(np.uint64)
        owner_b = np.repeat(number, sizes_b[span])
        keys_b = (owner_b << np.uint64(32)) | b.values[
            range_positions(b.offsets[right[span]], sizes_b[span])
        ].astype(np.uint64)
        if keys_a.size and keys_b.size:
            at = np.searchsorted(keys_a, keys_b)
            np.minimum(at, keys_a.size - 1, out=at)
            found = keys_a[at] == keys_b
            out[span] = np.bincount(owner_b[found].astype(np.int64), minlength=stop - start)
        start = stop
    return out
