"""The ``stories/`` dataset: one row per version of an item, hive-partitioned by story date."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds

from dedupe import Match
from ingest.story import Story
from storage.partitions import part_name, partition_dir
from storage.root import StorageRoot
from storage.schema import STORY_DATASET_SCHEMA, STORY_SCHEMA

__all__ = [
    "STORIES",
    "read_stories",
    "stored_among",
    "stored_story_ids",
    "story_row",
    "write_stories",
]

STORIES = "stories"
_PARTITION = pa.schema([STORY_DATASET_SCHEMA.field("story_date")])


def stories_dataset(root: StorageRoot) -> ds.Dataset:
    return root.dataset(STORIES, STORY_DATASET_SCHEMA, _PARTITION)


def stored_story_ids(root: StorageRoot) -> set[str]:
    """Every story_id already in the dataset."""
    table = stories_dataset(root).to_table(columns=["story_id"])
    return set(table.column("story_id").to_pylist())


def stored_among(root: StorageRoot, story_ids: Iterable[str]) -> set[str]:
    """Which of ``story_ids`` are already stored: a filtered scan, not a set of every id."""
    wanted = pa.array(sorted(set(story_ids)), type=pa.string())
    if len(wanted) == 0:
        return set()
    table = stories_dataset(root).to_table(
        columns=["story_id"], filter=ds.field("story_id").isin(wanted)
    )
    return set(table.column("story_id").to_pylist())


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


def write_stories(root: StorageRoot, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Write story rows (each with a ``story_date``), one part per date; return the parts.

    Each part is written atomically and is the commit point of its stories: signatures are
    written before it, cursors after.
    """
    by_date: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_date[row["story_date"]].append(row)
    written = []
    for day in sorted(by_date):
        part = by_date[day]
        table = pa.Table.from_pylist(part, schema=STORY_SCHEMA)
        relpath = (
            f"{partition_dir(STORIES, 'story_date', day)}/{part_name(r['story_id'] for r in part)}"
        )
        root.write_parquet(relpath, table)
        written.append(relpath)
    return written


def story_row(story: Story, match: Match, run_id: str, ingested_at: datetime) -> dict[str, Any]:
    """One ``stories/`` row from a normalized story and where the matcher put it."""
    return {
        "story_id": story.story_id,
        "source": story.source,
        "item_id": story.item_id,
        "version": story.version,
        "cluster_id": match.cluster_id,
        "dup_kind": match.dup_kind,
        "dup_of": match.dup_of,
        "similarity": match.similarity,
        "jaccard": match.jaccard,
        "jaccard_estimate": match.jaccard_estimate,
        "containment": match.containment,
        "match_rule": match.rule,
        "headline": story.headline,
        "body": story.body,
        "agencies": list(story.agencies),
        "editors": list(story.editors),
        "dateline": story.dateline,
        "copyright": story.copyright,
        "published_at": story.published_at,
        "date_precision": story.date_precision,
        "language": story.language,
        "content_hash": story.content_hash,
        "pubstatus": story.pubstatus,
        "embargo_until": story.embargo_until,
        "format": story.format,
        "signals": list(story.signals),
        "flags": list(story.flags),
        "run_id": run_id,
        "ingested_at": ingested_at,
        "story_date": story.story_date,
    }
