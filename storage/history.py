"""Stored stories, a day at a time, as the matcher takes them: for re-clustering.

Each day's stories come with their stored signatures and shingle sets when those were made
with the MinHash parameters in use; otherwise (a parameter change) they are signed again from
the stored text, which is what lets a re-clustering adopt new parameters.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import numpy as np
import pyarrow.parquet as pq

from dedupe import DayBatch, Entry, MinHashParams, Signer, item_key, shingle_texts
from ingest.errors import ParamsMismatchError
from storage.kills import killed_items
from storage.root import StorageRoot
from storage.stories import read_stories
from storage.window import SIGNATURES, check_params

__all__ = ["day_batches"]

log = logging.getLogger(__name__)

_COLUMNS = [
    "story_id",
    "source",
    "item_id",
    "version",
    "content_hash",
    "pubstatus",
    "published_at",
    "cluster_id",
    "headline",
    "body",
]


def _stored_signatures(
    root: StorageRoot, day: date, params: MinHashParams
) -> dict[str, tuple[np.ndarray, np.ndarray]] | None:
    """story_id -> (signature, shingles) of a day, or None if made with other parameters."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for relpath in root.files(f"{SIGNATURES}/story_date={day.isoformat()}"):
        try:
            check_params(root, relpath, params)
        except ParamsMismatchError:
            return None
        with root.fs.open_input_file(root.path(relpath)) as src:
            table = pq.read_table(src)
        ids = table.column("story_id").to_pylist()
        sigs = (
            table.column("signature")
            .combine_chunks()
            .flatten()
            .to_numpy(zero_copy_only=False)
            .reshape(len(ids), params.num_perm)
        )
        shingles = table.column("shingles").combine_chunks()
        offsets = shingles.offsets.to_numpy()
        values = shingles.flatten().to_numpy(zero_copy_only=False)
        for i, sid in enumerate(ids):
            out.setdefault(
                sid,
                (
                    sigs[i].astype(np.uint32),
                    values[offsets[i] - offsets[0] : offsets[i + 1] - offsets[0]].astype(np.uint32),
                ),
            )
    return out


def day_batches(
    root: StorageRoot, date_from: date, date_to: date, params: MinHashParams
) -> Iterator[DayBatch]:
    """Every stored story of [date_from, date_to], one day at a time, oldest day first."""
    killed = killed_items(root)
    signer = Signer(params)
    day = date_from
    while day <= date_to:
        stories = read_stories(root, _COLUMNS, day, day).to_pylist()
        day, current = day + timedelta(days=1), day
        if not stories:
            continue
        floor = datetime.min.replace(tzinfo=None)
        stories.sort(
            key=lambda r: (
                (r["published_at"].replace(tzinfo=None) if r["published_at"] else floor),
                r["source"],
                r["item_id"],
                r["version"],
            )
        )
        stored = _stored_signatures(root, current, params)
        if stored is None or any(r["story_id"] not in stored for r in stories):
            log.info(
                "%s: signing %d stories again from their text (parameters changed or "
                "signatures missing)",
                current,
                len(stories),
            )
            texts = [
                f"{r['headline']}\n\n{r['body']}" if r["headline"] else r["body"] for r in stories
            ]
            shingles = shingle_texts(texts, params.shingle_size)
            signatures = signer.sign_many(shingles)
            stored = {r["story_id"]: (signatures[i], shingles[i]) for i, r in enumerate(stories)}
        entries = [
            Entry(
                r["story_id"],
                r["content_hash"],
                stored[r["story_id"]][1],
                stored[r["story_id"]][0],
                item_key(r["source"], r["item_id"]),
                matchable=(
                    r["pubstatus"] != "canceled"
                    and bool(r["body"].strip())
                    and (r["source"], r["item_id"]) not in killed
                ),
            )
            for r in stories
        ]
        extra = [{"story_date": current, "stored_cluster_id": r["cluster_id"]} for r in stories]
        yield DayBatch(current, entries, extra)
