"""The compact LSH index, the version and kill rules, and the parallel sign stage."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from dedupe import (
    DEFAULT_MINHASH,
    BandIndex,
    Entry,
    Matcher,
    Member,
    Signer,
    band_keys,
    matching_text,
    shingle_arrays,
    shingle_texts,
    signature_matrix,
)
from dedupe.anchors import AnchorIndex, anchor_sets
from dedupe.batch import matchable
from dedupe.index import IndexUnion
from pipeline import POOL_THRESHOLD, prepare_payloads, process_map, serial_map
from record.story import RawItem
from tests.conftest import SAMPLES

RNG = np.random.default_rng(7)


def _sets(count: int, size: int = 300) -> list[np.ndarray]:
    return [
        np.unique(RNG.integers(0, 2**32, size, dtype=np.uint64).astype(np.uint32))
        for _ in range(count)
    ]


def _variant(base: np.ndarray, keep: float) -> np.ndarray:
    kept = base[: int(len(base) * keep)]
    extra = RNG.integers(0, 2**32, len(base) - len(kept), dtype=np.uint64).astype(np.uint32)
    return np.unique(np.concatenate([kept, extra]))


def test_band_index_finds_what_a_brute_force_band_comparison_finds() -> None:
    signer = Signer()
    bases = _sets(200)
    history = signer.sign_many(bases)
    queries = signer.sign_many([_variant(b, 0.6) for b in bases[:50]] + _sets(50))
    index = BandIndex(history, bands=64, rows=2)
    found = index.query_many(queries)
    hk, qk = band_keys(history, 64, 2), band_keys(queries, 64, 2)
    for q in range(len(queries)):
        expected = np.flatnonzero((hk == qk[q]).any(axis=1))
        np.testing.assert_array_equal(found[q], expected)
    # A variant keeping 60% of its shingles (Jaccard ~0.43) is all but always proposed.
    assert sum(i in found[i] for i in range(50)) >= 48
    # Unrelated random sets are not.
    assert sum(len(f) for f in found[50:]) <= 2


def test_the_indexes_of_parts_queried_as_one_are_the_index_of_the_whole() -> None:
    signer = Signer()
    bases = _sets(300)
    sets = [*bases[:150], np.empty(0, np.uint32), *bases[150:]]
    history = signer.sign_many(sets)
    queries = signer.sign_many([_variant(b, 0.6) for b in bases[:40]] + _sets(10))
    # Parts of 70 rows, as files are; every third row is left out of the window (a story
    # not stored, a kill), and the window's rows are the rest, in order.
    kept = np.arange(len(history)) % 3 != 0
    window_row = np.full(len(history), -1)
    window_row[kept] = np.arange(kept.sum())
    parts, anchor_parts = [], []
    for start in range(0, len(history), 70):
        rows = window_row[start : start + 70]
        part = BandIndex(history[start : start + 70], bands=64, rows=2)
        stored = BandIndex.from_sorted(*part.sorted_arrays(), lsh_rows=2)  # as read back
        parts.append(stored.with_rows(rows))
        anchor_parts.append(AnchorIndex.of(anchor_sets(sets[start : start + 70])).with_rows(rows))
    union = IndexUnion(parts)
    whole = BandIndex(history[kept], bands=64, rows=2)
    assert (union.bands, union.rows, len(union)) == (64, 2, len(history) - 1)  # one is empty
    for a, b in zip(union.query_many(queries), whole.query_many(queries), strict=True):
        np.testing.assert_array_equal(a, b)
    assert sum(len(f) > 0 for f in union.query_many(queries)) >= 20
    query_anchors = anchor_sets([_variant(b, 0.6) for b in bases[:40]])
    whole_anchors = AnchorIndex.of(anchor_sets([s for s, k in zip(sets, kept, strict=True) if k]))
    for a, b in zip(
        IndexUnion(anchor_parts).query_many(query_anchors, 2),
        whole_anchors.query_many(query_anchors, 2),
        strict=True,
    ):
        np.testing.assert_array_equal(a, b)


def test_stories_of_earlier_batches_and_earlier_in_a_batch_are_candidates() -> None:
    signer = Signer()
    base, other = _sets(2)
    first, second, third = _variant(base, 0.9), _variant(base, 0.9), _variant(base, 0.9)
    matcher = Matcher(signer)
    [a] = matcher.assign_many([_entry("a", first)])
    b, c = matcher.assign_many([_entry("b", second), _entry("c", third)])
    [d] = matcher.assign_many([_entry("d", other)])
    assert a.dup_kind is None
    assert (b.dup_kind, b.cluster_id) == ("near", "a")
    assert (c.dup_kind, c.cluster_id) == ("near", "a")
    assert c.dup_of in {"a", "b"}
    assert d.dup_kind is None and d.cluster_id == "d"


def _entry(story_id: str, shingles: np.ndarray) -> Entry:
    return Entry(story_id, f"hash-{story_id}", shingles, Signer().sign(shingles))


def test_band_index_refuses_more_bands_than_values() -> None:
    with pytest.raises(ValueError, match="need 130 hash values"):
        BandIndex(np.zeros((1, 128), dtype=np.uint32), bands=65, rows=2)


def _member(story_id: str, shingles: np.ndarray, item: str | None, cluster: str) -> Member:
    return Member(story_id, cluster, f"hash-{story_id}", shingles, Signer().sign(shingles), item)


def test_a_new_version_joins_its_items_cluster_even_when_rewritten() -> None:
    signer = Signer()
    old, rewritten = _sets(2)
    matcher = Matcher(signer, history=[_member("v1", old, "wire\x00item-9", "cluster-9")])
    match = matcher.assign(
        "v2", "hash-v2", rewritten, signer.sign(rewritten), item="wire\x00item-9"
    )
    assert (match.dup_kind, match.dup_of, match.cluster_id) == ("version", "v1", "cluster-9")
    other = matcher.assign("x", "hash-x", rewritten, signer.sign(rewritten), item="wire\x00other")
    assert (other.dup_kind, other.dup_of, other.cluster_id) == ("near", "v2", "cluster-9")


def test_a_kill_notice_matches_nothing_on_content() -> None:
    signer = Signer()
    [text] = _sets(1)
    matcher = Matcher(signer)
    first = matcher.assign("kill-a", "empty", text, signer.sign(text), item="a", matchable=False)
    second = matcher.assign("kill-b", "empty", text, signer.sign(text), item="b", matchable=False)
    third = matcher.assign("story", "empty", text, signer.sign(text), item="c")
    assert first.cluster_id == "kill-a" and second.cluster_id == "kill-b"
    assert third.dup_kind is None  # kills are never matched against
    again = matcher.assign("kill-a2", "other", text, signer.sign(text), item="a", matchable=False)
    assert (again.dup_kind, again.cluster_id) == ("version", "kill-a")


def _sample_raws() -> list[RawItem]:
    now = datetime(2026, 11, 25, tzinfo=UTC)
    return [
        RawItem(path.parent.name, path.stem, path.read_bytes(), now, str(path))
        for path in sorted(SAMPLES.glob("*/*.txt"))
    ]


def test_the_stage_gives_the_same_output_at_any_batch_size_and_worker_count() -> None:
    raws = _sample_raws() * (POOL_THRESHOLD // 18 + 1)  # enough for the process pool to be used
    serial = prepare_payloads(raws, DEFAULT_MINHASH, map_batches=serial_map, batch_size=len(raws))
    pooled = prepare_payloads(raws, DEFAULT_MINHASH, map_batches=process_map(2), batch_size=37)
    serial_stories = serial.batch.stories()
    assert serial_stories == pooled.batch.stories()
    assert [(r.item_id, r.reason) for r in serial.rejects] == [
        (r.item_id, r.reason) for r in pooled.rejects
    ]
    num_perm = DEFAULT_MINHASH.num_perm
    np.testing.assert_array_equal(
        signature_matrix(serial.batch.column("signature"), num_perm),
        signature_matrix(pooled.batch.column("signature"), num_perm),
    )
    serial_shingles = shingle_arrays(serial.batch.column("shingles"))
    pooled_shingles = shingle_arrays(pooled.batch.column("shingles"))
    for a, b in zip(serial_shingles, pooled_shingles, strict=True):
        np.testing.assert_array_equal(a, b)
    # and the batched shingling equals shingling each story alone
    alone = [
        shingle_texts([matching_text(s.headline, s.body)], DEFAULT_MINHASH.shingle_size)[0]
        for s in serial_stories[:17]
    ]
    for a, b in zip(alone, serial_shingles[:17], strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_body_of_white_space_alone_is_not_matchable() -> None:
    # Every character that Python counts as white space, alone, twice, and beside a letter.
    for code in range(0x3100):
        c = chr(code)
        for body in (c, c * 2, f"{c}x{c}"):
            assert matchable("usable", body) == bool(body.strip()), hex(code)
    assert not matchable("usable", "")
    assert not matchable("canceled", "text") and not matchable("usable", "text", killed=True)
