"""The CPU-heavy stage: payloads to normalized, shingled and signed stories, on every core.

Payloads are cut into batches in their given order; each batch is parsed, normalized,
shingled and signed by one worker process, and the results are put back together in the same
order, so the output is the same at any batch size or worker count.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from dedupe.clusters import Entry
from dedupe.params import DEFAULT_MINHASH, MinHashParams
from dedupe.signatures import Signer, shingle_texts
from ingest.prepare import prepare
from ingest.story import RawItem, Reject, Story

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "SignedBatch",
    "batches_of",
    "merge",
    "prepare_and_sign",
    "sign_batch",
    "sign_stories",
]

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

    def entries(self) -> list[Entry]:
        """The stories as the matcher takes them, in this batch's order."""
        return [
            Entry.from_story(s, self.shingles[i], self.signatures[i])
            for i, s in enumerate(self.stories)
        ]

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


def batches_of(
    raws: Sequence[RawItem], batch_size: int = DEFAULT_BATCH_SIZE
) -> list[Sequence[RawItem]]:
    """``raws`` cut into consecutive batches of ``batch_size`` (the last one may be shorter)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    return [raws[i : i + batch_size] for i in range(0, len(raws), batch_size)]


def sign_batch(raws: Sequence[RawItem], params: MinHashParams = DEFAULT_MINHASH) -> SignedBatch:
    """Parse, normalize, shingle and sign one batch of payloads, in this process."""
    stories, rejects = prepare(raws)
    shingles, signatures = sign_stories(stories, params)
    return SignedBatch(stories, rejects, shingles, signatures)


def merge(parts: Sequence[SignedBatch], params: MinHashParams = DEFAULT_MINHASH) -> SignedBatch:
    """The signed batches put back together, in the order given."""
    out = SignedBatch(signatures=np.empty((0, params.num_perm), dtype=np.uint32))
    for part in parts:
        out.stories += part.stories
        out.rejects += part.rejects
        out.shingles += part.shingles
    if parts:
        out.signatures = np.concatenate([p.signatures for p in parts])
    return out


def prepare_and_sign(
    raws: Sequence[RawItem],
    params: MinHashParams = DEFAULT_MINHASH,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> SignedBatch:
    """Parse, normalize, shingle and sign ``raws`` with up to ``workers`` processes.

    ``progress``, when given, is called after each batch with (payloads done, payloads in all).
    """
    batches = batches_of(raws, batch_size)
    parts: list[SignedBatch] = []
    done = 0

    def _done(part: SignedBatch, size: int) -> None:
        nonlocal done
        parts.append(part)
        done += size
        if progress is not None:
            progress(done, len(raws))

    if workers <= 1 or len(raws) < _POOL_THRESHOLD:
        for b in batches:
            _done(sign_batch(b, params), len(b))
    else:
        # spawn, not fork: the parent may hold threads (Prefect's), which fork would copy mid-lock.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            # map yields in batch order, so the parts stay in the payloads' order.
            for b, part in zip(
                batches, pool.map(sign_batch, batches, [params] * len(batches)), strict=True
            ):
                _done(part, len(b))
    out = merge(parts, params)
    log.info(
        "prepared and signed %d stories from %d payloads (%d batches, %d worker(s))",
        len(out.stories),
        len(raws),
        len(batches),
        workers if len(batches) > 1 else 1,
    )
    return out
