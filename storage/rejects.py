"""``rejects/`` and ``quarantine/``: what could not become a story is kept, never dropped.

A reject row says which source, which item, why, and the sha256 of the raw bytes; the bytes
themselves go to ``quarantine/<sha256[:2]>/<sha256>`` so an operator can look at them, fix the
parser and replay them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

import pyarrow as pa

from record.story import RawItem, Reject
from storage.partitions import part_name, partition_dir
from storage.root import StorageRoot
from storage.schema import REJECT_SCHEMA

__all__ = ["QUARANTINE", "REJECTS", "quarantine_path", "read_rejects", "write_rejects"]

REJECTS = "rejects"
QUARANTINE = "quarantine"


def quarantine_path(sha256: str) -> str:
    return f"{QUARANTINE}/{sha256[:2]}/{sha256}"


def write_rejects(
    root: StorageRoot,
    rejects: Sequence[Reject],
    run_id: str,
    raw_by_location: dict[str, RawItem] | None = None,
) -> list[str]:
    """Keep the raw bytes of each reject, then write the reject rows, one part per day."""
    raws = raw_by_location or {}
    by_day: dict[date, list[dict[str, object]]] = defaultdict(list)
    for reject in rejects:
        kept = None
        raw = raws.get(reject.location)
        if reject.sha256 is not None and raw is not None:
            kept = quarantine_path(reject.sha256)
            if not root.exists(kept):
                root.write_bytes(kept, raw.data)
        by_day[reject.fetched_at.date()].append(
            {
                "source": reject.source,
                "item_id": reject.item_id,
                "reason": reject.reason,
                "sha256": reject.sha256,
                "size": reject.size,
                "location": reject.location,
                "quarantine_path": kept,
                "fetched_at": reject.fetched_at,
                "run_id": run_id,
            }
        )
    written = []
    for day in sorted(by_day):
        rows = by_day[day]
        keys = [f"{r['source']}|{r['location']}|{r['sha256']}|{r['run_id']}" for r in rows]
        relpath = f"{partition_dir(REJECTS, 'reject_date', day)}/{part_name(keys)}"
        root.write_parquet(relpath, pa.Table.from_pylist(rows, schema=REJECT_SCHEMA))
        written.append(relpath)
    return written


def read_rejects(root: StorageRoot) -> pa.Table:
    """Every reject row."""
    partition = pa.schema([pa.field("reject_date", pa.date32())])
    return root.dataset(REJECTS, REJECT_SCHEMA.append(partition.field(0)), partition).to_table()
