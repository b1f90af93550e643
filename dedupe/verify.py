"""Exact similarity of two shingle sets: what a candidate must pass to count as a match."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Overlap", "intersection_sizes", "overlap"]


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


#: Values merged with numpy in one process before the compiled merge takes over. Loading numba
#: and the cached merge costs about a second, once per process; numpy's search costs about
#: 25 ns a value more than the compiled walk. A scheduled run of a few thousand stories stays
#: under this and never loads numba; a large run pays at most this much extra (a quarter of a
#: second) before the compiled merge pays for itself.
COMPILED_AFTER = 10_000_000
_merged_with_numpy = 0


def intersection_sizes(a: np.ndarray, others: Sequence[np.ndarray]) -> np.ndarray:
    """``|a & b|`` for each ``b`` of ``others`` (sorted unique arrays of one dtype), at once:
    what a loop of ``overlap`` calls gives, counted by numpy's sorted search or, once a process
    has verified enough to make it pay, by one compiled merge over all of them."""
    global _merged_with_numpy
    sizes = np.fromiter((b.size for b in others), dtype=np.int64, count=len(others))
    if a.size == 0 or not sizes.any():
        return np.zeros(len(others), dtype=np.int64)
    flat = np.concatenate(others).astype(a.dtype, copy=False)
    if _merged_with_numpy < COMPILED_AFTER:
        _merged_with_numpy += flat.size
        return _searched(np.ascontiguousarray(a), flat, sizes)
    from dedupe._merge import intersect_segments

    out: np.ndarray = intersect_segments(np.ascontiguousarray(a), flat, sizes)
    return out


def _searched(a: np.ndarray, flat: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """``intersect_segments`` by numpy: each value of the segments looked up in ``a``."""
    at = np.searchsorted(a, flat)
    np.minimum(at, a.size - 1, out=at)
    found = np.concatenate(([0], np.cumsum(a[at] == flat)))
    ends = np.cumsum(sizes)
    out: np.ndarray = found[ends] - found[ends - sizes]
    return out
