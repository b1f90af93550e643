"""The order in which a batch of new stories is written: the one place it is decided.

Signatures first, then kills, then the stories part, which is the commit point: a crash before
it leaves signatures and kills that the window and readers ignore until their story is stored,
and a rerun writes the same parts again under the same names; a crash after it leaves a batch
that the rerun finds stored and skips.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np

from dedupe import Match, MinHashParams
from ingest.story import Story
from storage.kills import kill_rows, write_kills
from storage.root import StorageRoot
from storage.stories import story_row, write_stories
from storage.window import write_signatures

__all__ = ["write_batch"]


def write_batch(
    root: StorageRoot,
    params: MinHashParams,
    stories: Sequence[Story],
    matches: Sequence[Match],
    shingles: Sequence[np.ndarray],
    signatures: np.ndarray,
    run_id: str,
    now: datetime,
) -> list[str]:
    """Write new stories with their matches, signatures and kills; return the files written."""
    written = write_signatures(
        root,
        params,
        [s.story_id for s in stories],
        [s.story_date for s in stories],
        signatures,
        shingles,
    )
    # Before the stories: a canceled story that is stored always has its kill.
    written += write_kills(root, kill_rows(stories, run_id, now))
    rows = [story_row(s, m, run_id, now) for s, m in zip(stories, matches, strict=True)]
    written += write_stories(root, rows)
    return written
