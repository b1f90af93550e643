"""Anchors: the shingles chosen by value, their index, and the candidates only they propose."""

from __future__ import annotations

import numpy as np
import pytest

from dedupe import BandIndex, Entry, Matcher, MatchParams, Signer
from dedupe.anchors import ANCHOR_EVERY, AnchorIndex, anchor_sets, anchors_of, flat_sets


def _sets(count: int, size: int = 400, seed: int = 3) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [_story(rng, size) for _ in range(count)]


def test_an_anchor_is_chosen_by_its_value_alone() -> None:
    a, b = _sets(2)
    shared = np.intersect1d(a, b)
    both = np.union1d(a, b)
    # A shingle is an anchor in every set that holds it, or in none.
    in_union = set(anchors_of(both).tolist())
    assert set(anchors_of(a).tolist()) == in_union & set(a.tolist())
    assert set(anchors_of(b).tolist()) == in_union & set(b.tolist())
    assert set(anchors_of(shared).tolist()) == in_union & set(shared.tolist())


def test_about_one_shingle_in_sixteen_is_an_anchor() -> None:
    values = np.concatenate(_sets(50))
    share = len(anchors_of(np.unique(values))) / len(np.unique(values))
    assert abs(share - 1 / ANCHOR_EVERY) < 0.01


def test_anchor_sets_of_a_batch_equal_each_story_alone() -> None:
    sets = [*_sets(20), np.empty(0, dtype=np.uint32)]
    for got, one in zip(anchor_sets(sets), sets, strict=True):
        np.testing.assert_array_equal(got, anchors_of(one))
    assert anchor_sets([]) == []


@pytest.mark.parametrize("min_shared", [1, 2, 3])
def test_the_index_finds_what_a_brute_force_count_finds(min_shared: int) -> None:
    rng = np.random.default_rng(11)
    pool = np.unique(rng.integers(0, 2**32, 3000, dtype=np.uint64).astype(np.uint32))
    stories = [np.sort(rng.choice(pool, 120, replace=False)) for _ in range(60)]
    index = AnchorIndex.of(stories)
    queries = [np.sort(rng.choice(pool, 80, replace=False)) for _ in range(30)]
    found = index.query_many(queries, min_shared)
    for q, query in enumerate(queries):
        expected = [r for r, s in enumerate(stories) if np.intersect1d(s, query).size >= min_shared]
        assert found[q].tolist() == expected


def test_an_empty_query_or_index_finds_nothing() -> None:
    index = AnchorIndex.of(_sets(3))
    assert [f.tolist() for f in index.query_many([np.empty(0, np.uint32)], 1)] == [[]]
    assert index.query_many([], 1) == []
    empty = AnchorIndex(*flat_sets([]))
    assert len(empty) == 0
    assert [f.tolist() for f in empty.query_many(_sets(2), 1)] == [[], []]
    # anchor_min_shared 0 turns the source off.
    assert [f.tolist() for f in index.query_many(_sets(1), 0)] == [[]]


def test_queries_answered_in_chunks_equal_one_at_a_time() -> None:
    stories = _sets(40, size=64)
    index = AnchorIndex.of(stories)
    queries = [stories[i % 40] for i in range(5000)]
    together = index.query_many(queries, 2)
    assert all(together[i].tolist() == [i % 40] for i in range(5000))


def test_offsets_must_match_the_values() -> None:
    with pytest.raises(ValueError, match="offsets"):
        AnchorIndex(np.zeros(3, np.uint32), np.array([0, 2]))


def _story(rng: np.random.Generator, size: int) -> np.ndarray:
    return np.unique(rng.integers(0, 2**32, size, dtype=np.uint64).astype(np.uint32))


def test_a_pair_lsh_does_not_propose_is_a_candidate_through_its_anchors() -> None:
    # A short story held whole in a long one: Jaccard about 0.05, so 64 bands of 2 rarely
    # propose it, while it shares a dozen anchors.
    rng = np.random.default_rng(5)
    short = _story(rng, 200)
    long = np.union1d(short, _story(rng, 3800))
    signer = Signer()
    signatures = signer.sign_many([short, long])
    assert len(BandIndex(signatures[:1], 64, 2).query_many(signatures[1:])[0]) == 0
    assert len(np.intersect1d(anchors_of(short), anchors_of(long))) >= 2

    def run(params: MatchParams) -> str | None:
        matcher = Matcher(signer, params)
        entries = [
            Entry("long", "h-long", long, signatures[1]),
            Entry("short", "h-short", short, signatures[0]),
        ]
        return matcher.assign_many(entries)[1].dup_kind

    # Without profiles the thresholds decide: containment 1.0 of 200 shingles.
    assert run(MatchParams()) == "containment"
    assert run(MatchParams(anchor_min_shared=0)) is None


def test_anchors_of_earlier_batches_propose_as_those_of_the_same_batch() -> None:
    rng = np.random.default_rng(5)
    short = _story(rng, 200)
    long = np.union1d(short, _story(rng, 3800))
    signer = Signer()
    first = Entry("long", "h-long", long, signer.sign(long))
    second = Entry("short", "h-short", short, signer.sign(short))
    one = Matcher(signer).assign_many([first, second])
    matcher = Matcher(signer)
    two = matcher.assign_many([first]) + matcher.assign_many([second])
    assert one == two
    assert two[1].dup_of == "long"
