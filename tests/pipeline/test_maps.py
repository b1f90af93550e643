"""The maps of the prepare step: batches cut by count and by bytes, the weight of a run, and the
process map that shares the batches between this process and a pool."""

from __future__ import annotations

import itertools
import os
import time
from datetime import UTC, datetime

from pipeline import POOL_THRESHOLD, batches_of, process_map, weight
from record.story import RawItem

NOW = datetime(2026, 11, 30, tzinfo=UTC)


def _raw(n: int, size: int) -> RawItem:
    return RawItem("desk", f"item-{n}", b"x" * size, NOW, f"test:{n}")


def test_a_batch_ends_at_its_byte_budget_but_never_empty() -> None:
    raws = [_raw(i, 400) for i in range(10)]
    cut = batches_of(raws, batch_size=100, max_bytes=1000)
    assert [len(b) for b in cut] == [2, 2, 2, 2, 2]
    assert [r for b in cut for r in b] == raws
    # A payload larger than the budget is a batch of its own.
    big = [_raw(0, 10), _raw(1, 5000), _raw(2, 10)]
    assert [len(b) for b in batches_of(big, batch_size=100, max_bytes=1000)] == [1, 1, 1]


def test_a_feed_page_weighs_as_the_stories_it_holds() -> None:
    assert weight([_raw(0, 100), _raw(1, 4096 * 20)]) == 21
    assert weight([1, 2, 3]) == 3  # no payload data: one each


def _slow_pid(batch: list[int]) -> tuple[int, int]:
    time.sleep(0.5)
    return os.getpid(), sum(batch)


def test_this_process_takes_batches_from_the_front_and_the_pool_from_the_back() -> None:
    batches = [[i] * (POOL_THRESHOLD // 8) for i in range(12)]
    results = list(process_map(2)(_slow_pid, batches))
    assert [total for _, total in results] == [sum(b) for b in batches]  # in batch order
    pids = [pid for pid, _ in results]
    assert pids[0] == os.getpid()  # no wait for a process to start
    assert pids[-1] != os.getpid()  # the pool took the last one
    # Each side's batches are one run: the two met once.
    assert sum(1 for a, b in itertools.pairwise(pids) if a != b) == 1


def test_a_small_run_stays_in_this_process() -> None:
    batches = [[1] * 10, [2] * 10]
    assert {pid for pid, _ in process_map(2)(_slow_pid, batches)} == {os.getpid()}
