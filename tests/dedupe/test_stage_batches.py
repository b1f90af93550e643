"""The pieces of the sign stage that a task runner maps: batches_of, sign_batch, merge."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from dedupe import (
    DEFAULT_MINHASH,
    MinHashParams,
    SignedBatch,
    batches_of,
    merge,
    prepare_and_sign,
    sign_batch,
)
from record.story import RawItem
from tests.conftest import SAMPLES


def _sample_raws() -> list[RawItem]:
    now = datetime(2026, 11, 25, tzinfo=UTC)
    return [
        RawItem(path.parent.name, path.stem, path.read_bytes(), now, str(path))
        for path in sorted(SAMPLES.glob("*/*.txt"))
    ]


def _assert_same(a: SignedBatch, b: SignedBatch) -> None:
    assert a.stories == b.stories
    assert [(r.source, r.item_id, r.reason) for r in a.rejects] == [
        (r.source, r.item_id, r.reason) for r in b.rejects
    ]
    assert a.signatures.dtype == b.signatures.dtype == np.uint32
    np.testing.assert_array_equal(a.signatures, b.signatures)
    assert len(a.shingles) == len(b.shingles)
    for x, y in zip(a.shingles, b.shingles, strict=True):
        np.testing.assert_array_equal(x, y)


def test_batches_cut_the_payloads_in_order_with_a_short_last_batch() -> None:
    raws = _sample_raws()
    assert len(raws) == 18
    cut = batches_of(raws, 5)
    assert [len(b) for b in cut] == [5, 5, 5, 3]
    assert [r for b in cut for r in b] == raws
    assert batches_of(raws, 100) == [raws]
    assert batches_of([], 5) == []


def test_batches_refuse_a_size_below_one() -> None:
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        batches_of(_sample_raws(), 0)


@pytest.mark.parametrize("size", [1, 4, 7, 256])
def test_signed_batches_merged_in_order_equal_prepare_and_sign(size: int) -> None:
    raws = _sample_raws()
    whole = prepare_and_sign(raws, DEFAULT_MINHASH, workers=1)
    assert len(whole.stories) == 17 and len(whole.rejects) == 1  # the corrupt transmission
    parts = [sign_batch(b, DEFAULT_MINHASH) for b in batches_of(raws, size)]
    _assert_same(merge(parts, DEFAULT_MINHASH), whole)


def test_merge_keeps_the_order_it_is_given() -> None:
    raws = _sample_raws()
    parts = [sign_batch(b, DEFAULT_MINHASH) for b in batches_of(raws, 6)]
    merged = merge(parts[::-1], DEFAULT_MINHASH)
    expected = [s for p in parts[::-1] for s in p.stories]
    assert merged.stories == expected
    assert merged.stories != merge(parts, DEFAULT_MINHASH).stories


def test_merging_nothing_gives_an_empty_matrix_of_the_right_width() -> None:
    params = MinHashParams(num_perm=64)
    empty = merge([], params)
    assert empty.stories == [] and empty.rejects == [] and empty.shingles == []
    assert empty.signatures.shape == (0, 64)
