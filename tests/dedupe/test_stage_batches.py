"""The pieces of the prepare step that a map runs: batches_of, prepare_batch, Prepared.merge."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from dedupe import (
    DEFAULT_MINHASH,
    Entry,
    MinHashParams,
    entries,
    shingle_arrays,
    signature_matrix,
)
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


def _profile_arrays(entries: list[Entry]) -> list[tuple[bytes, ...]]:
    out = []
    for e in entries:
        assert e.profile is not None
        p = e.profile
        out.append(tuple(a.tobytes() for a in (p.fine, p.numbers, p.names, p.headline, p.lead)))
    return out


def test_the_profiles_made_by_the_prepare_step_are_those_matching_would_make() -> None:
    raws = _sample_raws()
    prepared = prepare_payloads(raws, DEFAULT_MINHASH, batch_size=4)
    assert len(prepared.profiles) == len(prepared.batch)
    made = entries(prepared.batch, DEFAULT_MINHASH.num_perm, made=prepared.profiles)
    fresh = entries(prepared.batch, DEFAULT_MINHASH.num_perm)
    assert _profile_arrays(made) == _profile_arrays(fresh)
    # A story whose key has no profile made (a revision renamed by select_new) gets its own.
    first = prepared.batch.values("story_id")[0]
    partial = {k: v for k, v in prepared.profiles.items() if k[0] != first}
    mixed = entries(prepared.batch, DEFAULT_MINHASH.num_perm, made=partial)
    assert _profile_arrays(mixed) == _profile_arrays(fresh)


def test_merge_keeps_the_first_profile_of_a_key_as_select_new_keeps_the_first_story() -> None:
    raws = _sample_raws()
    one, two = prepare_batch(raws[:3]), prepare_batch(raws[:3])
    key = next(iter(one.profiles))
    two.profiles[key] = two.profiles[next(k for k in two.profiles if k != key)]
    merged = Prepared.merge([one, two])
    assert merged.profiles[key] is one.profiles[key]
