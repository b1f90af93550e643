"""Re-clustering over a date range, as plain Python: the backfill's sequence lives here.

Every stored story of the range is read a day at a time (``storage``), given its stored
signature columns, or signed again from its text where those were made with other MinHash
parameters (``dedupe``), and matched afresh, day after day, against the ``window_days`` days
before it (``dedupe.recluster``). The assignment is written as a new versioned clustering
(``storage.clusterings``); stored ``cluster_id`` values never change.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from dedupe import (
    DEFAULT_MATCH,
    DEFAULT_MINHASH,
    DayBatch,
    MatchParams,
    MinHashParams,
    Signer,
    entries,
    match_order,
    recluster,
    sign,
)
from record.batch import StoryBatch
from record.schema import DEDUPE, STORY_DATASET_SCHEMA, field_stage
from storage import (
    RootLock,
    StorageRoot,
    clustering_row,
    killed_items,
    read_signatures,
    read_stories,
    write_clustering,
)

__all__ = ["BackfillResult", "day_batches", "run_backfill"]

log = logging.getLogger(__name__)

#: The ingest columns a re-clustering reads back, and the stored cluster it is compared with.
_COLUMNS = [f.name for f in STORY_DATASET_SCHEMA if field_stage(f) == "ingest"] + ["cluster_id"]


def _signed_day(
    root: StorageRoot, day: date, params: MinHashParams, signer: Signer
) -> StoryBatch | None:
    table = read_stories(root, _COLUMNS, day, day)
    if table.num_rows == 0:
        return None
    stored_cluster = table.column("cluster_id")
    batch = StoryBatch(table.drop_columns(["cluster_id"]))
    signatures = read_signatures(root, params, day)
    ids = set(batch.values("story_id"))
    if signatures is None or not ids <= set(signatures.column("story_id").to_pylist()):
        log.info(
            "%s: signing %d stories again from their text (parameters changed or "
            "signatures missing)",
            day,
            len(batch),
        )
        signed = sign(batch, params, signer)
    else:
        # Join the ids only (a join carries no list columns), then take the values by row.
        stored = signatures.select(["story_id"]).append_column(
            "srow", pa.array(np.arange(signatures.num_rows), pa.int64())
        )
        numbered = batch.table.select(["story_id"]).append_column(
            "row", pa.array(np.arange(len(batch)), pa.int64())
        )
        joined = numbered.join(stored, "story_id", join_type="inner").sort_by("row")
        picked = signatures.take(joined.column("srow"))
        signed = batch.with_columns(
            DEDUPE,
            {
                "signature": picked.column("signature").combine_chunks(),
                "shingles": picked.column("shingles").combine_chunks(),
                # Null where the day was signed before anchors were stored: the matcher then
                # takes them from the shingles.
                "anchors": picked.column("anchors").combine_chunks(),
            },
        )
    return StoryBatch(signed.table.append_column("stored_cluster_id", stored_cluster))


def day_batches(
    root: StorageRoot, date_from: date, date_to: date, params: MinHashParams
) -> Iterator[DayBatch]:
    """Every stored story of [date_from, date_to], signed, a day at a time, in match order."""
    killed = killed_items(root)
    signer = Signer(params)
    day = date_from
    while day <= date_to:
        signed = _signed_day(root, day, params, signer)
        day, current = day + timedelta(days=1), day
        if signed is None:
            continue
        ordered = signed.take(match_order(signed))
        extra = [
            {"story_date": current, "stored_cluster_id": c}
            for c in ordered.values("stored_cluster_id")
        ]
        yield DayBatch(current, entries(ordered, params.num_perm, killed), extra)


@dataclass
class BackfillResult:
    """What a re-clustering did."""

    clustering_id: str
    manifest: dict[str, Any]
    written: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run_backfill(
    root: StorageRoot,
    date_from: date,
    date_to: date,
    *,
    minhash: MinHashParams = DEFAULT_MINHASH,
    match_params: MatchParams = DEFAULT_MATCH,
    dry_run: bool = False,
    lock_wait_seconds: float = 0.0,
    on_day: Callable[[date, int], None] | None = None,
    logger: logging.Logger | logging.LoggerAdapter[logging.Logger] = log,
) -> BackfillResult:
    """Re-cluster the stored stories of [date_from, date_to] into a new clustering.

    ``on_day`` is called after each day with (the day, its stories).
    """
    started = datetime.now(UTC)
    clock = time.perf_counter()
    rows: list[dict[str, Any]] = []
    kinds: dict[str, int] = {}
    changed = 0
    batches = day_batches(root, date_from, date_to, minhash)
    for batch, matches in recluster(batches, Signer(minhash), match_params):
        for entry, match, extra in zip(batch.entries, matches, batch.extra, strict=True):
            kind = match.dup_kind or "new"
            kinds[kind] = kinds.get(kind, 0) + 1
            changed += match.cluster_id != extra["stored_cluster_id"]
            rows.append(clustering_row(entry.story_id, extra, match))
        if on_day is not None:
            on_day(batch.day, len(batch.entries))
        logger.info("%s: %d stories re-clustered", batch.day, len(batch.entries))
    clustering_id = f"{started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    manifest = {
        "created_at": started.isoformat(),
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "match": match_params.__dict__,
        "minhash": minhash.__dict__,
        "stories": len(rows),
        "clusters": len({r["cluster_id"] for r in rows}),
        "changed_from_streaming": changed,
        "kinds": kinds,
    }
    result = BackfillResult(clustering_id, manifest)
    if not dry_run and rows:
        # The write phase only: re-clustering reads, and a clustering is its own folder.
        with RootLock(
            root, clustering_id, "backfill", wait_seconds=lock_wait_seconds, logger=logger
        ):
            result.written = write_clustering(root, clustering_id, rows, manifest)
    result.seconds = time.perf_counter() - clock
    return result
