"""The one compiled loop of matching: the sizes of many sorted-set intersections at once.

Imported only when a run has enough candidates to verify (numba's import and, on the first
call in a clone, its compilation take about a second; the compiled code is cached next to this
file).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["intersect_pairs"]


@njit(cache=True, nogil=True, parallel=True)
def intersect_pairs(
    a_values: np.ndarray,
    a_offsets: np.ndarray,
    b_values: np.ndarray,
    b_offsets: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
) -> np.ndarray:
    """``|A[left[k]] & B[right[k]]|`` for each pair ``k``, where set ``i`` of a flat column is
    ``values[offsets[i]:offsets[i + 1]]``, sorted and unique; one merge walk per pair, without
    a branch on the comparison (hash values compare at random, which a branch mispredicts); the
    pairs are shared among the cores."""
    out = np.zeros(left.size, np.int64)
    for k in prange(left.size):
        i = a_offsets[left[k]]
        i_end = a_offsets[left[k] + 1]
        j = b_offsets[right[k]]
        j_end = b_offsets[right[k] + 1]
        common = 0
        while i < i_end and j < j_end:
            x = a_values[i]
            y = b_values[j]
            common += x == y
            i += x <= y
            j += y <= x
        out[k] = common
    return out
