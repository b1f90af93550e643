"""Word shingles as 32-bit values.

Each word (already lower-cased, punctuation dropped: ``ingest.normalize.words``) is hashed once
with xxh32; a shingle of k consecutive words folds their hashes with an odd multiplier, in
order, so "a b c" and "c b a" differ. Folding whole arrays in numpy costs a fraction of hashing
every k-word string.
"""

from __future__ import annotations

import numpy as np
import xxhash

__all__ = ["shingle_set"]

_FOLD = np.uint32(0x01000193)  # the FNV prime: odd, so the fold loses nothing by itself


def shingle_set(tokens: list[str], size: int) -> np.ndarray:
    """The sorted unique 32-bit hashes of the ``size``-word shingles of ``tokens``.

    A text shorter than ``size`` words is one shingle of all its words; no words, no shingles.
    """
    if not tokens:
        return np.empty(0, dtype=np.uint32)
    hashes = np.fromiter(
        (xxhash.xxh32_intdigest(t.encode()) for t in tokens), dtype=np.uint32, count=len(tokens)
    )
    k = min(size, len(hashes))
    count = len(hashes) - k + 1
    folded = hashes[:count].copy()
    for offset in range(1, k):
        folded *= _FOLD
        folded ^= hashes[offset : offset + count]
    return np.unique(folded)
