"""MinHash signatures for many stories at once, bit for bit datasketch's ``affine32`` scheme.

datasketch's ``MinHash.update_batch`` hashes and permutes one set at a time. ``Signer`` draws
the permutations a datasketch ``MinHash`` of the same ``num_perm``, ``seed`` and scheme draws
(``affine32_permutations``), and applies the same steps (MurmurHash3 finalizer, then
``a*h + b mod 2**32``, then the minimum per permutation) to a whole batch of stories: in one C
loop that keeps the minimum as it goes where dedupe's compiled loops are built
(``dedupe._loops``), else in numpy passes over chunks. Tests check that the permutations and
the result of both ways equal datasketch's for every story; ``to_minhash`` rebuilds the
datasketch object from stored values, naming the scheme as datasketch 2 requires.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from dedupe._loops import compiled_sign
from dedupe.params import DEFAULT_MINHASH, MinHashParams
from dedupe.shingles import shingle_sets
from record.words import words

if TYPE_CHECKING:
    from datasketch import LeanMinHash

__all__ = ["EMPTY_HASH", "Signer", "affine32_permutations", "estimate_jaccard", "shingle_texts"]

EMPTY_HASH = np.uint32(0xFFFFFFFF)

# Shingles per numpy pass: the (shingles x num_perm) scratch array (2 MiB) stays in cache.
_CHUNK_SHINGLES = 4_096


def affine32_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of datasketch's ``affine32`` scheme for ``num_perm`` and ``seed``: drawn, as
    it draws them, from numpy's ``RandomState(seed)``, an odd ``a`` below 2**32 then ``b``.
    Made here rather than by a datasketch ``MinHash``: importing datasketch loads scipy, most
    of a second of a scheduled run (a test checks both give the same values)."""
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    # The MurmurHash3 32-bit finalizer that datasketch's affine32 scheme applies to each input.
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    out: np.ndarray = h ^ (h >> np.uint32(16))
    return out


class Signer:
    """Signs shingle sets with fixed MinHash parameters."""

    def __init__(self, params: MinHashParams = DEFAULT_MINHASH) -> None:
        self.params = params

    @cached_property
    def _permutations(self) -> tuple[np.ndarray, np.ndarray]:
        return affine32_permutations(self.params.num_perm, self.params.seed)

    def sign_many(self, shingle_sets: Sequence[np.ndarray]) -> np.ndarray:
        """One signature row (uint32[num_perm]) per shingle set; an empty set gets all-max."""
        out = np.full((len(shingle_sets), self.params.num_perm), EMPTY_HASH, dtype=np.uint32)
        sign = compiled_sign()
        if sign is not None and shingle_sets:
            a, b = self._permutations
            sizes = np.fromiter(map(len, shingle_sets), dtype=np.int64, count=len(shingle_sets))
            offsets = np.zeros(len(shingle_sets) + 1, dtype=np.int64)
            np.cumsum(sizes, out=offsets[1:])
            values = np.concatenate(shingle_sets).astype(np.uint32, copy=False)
            sign(values, offsets, len(shingle_sets), a, b, self.params.num_perm, out)
            return out
        start = 0
        while start < len(shingle_sets):
            stop, total = start, 0
            while stop < len(shingle_sets) and (
                stop == start or total + len(shingle_sets[stop]) <= _CHUNK_SHINGLES
            ):
                total += len(shingle_sets[stop])
                stop += 1
            self._sign_chunk(shingle_sets[start:stop], out[start:stop])
            start = stop
        return out

    def _sign_chunk(self, sets: Sequence[np.ndarray], out: np.ndarray) -> None:
        sizes = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
        nonempty = np.flatnonzero(sizes)
        if nonempty.size == 0:
            return
        values = np.concatenate([sets[int(i)] for i in nonempty]).astype(np.uint32, copy=False)
        a, b = self._permutations
        permuted = np.multiply.outer(_fmix32(values), a)
        permuted += b
        offsets = np.concatenate(([0], np.cumsum(sizes[nonempty])[:-1]))
        out[nonempty] = np.minimum.reduceat(permuted, offsets, axis=0)

    def sign(self, shingles: np.ndarray) -> np.ndarray:
        """The signature of one shingle set."""
        row: np.ndarray = self.sign_many([shingles])[0]
        return row

    def to_minhash(self, hashvalues: np.ndarray) -> LeanMinHash:
        """A datasketch ``LeanMinHash`` for stored values (the scheme must be named)."""
        from datasketch import LeanMinHash

        return LeanMinHash(seed=self.params.seed, hashvalues=hashvalues, scheme=self.params.scheme)


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity two signatures estimate: the share of equal positions."""
    return float(np.count_nonzero(a == b)) / float(len(a))


def shingle_texts(texts: Sequence[str], shingle_size: int) -> list[np.ndarray]:
    """The shingle set of each text, tokenized as matching compares words."""
    return shingle_sets([words(text) for text in texts], shingle_size)
