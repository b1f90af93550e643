"""Storage: the Parquet datasets and the state that travels with them. No Prefect here."""

from storage.commit import write_batch
from storage.compaction import CompactionReport, compact
from storage.cursors import CURSORS, cursor_path, read_cursor, write_cursors
from storage.kills import KILLS, kill_rows, killed_items, read_kills, write_kills
from storage.lock import LockHeld, RootLock
from storage.rejects import QUARANTINE, REJECTS, quarantine_path, read_rejects, write_rejects
from storage.root import StorageRoot
from storage.runs import RUNS, read_runs, write_run
from storage.schema import (
    KILL_SCHEMA,
    REJECT_SCHEMA,
    RUN_SCHEMA,
    STORY_DATASET_SCHEMA,
    STORY_SCHEMA,
    field_docs,
    signature_schema,
)
from storage.stories import (
    STORIES,
    read_stories,
    stored_among,
    stored_story_ids,
    story_row,
    write_stories,
)
from storage.window import SIGNATURES, load_window, write_signatures

__all__ = [
    "CURSORS",
    "KILLS",
    "KILL_SCHEMA",
    "QUARANTINE",
    "REJECTS",
    "REJECT_SCHEMA",
    "RUNS",
    "RUN_SCHEMA",
    "SIGNATURES",
    "STORIES",
    "STORY_DATASET_SCHEMA",
    "STORY_SCHEMA",
    "CompactionReport",
    "LockHeld",
    "RootLock",
    "StorageRoot",
    "compact",
    "cursor_path",
    "field_docs",
    "kill_rows",
    "killed_items",
    "load_window",
    "quarantine_path",
    "read_cursor",
    "read_kills",
    "read_rejects",
    "read_runs",
    "read_stories",
    "signature_schema",
    "stored_among",
    "stored_story_ids",
    "story_row",
    "write_batch",
    "write_cursors",
    "write_kills",
    "write_rejects",
    "write_run",
    "write_signatures",
    "write_stories",
]
