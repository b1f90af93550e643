"""The re-cluster / backfill flow under Prefect's test harness, on the bundled samples."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from dedupe import MinHashParams, Signer, recluster
from flows.backfill import backfill_flow
from flows.ingest import ingest_flow
from flows.params import BackfillParameters, IngestParameters
from pipeline import day_batches
from storage import StorageRoot, read_stories
from storage.clusterings import list_clusterings, read_clustering
from tests.conftest import PROJECT

RANGE = {"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("backfill") / "data"
    ingest_flow(
        IngestParameters(sources_file=str(PROJECT / "sources.toml"), root=str(root), workers=1)
    )
    return root


def _partition(rows: list[dict[str, object]], key: str) -> set[frozenset[object]]:
    groups: dict[object, set[object]] = {}
    for row in rows:
        groups.setdefault(row[key], set()).add(row["story_id"])
    return {frozenset(g) for g in groups.values()}


def test_same_parameters_reproduce_the_streaming_clusters(ingested: Path) -> None:
    summary = backfill_flow(BackfillParameters(root=str(ingested), **RANGE))
    stored = read_stories(StorageRoot(ingested), ["story_id", "cluster_id"]).to_pylist()
    assert summary["stories"] == len(stored)
    assert summary["changed_from_streaming"] == 0
    table = read_clustering(StorageRoot(ingested), summary["clustering_id"]).to_pylist()
    assert _partition(table, "cluster_id") == _partition(stored, "cluster_id")
    assert all(r["cluster_id"] == r["stored_cluster_id"] for r in table)
    manifests = list_clusterings(StorageRoot(ingested))
    assert summary["clustering_id"] in [m["clustering_id"] for m in manifests]


def test_stricter_thresholds_give_a_new_versioned_clustering(ingested: Path) -> None:
    before = read_stories(StorageRoot(ingested), ["story_id", "cluster_id"]).to_pylist()
    # Under the model the thresholds only name the kind: decide by them to make them count.
    strict = BackfillParameters(
        root=str(ingested),
        decision="thresholds",
        near_threshold=0.95,
        containment_threshold=0.99,
        **RANGE,
    )
    summary = backfill_flow(strict)
    assert summary["changed_from_streaming"] > 0
    assert summary["clusters"] > len(_partition(before, "cluster_id"))
    # Stored records never change cluster.
    after = read_stories(StorageRoot(ingested), ["story_id", "cluster_id"]).to_pylist()
    assert sorted(map(str, before)) == sorted(map(str, after))


def test_dry_run_writes_no_clustering(ingested: Path) -> None:
    count = len(list_clusterings(StorageRoot(ingested)))
    summary = backfill_flow(BackfillParameters(root=str(ingested), dry_run=True, **RANGE))
    assert summary["written"] == []
    assert len(list_clusterings(StorageRoot(ingested))) == count


def test_new_minhash_parameters_re_sign_from_the_stored_text(ingested: Path) -> None:
    other = MinHashParams(num_perm=64, seed=7)
    root = StorageRoot(ingested)
    stored = read_stories(root, ["story_id", "cluster_id"]).to_pylist()
    rows = []
    for batch, matches in recluster(
        day_batches(root, RANGE["date_from"], RANGE["date_to"], other), Signer(other)
    ):
        assert all(e.signature.shape == (64,) for e in batch.entries)
        rows += [{"story_id": m.story_id, "cluster_id": m.cluster_id} for m in matches]
    assert _partition(rows, "cluster_id") == _partition(stored, "cluster_id")


def test_a_reversed_range_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError, match="date_to"):
        BackfillParameters(date_from=date(2026, 11, 30), date_to=date(2026, 11, 1))
