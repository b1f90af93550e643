"""The sorted sets of ``dedupe.arrays`` give what ``np.unique`` gives, by one sort."""

from __future__ import annotations

import numpy as np
import pytest

from dedupe.arrays import run_starts, sorted_unique, unique_first, unique_inverse

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
