"""The one compiled loop of matching: the sizes of many sorted-set intersections at once.

Imported only when a run has candidates to verify (numba's import and, on the first call in a
clone, its compilation take about a second; the compiled code is cached next to this file).
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["intersect_segments"]


@njit(cache=True, nogil=True)
def intersect_segments(a: np.ndarray, flat: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """``|a & segment|`` for each consecutive segment of ``flat`` (lengths ``sizes``).

    ``a`` and every segment are sorted and unique; one merge walk per segment.
    """
    out = np.zeros(sizes.size, np.int64)
    n = a.size
    start = 0
    for k in range(sizes.size):
        end = start + sizes[k]
        i = 0
        j = start
        common = 0
        while i < n and j < end:
            x = a[i]
            y = flat[j]
            if x < y:
                i += 1
            elif y < x:
                j += 1
            else:
                common += 1
                i += 1
                j += 1
        out[k] = common
        start = end
    return out
