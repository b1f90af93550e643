"""The quality benchmark's metric functions on hand-computable cases, and its labeled set.

Only the benchmark's own machinery is checked here: the figures it prints (and their targets)
are what the benchmark reports, never what a test asserts.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime
from itertools import combinations

import pytest

from bench.quality import (
    EDIT_KINDS,
    Labeled,
    LabeledSet,
    PairCounts,
    adjusted_rand_index,
    baseline_clusters,
    build_labeled_set,
    pair_counts,
    pairwise_scores,
)
from pipeline import prepare_payloads
from record.story import RawItem
from tests.conftest import shared_path

SMALL = {"originals": 30, "bbc_limit": 20}


def test_ari_of_identical_partitions_is_one_whatever_the_names() -> None:
    assert adjusted_rand_index([0, 0, 1, 1, 2], [0, 0, 1, 1, 2]) == 1.0
    assert adjusted_rand_index([0, 0, 1, 1, 2], ["b", "b", "a", "a", "c"]) == 1.0


def test_ari_closed_form() -> None:
    # Contingency [[2, 1, 0], [0, 1, 2]]: index 2, row pairs 6, column pairs 3, 15 pairs;
    # expected 6 * 3 / 15 = 1.2, maximum 4.5: (2 - 1.2) / (4.5 - 1.2) = 8 / 33.
    assert adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == pytest.approx(8 / 33)
    # 2x2 contingency [[2, 0], [1, 1]]: index 1 = expected 2 * 3 / 6: no better than chance.
    assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 0, 1]) == pytest.approx(0.0)


def test_ari_degenerate_partitions_score_one() -> None:
    assert adjusted_rand_index([1, 2, 3], [4, 5, 6]) == 1.0  # all singletons, both
    assert adjusted_rand_index([1, 1, 1], [2, 2, 2]) == 1.0  # one cluster, both
    assert adjusted_rand_index([], []) == 1.0


def test_pairwise_precision_recall_f1_on_a_tiny_example() -> None:
    # Truth {0,1,2} {3}; predicted {0,1} {2,3}: pairs 01 right, 23 wrong, 02 and 12 missed.
    counts = pair_counts(["a", "a", "a", "b"], ["x", "x", "y", "y"])
    assert counts == PairCounts(same_both=1, same_truth=3, same_predicted=2, total=6)
    precision, recall, f1 = pairwise_scores(counts)
    assert precision == 0.5
    assert recall == pytest.approx(1 / 3)
    assert f1 == pytest.approx(0.4)
    # No predicted pair is no false pair; no true pair is nothing to miss.
    assert pairwise_scores(pair_counts([1, 2], [1, 2]))[:2] == (1.0, 1.0)


def test_pair_counts_equal_a_pair_by_pair_count() -> None:
    rng = random.Random(3)
    truth = [rng.randrange(8) for _ in range(60)]
    predicted = [rng.randrange(6) for _ in range(60)]
    pairs = list(combinations(range(60), 2))
    assert pair_counts(truth, predicted) == PairCounts(
        same_both=sum(truth[i] == truth[j] and predicted[i] == predicted[j] for i, j in pairs),
        same_truth=sum(truth[i] == truth[j] for i, j in pairs),
        same_predicted=sum(predicted[i] == predicted[j] for i, j in pairs),
        total=len(pairs),
    )


def test_pair_counts_refuse_partitions_of_different_sets() -> None:
    with pytest.raises(ValueError):
        pair_counts([1, 2], [1])


def test_baseline_joins_identical_copy_and_leaves_other_text_apart() -> None:
    def item(item_id: str, text: str, cluster: str) -> Labeled:
        data = f" date 2005-01-03 {text}".encode()
        raw = RawItem("t", item_id, data, datetime(2026, 1, 1, tzinfo=UTC), item_id, "text")
        return Labeled(raw, cluster, "original")

    words = " ".join(f"word{i}" for i in range(80))
    other = " ".join(f"other{i}" for i in range(80))
    predicted = baseline_clusters(
        [item("a", words, "1"), item("b", words, "1"), item("c", other, "2")]
    ).clusters
    assert predicted["t/a"] == predicted["t/b"] != predicted["t/c"]


def _fingerprint(labeled: LabeledSet) -> list[tuple[str, str, str, str | None, str]]:
    return [
        (i.key, i.cluster, i.kind, i.origin, hashlib.sha256(i.raw.data).hexdigest())
        for i in labeled.items
    ]


@pytest.fixture(scope="module")
def small_set() -> LabeledSet:
    shared_path("corpora", "bbc")
    return build_labeled_set(**SMALL)  # type: ignore[arg-type]


def test_labeled_set_has_every_edit_kind_and_real_lookalikes(small_set: LabeledSet) -> None:
    kinds = small_set.kinds()
    assert set(EDIT_KINDS) <= set(kinds)
    assert kinds["original"] > 0 and kinds["lookalike"] > 0
    assert small_set.hard_negatives


def test_labeled_set_is_deterministic(small_set: LabeledSet) -> None:
    assert _fingerprint(build_labeled_set(**SMALL)) == _fingerprint(small_set)  # type: ignore[arg-type]


def test_versions_keep_their_originals_report(small_set: LabeledSet) -> None:
    by_key = {i.key: i for i in small_set.items}
    assert len(by_key) == len(small_set.items), "every payload has its own key"
    versions = [i for i in small_set.items if i.kind in EDIT_KINDS]
    assert versions
    for version in versions:
        assert version.origin is not None
        assert by_key[version.origin].cluster == version.cluster
    # Hard negatives are different reports by construction.
    for a, b, _ in small_set.hard_negatives:
        assert (
            by_key[f"bbc/{a.replace('/', '-')}"].cluster
            != by_key[f"bbc/{b.replace('/', '-')}"].cluster
        )


def test_every_payload_goes_through_the_real_parse_path(small_set: LabeledSet) -> None:
    signed = prepare_payloads([i.raw for i in small_set.items])
    stories = signed.batch.stories()
    assert signed.rejects == []
    assert {f"{s.source}/{s.item_id}" for s in stories} == {i.key for i in small_set.items}
    formats = {s.format for s in stories}
    assert {"text", "ninjs"} <= formats  # the html kind arrives both ways


def test_copies_of_one_report_are_dated_within_the_window() -> None:
    # The BBC corpus has no dates: copies of one report are given the same one, so matching,
    # not the window, decides whether they join (a set holding several such reports).
    shared_path("corpora", "bbc")
    labeled = build_labeled_set(originals=0, bbc_limit=120)
    days: dict[str, set[bytes]] = {}
    for item in labeled.items:
        if item.kind == "original":
            days.setdefault(item.cluster, set()).add(item.raw.data[:17])
    copies = [d for c, d in days.items() if sum(i.cluster == c for i in labeled.items) > 1]
    assert copies
    assert all(len(d) == 1 for d in copies)
