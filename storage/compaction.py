"""Compaction: the small parts of a partition merged into one, with no reader seeing a row twice.

Every ingest run adds one part per story date to ``stories/``, ``signatures/`` and ``rejects/``,
so a partition that many runs touched holds many small files. Compaction rewrites such a
partition as one part holding exactly the union of the rows (nothing dropped, nothing
deduplicated: stored records never change). It runs under the root's writer lock
(``storage.lock``), so no ingest adds a part meanwhile.

The switch from the old parts to the merged one must be atomic for readers: written first, a
merged part beside the old ones shows every row twice; old parts deleted first lose them.

- **Local folder (Linux)**: the merged part is written into a staging folder outside the
  dataset (``state/compaction/<id>/``), then the staging folder and the partition folder swap
  places in one ``renameat2(RENAME_EXCHANGE)`` call. Any reader that lists the partition,
  Wiredup's, DuckDB's glob, polars, pandas or Spark, lists either every old part or the merged
  one. A reader that listed the old parts before the swap and opens one after it gets a
  file-not-found error (and reads again); it never gets a wrong answer.
- **Object store, or a system without RENAME_EXCHANGE**: there is no rename, so the switch is a
  *tombstone*: ``_compaction-<merged>.json`` naming the superseded parts is written first, then
  the merged part (one put: the switch), then the old parts are deleted, then the tombstone.
  ``StorageRoot.files`` leaves superseded parts out whenever the merged part is listed, so
  Wiredup's readers (and anything reading through ``StorageRoot.dataset``) see every row once.
  A raw glob over the bucket does not know tombstones and sees the rows of a partition twice
  between the merged put and the last delete (milliseconds per partition); run maintenance
  when no such reader runs, or read through Wiredup. docs/storage.md says this too.
"""

from __future__ import annotations

import ctypes
import errno
import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from dedupe.params import MinHashParams
from record.errors import StorageError
from storage.indexes import INDEX_KEY, drop_indexes
from storage.partitions import part_name
from storage.rejects import REJECTS
from storage.root import TOMBSTONE_PREFIX, StorageRoot
from storage.stories import STORIES
from storage.window import SIGNATURE_WRITE_OPTIONS, SIGNATURES, default_lsh, write_part_index

__all__ = [
    "COMPACTED_DATASETS",
    "DEFAULT_MIN_FILES",
    "STAGING",
    "CompactionReport",
    "PartitionCompaction",
    "compact",
]

log = logging.getLogger(__name__)

#: The partitioned datasets compaction merges.
COMPACTED_DATASETS = (STORIES, SIGNATURES, REJECTS)
#: A partition is merged once it holds at least this many parts.
DEFAULT_MIN_FILES = 8
#: Temporary files at least this old are crash leftovers (a write takes seconds, not minutes).
LEFTOVER_AGE_SECONDS = 600.0
#: Where merged parts are staged before the swap: under the root (same filesystem, so the swap
#: is a rename) and outside every dataset (so no glob over ``stories/**`` lists them).
STAGING = "state/compaction"

# Parquet settings per dataset, as their writers use them (storage.window for signatures).
_WRITE_OPTIONS: dict[str, dict[str, Any]] = {SIGNATURES: SIGNATURE_WRITE_OPTIONS}

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@dataclass
class PartitionCompaction:
    """What compaction did (or would do, in a dry run) to one partition."""

    folder: str
    parts: int
    rows: int
    merged: str | None = None
    method: str = ""
    skipped: str | None = None


