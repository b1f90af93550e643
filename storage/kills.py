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

from collections.abc import Iterable
from datetime import datetime

import pyarrow as pa

from ingest.story import Story
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


def kill_rows(
    stories: Iterable[Story], run_id: str, recorded_at: datetime
) -> list[dict[str, object]]:
    """One kill row per canceled story."""
    return [
        {
            "source": s.source,
            "item_id": s.item_id,
            "version": s.version,
            "killed_by": s.story_id,
            "killed_at": s.published_at,
            "recorded_at": recorded_at,
            "run_id": run_id,
        }
        for s in stories
        if s.pubstatus == "canceled"
    ]


def write_kills(root: StorageRoot, rows: list[dict[str, object]]) -> list[str]:
    """Write kill rows as one part named after the kills it holds (a rerun replaces it)."""
    if not rows:
        return []
    relpath = f"{KILLS}/{part_name(str(r['killed_by']) for r in rows)}"
    root.write_parquet(relpath, pa.Table.from_pylist(rows, schema=KILL_SCHEMA))
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
