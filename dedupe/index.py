"""LSH banding over MinHash signatures, held in flat numpy arrays.

A signature of ``num_perm`` values is cut into ``bands`` bands of ``rows`` values; two stories
are candidates when any band is equal in both. Each band is reduced to one 32-bit key, and the
index keeps, per band, the keys sorted with the row each came from: 8 bytes a story a band,
about 0.5 GiB for a million stories at 64 bands, where datasketch's ``MinHashLSH`` (dicts of
byte strings) needs several times that. A spurious key collision only adds a candidate that
verification drops.

The matcher builds one ``BandIndex`` over the history window and one over each batch of new
stories (a story of the batch sees only the rows before its own).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["BandIndex", "band_keys"]

# Odd 32-bit constants of the MurmurHash3 finalizer: each multiply spreads bits upwards, each
# shift folds them back down.
_C1 = np.uint32(0x85EBCA6B)
_C2 = np.uint32(0xC2B2AE35)
_C3 = np.uint32(0x27D4EB2F)


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """The (n, bands) uint32 band keys of (n, num_perm) signatures."""
    if signatures.ndim == 1:
        signatures = signatures[None, :]
    n = signatures.shape[0]
    blocks = signatures[:, : bands * rows].reshape(n, bands, rows)
    acc = blocks[:, :, 0] * _C1
    for r in range(1, rows):
        acc ^= blocks[:, :, r]
        acc *= _C2
        acc ^= acc >> np.uint32(16)
    # The band number enters the key, so equal values in different bands never collide.
    acc += np.arange(bands, dtype=np.uint32) * _C3
    acc *= _C1
    acc ^= acc >> np.uint32(13)
    return acc


#: Rows from which the bands are sorted on several threads.
_THREADED_FROM = 100_000


def _empty_rows(signatures: np.ndarray) -> np.ndarray:
    return np.asarray(np.all(signatures == np.uint32(0xFFFFFFFF), axis=1))


class BandIndex:
    """A static LSH index over the rows of a signature matrix."""

    def __init__(self, signatures: np.ndarray, bands: int, rows: int) -> None:
        if bands * rows > signatures.shape[1]:
            raise ValueError(
                f"{bands} bands of {rows} rows need {bands * rows} hash values, "
                f"signatures have {signatures.shape[1]}"
            )
        self.bands, self.rows = bands, rows
        # Stories without shingles propose nothing and are never proposed.
        live = np.flatnonzero(~_empty_rows(signatures)).astype(np.uint64)
        keys = np.ascontiguousarray(band_keys(signatures[live], bands, rows).T)
        self._keys = np.empty((bands, len(live)), dtype=np.uint32)
        self._rows = np.empty((bands, len(live)), dtype=np.int32)

        def sort_band(b: int) -> None:
            # Key and row in one uint64, sorted in place: cheaper than an argsort and a gather.
            packed = (keys[b].astype(np.uint64) << np.uint64(32)) | live
            packed.sort()
            self._keys[b] = packed >> np.uint64(32)
            self._rows[b] = packed & np.uint64(0xFFFFFFFF)

        if len(live) < _THREADED_FROM:
            for b in range(bands):
                sort_band(b)
        else:
            # numpy sorts without the GIL: the bands of a large window sort on every core.
            with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
                list(pool.map(sort_band, range(bands)))

    def __len__(self) -> int:
        return int(self._keys.shape[1])

    @property
    def nbytes(self) -> int:
        return int(self._keys.nbytes + self._rows.nbytes)

    def query_many(self, signatures: np.ndarray) -> list[np.ndarray]:
        """For each query signature, the sorted unique rows that share a band with it."""
        queries = np.atleast_2d(signatures)
        found: list[list[np.ndarray]] = [[] for _ in range(len(queries))]
        if len(self) == 0 or len(queries) == 0:
            return [np.empty(0, dtype=np.int32) for _ in range(len(queries))]
        keys = band_keys(queries, self.bands, self.rows)
        empty = _empty_rows(queries)
        for b in range(self.bands):
            left = np.searchsorted(self._keys[b], keys[:, b], side="left")
            right = np.searchsorted(self._keys[b], keys[:, b], side="right")
            for q in np.flatnonzero((right > left) & ~empty):
                found[q].append(self._rows[b, left[q] : right[q]])
        return [
            np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int32)
            for parts in found
        ]
