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

import copy
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Self

import numpy as np

from dedupe.arrays import sorted_unique

__all__ = [
    "NO_POSTINGS",
    "BandIndex",
    "IndexUnion",
    "SortedPostings",
    "band_keys",
    "by_query",
    "empty_rows",
    "in_chunks",
    "packed_pairs",
    "range_positions",
    "split_packed",
]

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


def range_positions(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The positions ``starts[k], ..., starts[k] + sizes[k] - 1`` of every ``k``, one range
    after another: what gathers many slices of one array in one indexing."""
    ends = np.cumsum(sizes)
    total = int(ends[-1]) if len(ends) else 0
    positions: np.ndarray = np.repeat(starts - ends + sizes, sizes) + np.arange(total)
    return positions


#: Rows from which the bands are sorted on several threads.
_THREADED_FROM = 100_000


def empty_rows(signatures: np.ndarray) -> np.ndarray:
    """Which rows of a signature matrix belong to stories without shingles (all values
    the empty MinHash's): they propose nothing and are never proposed."""
    return np.asarray(np.all(signatures == np.uint32(0xFFFFFFFF), axis=1))


class SortedPostings:
    """What an index is stored as: keys sorted (per band, for LSH) and the row of each; and
    where its rows go in the window it is part of (``with_rows``)."""

    _keys: np.ndarray
    _rows: np.ndarray
    _map: np.ndarray | None = None

    def with_rows(self, row_map: np.ndarray) -> Self:
        """The same index answering ``row_map[row]`` for each of its rows, leaving out rows
        mapped to -1 (``row_map`` increasing where it is not -1: a file's rows as rows of the
        window they are part of). The arrays are shared, not copied."""
        index = copy.copy(self)
        index._map = np.asarray(row_map, dtype=np.int64)
        return index

    def _postings(
        self, rows: np.ndarray, lo: np.ndarray, sizes: np.ndarray, asking: np.ndarray
    ) -> np.ndarray:
        """Every posting of the ranges ``rows[lo[i]:lo[i] + sizes[i]]``, each as one uint64 of
        its query ``asking[i]`` (high half) and its window row (low half)."""
        found = rows[range_positions(lo, sizes)].astype(np.int64)
        askers = np.repeat(asking.astype(np.uint64), sizes)
        if self._map is not None:
            found = self._map[found]
            askers, found = askers[found >= 0], found[found >= 0]
        packed: np.ndarray = (askers << np.uint64(32)) | found.astype(np.uint64)
        return packed

    def query_pairs(self, queries: Any, *args: Any) -> tuple[np.ndarray, np.ndarray]:
        """Every answer of ``query_many`` as two flat int64 arrays, (query, row), sorted by
        query then row: what a matcher verifying a whole batch takes."""
        return packed_pairs(self._answer(queries, *args))

    def query_many(self, queries: Any, *args: Any) -> list[np.ndarray]:
        """For each query, the sorted unique rows it finds."""
        return by_query(self._answer(queries, *args), len(queries))

    def _answer(self, queries: Any, *args: Any) -> np.ndarray:
        """The sorted postings of all ``queries`` (query in the high half), a chunk at a time."""
        raise NotImplementedError

    def sorted_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(keys, rows): the keys sorted and the row each comes from."""
        return self._keys, self._rows

    @property
    def nbytes(self) -> int:
        return int(self._keys.nbytes + self._rows.nbytes)

    @property
    def mapped(self) -> bool:
        """Whether the arrays are a memory-mapped file's (pages read as queries touch them)."""
        return isinstance(self._keys, np.memmap)


class BandIndex(SortedPostings):
    """A static LSH index over the rows of a signature matrix."""

    def __init__(self, signatures: np.ndarray, bands: int, rows: int) -> None:
        if bands * rows > signatures.shape[1]:
            raise ValueError(
                f"{bands} bands of {rows} rows need {bands * rows} hash values, "
                f"signatures have {signatures.shape[1]}"
            )
        self.bands, self.rows = bands, rows
        keys = band_keys(signatures, bands, rows)
        ids = np.flatnonzero(~empty_rows(signatures)).astype(np.uint64)
        if len(ids) < len(keys):
            keys = keys[ids]
        self._keys = np.empty((bands, len(ids)), dtype=np.uint32)
        self._rows = np.empty((bands, len(ids)), dtype=np.int32)

        def sort_band(b: int) -> None:
            # Key and row in one uint64, sorted in place: cheaper than an argsort and a gather.
            packed = keys[:, b].astype(np.uint64) << np.uint64(32)
            packed |= ids
            packed.sort()
            self._keys[b], self._rows[b] = split_packed(packed)

        if len(ids) < _THREADED_FROM:
            for b in range(bands):
                sort_band(b)
        else:
            # numpy gathers and sorts without the GIL: a large window's bands use every core.
            with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
                list(pool.map(sort_band, range(bands)))

    @classmethod
    def from_sorted(cls, keys: np.ndarray, rows: np.ndarray, lsh_rows: int) -> BandIndex:
        """The index whose ``sorted_arrays`` are ``keys`` and ``rows`` (both (bands, n); a
        stored index, memory-mapped or read back)."""
        if keys.shape != rows.shape or keys.ndim != 2:
            raise ValueError("keys and rows must be two (bands, n) arrays")
        index = cls.__new__(cls)
        index.bands, index.rows = int(keys.shape[0]), lsh_rows
        index._keys, index._rows = keys, rows
        return index

    def __len__(self) -> int:
        return int(self._keys.shape[1])

    def _answer(self, queries: Any, *args: Any) -> np.ndarray:
        # The rows sharing a band with each query signature.
        signatures = np.atleast_2d(queries)
        if len(self) == 0 or len(signatures) == 0:
            return NO_POSTINGS
        return in_chunks(self._query_chunk, signatures)

    def _query_chunk(self, queries: np.ndarray) -> np.ndarray:
        keys = band_keys(queries, self.bands, self.rows)
        asked = np.flatnonzero(~empty_rows(queries))
        n = len(self)
        found = []
        for b in range(self.bands):
            # The needles in order (numpy's search starts where the last one ended), one
            # search for all, the second bound only where a key is there: most are not.
            order = asked[np.argsort(keys[asked, b], kind="stable")]
            needles = keys[order, b]
            band = self._keys[b]
            left = np.searchsorted(band, needles, side="left")
            hits = np.flatnonzero(band[np.minimum(left, n - 1)] == needles)
            if not len(hits):
                continue
            lo = left[hits]
            sizes = np.searchsorted(band, needles[hits], side="right") - lo
            found.append(self._postings(self._rows[b], lo, sizes, order[hits]))
        if not found:
            return NO_POSTINGS
        return sorted_unique(np.concatenate(found))


#: Queries answered at once: their postings (one uint64 a query, band and matching row) are
#: sorted together, so a chunk bounds the memory a large batch's queries take.
_QUERY_CHUNK = 8192
_NONE = np.empty(0, dtype=np.int32)


NO_POSTINGS = np.empty(0, dtype=np.uint64)


def in_chunks(
    answer: Callable[..., np.ndarray], queries: Any, *args: Any, size: int = _QUERY_CHUNK
) -> np.ndarray:
    """The sorted postings ``answer(chunk, *args)`` gives over ``queries``, ``size`` queries
    at a time, each chunk's query numbers moved to their place among all."""
    out = []
    for start in range(0, len(queries), size):
        found = answer(queries[start : start + size], *args)
        out.append(found + (np.uint64(start) << np.uint64(32)) if start else found)
    return np.concatenate(out) if out else NO_POSTINGS


def packed_pairs(pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Postings (query in the high half, row in the low) as flat (query, row) int64 arrays."""
    asker, rows = split_packed(pairs)
    return asker.astype(np.int64), rows.astype(np.int64)


def by_query(pairs: np.ndarray, count: int) -> list[np.ndarray]:
    """Sorted postings (query in the high half, row in the low) as each query's rows."""
    asker, rows = split_packed(pairs)
    bounds = np.searchsorted(asker, np.arange(count + 1))
    found = rows.astype(np.int32)
    return [found[bounds[q] : bounds[q + 1]] for q in range(count)]


class IndexUnion:
    """Indexes over consecutive parts of one window's rows (a file each), queried as one.

    Each part answers window rows (``with_rows``), the parts in window order, so the sorted
    answers of the parts, put one after another, are the sorted answer of the whole. Either
    ``BandIndex`` parts (``query_many(signatures)``) or ``AnchorIndex`` parts
    (``query_many(sets, min_shared)``); a window row belongs to one part only, so what a part
    counts (shared anchors) is the whole count.
    """

    def __init__(self, parts: list[Any]) -> None:
        self.parts = parts
        # A band index's layout (the matcher checks it); none for anchor indexes.
        self.bands = getattr(parts[0], "bands", 0) if parts else 0
        self.rows = getattr(parts[0], "rows", 0) if parts else 0

    def __len__(self) -> int:
        return sum(len(p) for p in self.parts)

    @property
    def nbytes(self) -> int:
        return sum(int(p.nbytes) for p in self.parts)

    @property
    def mapped_nbytes(self) -> int:
        """The part of ``nbytes`` in memory-mapped files rather than in memory."""
        return sum(int(p.nbytes) for p in self.parts if p.mapped)

    def _answer(self, queries: Any, *args: Any) -> np.ndarray:
        # Each part's postings are window rows; together, sorted by query then row.
        answers = [p._answer(queries, *args) for p in self.parts]
        return np.sort(np.concatenate(answers)) if answers else NO_POSTINGS

    def query_pairs(self, queries: Any, *args: Any) -> tuple[np.ndarray, np.ndarray]:
        """As ``SortedPostings.query_pairs``, over every part."""
        return packed_pairs(self._answer(queries, *args))

    def query_many(self, queries: Any, *args: Any) -> list[np.ndarray]:
        """As ``SortedPostings.query_many``, over every part."""
        return by_query(self._answer(queries, *args), len(queries))
