"""``clusterings/``: versioned re-clusterings, kept beside the streaming cluster ids.

Streaming ids are final: a stored story never changes ``cluster_id``. A re-clustering over a
date range (after a parameter change, or once a history import is in) is written as a new,
separate assignment: ``clusterings/<clustering_id>/assignments.parquet`` (one row per story)
and then ``clusterings/<clustering_id>/manifest.json`` (the parameters, range and counts).
The manifest is written last and is what makes a clustering exist: a crash before it leaves
a folder that no reader lists.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import pyarrow as pa

from record.errors import StorageError
from storage.root import StorageRoot
from storage.schema import CLUSTERING_SCHEMA

__all__ = [
    "CLUSTERINGS",
    "clustering_row",
    "list_clusterings",
    "read_clustering",
    "write_clustering",
]

CLUSTERINGS = "clusterings"


class _Match(Protocol):
    @property
    def cluster_id(self) -> str: ...
    @property
    def dup_kind(self) -> str | None: ...
    @property
    def dup_of(self) -> str | None: ...
    @property
    def similarity(self) -> float | None: ...
    @property
    def rule(self) -> str | None: ...


def clustering_row(story_id: str, stored: Mapping[str, Any], match: _Match) -> dict[str, Any]:
    """One row of a clustering: a story, its stored date and cluster, where it went now."""
    return {
        "story_id": story_id,
        "story_date": stored["story_date"],
        "cluster_id": match.cluster_id,
        "stored_cluster_id": stored["stored_cluster_id"],
        "dup_kind": match.dup_kind,
        "dup_of": match.dup_of,
        "similarity": match.similarity,
        "match_rule": match.rule,
    }


def write_clustering(
    root: StorageRoot, clustering_id: str, rows: Sequence[dict[str, Any]], manifest: dict[str, Any]
) -> list[str]:
    """Write one clustering: its assignments, then its manifest (the commit)."""
    if not clustering_id or "/" in clustering_id or clustering_id.startswith((".", "_")):
        raise StorageError(f"invalid clustering id {clustering_id!r}")
    assignments = f"{CLUSTERINGS}/{clustering_id}/assignments.parquet"
    root.write_parquet(assignments, pa.Table.from_pylist(list(rows), schema=CLUSTERING_SCHEMA))
    relpath = f"{CLUSTERINGS}/{clustering_id}/manifest.json"
    body = {**manifest, "clustering_id": clustering_id, "assignments": assignments}
    root.write_bytes(relpath, json.dumps(body, indent=2, sort_keys=True, default=str).encode())
    return [assignments, relpath]


def list_clusterings(root: StorageRoot) -> list[dict[str, Any]]:
    """The manifests of every complete clustering, oldest first."""
    out = []
    for relpath in root.files(CLUSTERINGS, suffix="manifest.json"):
        out.append(json.loads(root.read_bytes(relpath)))
    return sorted(out, key=lambda m: (str(m.get("created_at")), m["clustering_id"]))


def read_clustering(root: StorageRoot, clustering_id: str) -> pa.Table:
    """The assignments of one complete clustering."""
    if not root.exists(f"{CLUSTERINGS}/{clustering_id}/manifest.json"):
        raise StorageError(f"no complete clustering {clustering_id!r} under {root.display()}")
    return root.dataset(f"{CLUSTERINGS}/{clustering_id}", CLUSTERING_SCHEMA).to_table()
