"""``kills/``: withdrawn items, as an append-only dataset beside ``stories/``.

Stored records never change, so a kill (an agency's ``canceled`` version of an item) does not
rewrite the versions already stored: it adds one row here naming the (source, item_id), and
every reader that must not use killed copy anti-joins on it. The history window does: every
version of a killed item leaves it, whichever order the versions arrive in, including a
usable version that arrives after its kill.

Kills are written before the stories part of the same run (the commit point), like
signatures: a crash in between leaves a kill whose canceled story is stored on the rerun, never
a stored canceled story without its kill.
"""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc

from record.batch import StoryBatch
from storage.partitions import part_name
from storage.root import StorageRoot
from storage.schema import KILL_SCHEMA

__all__ = [
    "KILLS",
    "kill_rows",
    "killed_items",
    "killed_story_ids",
    "read_kills",
    "write_kills",
]

KILLS = "kills"


def kill_rows(batch: StoryBatch, run_id: str, recorded_at: datetime) -> pa.Table:
    """One kill row per canceled story of the batch."""
    canceled = batch.table.filter(pc.equal(batch.table.column("pubstatus"), "canceled"))
    n = canceled.num_rows
    return pa.Table.from_pydict(
        {
            "source": canceled.column("source"),
            "item_id": canceled.column("item_id"),
            "version": canceled.column("version"),
            "killed_by": canceled.column("story_id"),
            "killed_at": canceled.column("published_at"),
            "recorded_at": pa.array([recorded_at] * n, KILL_SCHEMA.field("recorded_at").type),
            "run_id": pa.array([run_id] * n, pa.string()),
        },
        schema=KILL_SCHEMA,
    )


def write_kills(root: StorageRoot, rows: pa.Table) -> list[str]:
    """Write kill rows as one part named after the kills it holds (a rerun replaces it)."""
    if rows.num_rows == 0:
        return []
    relpath = f"{KILLS}/{part_name(rows.column('killed_by').to_pylist())}"
    root.write_parquet(relpath, rows.cast(KILL_SCHEMA))
    return [relpath]


def read_kills(root: StorageRoot) -> pa.Table:
    """Every kill row."""
    return root.dataset(KILLS, KILL_SCHEMA).to_table()


def killed_items(root: StorageRoot) -> set[tuple[str, str]]:
    """The (source, item_id) of every killed item."""
    table = read_kills(root).select(["source", "item_id"])
    return set(
        zip(table.column("source").to_pylist(), table.column("item_id").to_pylist(), strict=True)
    )


def killed_story_ids(stories: pa.Table, killed: set[tuple[str, str]]) -> set[str]:
    """The story_ids in ``stories`` (with source, item_id, story_id) of killed items."""
    if not killed:
        return set()
    return {
        sid
        for sid, source, item in zip(
            stories.column("story_id").to_pylist(),
            stories.column("source").to_pylist(),
            stories.column("item_id").to_pylist(),
            strict=True,
        )
        if (source, item) in killed
    }
