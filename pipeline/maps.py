"""How the prepare step is mapped over batches of payloads: in this process, or a pool.

A map takes the per-batch function and the batches and yields the results in batch order,
so the records are the same whichever map runs them (the Dask map of ``flows.dask`` too).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["POOL_THRESHOLD", "BatchMap", "process_map", "serial_map"]

_B = TypeVar("_B")
_R = TypeVar("_R")

#: A map of the prepare step: (function, batches) -> results in batch order.
BatchMap = Callable[[Callable[[Any], Any], Sequence[Any]], Iterable[Any]]

#: Below this many payloads in all, a process pool costs more (start-up, imports) than it saves.
POOL_THRESHOLD = 512


def serial_map(fn: Callable[[_B], _R], batches: Sequence[_B]) -> Iterator[_R]:
    """Each batch in this process, one after the other."""
    return map(fn, batches)


def process_map(workers: int) -> BatchMap:
    """A map over ``workers`` processes (spawned), serial for one worker or a small run."""

    def run(fn: Callable[[_B], _R], batches: Sequence[_B]) -> Iterator[_R]:
        payloads = sum(len(b) for b in batches)  # type: ignore[arg-type,misc]
        if workers <= 1 or len(batches) < 2 or payloads < POOL_THRESHOLD:
            yield from map(fn, batches)
            return
        # spawn, not fork: the parent may hold threads (Prefect's), which fork would copy
        # mid-lock.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            # map yields in batch order, so the parts stay in the payloads' order.
            yield from pool.map(fn, batches)

    return run
