"""Storage: the Parquet datasets and the state that travels with them. No Prefect here."""

from storage.rejects import QUARANTINE, REJECTS, quarantine_path, read_rejects, write_rejects
from storage.root import StorageRoot
from storage.runs import RUNS, read_runs, write_run
from storage.schema import (
    REJECT_SCHEMA,
    RUN_SCHEMA,
    STORY_DATASET_SCHEMA,
    STORY_SCHEMA,
    field_docs,
    signature_schema,
)
from storage.stories import STORIES, read_stories, stored_story_ids, story_row, write_stories
from storage.window import SIGNATURES, load_window, write_signatures

__all__ = [
    "QUARANTINE",
    "REJECTS",
    "REJECT_SCHEMA",
    "RUNS",
    "RUN_SCHEMA",
    "SIGNATURES",
    "STORIES",
    "STORY_DATASET_SCHEMA",
    "STORY_SCHEMA",
    "StorageRoot",
    "field_docs",
    "load_window",
    "quarantine_path",
    "read_rejects",
    "read_runs",
    "read_stories",
    "signature_schema",
    "stored_story_ids",
    "story_row",
    "write_rejects",
    "write_run",
    "write_signatures",
    "write_stories",
]