@dataclass
class CompactionReport:
    """Every partition looked at, merged or not."""

    dry_run: bool
    partitions: list[PartitionCompaction] = field(default_factory=list)
    #: Temporary files of interrupted writes, removed (or, in a dry run, to remove).
    leftovers: list[str] = field(default_factory=list)

    @property
    def merged(self) -> list[PartitionCompaction]:
        return [p for p in self.partitions if p.skipped is None]

    def markdown(self) -> str:
        """A table for the maintenance run's artifact."""
        verb = "would merge" if self.dry_run else "merged"
        lines = [
            f"# Wiredup compaction{' (dry run)' if self.dry_run else ''}",
            "",
            f"{len(self.merged)} partition(s) {verb}, "
            f"{sum(p.parts for p in self.merged)} parts into {len(self.merged)}.",
            f"{len(self.leftovers)} temporary file(s) left by interrupted writes "
            f"{'to remove' if self.dry_run else 'removed'}.",
            "",
            "| partition | parts | rows | result |",
            "|---|---|---|---|",
        ]
        for p in self.partitions:
            result = p.skipped or f"{verb} into `{p.merged}` ({p.method})"
            lines.append(f"| `{p.folder}` | {p.parts} | {p.rows} | {result} |")
        return "\n".join(lines) + "\n"


def compact(
    root: StorageRoot,
    min_files: int = DEFAULT_MIN_FILES,
    dry_run: bool = False,
    datasets: Sequence[str] = COMPACTED_DATASETS,
    leftover_age_seconds: float = LEFTOVER_AGE_SECONDS,
) -> CompactionReport:
    """Merge every partition of ``datasets`` that holds ``min_files`` parts or more.

    The caller holds the root's writer lock. Safe to run again after a crash at any point: a
    half-finished tombstone switch is completed first, a staging folder left behind is removed,
    and temporary files of writes killed before their rename (``leftover_age_seconds`` old or
    more: a report written without the lock may be under way) are deleted.
    """
    if min_files < 2:
        raise ValueError("min_files must be at least 2")
    report = CompactionReport(dry_run=dry_run)
    # Under the writer lock no write is under way: an old temporary file is a crash leftover.
    report.leftovers = root.leftover_temporaries(leftover_age_seconds)
    if not dry_run:
        _clear_staging(root)
        for relpath in report.leftovers:
            root.delete(relpath)
    for dataset in datasets:
        for folder in _partition_folders(root, dataset):
            if not dry_run:
                _finish_tombstones(root, folder)
            files = root.files(folder)
            if len(files) < min_files:
                continue
            report.partitions.append(_compact_partition(root, dataset, folder, files, dry_run))
    return report


def _partition_folders(root: StorageRoot, dataset: str) -> list[str]:
    return sorted({f.rsplit("/", 1)[0] for f in root.files(dataset) if f.count("/") >= 2})


def _compact_partition(
    root: StorageRoot, dataset: str, folder: str, files: list[str], dry_run: bool
) -> PartitionCompaction:
    tables = []
    for relpath in files:
        with root.fs.open_input_file(root.path(relpath)) as src:
            # A part's stored index names the part: the merged part gets its own.
            tables.append(_without_index(pq.read_table(src)))
    rows = sum(t.num_rows for t in tables)
    result = PartitionCompaction(folder=folder, parts=len(files), rows=rows)
    first = tables[0].schema
    if any(not t.schema.equals(first, check_metadata=True) for t in tables[1:]):
        # Parts with other schemas or MinHash parameters (signatures) must stay apart.
        result.skipped = "skipped: parts differ in schema or metadata"
        return result
    names = [f.rsplit("/", 1)[1] for f in files]
    merged_name = part_name(names, prefix="compacted")
    result.merged = merged_name
    result.method = "swap" if root.is_local and _exchange_supported() else "tombstone"
    if dry_run:
        return result
    merged = pa.concat_tables(tables)
    options = _WRITE_OPTIONS.get(dataset, {})
    indexed = _indexed if dataset == SIGNATURES else None
    if result.method == "swap":
        swap_partition(root, folder, {merged_name: merged}, options, indexed)
    else:
        _tombstone_switch(root, folder, merged_name, merged, names, options, indexed)
    log.info("%s: %d parts merged into %s (%d rows)", folder, len(files), merged_name, rows)
    return result


#: What a merged part is prepared with before it is written (its stored index, for signatures):
#: (root, part relpath, table) -> the table to write.
Prepare = Callable[[StorageRoot, str, pa.Table], pa.Table]


