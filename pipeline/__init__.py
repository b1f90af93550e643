"""The pipeline: the ingest and the re-clustering as plain Python, the one place each
sequence lives (read -> prepare -> select what is new -> match -> commit).

``flows`` wraps these steps as Prefect tasks and adds orchestration only; the command line,
the benchmarks and the tests run the same functions. Nothing here imports Prefect.
"""

from pipeline.backfill import BackfillResult, day_batches, run_backfill
from pipeline.ingest import (
    DEFAULT_BATCH_BYTES,
    DEFAULT_BATCH_SIZE,
    PLAIN_STEPS,
    Prepared,
    Progress,
    Steps,
    batches_of,
    commit,
    match,
    matcher_for,
    prepare_batch,
    prepare_payloads,
    read_source,
    run_ingest,
    select_new,
)
from pipeline.maps import POOL_THRESHOLD, BatchMap, process_map, serial_map, weight
from pipeline.summary import COUNT_COLUMNS, RunSummary, SourceCounts

__all__ = [
    "COUNT_COLUMNS",
    "DEFAULT_BATCH_BYTES",
    "DEFAULT_BATCH_SIZE",
    "PLAIN_STEPS",
    "POOL_THRESHOLD",
    "BackfillResult",
    "BatchMap",
    "Prepared",
    "Progress",
    "RunSummary",
    "SourceCounts",
    "Steps",
    "batches_of",
    "commit",
    "day_batches",
    "match",
    "matcher_for",
    "prepare_batch",
    "prepare_payloads",
    "process_map",
    "read_source",
    "run_backfill",
    "run_ingest",
    "select_new",
    "serial_map",
    "weight",
]
