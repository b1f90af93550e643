"""The CPU-heavy stage: payloads to normalized, shingled and signed stories, on every core.

Payloads are cut into batches in their given order; each batch is parsed, normalized,
shingled and signed by one worker process, and the results are put back together in the same
order, so the output is the same at any batch size or worker count.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from dedupe.params import DEFAULT_MINHASH, MinHashParams
from dedupe.signatures import Signer, shingle_texts
from ingest.prepare import prepare
from ingest.story import RawItem, Reject, Story

__all__ = ["DEFAULT_BATCH_SIZE", "SignedBatch", "prepare_and_sign", "sign_stories"]

log = logging.getLogger(__name__)

#: Payloads per worker task: large enough that the numpy passes amortize, small enough that
#: two workers get balanced work on a few thousand payloads.
DEFAULT_BATCH_SIZE = 256
# Below this many payloads a process pool costs more (start-up, imports) than it saves.
_POOL_THRESHOLD = 2 * DEFAULT_BATCH_SIZE


@dataclass
class SignedBatch:
    """Stories with their shingle sets and signatures (row i belongs to story i), and rejects."""

    stories: list[Story] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    shingles: list[np.ndarray] = field(default_factory=list)
    signatures: np.ndarray = field(default_factory=lambda: np.empty((0, 0), dtype=np.uint32))

    def select(self, keep: Sequence[int]) -> SignedBatch:
        """The stories at positions ``keep``, in that order (rejects stay)."""
        return SignedBatch(
            stories=[self.stories[i] for i in keep],
            rejects=self.rejects,
            shingles=[self.shingles[i] for i in keep],
            signatures=self.signatures[list(keep)],
        )


def sign_stories(
    stories: Sequence[Story], params: MinHashParams = DEFAULT_MINHASH, signer: Signer | None = None
) -> tuple[list[np.ndarray], np.ndarray]:
    """Shingle sets and MinHash signatures of the stories' matching text."""
    shingles = shingle_texts([s.matching_text() for s in stories], params.shingle_size)
    return shingles, (signer or Signer(params)).sign_many(shingles)


def _work(raws: Sequence[RawItem], params: MinHashParams) -> SignedBatch:
    stories, rejects = prepare(raws)
    shingles, signatures = sign_stories(stories, params)
    return SignedBatch(stories, rejects, shingles, signatures)


def prepare_and_sign(
    raws: Sequence[RawItem],
    params: MinHashParams = DEFAULT_MINHASH,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> SignedBatch:
    """Parse, normalize, shingle and sign ``raws`` with up to ``workers`` processes."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    batches = [raws[i : i + batch_size] for i in range(0, len(raws), batch_size)]
    if workers <= 1 or len(raws) < _POOL_THRESHOLD:
        parts = [_work(b, params) for b in batches]
    else:
        # spawn, not fork: the parent may hold threads (Prefect's), which fork would copy mid-lock.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            parts = list(pool.map(_work, batches, [params] * len(batches)))
    out = SignedBatch(signatures=np.empty((0, params.num_perm), dtype=np.uint32))
    for part in parts:
        out.stories += part.stories
        out.rejects += part.rejects
        out.shingles += part.shingles
    if parts:
        out.signatures = np.concatenate([p.signatures for p in parts])
    log.info(
        "prepared and signed %d stories from %d payloads (%d batches, %d worker(s))",
        len(out.stories),
        len(raws),
        len(batches),
        workers if len(batches) > 1 else 1,
    )
    return out
