"""The sorted sets of ``dedupe.arrays`` give what ``np.unique`` gives, by one sort."""

from __future__ import annotations

import numpy as np
import pytest

from dedupe.arrays import group_sets, run_starts, sorted_unique, unique_first, unique_inverse

DTYPES = (np.uint32, np.int64, np.uint64, np.int32)


def _samples(dtype: type) -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    return [
        np.empty(0, dtype=dtype),
        np.array([5], dtype=dtype),
        np.array([3, 3, 3], dtype=dtype),
        rng.integers(0, 50, 1_000).astype(dtype),
        rng.integers(0, 2**31, 5_000).astype(dtype),
        np.arange(100, dtype=dtype)[::-1],
    ]


@pytest.mark.parametrize("dtype", DTYPES)
def test_they_give_what_np_unique_gives(dtype: type) -> None:
    for values in _samples(dtype):
        want = np.unique(values)
        got = sorted_unique(values)
        assert got.dtype == want.dtype and np.array_equal(got, want)
        want_values, want_inverse = np.unique(values, return_inverse=True)
        got_values, got_inverse = unique_inverse(values)
        assert np.array_equal(got_values, want_values)
        assert np.array_equal(got_inverse, want_inverse.reshape(-1))
        assert np.array_equal(got_values[got_inverse], values)
        want_values, want_first = np.unique(values, return_index=True)
        got_values, got_first = unique_first(values)
        assert np.array_equal(got_values, want_values)
        assert np.array_equal(got_first, want_first)


def test_run_starts_marks_the_first_of_each_run() -> None:
    assert run_starts(np.array([1, 1, 2, 3, 3, 3, 7])).tolist() == [1, 0, 1, 1, 0, 0, 1]
    assert run_starts(np.empty(0)).tolist() == []


def test_group_sets_are_each_groups_distinct_values() -> None:
    rng = np.random.default_rng(11)
    sizes = np.array([0, 1, 5, 0, 300, 2, 40, 0], dtype=np.int64)
    # Few distinct values, so that groups repeat values of their own and of each other.
    values = rng.integers(0, 2**32, 30, dtype=np.uint64).astype(np.uint32)[
        rng.integers(0, 30, int(sizes.sum()))
    ]
    got = group_sets(values, sizes)
    bounds = np.concatenate(([0], np.cumsum(sizes)))
    assert len(got) == len(sizes)
    for i, found in enumerate(got):
        want = np.unique(values[bounds[i] : bounds[i + 1]])
        assert found.dtype == np.uint32 and np.array_equal(found, want)
    assert group_sets(np.empty(0, dtype=np.uint32), np.empty(0, dtype=np.int64)) == []
