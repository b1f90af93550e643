"""The backfill / re-cluster flow: clusters assigned afresh over a date range.

For a parameter change or once a history import is in: every stored story of the range is
matched again, a day at a time, with the parameters given, and the result is written as a new
versioned clustering under ``clusterings/`` (stored ``cluster_id`` values never change).
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any, cast
from uuid import UUID

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NONE

from dedupe import DEFAULT_MINHASH, MinHashParams, Signer, recluster
from flows.params import BackfillParameters
from flows.roots import open_root
from storage.clusterings import write_clustering
from storage.history import day_batches
from storage.lock import RootLock

__all__ = ["backfill_flow", "run_backfill"]


@task(name="recluster", cache_policy=NONE)
def recluster_range(params: BackfillParameters, minhash: MinHashParams) -> dict[str, Any]:
    """Match every stored story of the range again and write the clustering."""
    logger = get_run_logger()
    root = open_root(params.root)
    days = (params.date_to - params.date_from).days + 1
    # A sync flow gets the artifact id back, not a coroutine.
    progress = cast(
        UUID,
        create_progress_artifact(
            0.0, key="wiredup-backfill-progress", description="Days re-clustered"
        ),
    )
    rows: list[dict[str, Any]] = []
    kinds: dict[str, int] = {}
    changed = 0
    batches = day_batches(root, params.date_from, params.date_to, minhash)
    for batch, matches in recluster(batches, Signer(minhash), params.match_params()):
        for entry, match, extra in zip(batch.entries, matches, batch.extra, strict=True):
            kind = match.dup_kind or "new"
            kinds[kind] = kinds.get(kind, 0) + 1
            changed += match.cluster_id != extra["stored_cluster_id"]
            rows.append(
                {
                    "story_id": entry.story_id,
                    "story_date": extra["story_date"],
                    "cluster_id": match.cluster_id,
                    "stored_cluster_id": extra["stored_cluster_id"],
                    "dup_kind": match.dup_kind,
                    "dup_of": match.dup_of,
                    "similarity": match.similarity,
                    "match_rule": match.rule,
                }
            )
        done = (batch.day - params.date_from).days + 1
        update_progress_artifact(progress, 100.0 * done / days)
        logger.info("%s: %d stories re-clustered", batch.day, len(batch.entries))
    return {
        "rows": rows,
        "kinds": kinds,
        "changed": changed,
        "clusters": len({r["cluster_id"] for r in rows}),
    }


def run_backfill(
    params: BackfillParameters, minhash: MinHashParams = DEFAULT_MINHASH
) -> dict[str, Any]:
    """The body of the backfill flow; call it inside a flow run."""
    started = datetime.now(UTC)
    clock = time.perf_counter()
    result = recluster_range(params, minhash)
    clustering_id = f"{started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    manifest = {
        "created_at": started.isoformat(),
        "date_from": params.date_from.isoformat(),
        "date_to": params.date_to.isoformat(),
        "match": params.match_params().__dict__,
        "minhash": minhash.__dict__,
        "stories": len(result["rows"]),
        "clusters": result["clusters"],
        "changed_from_streaming": result["changed"],
        "kinds": result["kinds"],
    }
    written: list[str] = []
    if not params.dry_run and result["rows"]:
        root = open_root(params.root)
        # The write phase only: re-clustering reads, and a clustering is its own folder.
        with RootLock(
            root,
            clustering_id,
            "backfill",
            wait_seconds=params.lock_wait_seconds,
            logger=get_run_logger(),
        ):
            written = write_clustering(root, clustering_id, result["rows"], manifest)
    seconds = time.perf_counter() - clock
    summary = {
        **manifest,
        "clustering_id": clustering_id,
        "written": written,
        "seconds": round(seconds, 2),
        "dry_run": params.dry_run,
    }
    lines = [
        f"# Wiredup re-clustering {clustering_id}",
        "",
        f"{params.date_from} to {params.date_to}: {manifest['stories']} stories in "
        f"{manifest['clusters']} clusters; {manifest['changed_from_streaming']} differ from "
        f"their streaming cluster; {seconds:.1f} s.",
        "",
        "| kind | stories |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in sorted(result["kinds"].items())]
    lines += ["", *(f"- `{p}`" for p in written)]
    create_markdown_artifact(
        "\n".join(lines),
        key="wiredup-backfill-summary",
        description="Re-clustering of a date range",
    )
    return summary


@flow(name="wiredup-backfill")
def backfill_flow(params: BackfillParameters) -> dict[str, Any]:
    """Re-cluster the stored stories of a date range into a new versioned clustering."""
    return run_backfill(params)
