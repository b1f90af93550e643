"""The maintenance flow: small Parquet parts merged per partition, under the writer lock."""

from __future__ import annotations

import uuid

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run

from flows.params import MaintenanceParameters
from flows.roots import open_root
from storage.compaction import CompactionReport, compact
from storage.lock import RootLock

__all__ = ["maintenance_flow", "run_maintenance"]


def run_maintenance(params: MaintenanceParameters) -> CompactionReport:
    """The body of the maintenance flow; call it inside a flow run."""
    logger = get_run_logger()
    run_id = str(flow_run.get_id() or uuid.uuid4())
    root = open_root(params.root)
    # Even a dry run takes the lock: its plan is only true if no ingest adds parts meanwhile.
    with RootLock(
        root, run_id, "maintenance", wait_seconds=params.lock_wait_seconds, logger=logger
    ):
        report = compact(root, min_files=params.min_files, dry_run=params.dry_run)
    logger.info(
        "compaction of %s: %d partition(s) %s",
        root.display(),
        len(report.merged),
        "to merge (dry run)" if params.dry_run else "merged",
    )
    create_markdown_artifact(
        report.markdown(),
        key="wiredup-maintenance-summary",
        description="Partitions compacted by this maintenance run",
    )
    return report


@flow(name="wiredup-maintenance")
def maintenance_flow(params: MaintenanceParameters) -> CompactionReport:
    """Merge the small parts of every partition that holds ``min_files`` or more."""
    return run_maintenance(params)
