"""Storage: the Parquet datasets and the state that travels with them. No Prefect here.

Storage writes what it is given: story batches signed and matched by ``dedupe``, rejects, run
rows. It parses nothing and signs nothing, and importing it loads neither the parsers nor the
HTTP client.
"""

from storage.clusterings import (
    CLUSTERINGS,
    clustering_row,
    list_clusterings,
    read_clustering,
    write_clustering,
)
from storage.commit import stamped, write_batch
from storage.compaction import CompactionReport, compact
from storage.cursors import CURSORS, cursor_path, read_cursor, write_cursors
from storage.kills import KILLS, kill_rows, killed_items, read_kills, write_kills
from storage.lock import LockHeld, RootLock
from storage.rejects import QUARANTINE, REJECTS, quarantine_path, read_rejects, write_rejects
from storage.root import StorageRoot
from storage.runs import RUNS, RunCounts, read_runs, run_row, write_run
from storage.schema import (
    CLUSTERING_SCHEMA,
    KILL_SCHEMA,
    REJECT_SCHEMA,
    RUN_SCHEMA,
    signature_schema,
)
from storage.stories import (
    STORIES,
    read_stories,
    stored_among,
    stored_revisions,
    write_stories,
)
from storage.window import SIGNATURES, load_window, read_signatures, write_signatures

__all__ = [
    "CLUSTERINGS",
    "CLUSTERING_SCHEMA",
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
    "CompactionReport",
    "LockHeld",
    "RootLock",
    "RunCounts",
    "StorageRoot",
    "clustering_row",
    "compact",
    "cursor_path",
    "kill_rows",
    "killed_items",
    "list_clusterings",
    "load_window",
    "quarantine_path",
    "read_clustering",
    "read_cursor",
    "read_kills",
    "read_rejects",
    "read_runs",
    "read_signatures",
    "read_stories",
    "run_row",
    "signature_schema",
    "stamped",
    "stored_among",
    "stored_revisions",
    "write_batch",
    "write_clustering",
    "write_cursors",
    "write_kills",
    "write_rejects",
    "write_run",
    "write_signatures",
    "write_stories",
]
