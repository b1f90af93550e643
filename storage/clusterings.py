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
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from ingest.errors import StorageError
from storage.root import StorageRoot
from storage.schema import CLUSTERING_SCHEMA

__all__ = ["CLUSTERINGS", "list_clusterings", "read_clustering", "write_clustering"]

CLUSTERINGS = "clusterings"


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
