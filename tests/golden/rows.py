"""Golden rows: the stored story rows of a run, without what differs from run to run.

A row is kept as its identity and match fields in clear and a sha256 of the whole row (every
column but ``run_id`` and ``ingested_at``), so a golden file shows what changed without
holding the text of copy from ``../shared``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds

__all__ = ["GOLDEN", "golden_rows", "read_golden"]

GOLDEN = Path(__file__).resolve().parent
_VOLATILE = ("run_id", "ingested_at")
_SHOWN = ("story_id", "source", "item_id", "cluster_id", "dup_kind", "dup_of")


def golden_rows(root: Path) -> list[dict[str, Any]]:
    """The rows of ``root/stories``, sorted by story_id, each with the sha256 of its content."""
    table = ds.dataset(root / "stories", format="parquet", partitioning="hive").to_table()
    rows = sorted(table.to_pylist(), key=lambda r: r["story_id"])
    out = []
    for row in rows:
        kept = {k: v for k, v in row.items() if k not in _VOLATILE}
        digest = hashlib.sha256(
            json.dumps(kept, sort_keys=True, default=str, ensure_ascii=False).encode()
        ).hexdigest()
        out.append({**{k: row[k] for k in _SHOWN}, "sha256": digest})
    return out


def read_golden(name: str) -> list[dict[str, Any]]:
    return list(json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8")))
