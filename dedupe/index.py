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
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["BandIndex", "band_keys", "empty_rows", "split_packed"]

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


def split_packed(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The high and low 32-bit halves of uint64 values (views where the machine is
    little-endian, no shifts)."""
    if sys.byteorder == "little":
        halves = packed.view(np.uint32).reshape(-1, 2)
        return halves[:, 1], halves[:, 0]
    return packed >> np.uint64(32), packed & np.uint64(0xFFFFFFFF)


#: Rows from which the bands are sorted on several threads.
_THREADED_FROM = 100_000


def empty_rows(signatures: np.ndarray) -> np.ndarray:
    """Which rows of a signature matrix belong to stories without shingles (all values
    the empty MinHash's): they propose nothing and are never proposed."""
    return np.asarray(np.all(signatures == np.uint32(0xFFFFFFFF), axis=1))


class BandIndex:
    """A static LSH index over the rows of a signature matrix."""

    def __init__(self, signatures: np.ndarray, bands: int, rows: int) -> None:
        if bands * rows > signatures.shape[1]:
            raise ValueError(
                f"{bands} bands of {rows} rows need {bands * rows} hash values, "
                f"signatures have {signatures.shape[1]}"
            )
        self._fill(band_keys(signatures, bands, rows), ~empty_rows(signatures), rows)

    @classmethod
    def from_keys(cls, keys: np.ndarray, live: np.ndarray, rows: int) -> BandIndex:
        """The index of band keys computed beforehand: ``keys`` is (n, bands), row ``i`` being
        ``band_keys`` of signature ``i``, and only the rows where ``live`` is True are indexed.
        What a loader that reads the signatures a file at a time builds, without holding
        them all."""
        index = cls.__new__(cls)
        index._fill(keys, live, rows)
        return index

    def _fill(self, keys: np.ndarray, live: np.ndarray, rows: int) -> None:
        self.bands, self.rows = int(keys.shape[1]), rows
        ids = np.flatnonzero(live).astype(np.uint64)
        if len(ids) < keys.shape[0]:
            keys = keys[live]
        self._keys = np.empty((self.bands, len(ids)), dtype=np.uint32)
        self._rows = np.empty((self.bands, len(ids)), dtype=np.int32)

        def sort_band(b: int) -> None:
            # Key and row in one uint64, sorted in place: cheaper than an argsort and a gather.
            packed = keys[:, b].astype(np.uint64) << np.uint64(32)
            packed |= ids
            packed.sort()
            self._keys[b], self._rows[b] = split_packed(packed)

        if len(ids) < _THREADED_FROM:
            for b in range(self.bands):
                sort_band(b)
        else:
            # numpy gathers and sorts without the GIL: a large window's bands use every core.
            with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
                list(pool.map(sort_band, range(self.bands)))

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
        empty = empty_rows(queries)
        for b in range(self.bands):
            left = np.searchsorted(self._keys[b], keys[:, b], side="left")
            right = np.searchsorted(self._keys[b], keys[:, b], side="right")
            for q in np.flatnonzero((right > left) & ~empty):
                found[q].append(self._rows[b, left[q] : right[q]])
        return [
            np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int32)
            for parts in found
        ]
