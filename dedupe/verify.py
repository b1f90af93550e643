"""Exact similarity of two shingle sets: what a candidate must pass to count as a match."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Overlap", "overlap"]


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
