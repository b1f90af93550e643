"""How the prepare step is mapped over batches of payloads: in this process, or a pool.

A map takes the per-batch function and the batches and yields the results in batch order,
so the records are the same whichever map runs them (the Dask map of ``flows.dask`` too).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["POOL_THRESHOLD", "STORY_BYTES", "BatchMap", "process_map", "serial_map", "weight"]

_B = TypeVar("_B")
_R = TypeVar("_R")

#: A map of the prepare step: (function, batches) -> results in batch order.
BatchMap = Callable[[Callable[[Any], Any], Sequence[Any]], Iterable[Any]]

#: Below this weight of payloads in all (``weight``: about one a story), a process pool costs
#: more than it saves: a spawned process imports the pipeline and loads its models for about
#: 3 s before it prepares its first batch, while this process prepares 600-900 stories a second.
POOL_THRESHOLD = 3000
#: The bytes of copy a payload is weighed as one story by: a feed page that holds twenty
#: stories weighs about twenty.
STORY_BYTES = 4096


def weight(batch: Sequence[Any]) -> int:
    """About how many stories a batch of payloads holds: one a payload, more for a large one
    (a feed page); anything without ``data`` weighs one."""
    return sum(max(1, len(getattr(item, "data", b"")) // STORY_BYTES) for item in batch)


def serial_map(fn: Callable[[_B], _R], batches: Sequence[_B]) -> Iterator[_R]:
    """Each batch in this process, one after the other."""
    return map(fn, batches)


def process_map(workers: int) -> BatchMap:
    """A map over ``workers`` cores: this process and ``workers - 1`` spawned ones.

    Serial for one worker or a small run. Otherwise the pool takes the batches from the last
    one backwards while this process takes them from the first one forwards, until the two
    meet: the pool's processes start up (a spawned process imports the whole pipeline, seconds
    of work) while this one already prepares, and no batch waits for a process that is still
    starting. The results are yielded in batch order.
    """

    def run(fn: Callable[[_B], _R], batches: Sequence[_B]) -> Iterator[_R]:
        total = sum(weight(b) for b in batches)  # type: ignore[arg-type,misc]
        if workers <= 1 or len(batches) < 2 or total < POOL_THRESHOLD:
            yield from map(fn, batches)
            return
        # spawn, not fork: the parent may hold threads (Prefect's), which fork would copy
        # mid-lock.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=max(1, workers - 1), mp_context=context) as pool:
            # Submitted last batch first: the pool's queue runs from the back.
            futures: list[Future[_R]] = [pool.submit(fn, b) for b in reversed(batches)][::-1]
            for i, future in enumerate(futures):
                # A batch no pool process has taken yet is this process's to prepare.
                yield fn(batches[i]) if future.cancel() else future.result()

    return run
