"""The order in which a batch of new stories is written: the one place it is decided.

Signatures first, then kills, then the stories part, which is the commit point: a crash before
it leaves signatures and kills that the window and readers ignore until their story is stored,
and a rerun writes the same parts again under the same names; a crash after it leaves a batch
that the rerun finds stored and skips.
"""

from __future__ import annotations

from datetime import datetime

from dedupe import MinHashParams
from record.batch import StoryBatch
from record.schema import STORAGE, STORY_DATASET_SCHEMA
from storage.kills import kill_rows, write_kills
from storage.root import StorageRoot
from storage.stories import write_stories
from storage.window import write_signatures

__all__ = ["stamped", "write_batch"]


def stamped(batch: StoryBatch, run_id: str, ingested_at: datetime) -> StoryBatch:
    """The batch with the columns storage owns: the run that writes it, and when."""
    n = len(batch)
    return batch.with_columns(STORAGE, {"run_id": [run_id] * n, "ingested_at": [ingested_at] * n})


def write_batch(
    root: StorageRoot, params: MinHashParams, batch: StoryBatch, run_id: str, now: datetime
) -> list[str]:
    """Write a signed, matched batch: signatures, kills, then its stories; return the files."""
    written = write_signatures(root, params, batch)
    # Before the stories: a canceled story that is stored always has its kill.
    written += write_kills(root, kill_rows(batch, run_id, now))
    rows = stamped(batch, run_id, now).table.select(STORY_DATASET_SCHEMA.names)
    written += write_stories(root, rows)
    return written
