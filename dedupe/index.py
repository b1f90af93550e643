"""The LSH index over the history window and the current batch.

A thin holder around datasketch's ``MinHashLSH``: keys are story ids, values are datasketch
``LeanMinHash`` objects rebuilt from stored signature rows.
"""

from __future__ import annotations

import numpy as np
from datasketch import MinHashLSH

from dedupe.signatures import EMPTY_HASH, Signer

__all__ = ["CandidateIndex"]


class CandidateIndex:
    """Proposes stories that may share a large part of their shingles with a query."""

    def __init__(self, signer: Signer, threshold: float) -> None:
        self._signer = signer
        self._lsh = MinHashLSH(threshold=threshold, num_perm=signer.params.num_perm)
        self._keys: set[str] = set()

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: str, signature: np.ndarray) -> None:
        """Index one signature; an empty one (no shingles) or a key already held is skipped."""
        if key in self._keys or bool(np.all(signature == EMPTY_HASH)):
            return
        self._lsh.insert(key, self._signer.to_minhash(signature), check_duplication=False)
        self._keys.add(key)

    def query(self, signature: np.ndarray) -> list[str]:
        """Keys of indexed stories that collide with ``signature`` in at least one band."""
        if bool(np.all(signature == EMPTY_HASH)):
            return []
        return sorted(self._lsh.query(self._signer.to_minhash(signature)))
