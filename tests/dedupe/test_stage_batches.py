"""The pieces of the prepare step that a map runs: batches_of, prepare_batch, Prepared.merge."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from dedupe import DEFAULT_MINHASH, MinHashParams, shingle_arrays, signature_matrix
from pipeline import Prepared, batches_of, prepare_batch, prepare_payloads
from record.story import RawItem
from tests.conftest import SAMPLES


def _sample_raws() -> list[RawItem]:
    now = datetime(2026, 11, 25, tzinfo=UTC)
    return [
        RawItem(path.parent.name, path.stem, path.read_bytes(), now, str(path))
        for path in sorted(SAMPLES.glob("*/*.txt"))
    ]


def _signatures(prepared: Prepared, num_perm: int = DEFAULT_MINHASH.num_perm) -> np.ndarray:
    return signature_matrix(prepared.batch.column("signature"), num_perm)


def _shingles(prepared: Prepared) -> list[np.ndarray]:
    return shingle_arrays(prepared.batch.column("shingles"))


def _assert_same(a: Prepared, b: Prepared) -> None:
    assert a.batch.stories() == b.batch.stories()
    assert [(r.source, r.item_id, r.reason) for r in a.rejects] == [
        (r.source, r.item_id, r.reason) for r in b.rejects
    ]
    sig_a, sig_b = _signatures(a), _signatures(b)
    assert sig_a.dtype == sig_b.dtype == np.uint32
    np.testing.assert_array_equal(sig_a, sig_b)
    shingles_a, shingles_b = _shingles(a), _shingles(b)
    assert len(shingles_a) == len(shingles_b)
    for x, y in zip(shingles_a, shingles_b, strict=True):
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
def test_prepared_batches_merged_in_order_equal_prepare_payloads(size: int) -> None:
    raws = _sample_raws()
    whole = prepare_payloads(raws, DEFAULT_MINHASH)
    assert len(whole.batch) == 17 and len(whole.rejects) == 1  # the corrupt transmission
    parts = [prepare_batch(b, DEFAULT_MINHASH) for b in batches_of(raws, size)]
    _assert_same(Prepared.merge(parts), whole)


def test_merge_keeps_the_order_it_is_given() -> None:
    raws = _sample_raws()
    parts = [prepare_batch(b, DEFAULT_MINHASH) for b in batches_of(raws, 6)]
    merged = Prepared.merge(parts[::-1])
    expected = [s for p in parts[::-1] for s in p.batch.stories()]
    assert merged.batch.stories() == expected
    assert merged.batch.stories() != Prepared.merge(parts).batch.stories()


def test_merging_nothing_gives_an_empty_matrix_of_the_right_width() -> None:
    params = MinHashParams(num_perm=64)
    empty = Prepared.merge([])
    assert empty.batch.stories() == [] and empty.rejects == []
    assert _shingles(empty) == []
    assert _signatures(empty, params.num_perm).shape == (0, 64)
