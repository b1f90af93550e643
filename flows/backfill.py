"""The backfill / re-cluster flow: ``pipeline.run_backfill`` with progress and a summary.

For a parameter change or once a history import is in: every stored story of the range is
matched again, a day at a time, with the parameters given, and the result is written as a new
versioned clustering under ``clusterings/`` (stored ``cluster_id`` values never change). The
sequence lives in ``pipeline.backfill``; this module adds the task, the progress artifact and
the summary artifact.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast
from uuid import UUID

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NONE

from dedupe import DEFAULT_MINHASH, MinHashParams
from flows.logs import library_logs_at_info
from flows.params import BackfillParameters
from flows.roots import open_root
from pipeline import BackfillResult
from pipeline import run_backfill as run_backfill_pipeline

__all__ = ["backfill_flow", "run_backfill"]


@task(name="recluster", cache_policy=NONE)
def recluster_range(params: BackfillParameters, minhash: MinHashParams) -> BackfillResult:
    """Match every stored story of the range again and write the clustering."""
    days = (params.date_to - params.date_from).days + 1
    # A sync flow gets the artifact id back, not a coroutine.
    progress = cast(
        UUID,
        create_progress_artifact(
            0.0, key="wiredup-backfill-progress", description="Days re-clustered"
        ),
    )

    def on_day(day: date, stories: int) -> None:
        update_progress_artifact(progress, 100.0 * ((day - params.date_from).days + 1) / days)

    return run_backfill_pipeline(
        open_root(params.root),
        params.date_from,
        params.date_to,
        minhash=minhash,
        match_params=params.match_params(),
        dry_run=params.dry_run,
        lock_wait_seconds=params.lock_wait_seconds,
        on_day=on_day,
        logger=get_run_logger(),
    )


def run_backfill(
    params: BackfillParameters, minhash: MinHashParams = DEFAULT_MINHASH
) -> dict[str, Any]:
    """The body of the backfill flow; call it inside a flow run."""
    library_logs_at_info()
    result = recluster_range(params, minhash)
    manifest = result.manifest
    summary = {
        **manifest,
        "clustering_id": result.clustering_id,
        "written": result.written,
        "seconds": round(result.seconds, 2),
        "dry_run": params.dry_run,
    }
    lines = [
        f"# Wiredup re-clustering {result.clustering_id}",
        "",
        f"{params.date_from} to {params.date_to}: {manifest['stories']} stories in "
        f"{manifest['clusters']} clusters; {manifest['changed_from_streaming']} differ from "
        f"their streaming cluster; {result.seconds:.1f} s.",
        "",
        "| kind | stories |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in sorted(manifest["kinds"].items())]
    lines += ["", *(f"- `{p}`" for p in result.written)]
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
