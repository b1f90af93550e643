"""``Signer`` against datasketch itself: the same values, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash

from dedupe import DEFAULT_MINHASH, MinHashParams, Signer, _loops, estimate_jaccard
from dedupe import signatures as signing
from dedupe.signatures import _CHUNK_SHINGLES, EMPTY_HASH, affine32_permutations


def _reference(values: np.ndarray, params: MinHashParams) -> np.ndarray:
    """datasketch's own MinHash of ``values`` (each value is its own 32-bit hash)."""
    minhash = MinHash(
        num_perm=params.num_perm, seed=params.seed, scheme="affine32", hashfunc=lambda x: int(x)
    )
    minhash.update_batch(values)
    return minhash.hashvalues


def _random_sets(rng: np.random.Generator, sizes: list[int]) -> list[np.ndarray]:
    return [
        np.unique(rng.integers(0, 2**32, size=n, dtype=np.uint64).astype(np.uint32)) for n in sizes
    ]


@pytest.mark.parametrize(("num_perm", "seed"), [(128, 1), (64, 7), (256, 2), (1, 0), (500, 12345)])
def test_the_permutations_are_those_datasketch_draws(num_perm, seed):
    a, b = affine32_permutations(num_perm, seed)
    theirs_a, theirs_b = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    assert a.dtype == b.dtype == np.uint32
    assert a.tolist() == theirs_a.tolist() and b.tolist() == theirs_b.tolist()


@pytest.mark.parametrize(
    "params",
    [DEFAULT_MINHASH, MinHashParams(num_perm=64, seed=7), MinHashParams(num_perm=256, seed=2)],
    ids=["default", "64-seed7", "256-seed2"],
)
@pytest.mark.parametrize("way", ["compiled", "numpy"])
def test_sign_many_equals_datasketch_update_batch(monkeypatch, params, way):
    # The compiled loop where dedupe's loops are built, numpy's passes where they are not.
    if way == "numpy":
        monkeypatch.setattr(signing, "compiled_sign", lambda: None)
    else:
        assert _loops.compiled_sign() is not None, "no C compiler: the CI installs one"
    rng = np.random.default_rng(20261124)
    sets = _random_sets(rng, [1, 2, 5, 37, 400, 1200, 3000, *rng.integers(0, 3001, 5).tolist()])
    sets.append(np.array([0, 1, 2**32 - 1], dtype=np.uint32))  # the extremes of the range

    signed = Signer(params).sign_many(sets)

    assert signed.dtype == np.uint32
    assert signed.shape == (len(sets), params.num_perm)
    for values, row in zip(sets, signed, strict=True):
        reference = _reference(values, params)
        assert reference.dtype == np.uint32
        np.testing.assert_array_equal(row, reference)


def test_empty_set_is_all_max():
    signer = Signer()
    empty = np.empty(0, dtype=np.uint32)
    signatures = signer.sign_many([empty, np.array([42], dtype=np.uint32), empty])
    assert np.all(signatures[0] == 0xFFFFFFFF)
    assert np.all(signatures[2] == EMPTY_HASH)
    assert not np.all(signatures[1] == EMPTY_HASH)
    np.testing.assert_array_equal(signatures[0], _reference(empty, DEFAULT_MINHASH))
    assert signer.sign_many([]).shape == (0, DEFAULT_MINHASH.num_perm)


def test_chunking_gives_the_same_as_signing_one_by_one():
    rng = np.random.default_rng(7)
    sizes = [int(n) for n in rng.integers(0, 2500, 40)]
    sizes[5] = 0
    sizes[17] = _CHUNK_SHINGLES + 1000  # one set larger than a whole chunk
    sets = _random_sets(rng, sizes)
    assert sum(len(s) for s in sets) > 3 * _CHUNK_SHINGLES

    signer = Signer()
    together = signer.sign_many(sets)
    one_by_one = np.stack([signer.sign(s) for s in sets])

    np.testing.assert_array_equal(together, one_by_one)
    np.testing.assert_array_equal(together[17], _reference(sets[17], DEFAULT_MINHASH))


def test_input_order_of_a_set_does_not_matter():
    rng = np.random.default_rng(3)
    [values] = _random_sets(rng, [500])
    signer = Signer()
    np.testing.assert_array_equal(signer.sign(values), signer.sign(rng.permutation(values)))


def test_to_minhash_round_trips():
    rng = np.random.default_rng(11)
    a, b = _random_sets(rng, [800, 900])
    signer = Signer()
    sig_a, sig_b = signer.sign_many([a, b])

    lean = signer.to_minhash(sig_a)

    assert isinstance(lean, LeanMinHash)
    assert lean.scheme == "affine32"
    assert lean.seed == DEFAULT_MINHASH.seed
    np.testing.assert_array_equal(lean.hashvalues, sig_a)
    reference = MinHash(num_perm=128, seed=1, scheme="affine32", hashfunc=lambda x: int(x))
    reference.update_batch(a)
    assert lean == LeanMinHash(reference)
    assert lean.jaccard(signer.to_minhash(sig_b)) == estimate_jaccard(sig_a, sig_b)


def test_estimate_close_to_true_jaccard_for_large_overlapping_sets():
    rng = np.random.default_rng(5)
    pool = np.unique(rng.integers(0, 2**32, 9000, dtype=np.uint64).astype(np.uint32))
    a, b = pool[:6000], pool[3000:]
    true = np.intersect1d(a, b).size / np.union1d(a, b).size
    assert 0.3 < true < 0.6

    sig_a, sig_b = Signer().sign_many([a, b])

    assert abs(estimate_jaccard(sig_a, sig_b) - true) < 0.1
    assert estimate_jaccard(sig_a, sig_a) == 1.0
    disjoint = Signer().sign(pool[6000:])  # pool is unique: no value in common with a
    assert estimate_jaccard(sig_a, disjoint) < 0.1
