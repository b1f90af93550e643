"""Sets of integers as sorted numpy arrays: the distinct values of an array by one sort.

``np.unique`` of numpy 2.x hashes its input before it sorts the distinct values: over the
postings and pairs of a batch (millions of integers) that costs several times one sort and a
neighbour test, and about five times as much over a story's few hundred word hashes. These
give what ``np.unique`` gives (the same values in the same dtype, the same ``return_inverse``
and ``return_index``), by one sort.
"""

from __future__ import annotations

import numpy as np

__all__ = ["group_sets", "run_starts", "sorted_unique", "unique_first", "unique_inverse"]


def run_starts(ordered: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted 1-D array starts, as a boolean mask."""
    starts = np.empty(len(ordered), dtype=bool)
    if len(ordered):
        starts[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    return starts


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-D array, sorted: ``np.unique(values)``."""
    ordered = np.sort(values)
    distinct: np.ndarray = ordered[run_starts(ordered)]
    return distinct


def group_sets(values: np.ndarray, sizes: np.ndarray) -> list[np.ndarray]:
    """The distinct values of each group of ``values`` (uint32, the groups one after the other,
    ``sizes`` long), sorted: ``[sorted_unique(group) for group in groups]`` by one sort of the
    whole, each value keyed by its group in the high 32 bits."""
    count = len(sizes)
    if count == 0:
        return []
    owner = np.repeat(np.arange(count, dtype=np.uint64), sizes)
    keyed = np.sort((owner << np.uint64(32)) | values.astype(np.uint64))
    keyed = keyed[run_starts(keyed)]
    distinct = (keyed & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    bounds = np.searchsorted(keyed >> np.uint64(32), np.arange(count + 1, dtype=np.uint64))
    return [distinct[bounds[i] : bounds[i + 1]] for i in range(count)]


def unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)``: the distinct values, sorted, and the place of
    each value among them."""
    values = np.asarray(values)
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = run_starts(ordered)
    inverse = np.empty(len(values), dtype=np.intp)
    inverse[order] = np.cumsum(starts) - 1
    return ordered[starts], inverse


def unique_first(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_index=True)``: the distinct values, sorted, and the index of
    each one's first occurrence."""
    values = np.asarray(values)
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = run_starts(ordered)
    return ordered[starts], order[starts]
