"""The ``stories/`` dataset: one row per version of an item, hive-partitioned by story date."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from record.schema import STORY_DATASET_SCHEMA, STORY_SCHEMA
from storage.partitions import part_name, partition_dir
from storage.root import StorageRoot

__all__ = [
    "STORIES",
    "read_stories",
    "stored_among",
    "stored_revisions",
    "write_stories",
]

STORIES = "stories"
_PARTITION = pa.schema([STORY_DATASET_SCHEMA.field("story_date")])


def stories_dataset(root: StorageRoot) -> ds.Dataset:
    return root.dataset(STORIES, STORY_DATASET_SCHEMA, _PARTITION)


def stored_among(root: StorageRoot, story_ids: Iterable[str]) -> set[str]:
    """Which of ``story_ids`` are already stored: a filtered scan, not a set of every id."""
    wanted = pa.array(sorted(set(story_ids)), type=pa.string())
    if len(wanted) == 0:
        return set()
    table = stories_dataset(root).to_table(
        columns=["story_id"], filter=ds.field("story_id").isin(wanted)
    )
    return set(table.column("story_id").to_pylist())


#: (source, item_id, version): the key every revision of one version shares.
VersionKey = tuple[str, str, int]


def stored_revisions(
    root: StorageRoot, keys: Iterable[VersionKey]
) -> dict[VersionKey, list[tuple[int, str, str]]]:
    """The stored revisions of each version key: (revision, story_id, content_hash), in order.

    One filtered scan over the stored item ids, then the exact keys picked out of what it
    found; a revision column absent from older files reads as revision 0.
    """
    wanted = set(keys)
    if not wanted:
        return {}
    items = pa.array(sorted({item for _, item, _ in wanted}), type=pa.string())
    table = stories_dataset(root).to_table(
        columns=["source", "item_id", "version", "revision", "story_id", "content_hash"],
        filter=ds.field("item_id").isin(items),
    )
    found: dict[VersionKey, list[tuple[int, str, str]]] = {}
    for row in table.to_pylist():
        key = (row["source"], row["item_id"], row["version"])
        if key in wanted:
            found.setdefault(key, []).append(
                (row["revision"] or 0, row["story_id"], row["content_hash"])
            )
    return {k: sorted(set(v)) for k, v in found.items()}


def read_stories(
    root: StorageRoot,
    columns: Sequence[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> pa.Table:
    """Stories with ``story_date`` in [date_from, date_to] (either bound may be open)."""
    condition = None
    field = ds.field("story_date")
    if date_from is not None:
        condition = field >= pa.scalar(date_from, pa.date32())
    if date_to is not None:
        upper = field <= pa.scalar(date_to, pa.date32())
        condition = upper if condition is None else condition & upper
    table = stories_dataset(root).to_table(
        columns=list(columns) if columns else None, filter=condition
    )
    return table


def write_stories(root: StorageRoot, table: pa.Table) -> list[str]:
    """Write story rows (a table with every ``STORY_DATASET_SCHEMA`` column), one part per date.

    Each part is written atomically and is the commit point of its stories: signatures are
    written before it, cursors after.
    """
    days = table.column("story_date")
    written = []
    for day in sorted(set(days.to_pylist())):
        part = table.filter(pc.equal(days, pa.scalar(day, pa.date32())))
        ids = part.column("story_id").to_pylist()
        relpath = f"{partition_dir(STORIES, 'story_date', day)}/{part_name(ids)}"
        root.write_parquet(relpath, part.select(STORY_SCHEMA.names).cast(STORY_SCHEMA))
        written.append(relpath)
    return written