def _without_index(table: pa.Table) -> pa.Table:
    metadata = dict(table.schema.metadata or {})
    metadata.pop(INDEX_KEY.encode(), None)
    return table.replace_schema_metadata(metadata or None)


def _indexed(root: StorageRoot, relpath: str, table: pa.Table) -> pa.Table:
    """A merged signatures part, after its stored index is written beside where it goes."""
    params = MinHashParams.from_metadata(
        {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
    )
    _, entry = write_part_index(root, relpath, table, params.num_perm, default_lsh(params))
    metadata = {
        **(table.schema.metadata or {}),
        **{k.encode(): v.encode() for k, v in entry.items()},
    }
    return table.replace_schema_metadata(metadata)


def swap_partition(
    root: StorageRoot,
    folder: str,
    parts: dict[str, pa.Table],
    options: dict[str, Any] | None = None,
    prepare: Prepare | None = None,
) -> None:
    """Replace every part of a local partition folder by ``parts``, in one atomic swap."""
    if not root.is_local:
        raise StorageError("a partition swap needs a local root")
    stage_id = uuid.uuid4().hex
    stage = f"{STAGING}/{stage_id}/{folder.rsplit('/', 1)[1]}"
    for name, table in parts.items():
        # Parquet metadata (the MinHash parameters of signatures) travels with the table; a
        # stored index written into the stage swaps in with its part.
        if prepare is not None:
            table = prepare(root, f"{stage}/{name}", table)
        root.write_parquet(f"{stage}/{name}", table, **(options or {}))
    _exchange(Path(root.path(stage)), Path(root.path(folder)))
    # The staging folder now holds the old parts: no reader lists it.
    shutil.rmtree(root.path(f"{STAGING}/{stage_id}"), ignore_errors=True)


def _tombstone_switch(
    root: StorageRoot,
    folder: str,
    merged_name: str,
    merged: pa.Table,
    superseded: list[str],
    options: dict[str, Any],
    prepare: Prepare | None = None,
) -> None:
    note = f"{folder}/{TOMBSTONE_PREFIX}{merged_name}.json"
    root.write_bytes(note, json.dumps({"merged": merged_name, "superseded": superseded}).encode())
    if prepare is not None:
        merged = prepare(root, f"{folder}/{merged_name}", merged)
    root.write_parquet(f"{folder}/{merged_name}", merged, **options)  # the switch
    _finish_tombstones(root, folder)


def _finish_tombstones(root: StorageRoot, folder: str) -> None:
    """Complete (or undo) the tombstone switches of ``folder`` that a crash interrupted."""
    # files() hides names starting with "_", tombstones included: list the folder itself.
    selector = pafs.FileSelector(root.path(folder), recursive=False, allow_not_found=True)
    for info in root.fs.get_file_info(selector):
        name = info.path.rsplit("/", 1)[1]
        if not (name.startswith(TOMBSTONE_PREFIX) and name.endswith(".json")):
            continue
        relpath = f"{folder}/{name}"
        note = json.loads(root.read_bytes(relpath))
        if root.exists(f"{folder}/{note['merged']}"):
            for old in note["superseded"]:
                root.delete(f"{folder}/{old}")
            drop_indexes(root, folder, note["superseded"])
        # Without its merged part the tombstone hides nothing: it goes either way, last.
        root.delete(relpath)


def _clear_staging(root: StorageRoot) -> None:
    if root.is_local:
        shutil.rmtree(root.path(STAGING), ignore_errors=True)


def _libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def _exchange_supported() -> bool:
    try:
        return hasattr(_libc(), "renameat2")
    except OSError:
        return False


def _exchange(a: Path, b: Path) -> None:
    """Swap two folders atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``)."""
    result = _libc().renameat2(
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE
    )
    if result != 0:
        code = ctypes.get_errno()
        raise StorageError(
            f"cannot swap {a} and {b}: {os.strerror(code)} ({errno.errorcode.get(code, code)})"
        )
