"""``runs/``: one row per run, with its counts, status, timings and parameters."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

import pyarrow as pa

from storage.partitions import partition_dir
from storage.root import StorageRoot
from storage.schema import RUN_SCHEMA

__all__ = ["RUNS", "RunCounts", "read_runs", "run_row", "write_run"]

RUNS = "runs"

#: The counts a run row carries, in ``RUN_SCHEMA`` order.
_COUNTS = ("read", "new", "already_stored", "exact", "near", "containment", "rejected")


class RunCounts(Protocol):
    """What a run row counts (the run's totals)."""

    read: int
    new: int
    already_stored: int
    exact: int
    near: int
    containment: int
    rejected: int


def run_row(
    run_id: str,
    flow: str,
    status: str,
    started_at: datetime,
    finished_at: datetime,
    seconds: float,
    parameters: str,
    counts: RunCounts,
    per_source: str,
    error: str | None = None,
) -> dict[str, Any]:
    """The ``runs/`` row of one run: every ``RUN_SCHEMA`` column, nothing else."""
    row: dict[str, Any] = {
        "run_id": run_id,
        "flow": flow,
        "status": status,
        "started_at": started_at,
        "finished_at": finished_at,
        "seconds": seconds,
        "parameters": parameters,
        **{name: getattr(counts, name) for name in _COUNTS},
        "per_source": per_source,
        "error": error,
    }
    return row


def write_run(root: StorageRoot, row: dict[str, Any]) -> str:
    """Write the row of one run (keyed by its run_id, so writing it again replaces it)."""
    relpath = (
        f"{partition_dir(RUNS, 'run_date', row['started_at'].date())}/run-{row['run_id']}.parquet"
    )
    root.write_parquet(relpath, pa.Table.from_pylist([row], schema=RUN_SCHEMA))
    return relpath


def read_runs(root: StorageRoot) -> pa.Table:
    """Every run row, oldest first."""
    partition = pa.schema([pa.field("run_date", pa.date32())])
    table = root.dataset(RUNS, RUN_SCHEMA.append(partition.field(0)), partition).to_table()
    return table.sort_by("started_at")
