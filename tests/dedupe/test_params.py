"""MinHash and match parameters: constructor checks and the metadata round trip."""

from __future__ import annotations

import pytest

from dedupe import DEFAULT_MATCH, DEFAULT_MINHASH, MatchParams, MinHashParams


def test_defaults_are_the_documented_constants():
    assert (
        DEFAULT_MINHASH.num_perm,
        DEFAULT_MINHASH.seed,
        DEFAULT_MINHASH.scheme,
        DEFAULT_MINHASH.shingle_size,
    ) == (128, 1, "affine32", 5)
    assert (
        DEFAULT_MATCH.near_threshold,
        DEFAULT_MATCH.containment_threshold,
        DEFAULT_MATCH.min_containment_shingles,
    ) == (0.5, 0.8, 20)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"num_perm": 15}, "num_perm"),
        ({"num_perm": 1025}, "num_perm"),
        ({"scheme": "legacy"}, "scheme"),
        ({"scheme": "affine64"}, "scheme"),
        ({"shingle_size": 0}, "shingle_size"),
        ({"shingle_size": 17}, "shingle_size"),
    ],
)
def test_minhash_params_validation(kwargs, words):
    with pytest.raises(ValueError, match=words):
        MinHashParams(**kwargs)


def test_minhash_params_bounds_are_inclusive():
    for kwargs in ({"num_perm": 16}, {"num_perm": 1024}, {"shingle_size": 1}, {"shingle_size": 16}):
        MinHashParams(**kwargs)


@pytest.mark.parametrize(
    "params",
    [DEFAULT_MINHASH, MinHashParams(num_perm=64, seed=2, shingle_size=3, shingle_hash="other-v9")],
)
def test_minhash_params_metadata_round_trip(params):
    metadata = params.as_metadata()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())
    assert all(k.startswith("wiredup.minhash.") for k in metadata)
    # Unrelated metadata beside it (as Parquet files carry) is ignored.
    assert MinHashParams.from_metadata({**metadata, "ARROW:schema": "xyz"}) == params


def test_minhash_params_from_incomplete_metadata_fails():
    metadata = DEFAULT_MINHASH.as_metadata()
    del metadata["wiredup.minhash.seed"]
    with pytest.raises(KeyError):
        MinHashParams.from_metadata(metadata)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"near_threshold": 0.0}, "near_threshold"),
        ({"near_threshold": 1.01}, "near_threshold"),
        ({"containment_threshold": -0.5}, "containment_threshold"),
        ({"lsh_bands": 0}, "lsh_bands"),
        ({"lsh_rows": 0}, "lsh_rows"),
        ({"min_containment_shingles": 0}, "min_containment_shingles"),
        ({"window_days": -1}, "window_days"),
    ],
)
def test_match_params_validation(kwargs, words):
    with pytest.raises(ValueError, match=words):
        MatchParams(**kwargs)


def test_match_params_accept_the_closed_end_of_the_range():
    params = MatchParams(
        near_threshold=1.0,
        containment_threshold=1.0,
        lsh_bands=1,
        lsh_rows=1,
        min_containment_shingles=1,
        window_days=0,
    )
    assert params.window_days == 0
