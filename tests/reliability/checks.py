"""What a storage root must look like after any crash, any fault and any rerun.

Read the way an analyst's tool reads it: every file a glob for ``*.parquet`` would pick up
(names starting with a dot are Wiredup's temporary files and are not ``*.parquet``), opened
one by one, so a half-written file anywhere fails the check.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from storage import StorageRoot

__all__ = ["Snapshot", "snapshot"]

Key = tuple[str, str, int]


@dataclass
class Snapshot:
    """The visible content of a root."""

    files: list[str]
    stories: list[dict[str, Any]]
    signature_ids: set[str]
    kill_ids: set[str]
    runs: list[dict[str, Any]]
    cursors: dict[str, dict[str, Any]]
    hidden: list[str] = field(default_factory=list)
    lock: bool = False

    def stored(self) -> Counter[Key]:
        return Counter((r["source"], r["item_id"], r["version"]) for r in self.stories)

    def duplicated(self) -> int:
        return sum(n - 1 for n in self.stored().values() if n > 1)

    def lost(self, expected: set[Key]) -> int:
        return len(expected - set(self.stored()))

    def clusters(self) -> set[frozenset[Key]]:
        groups: dict[str, set[Key]] = {}
        for r in self.stories:
            groups.setdefault(r["cluster_id"], set()).add((r["source"], r["item_id"], r["version"]))
        return {frozenset(g) for g in groups.values()}

    def completed_runs(self) -> int:
        return sum(1 for r in self.runs if r["status"] == "completed")


def _read(root: StorageRoot, relpath: str) -> pa.Table:
    try:
        return pq.read_table(root.path(relpath), filesystem=root.fs, partitioning=None)
    except Exception as exc:  # any failure to read a visible file is the finding
        raise AssertionError(f"visible file {relpath} does not read as Parquet: {exc}") from exc


def snapshot(root: StorageRoot) -> Snapshot:
    """Everything visible under ``root``, each visible Parquet file read whole."""
    base = root.path("").rstrip("/") + "/"
    infos = root.fs.get_file_info(
        pafs.FileSelector(root.path(""), recursive=True, allow_not_found=True)
    )
    files, hidden = [], []
    for info in infos:
        if info.type != pafs.FileType.File:
            continue
        rel = info.path[len(base) :]
        name = rel.rsplit("/", 1)[-1]
        (hidden if name.startswith(".") else files).append(rel)
    files.sort()
    stories: list[dict[str, Any]] = []
    signature_ids: set[str] = set()
    kill_ids: set[str] = set()
    runs: list[dict[str, Any]] = []
    cursors: dict[str, dict[str, Any]] = {}
    for rel in files:
        top = rel.split("/", 1)[0]
        if rel.endswith(".parquet"):
            table = _read(root, rel)
            if top == "stories":
                stories += table.select(
                    ["story_id", "source", "item_id", "version", "cluster_id"]
                ).to_pylist()
            elif top == "signatures":
                signature_ids.update(table.column("story_id").to_pylist())
            elif top == "kills":
                kill_ids.update(table.column("killed_by").to_pylist())
            elif top == "runs":
                runs += table.select(["run_id", "status"]).to_pylist()
        elif rel.startswith("state/cursors/") and rel.endswith(".json"):
            text = root.read_bytes(rel)
            try:
                cursors[rel.rsplit("/", 1)[-1][: -len(".json")]] = json.loads(text)
            except ValueError as exc:
                raise AssertionError(f"cursor {rel} is not whole JSON: {text!r}") from exc
    return Snapshot(
        files=files,
        stories=stories,
        signature_ids=signature_ids,
        kill_ids=kill_ids,
        runs=runs,
        cursors=cursors,
        hidden=sorted(hidden),
        lock="state/lock.json" in files,
    )
