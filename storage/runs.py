"""``runs/``: one row per run, with its counts, status, timings and parameters."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from storage.partitions import partition_dir
from storage.root import StorageRoot
from storage.schema import RUN_SCHEMA

__all__ = ["RUNS", "read_runs", "write_run"]

RUNS = "runs"


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
