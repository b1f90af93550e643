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


def intersection_sizes(a: np.ndarray, others: Sequence[np.ndarray]) -> np.ndarray:
    """``|a & b|`` for each ``b`` of ``others`` (sorted unique arrays of one dtype), at once:
    what a loop of ``overlap`` calls gives, in one compiled merge over all of them."""
    sizes = np.fromiter((b.size for b in others), dtype=np.int64, count=len(others))
    if a.size == 0 or not sizes.any():
        return np.zeros(len(others), dtype=np.int64)
    from dedupe._merge import intersect_segments

    flat = np.concatenate(others).astype(a.dtype, copy=False)
    out: np.ndarray = intersect_segments(np.ascontiguousarray(a), flat, sizes)
    return out
